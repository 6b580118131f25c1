#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ferry::http {

// The one place where HTTP outcomes become absl::Status codes:
//   400, 413, 422 -> INVALID_ARGUMENT   (retrying the same request fails)
//   401           -> UNAUTHENTICATED    (token missing, wrong or revoked)
//   402, 412      -> FAILED_PRECONDITION (account lacks a feature; stale)
//   403           -> PERMISSION_DENIED  (token valid, role too weak)
//   404, 410      -> NOT_FOUND
//   408           -> DEADLINE_EXCEEDED
//   409           -> ABORTED            (conflicting concurrent change)
//   429           -> RESOURCE_EXHAUSTED (rate limit outlasted the retries)
//   5xx           -> UNAVAILABLE
//   anything else that is not 2xx -> UNKNOWN
absl::StatusCode StatusCodeForHttp(int http_status);

// The Status for a final non-2xx response: the code above and a message
//   "<context>: HTTP <status> after <n> attempts: <body>"
// where the body (the end system's own words) is cut to 1,000 bytes. The
// HTTP status and the whole body are attached as payloads (see below).
// `context` and `body` must already be free of secrets.
absl::Status StatusFromHttpResponse(int http_status, absl::string_view body,
                                    absl::string_view context, int attempts);

// The HTTP status attached by StatusFromHttpResponse, if any.
std::optional<int> HttpStatusOf(const absl::Status& status);

// The response body attached by StatusFromHttpResponse, if any, for callers
// that parse the end system's error object (PagerDuty's error.code, Jira's
// errorMessages).
std::optional<std::string> HttpErrorBodyOf(const absl::Status& status);

}  // namespace ferry::http
