#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"

namespace ferry::jira_sim {

// Jira answers errors as {"errorMessages": [...], "errors": {field: msg}}.
// Inside the simulator an error is an absl::Status: its message becomes the
// one entry of errorMessages (when not empty) and per-field messages ride in
// a payload. The status code picks the HTTP status (see HttpStatusFor).

// An InvalidArgument status whose body is {"errorMessages": [],
// "errors": {field: message, ...}}. `errors` must not be empty.
absl::Status FieldErrors(const std::map<std::string, std::string>& errors);

// The Jira error body for `status` (which must not be OK).
nlohmann::json ErrorBody(const absl::Status& status);

// HTTP status for a Status code: InvalidArgument 400, Unauthenticated 401,
// PermissionDenied 403, NotFound 404, FailedPrecondition 409 (conflict),
// OutOfRange 413 (per-issue limits), ResourceExhausted 429, Unimplemented
// 501, anything else 500.
int HttpStatusFor(const absl::Status& status);

}  // namespace ferry::jira_sim
