#pragma once

#include <optional>
#include <variant>

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

// What the rate-evaluated answers of each end system drive (read once here,
// at the edge; the credential's TokenBucket acts on the result):
//
//   PagerDuty           a fixed window: `ratelimit-remaining` requests until
//                       `ratelimit-reset` seconds from now (RateLimitWindow).
//   Jira Data Center    a token bucket the server refills continuously:
//                       `X-RateLimit-Remaining` tokens now, at most
//                       `X-RateLimit-Limit`, and `X-RateLimit-FillRate` more
//                       every `X-RateLimit-Interval-Seconds` (RateLimitBucket).
//   Jira Cloud          nothing: its limits are cost-based and unpublished,
//                       and its `X-RateLimit-Remaining` /
//                       `X-RateLimit-NearLimit` say neither how fast the
//                       allowance comes back nor what a request costs. The
//                       budget paces at the configured rate and honours 429s.
//   ServiceNow          nothing: `X-RateLimit-Limit` (requests an hour) and
//                       `X-RateLimit-Reset` (the hour's end) say how big the
//                       hour is, not how much of it is spent (by this user's
//                       other clients, or before this process started), and
//                       the instance commits its counts only every 30 s. To
//                       spend `limit` at once could overdraw the hour, and a
//                       429 then closes the credential until the hour ends;
//                       the budget paces at the configured rate instead (set
//                       requests_per_minute to at most limit / 60).
//
// Garbled or partial headers give nothing, never an error: the budget then
// keeps its steady pace. All functions here are thread-safe.

// PagerDuty's fixed window: `remaining` more requests may be made in the
// next `reset`, when the window starts again whole.
struct RateLimitWindow {
  int remaining = 0;
  absl::Duration reset;
};

// `ratelimit-remaining` (a whole number of requests) and `ratelimit-reset`
// (seconds until the window resets), sent on every rate-evaluated answer,
// 2xx or 429. Nullopt unless both are present and parse as non-negative
// numbers (the reset at most a day).
std::optional<RateLimitWindow> RateLimitWindowOf(const HttpHeaders& headers);

// Jira Data Center's continuously refilled bucket: `remaining` whole tokens
// were left when the answer was made, the bucket holds at most `capacity`,
// and it gains `per_second` tokens a second (a fraction of a token carries
// over). The server sends no reset: a spent bucket is usable again token by
// token, not after a window.
struct RateLimitBucket {
  int remaining = 0;
  int capacity = 0;
  double per_second = 0;
};

// `X-RateLimit-Limit` (whole, >= 1), `X-RateLimit-Remaining` (whole, >= 0;
// more than the limit is read as the limit), `X-RateLimit-FillRate` and
// `X-RateLimit-Interval-Seconds` (numbers > 0; the interval at most a day),
// sent by Jira Data Center on every answer to a rate-limited call, 2xx or
// 429. Nullopt unless all four are present and parse; Jira Cloud, which
// sends the first two only, gives nullopt.
std::optional<RateLimitBucket> RateLimitBucketOf(const HttpHeaders& headers);

// The end system's own model of the credential's allowance.
using ServerRateLimit = std::variant<RateLimitWindow, RateLimitBucket>;

// Whichever model an answer carries: PagerDuty's window, else Jira Data
// Center's bucket, else nullopt (see the table above).
std::optional<ServerRateLimit> ServerRateLimitOf(const HttpHeaders& headers);

// How long a 408 or 5xx response asks the client to wait: `Retry-After`
// only. `ratelimit-reset` is ignored here because PagerDuty sends it on
// every response, where it means the quota window, not a retry hint.
std::optional<absl::Duration> RetryAfterDelay(const HttpHeaders& headers,
                                              absl::Time now);

}  // namespace ferry::http
