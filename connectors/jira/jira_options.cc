#include "connectors/jira/jira_options.h"

#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace ferry::jira {

std::optional<Deployment> ParseDeployment(absl::string_view text, bool* known) {
  *known = true;
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower.empty()) return std::nullopt;
  if (lower == "cloud") return Deployment::kCloud;
  if (lower == "datacenter" || lower == "server") return Deployment::kDataCenter;
  *known = false;
  return std::nullopt;
}

std::vector<config::OptionProblem> CheckJiraOptions(const JiraOptions& options) {
  std::vector<config::OptionProblem> problems;
  bool known = true;
  ParseDeployment(options.deployment(), &known);
  if (!known) {
    problems.push_back({"deployment",
                        absl::StrCat("deployment '", options.deployment(), "' is unknown"),
                        "use cloud or datacenter, or leave it out to detect it"});
  }
  for (const auto& [field, value] : options.transition_fields()) {
    if (value.empty()) {
      problems.push_back({absl::StrCat("transition_fields.", field),
                          absl::StrCat("the value for '", field, "' is empty"),
                          "give the value transitions should post for it, or "
                          "remove the entry"});
    }
  }
  return problems;
}

config::SystemOptionsSpec JiraOptionsSpec() {
  config::SystemOptionsSpec spec;
  spec.prototype = std::make_shared<JiraOptions>();
  spec.check = [](const google::protobuf::Message& options) {
    return CheckJiraOptions(static_cast<const JiraOptions&>(options));
  };
  return spec;
}

}  // namespace ferry::jira
