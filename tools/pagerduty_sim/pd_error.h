#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "httplib.h"

namespace ferry::pagerduty_sim {

// PagerDuty error codes used by the simulator (PagerDuty REST API reference: Errors, "Error Codes").
inline constexpr int kCodeIncidentAlreadyResolved = 1001;
inline constexpr int kCodeInvalidStatus = 1003;
inline constexpr int kCodeAssignedUserNotFound = 1007;
inline constexpr int kCodeRequesterNotFound = 1008;
inline constexpr int kCodeEscalationPolicyNotFound = 1014;
inline constexpr int kCodeIncidentAlreadyMerged = 1019;
inline constexpr int kCodeInvalidPriority = 1020;
inline constexpr int kCodeMalformedFrom = 1028;
inline constexpr int kCodeInvalidInput = 2001;
inline constexpr int kCodeMissingArguments = 2003;
inline constexpr int kCodeInvalidTime = 2004;
inline constexpr int kCodeInvalidDateRange = 2005;
inline constexpr int kCodeAuthenticationFailed = 2006;
inline constexpr int kCodeAccessDenied = 2010;
inline constexpr int kCodeMissingAbility = 2014;
inline constexpr int kCodeRateLimited = 2020;
inline constexpr int kCodeNotFound = 2100;

// An absl::Status that carries a PagerDuty error: the HTTP status, the
// PagerDuty code, the message and the `errors` details. The status code is
// derived from the HTTP status so callers can also test it the absl way.
absl::Status PdError(int http_status, int code, const std::string& message,
                     std::vector<std::string> errors = {});

// Shorthands for the common shapes.
absl::Status InvalidInput(const std::string& detail);  // 400 / 2001
absl::Status NotFound(const std::string& what);        // 404 / 2100
absl::Status AccessDenied(const std::string& detail);  // 403 / 2010

// Writes `status` as {"error":{"message","code","errors"}} with its HTTP
// status. A status without PagerDuty payloads becomes 500 / 2000.
void WritePdError(httplib::Response& res, const absl::Status& status);

// Writes a JSON body with Content-Type "application/json; charset=utf-8".
void WritePdJson(httplib::Response& res, int http_status,
                 const std::string& body);

}  // namespace ferry::pagerduty_sim
