#pragma once

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "connectors/http/http_message.h"

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

// Receives one HttpAttempt per exchange, on the thread that called
// HttpClient::Send, after the exchange and before any backoff. Must be
// thread-safe and quick: it runs inside every request.
class HttpObserver {
 public:
  virtual ~HttpObserver() = default;
  virtual void OnAttempt(const HttpAttempt& attempt) = 0;
};

}  // namespace ferry::http
