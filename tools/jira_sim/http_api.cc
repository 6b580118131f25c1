#include "tools/jira_sim/http_api.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/jira_sim/errors.h"

namespace ferry::jira_sim {

std::string Call::Param(const std::string& name) const {
  std::vector<std::string> values;
  auto range = request->params.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) {
    values.push_back(it->second);
  }
  return absl::StrJoin(values, ",");
}

bool Call::HasParam(const std::string& name) const {
  return request->has_param(name.c_str());
}

absl::StatusOr<int> Call::IntParam(const std::string& name,
                                   int fallback) const {
  if (!HasParam(name)) return fallback;
  int value = 0;
  std::string text = Param(name);
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "The value '", text, "' of parameter '", name,
        "' is not a number; give an integer."));
  }
  return value;
}

absl::StatusOr<nlohmann::json> Call::JsonBody() const {
  nlohmann::json body = nlohmann::json::parse(request->body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return absl::InvalidArgumentError(
        "The request body must be a JSON object (Content-Type: "
        "application/json).");
  }
  return body;
}

Reply Reply::Json(int status, nlohmann::json body) {
  Reply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

Reply Reply::NoContent() { return Json(204, nullptr); }

Reply Reply::Error(const absl::Status& status) {
  return Json(HttpStatusFor(status), ErrorBody(status));
}

void Router::Add(const std::string& method, const std::string& pattern,
                 Handler handler) {
  routes_.push_back({method, std::regex(pattern), std::move(handler)});
}

Reply Router::Dispatch(Call& call) const {
  for (const Route& route : routes_) {
    std::smatch match;
    if (route.method != call.method ||
        !std::regex_match(call.path, match, route.pattern)) {
      continue;
    }
    call.args.clear();
    for (size_t i = 1; i < match.size(); ++i) call.args.push_back(match[i]);
    return route.handler(call);
  }
  return Reply::Json(404, ErrorBody(absl::NotFoundError(absl::StrCat(
                              "No REST resource answers ", call.method, " ",
                              call.path, " in this Jira."))));
}

void WriteReply(const Reply& reply, httplib::Response& res) {
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  if (reply.status == 204 && reply.body.is_null()) return;
  res.set_content(reply.body.dump(), "application/json;charset=UTF-8");
}

}  // namespace ferry::jira_sim
