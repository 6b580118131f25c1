#pragma once

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "http/http_message.h"

namespace ferry::http {

// What the client reports about each HTTP exchange it attempts, so the
// engine can count API calls, latency, retries and 429s per system. Holds
// no URL, header or body, so no secret and no unbounded label can leak into
// metrics.
struct HttpAttempt {
  // The system name from HttpClientOptions, e.g. "pagerduty".
  absl::string_view system;
  HttpMethod method = HttpMethod::kGet;
  // The response status, or 0 when no response arrived (connection failure,
  // timeout).
  int status_code = 0;
  // From just before the request was sent to the end of the response;
  // budget waits and backoff sleeps are not included.
  absl::Duration duration;
  // 1 for the first attempt of a request, 2 for its first retry, ...
  int attempt = 1;
  // The end system refused the request for its rate limit (HTTP 429).
  bool rate_limited = false;
  // The client will send the request again after this attempt.
  bool will_retry = false;
};

// What a webhook receiver reports about each delivery it answers: the
// system it serves and what became of the delivery. Holds no body, header
// or sender address.
struct WebhookDelivery {
  // The configured system's name, e.g. "pd-prod".
  absl::string_view system;
  // "accepted" (a new, correctly signed delivery: the reader is woken),
  // "duplicate" (a redelivery, answered and ignored) or "rejected" (a
  // missing or wrong signature).
  absl::string_view outcome;
};

// Receives one HttpAttempt per exchange, on the thread that called
// HttpClient::Send, after the exchange and before any backoff; and one
// WebhookDelivery per webhook a connector's receiver answers, on the
// thread answering it. Must be thread-safe and quick: it runs inside every
// request.
class HttpObserver {
 public:
  virtual ~HttpObserver() = default;
  virtual void OnAttempt(const HttpAttempt& attempt) = 0;
  // Only observers that count webhooks need it.
  virtual void OnWebhookDelivery(const WebhookDelivery& delivery) {}
};

}  // namespace ferry::http
