#include "engine/metrics/http_metrics.h"

namespace ferry::engine {
namespace {

// From a quick API read to a slow search or a timed-out request.
const prometheus::Histogram::BucketBoundaries& DurationBuckets() {
  static const auto* const kBuckets = new prometheus::Histogram::BucketBoundaries{
      0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  return *kBuckets;
}

}  // namespace

HttpMetrics::HttpMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("ferry_api_requests_total")
                    .Help("HTTP requests sent to end systems, retries included, "
                          "by status code (\"network\": no response).")
                    .Register(*registry_)),
      duration_(prometheus::BuildHistogram()
                    .Name("ferry_api_request_duration_seconds")
                    .Help("Time from sending an HTTP request to an end system "
                          "to the end of its response.")
                    .Register(*registry_)),
      rate_limited_(prometheus::BuildCounter()
                        .Name("ferry_api_rate_limited_total")
                        .Help("HTTP requests an end system refused for its rate "
                              "limit (429).")
                        .Register(*registry_)),
      retries_(prometheus::BuildCounter()
                   .Name("ferry_api_retries_total")
                   .Help("HTTP requests sent again after a failed attempt.")
                   .Register(*registry_)),
      webhook_deliveries_(
          prometheus::BuildCounter()
              .Name("ferry_webhook_deliveries_total")
              .Help("Webhooks received from end systems, by outcome "
                    "(accepted, duplicate, rejected: a bad signature).")
              .Register(*registry_)) {}

void HttpMetrics::OnAttempt(const ferry::http::HttpAttempt& attempt) {
  prometheus::Counter* requests;
  SystemSeries* series;
  {
    absl::MutexLock lock(&mutex_);
    auto it = systems_.find(attempt.system);
    if (it == systems_.end()) {
      const std::string system(attempt.system);
      const prometheus::Labels labels = {{"system", system}};
      it = systems_
               .emplace(system,
                        SystemSeries{&duration_.Add(labels, DurationBuckets()),
                                     &rate_limited_.Add(labels),
                                     &retries_.Add(labels), {}})
               .first;
    }
    series = &it->second;
    requests = RequestCounter(*series, it->first, attempt.status_code);
  }
  // Series are never removed, so the pointers stay valid unlocked.
  requests->Increment();
  series->duration->Observe(absl::ToDoubleSeconds(attempt.duration));
  if (attempt.rate_limited) series->rate_limited->Increment();
  if (attempt.attempt > 1) series->retries->Increment();
}

void HttpMetrics::OnWebhookDelivery(
    const ferry::http::WebhookDelivery& delivery) {
  prometheus::Counter* counter;
  {
    absl::MutexLock lock(&mutex_);
    auto key = std::make_pair(std::string(delivery.system),
                              std::string(delivery.outcome));
    auto it = deliveries_.find(key);
    if (it == deliveries_.end()) {
      prometheus::Counter* added = &webhook_deliveries_.Add(
          {{"system", key.first}, {"outcome", key.second}});
      it = deliveries_.emplace(std::move(key), added).first;
    }
    counter = it->second;
  }
  counter->Increment();
}

prometheus::Counter* HttpMetrics::RequestCounter(SystemSeries& series,
                                                 const std::string& system,
                                                 int status_code) {
  auto it = series.requests_by_status.find(status_code);
  if (it != series.requests_by_status.end()) return it->second;
  const std::string code =
      status_code == 0 ? "network" : std::to_string(status_code);
  prometheus::Counter* counter =
      &requests_.Add({{"system", system}, {"code", code}});
  series.requests_by_status.emplace(status_code, counter);
  return counter;
}

}  // namespace ferry::engine
