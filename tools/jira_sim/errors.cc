#include "tools/jira_sim/errors.h"


#include "absl/strings/cord.h"

namespace ferry::jira_sim {
namespace {

constexpr char kFieldErrorsUrl[] = "type.ferry.dev/jira_sim.FieldErrors";

}  // namespace

absl::Status FieldErrors(const std::map<std::string, std::string>& errors) {
  absl::Status status(absl::StatusCode::kInvalidArgument, "");
  nlohmann::json body = errors;
  status.SetPayload(kFieldErrorsUrl, absl::Cord(body.dump()));
  return status;
}

nlohmann::json ErrorBody(const absl::Status& status) {
  nlohmann::json messages = nlohmann::json::array();
  if (!status.message().empty()) {
    messages.push_back(std::string(status.message()));
  }
  nlohmann::json errors = nlohmann::json::object();
  auto payload = status.GetPayload(kFieldErrorsUrl);
  if (payload) errors = nlohmann::json::parse(std::string(*payload));
  return {{"errorMessages", messages}, {"errors", errors}};
}

int HttpStatusFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument: return 400;
    case absl::StatusCode::kUnauthenticated: return 401;
    case absl::StatusCode::kPermissionDenied: return 403;
    case absl::StatusCode::kNotFound: return 404;
    case absl::StatusCode::kFailedPrecondition: return 409;
    case absl::StatusCode::kOutOfRange: return 413;
    case absl::StatusCode::kResourceExhausted: return 429;
    case absl::StatusCode::kUnimplemented: return 501;
    default: return 500;
  }
}

}  // namespace ferry::jira_sim
