#pragma once

#include <string>

#include "absl/status/status.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace ferry::servicenow_sim {

// ServiceNow's error body: {"error":{"message","detail"},"status":"failure"}
// (`detail` null when empty, as for "Invalid table x").
nlohmann::json ErrorBody(const std::string& message, const std::string& detail);

// Writes an error response with that body.
void WriteError(httplib::Response& res, int status, const std::string& message,
                const std::string& detail);

// Writes the response for a failed store or rules call:
//   NOT_FOUND "Invalid table x"  → 400 {"Invalid table x", null}
//   NOT_FOUND (a row)            → 404 {"No Record found", "Record doesn't
//                                   exist or ACL restricts the record retrieval"}
//   INVALID_ARGUMENT             → 400 {message, ""}
//   PERMISSION_DENIED            → 403 {"Operation Failed", message}
//   ALREADY_EXISTS               → 403 {"Operation Failed", message}
//   anything else                → 500 {message, ""}
void WriteStatus(httplib::Response& res, const absl::Status& status);

// The 404 of a row that does not exist or may not be read.
void WriteNoRecord(httplib::Response& res);

// Writes `body` as JSON with `status`.
void WriteJsonBody(httplib::Response& res, int status, const nlohmann::json& body);

}  // namespace ferry::servicenow_sim
