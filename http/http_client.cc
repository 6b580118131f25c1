#include "http/http_client.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "http/http_status.h"
#include "http/rate_limit_headers.h"
#include "spdlog/spdlog.h"

namespace ferry::http {
namespace {

std::vector<std::string> SecretsOf(const HttpClientOptions& options) {
  std::vector<std::string> secrets = options.secrets;
  secrets.push_back(options.authorization);
  return secrets;
}

absl::Status ValidateOptions(const HttpClientOptions& options) {
  if (options.system.empty()) {
    return absl::InvalidArgumentError(
        "HttpClientOptions.system is empty; name the end system, e.g. "
        "\"pagerduty\"");
  }
  const RetryPolicy& retry = options.retry;
  if (retry.max_attempts < 1 || retry.initial_backoff <= absl::ZeroDuration() ||
      retry.max_backoff < retry.initial_backoff ||
      retry.max_total_time <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        options.system, ": retry policy needs max_attempts >= 1 (got ",
        retry.max_attempts, "), initial_backoff > 0 (got ",
        absl::FormatDuration(retry.initial_backoff),
        "), max_backoff >= initial_backoff (got ",
        absl::FormatDuration(retry.max_backoff),
        ") and max_total_time > 0 (got ",
        absl::FormatDuration(retry.max_total_time), ")"));
  }
  const TransportOptions& transport = options.transport;
  if (transport.connect_timeout <= absl::ZeroDuration() ||
      transport.request_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        options.system, ": connect_timeout (",
        absl::FormatDuration(transport.connect_timeout),
        ") and request_timeout (",
        absl::FormatDuration(transport.request_timeout), ") must be positive"));
  }
  if (transport.max_idle_handles < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        options.system, ": max_idle_handles is ", transport.max_idle_handles,
        "; keep at least 1 idle handle, or no connection is ever reused"));
  }
  if (!transport.ca_bundle_path.empty() &&
      !std::ifstream(transport.ca_bundle_path).good()) {
    return absl::InvalidArgumentError(absl::StrCat(
        options.system, ": CA bundle ", transport.ca_bundle_path,
        " cannot be read; point ca_bundle_path at a readable PEM file or "
        "leave it empty to use the system store"));
  }
  return absl::OkStatus();
}

bool IsRetryableTransportError(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable ||
         status.code() == absl::StatusCode::kDeadlineExceeded;
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpClient>> HttpClient::Create(
    HttpClientOptions options) {
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) {
    return valid;
  }
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(options)));
}

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? *options_.clock : RealClock()),
      random_(options_.random ? options_.random : DefaultUniformRandom()),
      redactor_(SecretsOf(options_)),
      transport_(options_.transport) {}

absl::StatusOr<HttpResponse> HttpClient::Send(const HttpRequest& request) {
  const bool may_repeat =
      request.idempotent || IsIdempotentMethod(request.method);
  const RetryPolicy& policy = options_.retry;
  const absl::Time start = clock_.Now();

  for (int attempt = 1;; ++attempt) {
    if (options_.budget != nullptr) options_.budget->Acquire(request.priority);
    const absl::Time sent = clock_.Now();
    absl::StatusOr<HttpResponse> result =
        transport_.Perform(request, options_.authorization);
    const absl::Time now = clock_.Now();
    const int status_code = result.ok() ? result->status_code : 0;
    if (options_.budget != nullptr) {
      options_.budget->Answered(result.ok() ? ServerRateLimitOf(result->headers)
                                            : std::nullopt);
    }

    if (result.ok() && status_code >= 200 && status_code <= 299) {
      Report(request, status_code, now - sent, attempt, /*will_retry=*/false);
      return result;
    }

    const bool rate_limited = status_code == 429;
    const bool retryable =
        rate_limited ||
        (may_repeat &&
         (result.ok() ? IsRetryableHttpStatus(status_code)
                      : IsRetryableTransportError(result.status())));
    std::optional<absl::Duration> server_delay;
    if (result.ok()) {
      server_delay = rate_limited ? RateLimitDelay(result->headers, now)
                                  : RetryAfterDelay(result->headers, now);
    }
    // The server's ask wins when longer; the backoff floor keeps a
    // "ratelimit-reset: 0" from turning into a tight loop of 429s.
    const absl::Duration wait =
        std::max(server_delay.value_or(absl::ZeroDuration()),
                 BackoffDelay(policy, attempt, random_()));
    const bool attempts_left = attempt < policy.max_attempts;
    const bool time_left = (now + wait) - start <= policy.max_total_time;
    const bool will_retry = retryable && attempts_left && time_left;
    Report(request, status_code, now - sent, attempt, will_retry);

    if (!will_retry) {
      const bool out_of_time = retryable && attempts_left;
      return FinalError(
          request, result, attempt,
          out_of_time ? std::optional<absl::Duration>(wait) : std::nullopt);
    }
    if (rate_limited && server_delay && options_.budget != nullptr) {
      options_.budget->PauseFor(*server_delay);
    }
    spdlog::warn("{}: {}; retry {} of {} in {}", Context(request),
                 result.ok() ? absl::StrCat("HTTP ", status_code)
                             : redactor_.Scrub(result.status().message()),
                 attempt, policy.max_attempts - 1, absl::FormatDuration(wait));
    clock_.SleepFor(wait);
  }
}

std::string HttpClient::Context(const HttpRequest& request) const {
  return redactor_.Scrub(absl::StrCat(
      options_.system, " ", HttpMethodName(request.method), " ", request.url));
}

absl::Status HttpClient::FinalError(
    const HttpRequest& request, const absl::StatusOr<HttpResponse>& result,
    int attempts, std::optional<absl::Duration> refused_wait) const {
  std::string where = Context(request);
  if (refused_wait) {
    absl::StrAppend(&where, " (gave up: the next wait of ",
                    absl::FormatDuration(*refused_wait),
                    " would pass the retry time limit of ",
                    absl::FormatDuration(options_.retry.max_total_time), ")");
  }
  if (result.ok()) {
    return StatusFromHttpResponse(
        result->status_code, redactor_.Scrub(result->body), where, attempts);
  }
  std::string message =
      absl::StrCat(where, ": ", redactor_.Scrub(result.status().message()));
  if (attempts > 1)
    absl::StrAppend(&message, " (after ", attempts, " attempts)");
  return absl::Status(result.status().code(), message);
}

void HttpClient::Report(const HttpRequest& request, int status_code,
                        absl::Duration duration, int attempt,
                        bool will_retry) const {
  if (options_.observer == nullptr) return;
  HttpAttempt record;
  record.system = options_.system;
  record.method = request.method;
  record.status_code = status_code;
  record.duration = duration;
  record.attempt = attempt;
  record.rate_limited = status_code == 429;
  record.will_retry = will_retry;
  options_.observer->OnAttempt(record);
}

}  // namespace ferry::http
