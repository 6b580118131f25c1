#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "http/http_observer.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace ferry::engine {

// Counts the connectors' HTTP exchanges for Prometheus:
//   ferry_api_requests_total{system,code}          counter
//   ferry_api_request_duration_seconds{system}     histogram
//   ferry_api_rate_limited_total{system}           counter (HTTP 429)
//   ferry_api_retries_total{system}                counter (attempts > 1)
//   ferry_webhook_deliveries_total{system,outcome} counter (webhooks
//       received: accepted, duplicate, rejected)
// `system` is the configured system's name (HttpClientOptions.system, e.g.
// "pd-prod"), so two accounts of one kind are told apart; `code` is the
// HTTP status ("200", "429", ...) or "network" when no response arrived
// (connection refused, timeout, TLS failure).
// Every attempt counts, retries included, so the request counter is what
// the end system saw.
//
// Give it to the connectors as their HttpObserver and register registry()
// with the /metrics exposer. Counts live as long as the object, so one
// instance per process keeps them across config reloads.
//
// Thread-safe; OnAttempt takes a short lock to find the series and then
// only updates atomics.
class HttpMetrics : public ferry::http::HttpObserver {
 public:
  HttpMetrics();

  void OnAttempt(const ferry::http::HttpAttempt& attempt) override;
  void OnWebhookDelivery(const ferry::http::WebhookDelivery& delivery) override;

  // What to register with a prometheus::Exposer (it keeps a weak pointer).
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

 private:
  // One system's series, made on its first attempt.
  struct SystemSeries {
    prometheus::Histogram* duration;
    prometheus::Counter* rate_limited;
    prometheus::Counter* retries;
    std::map<int, prometheus::Counter*> requests_by_status;
  };

  // The series of `system` and its counter for `status_code`.
  prometheus::Counter* RequestCounter(SystemSeries& series,
                                      const std::string& system,
                                      int status_code)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Counter>& rate_limited_;
  prometheus::Family<prometheus::Counter>& retries_;
  prometheus::Family<prometheus::Counter>& webhook_deliveries_;

  absl::Mutex mutex_;
  std::map<std::string, SystemSeries, std::less<>> systems_
      ABSL_GUARDED_BY(mutex_);
  // By (system, outcome).
  std::map<std::pair<std::string, std::string>, prometheus::Counter*>
      deliveries_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace ferry::engine
