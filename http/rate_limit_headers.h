#pragma once

#include <optional>

#include "absl/time/time.h"
#include "http/http_message.h"

namespace ferry::http {

// How long a 429 response asks the client to wait, from the first of these
// headers that parses (negative waits become zero):
//   1. `ratelimit-reset`: seconds until the window resets (PagerDuty).
//   2. `Retry-After`: delta-seconds or an HTTP-date (RFC 9110, section 10.2.3;
//      Jira, ServiceNow).
//   3. `X-RateLimit-Reset`: the reset instant, as ISO 8601
//      (`2026-11-29T17:05Z`, Jira Cloud) or UNIX seconds (ServiceNow).
// Returns nullopt when none is present or parseable (a 429 may come with
// no headers at all); the caller then backs off on its own. Thread-safe.
std::optional<absl::Duration> RateLimitDelay(const HttpHeaders& headers,
                                             absl::Time now);

// What a rate-evaluated answer says is left of the credential's window:
// `remaining` more requests may be made in the next `reset`.
struct RateLimitWindow {
  int remaining = 0;
  absl::Duration reset;
};

// PagerDuty's `ratelimit-remaining` (a whole number of requests) and
// `ratelimit-reset` (seconds until the window resets), sent on every
// rate-evaluated answer, 2xx or 429. Returns nullopt unless both are present
// and parse as non-negative numbers (a header may be absent or garbled; the
// budget then keeps its steady pace). Thread-safe.
std::optional<RateLimitWindow> RateLimitWindowOf(const HttpHeaders& headers);

// How long a 408 or 5xx response asks the client to wait: `Retry-After`
// only. `ratelimit-reset` is ignored here because PagerDuty sends it on
// every response, where it means the quota window, not a retry hint.
std::optional<absl::Duration> RetryAfterDelay(const HttpHeaders& headers,
                                              absl::Time now);

}  // namespace ferry::http
