#include "http/rate_limit_headers.h"

#include <optional>
#include <variant>

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

// 2026-11-29T17:00:00Z.
const absl::Time kNow = absl::FromUnixSeconds(1795971600);

HttpHeaders With(const char* name, const char* value) {
  HttpHeaders headers;
  headers.Add(name, value);
  return headers;
}

TEST(RateLimitDelayTest, PagerDutyResetSeconds) {
  EXPECT_EQ(RateLimitDelay(With("ratelimit-reset", "20"), kNow),
            absl::Seconds(20));
}

TEST(RateLimitDelayTest, RetryAfterSeconds) {
  EXPECT_EQ(RateLimitDelay(With("Retry-After", "7"), kNow), absl::Seconds(7));
}

TEST(RateLimitDelayTest, RetryAfterHttpDate) {
  EXPECT_EQ(RateLimitDelay(With("Retry-After", "Sun, 29 Nov 2026 17:01:30 GMT"),
                           kNow),
            absl::Seconds(90));
}

TEST(RateLimitDelayTest, JiraIsoResetInstant) {
  EXPECT_EQ(
      RateLimitDelay(With("X-RateLimit-Reset", "2026-11-29T17:05Z"), kNow),
      absl::Minutes(5));
  EXPECT_EQ(
      RateLimitDelay(With("X-RateLimit-Reset", "2026-11-29T17:00:10Z"), kNow),
      absl::Seconds(10));
}

TEST(RateLimitDelayTest, ServiceNowUnixResetInstant) {
  EXPECT_EQ(RateLimitDelay(With("X-RateLimit-Reset", "1795971645"), kNow),
            absl::Seconds(45));
}

TEST(RateLimitDelayTest, PastInstantsMeanNoWait) {
  EXPECT_EQ(RateLimitDelay(With("Retry-After", "Sun, 29 Nov 2026 16:00:00 GMT"),
                           kNow),
            absl::ZeroDuration());
}

TEST(RateLimitDelayTest, PrefersRatelimitResetThenRetryAfter) {
  HttpHeaders headers;
  headers.Add("X-RateLimit-Reset", "1795971645");
  headers.Add("Retry-After", "3");
  EXPECT_EQ(RateLimitDelay(headers, kNow), absl::Seconds(3));
  headers.Add("RateLimit-Reset", "9");
  EXPECT_EQ(RateLimitDelay(headers, kNow), absl::Seconds(9));
}

TEST(RateLimitDelayTest, MissingOrUnparseableHeadersGiveNothing) {
  EXPECT_FALSE(RateLimitDelay(HttpHeaders(), kNow).has_value());
  EXPECT_FALSE(RateLimitDelay(With("Retry-After", "soon"), kNow).has_value());
}

TEST(RetryAfterDelayTest, IgnoresTheQuotaWindowHeader) {
  EXPECT_FALSE(
      RetryAfterDelay(With("ratelimit-reset", "50"), kNow).has_value());
  EXPECT_EQ(RetryAfterDelay(With("retry-after", "2"), kNow), absl::Seconds(2));
}

HttpHeaders Window(const char* remaining, const char* reset) {
  HttpHeaders headers;
  headers.Add("RateLimit-Remaining", remaining);
  headers.Add("ratelimit-reset", reset);
  return headers;
}

TEST(RateLimitWindowOfTest, ReadsPagerDutyRemainingAndResetSeconds) {
  const std::optional<RateLimitWindow> window =
      RateLimitWindowOf(Window("955", " 37 "));
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->remaining, 955);
  EXPECT_EQ(window->reset, absl::Seconds(37));
}

TEST(RateLimitWindowOfTest, NeedsBothHeaders) {
  EXPECT_FALSE(RateLimitWindowOf(With("ratelimit-remaining", "10")));
  EXPECT_FALSE(RateLimitWindowOf(With("ratelimit-reset", "10")));
  EXPECT_FALSE(RateLimitWindowOf(HttpHeaders()));
}

TEST(RateLimitWindowOfTest, IgnoresGarbage) {
  EXPECT_FALSE(RateLimitWindowOf(Window("lots", "10")));
  EXPECT_FALSE(RateLimitWindowOf(Window("-1", "10")));
  EXPECT_FALSE(RateLimitWindowOf(Window("12.5", "10")));
  EXPECT_FALSE(RateLimitWindowOf(Window("10", "soon")));
  EXPECT_FALSE(RateLimitWindowOf(Window("10", "-3")));
  EXPECT_FALSE(RateLimitWindowOf(Window("10", "nan")));
  EXPECT_FALSE(RateLimitWindowOf(Window("10", "1e300")));
}

// Jira Data Center's headers on a rate-limited answer.
HttpHeaders JiraDcBucket(const char* limit, const char* remaining,
                         const char* fill_rate, const char* interval) {
  HttpHeaders headers;
  headers.Add("X-RateLimit-Limit", limit);
  headers.Add("X-RateLimit-Remaining", remaining);
  headers.Add("X-RateLimit-FillRate", fill_rate);
  headers.Add("X-RateLimit-Interval-Seconds", interval);
  headers.Add("retry-after", "0");
  return headers;
}

