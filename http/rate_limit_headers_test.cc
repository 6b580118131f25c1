#include "http/rate_limit_headers.h"

#include <optional>

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

}  // namespace
}  // namespace ferry::http
