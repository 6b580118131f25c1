#include "engine/metrics/http_metrics.h"

#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/text_serializer.h"

namespace ferry::engine {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Scrape(const HttpMetrics& metrics) {
  return prometheus::TextSerializer().Serialize(metrics.registry()->Collect());
}

ferry::http::HttpAttempt Attempt(absl::string_view system, int status,
                                 absl::Duration duration, int attempt = 1) {
  ferry::http::HttpAttempt record;
  record.system = system;
  record.status_code = status;
  record.duration = duration;
  record.attempt = attempt;
  record.rate_limited = status == 429;
  return record;
}

TEST(HttpMetricsTest, CountsRequestsByStatusAndSystem) {
  HttpMetrics metrics;
  metrics.OnAttempt(Attempt("pagerduty", 200, absl::Milliseconds(20)));
  metrics.OnAttempt(Attempt("pagerduty", 200, absl::Milliseconds(30)));
  metrics.OnAttempt(Attempt("jira", 404, absl::Milliseconds(40)));

  const std::string body = Scrape(metrics);
  EXPECT_THAT(body, HasSubstr(
      "ferry_api_requests_total{code=\"200\",system=\"pagerduty\"} 2"));
  EXPECT_THAT(body, HasSubstr(
      "ferry_api_requests_total{code=\"404\",system=\"jira\"} 1"));
  EXPECT_THAT(body, HasSubstr(
      "ferry_api_request_duration_seconds_count{system=\"pagerduty\"} 2"));
  EXPECT_THAT(body, HasSubstr(
      "ferry_api_request_duration_seconds_sum{system=\"pagerduty\"} 0.05"));
  // 20 ms and 30 ms are both within the 50 ms bucket, neither within 10 ms.
  EXPECT_THAT(body, HasSubstr(
      "ferry_api_request_duration_seconds_bucket{system=\"pagerduty\",le=\"0.05\"} 2"));
  EXPECT_THAT(body, HasSubstr(
      "ferry_api_request_duration_seconds_bucket{system=\"pagerduty\",le=\"0.01\"} 0"));
}

TEST(HttpMetricsTest, NoResponseCountsAsNetwork) {
  HttpMetrics metrics;
  metrics.OnAttempt(Attempt("jira", 0, absl::Seconds(10)));
  const std::string body = Scrape(metrics);
  EXPECT_THAT(body, HasSubstr(
      "ferry_api_requests_total{code=\"network\",system=\"jira\"} 1"));
  EXPECT_THAT(body, Not(HasSubstr("code=\"0\"")));
}

TEST(HttpMetricsTest, CountsWebhookDeliveriesBySystemAndOutcome) {
  HttpMetrics metrics;
  metrics.OnWebhookDelivery({"pd-prod", "accepted"});
  metrics.OnWebhookDelivery({"pd-prod", "accepted"});
  metrics.OnWebhookDelivery({"pd-prod", "rejected"});
  metrics.OnWebhookDelivery({"pd-test", "duplicate"});
  const std::string body = Scrape(metrics);
  EXPECT_THAT(body, HasSubstr(
      "ferry_webhook_deliveries_total{outcome=\"accepted\",system=\"pd-prod\"} 2"));
  EXPECT_THAT(body, HasSubstr(
      "ferry_webhook_deliveries_total{outcome=\"rejected\",system=\"pd-prod\"} 1"));
  EXPECT_THAT(body, HasSubstr(
      "ferry_webhook_deliveries_total{outcome=\"duplicate\",system=\"pd-test\"} 1"));
}

TEST(HttpMetricsTest, CountsRateLimitsAndRetries) {
  HttpMetrics metrics;
  metrics.OnAttempt(Attempt("pagerduty", 429, absl::Milliseconds(5), 1));
  metrics.OnAttempt(Attempt("pagerduty", 429, absl::Milliseconds(5), 2));
  metrics.OnAttempt(Attempt("pagerduty", 200, absl::Milliseconds(5), 3));

  const std::string body = Scrape(metrics);
  EXPECT_THAT(body, HasSubstr(
      "ferry_api_requests_total{code=\"429\",system=\"pagerduty\"} 2"));
  EXPECT_THAT(body, HasSubstr(
      "ferry_api_requests_total{code=\"200\",system=\"pagerduty\"} 1"));
  EXPECT_THAT(body, HasSubstr("ferry_api_rate_limited_total{system=\"pagerduty\"} 2"));
  EXPECT_THAT(body, HasSubstr("ferry_api_retries_total{system=\"pagerduty\"} 2"));
}

TEST(HttpMetricsTest, ConcurrentAttemptsAreAllCounted) {
  HttpMetrics metrics;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 1000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kPerThread; ++i) {
        metrics.OnAttempt(Attempt(t % 2 == 0 ? "a" : "b", 200 + i % 2,
                                  absl::Milliseconds(1)));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const std::string body = Scrape(metrics);
  // Two threads per system, half of each thread's attempts per code.
  EXPECT_THAT(body, HasSubstr("ferry_api_requests_total{code=\"200\",system=\"a\"} 1000"));
  EXPECT_THAT(body, HasSubstr("ferry_api_requests_total{code=\"201\",system=\"b\"} 1000"));
  EXPECT_THAT(body, HasSubstr(
      "ferry_api_request_duration_seconds_count{system=\"a\"} 2000"));
}

}  // namespace
}  // namespace ferry::engine