TEST(RateLimitBucketOfTest, ReadsJiraDataCenterBucketAndRefillRate) {
  const std::optional<RateLimitBucket> bucket =
      RateLimitBucketOf(JiraDcBucket("100", " 37", "100", "10 "));
  ASSERT_TRUE(bucket.has_value());
  EXPECT_EQ(bucket->remaining, 37);
  EXPECT_EQ(bucket->capacity, 100);
  EXPECT_DOUBLE_EQ(bucket->per_second, 10);
}

TEST(RateLimitBucketOfTest, RemainingBeyondTheLimitIsReadAsTheLimit) {
  const std::optional<RateLimitBucket> bucket =
      RateLimitBucketOf(JiraDcBucket("20", "500", "2", "1"));
  ASSERT_TRUE(bucket.has_value());
  EXPECT_EQ(bucket->remaining, 20);
}

TEST(RateLimitBucketOfTest, NeedsAllFourHeaders) {
  const HttpHeaders full = JiraDcBucket("100", "37", "10", "1");
  for (const char* missing :
       {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-FillRate",
        "X-RateLimit-Interval-Seconds"}) {
    HttpHeaders partial;
    for (const auto& [name, value] : full.fields()) {
      if (name != missing) partial.Add(name, value);
    }
    EXPECT_FALSE(RateLimitBucketOf(partial)) << "without " << missing;
  }
}

TEST(RateLimitBucketOfTest, IgnoresGarbage) {
  EXPECT_FALSE(RateLimitBucketOf(JiraDcBucket("0", "0", "10", "1")));
  EXPECT_FALSE(RateLimitBucketOf(JiraDcBucket("1e2", "37", "10", "1")));
  EXPECT_FALSE(RateLimitBucketOf(JiraDcBucket("100", "-1", "10", "1")));
  EXPECT_FALSE(RateLimitBucketOf(JiraDcBucket("100", "many", "10", "1")));
  EXPECT_FALSE(RateLimitBucketOf(JiraDcBucket("100", "37", "0", "1")));
  EXPECT_FALSE(RateLimitBucketOf(JiraDcBucket("100", "37", "-5", "1")));
  EXPECT_FALSE(RateLimitBucketOf(JiraDcBucket("100", "37", "inf", "1")));
  EXPECT_FALSE(RateLimitBucketOf(JiraDcBucket("100", "37", "nan", "1")));
  EXPECT_FALSE(RateLimitBucketOf(JiraDcBucket("100", "37", "10", "0")));
  EXPECT_FALSE(RateLimitBucketOf(JiraDcBucket("100", "37", "10", "nan")));
  EXPECT_FALSE(RateLimitBucketOf(JiraDcBucket("100", "37", "10", "1e300")));
  EXPECT_FALSE(
      RateLimitBucketOf(JiraDcBucket("99999999999", "37", "10", "1")));
}

TEST(ServerRateLimitOfTest, PagerDutyAnswersGiveTheirWindow) {
  const std::optional<ServerRateLimit> server =
      ServerRateLimitOf(Window("955", "37"));
  ASSERT_TRUE(server.has_value());
  ASSERT_TRUE(std::holds_alternative<RateLimitWindow>(*server));
  EXPECT_EQ(std::get<RateLimitWindow>(*server).remaining, 955);
}

TEST(ServerRateLimitOfTest, JiraDataCenterAnswersGiveTheirBucket) {
  const std::optional<ServerRateLimit> server =
      ServerRateLimitOf(JiraDcBucket("100", "37", "10", "1"));
  ASSERT_TRUE(server.has_value());
  ASSERT_TRUE(std::holds_alternative<RateLimitBucket>(*server));
  EXPECT_EQ(std::get<RateLimitBucket>(*server).remaining, 37);
}

TEST(ServerRateLimitOfTest, JiraCloudAndServiceNowAnswersGiveNothing) {
  HttpHeaders cloud_429;  // what Jira Cloud sends with a 429
  cloud_429.Add("Retry-After", "5");
  cloud_429.Add("X-RateLimit-Limit", "350");
  cloud_429.Add("X-RateLimit-Remaining", "0");
  cloud_429.Add("X-RateLimit-Reset", "2026-11-29T17:05Z");
  cloud_429.Add("X-RateLimit-NearLimit", "true");
  cloud_429.Add("RateLimit-Reason", "jira-burst-based");
  EXPECT_FALSE(ServerRateLimitOf(cloud_429));
  HttpHeaders servicenow;  // a rule's headers: the hour's size, not its use
  servicenow.Add("X-RateLimit-Limit", "1000");
  servicenow.Add("X-RateLimit-Reset", "1795975200");
  servicenow.Add("X-RateLimit-Rule", "0123456789abcdef0123456789abcdef");
  EXPECT_FALSE(ServerRateLimitOf(servicenow));
  EXPECT_FALSE(ServerRateLimitOf(HttpHeaders()));
}

}  // namespace
}  // namespace ferry::http
