#include "tools/servicenow_sim/errors.h"

#include "absl/strings/match.h"

namespace ferry::servicenow_sim {

nlohmann::json ErrorBody(const std::string& message,
                         const std::string& detail) {
  nlohmann::json error = {{"message", message}};
  error["detail"] = detail.empty() ? nlohmann::json() : nlohmann::json(detail);
  return {{"error", error}, {"status", "failure"}};
}

void WriteJsonBody(httplib::Response& res, int status,
                   const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json;charset=UTF-8");
}

void WriteError(httplib::Response& res, int status, const std::string& message,
                const std::string& detail) {
  WriteJsonBody(res, status, ErrorBody(message, detail));
}

void WriteNoRecord(httplib::Response& res) {
  WriteError(res, 404, "No Record found",
             "Record doesn't exist or ACL restricts the record retrieval");
}

void WriteStatus(httplib::Response& res, const absl::Status& status) {
  const std::string message(status.message());
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      if (absl::StartsWith(message, "Invalid table")) {
        WriteError(res, 400, message, "");
      } else {
        WriteNoRecord(res);
      }
      return;
    case absl::StatusCode::kInvalidArgument:
      WriteError(res, 400, message, "");
      return;
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kAlreadyExists:
      WriteError(res, 403, "Operation Failed", message);
      return;
    default:
      WriteError(res, 500, message, "");
  }
}

}  // namespace ferry::servicenow_sim
