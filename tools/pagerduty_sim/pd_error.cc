#include "tools/pagerduty_sim/pd_error.h"

#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace ferry::pagerduty_sim {
namespace {

constexpr char kHttpPayload[] = "pd.http_status";
constexpr char kCodePayload[] = "pd.code";
constexpr char kErrorsPayload[] = "pd.errors";

absl::StatusCode CodeFor(int http_status) {
  switch (http_status) {
    case 400: return absl::StatusCode::kInvalidArgument;
    case 401: return absl::StatusCode::kUnauthenticated;
    case 402: return absl::StatusCode::kFailedPrecondition;
    case 403: return absl::StatusCode::kPermissionDenied;
    case 404: return absl::StatusCode::kNotFound;
    case 413: return absl::StatusCode::kOutOfRange;
    case 429: return absl::StatusCode::kResourceExhausted;
    default: return absl::StatusCode::kInternal;
  }
}

std::optional<int> IntPayload(const absl::Status& status, const char* key) {
  auto payload = status.GetPayload(key);
  int value = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

absl::Status PdError(int http_status, int code, const std::string& message,
                     std::vector<std::string> errors) {
  absl::Status status(CodeFor(http_status), message);
  status.SetPayload(kHttpPayload, absl::Cord(absl::StrCat(http_status)));
  status.SetPayload(kCodePayload, absl::Cord(absl::StrCat(code)));
  if (!errors.empty()) {
    status.SetPayload(kErrorsPayload, absl::Cord(nlohmann::json(errors).dump()));
  }
  return status;
}

absl::Status InvalidInput(const std::string& detail) {
  return PdError(400, kCodeInvalidInput, "Invalid Input Provided", {detail});
}

absl::Status NotFound(const std::string& what) {
  return PdError(404, kCodeNotFound, "Not Found", {what});
}

absl::Status AccessDenied(const std::string& detail) {
  return PdError(403, kCodeAccessDenied, "Access Denied", {detail});
}

void WritePdJson(httplib::Response& res, int http_status,
                 const std::string& body) {
  res.status = http_status;
  res.set_content(body, "application/json; charset=utf-8");
}

void WritePdError(httplib::Response& res, const absl::Status& status) {
  const int http = IntPayload(status, kHttpPayload).value_or(500);
  const int code = IntPayload(status, kCodePayload).value_or(2000);
  nlohmann::json error = {{"message", std::string(status.message())},
                          {"code", code}};
  if (auto errors = status.GetPayload(kErrorsPayload)) {
    error["errors"] = nlohmann::json::parse(std::string(*errors));
  } else {
    error["errors"] = nlohmann::json::array();
  }
  if (!IntPayload(status, kHttpPayload)) {
    error["message"] = "Internal Server Error";
    error["errors"] = {std::string(status.message())};
  }
  WritePdJson(res, http, nlohmann::json{{"error", error}}.dump());
}

}  // namespace ferry::pagerduty_sim
