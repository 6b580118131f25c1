#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "http/clock.h"
#include "http/curl_transport.h"
#include "http/http_message.h"
#include "http/http_observer.h"
#include "http/redactor.h"
#include "http/retry_policy.h"
#include "http/token_bucket.h"

namespace ferry::http {

// Everything an HttpClient needs to talk to one end system with one
// credential.
struct HttpClientOptions {
  // Names the end system in messages and metrics, e.g. "pagerduty".
  std::string system;
  // The whole Authorization header value ("Token token=...", "Bearer ...",
  // "Basic ..."), sent on every request; empty sends none. It is a secret:
  // the client's Redactor knows it.
  std::string authorization;
  // Further secrets to keep out of every message (the raw token when
  // `authorization` wraps it, a webhook signing secret, ...).
  std::vector<std::string> secrets;
  TransportOptions transport;
  RetryPolicy retry;
  // The credential's shared budget (CredentialBudgets::ForCredential); one
  // token is spent per attempt, retries included, and what every answer's
  // rate-limit headers say of the allowance (ServerRateLimitOf: PagerDuty's
  // window, Jira Data Center's bucket) is passed back to it (see
  // TokenBucket::Answered). Null: no budget.
  std::shared_ptr<TokenBucket> budget;
  // Told about every attempt; may be null. Must outlive the client.
  HttpObserver* observer = nullptr;
  // Time and waiting; null means RealClock(). Must outlive the client.
  Clock* clock = nullptr;
  // Jitter for backoff; empty means DefaultUniformRandom().
  UniformRandom random;
};

// The HTTPS client every Ferry connector uses: one instance per end system
// and credential.
//
// Send() returns 2xx responses and turns everything else into an
// absl::Status once, here (see http_status.h for the codes):
//   - 408, 5xx and network failures are retried with exponential backoff
//     and full jitter (or the server's Retry-After when longer), within
//     RetryPolicy's attempts and total time; then UNAVAILABLE (5xx,
//     network) or DEADLINE_EXCEEDED (timeouts, 408).
//   - 429 waits what the end system asks for (ratelimit-reset, Retry-After
//     or X-RateLimit-Reset; never less than the backoff), pauses the
//     credential's whole budget for that long, and retries; then
//     RESOURCE_EXHAUSTED. A 429 is retried for every method: the end system
//     refused the request before acting on it.
//   - POST and PATCH are sent once (no retry on 408, 5xx or network errors)
//     unless HttpRequest::idempotent is set: the first attempt may have been
//     applied before the failure, and a retried create would duplicate it.
//   - Other statuses fail at once: 400/422 INVALID_ARGUMENT, 401
//     UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND, ...; a refused
//     TLS certificate is FAILED_PRECONDITION, also without retry.
// Every error message names the system, method and URL, the HTTP status
// and the end system's own error text (cut to 1,000 bytes; the whole body
// is attached, see HttpErrorBodyOf), and has passed through the Redactor:
// no token appears in any message, log line or metric the client produces.
// Retries are logged with spdlog at warning level.
//
// Thread-safe: any number of threads may call Send() at once; each uses its
// own pooled connection (see CurlTransport).
//
// Example:
//   HttpClientOptions options;
//   options.system = "pagerduty";
//   options.authorization = "Token token=" + token;
//   options.secrets = {token};
//   options.budget = *budgets.ForCredential("env:PD_TOKEN", {16, 16});
//   auto client = HttpClient::Create(std::move(options));
//   HttpRequest request;
//   request.url = "https://api.pagerduty.com/incidents?limit=100";
//   request.headers.Add("Accept", "application/vnd.pagerduty+json;version=2");
//   absl::StatusOr<HttpResponse> response = (*client)->Send(request);
class HttpClient {
 public:
  // Fails with INVALID_ARGUMENT when `system` is empty, retry settings or
  // timeouts are not positive, `transport.max_idle_handles` is below 1, or
  // `transport.ca_bundle_path` is set but not a readable file (the message
  // names the setting, its value and the fix).
  static absl::StatusOr<std::unique_ptr<HttpClient>> Create(
      HttpClientOptions options);

  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` (with retries as above) and returns the 2xx response.
  // Blocks for budget waits, backoff and the exchanges themselves.
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request);

  // Scrubs this client's secrets; connectors use it for their own log lines
  // about this system.
  const Redactor& redactor() const { return redactor_; }

 private:
  explicit HttpClient(HttpClientOptions options);

  // "<system> <METHOD> <url>", scrubbed: the URL may carry a secret.
  std::string Context(const HttpRequest& request) const;

  // The Status for the last attempt's outcome; `refused_wait` is the wait
  // that would have passed RetryPolicy::max_total_time, if that is why the
  // client stopped.
  absl::Status FinalError(const HttpRequest& request,
                          const absl::StatusOr<HttpResponse>& result,
                          int attempts,
                          std::optional<absl::Duration> refused_wait) const;

  void Report(const HttpRequest& request, int status_code,
              absl::Duration duration, int attempt, bool will_retry) const;

  const HttpClientOptions options_;
  Clock& clock_;
  const UniformRandom random_;
  const Redactor redactor_;
  CurlTransport transport_;
};

}  // namespace ferry::http
