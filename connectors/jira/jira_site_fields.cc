#include "connectors/jira/jira_site_fields.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "http/json_fields.h"

namespace ferry::jira {
namespace {

mapping::FieldType TypeOf(const std::string& jira_type) {
  if (jira_type == "string") return mapping::FieldType::kText;
  if (jira_type == "number") return mapping::FieldType::kNumber;
  if (jira_type == "date" || jira_type == "datetime") return mapping::FieldType::kTime;
  if (jira_type == "user") return mapping::FieldType::kUser;
  if (jira_type == "option") return mapping::FieldType::kLookup;
  return mapping::FieldType::kAny;
}

}  // namespace

absl::StatusOr<std::vector<mapping::FieldSpec>> SiteCustomFields(JiraApi& api) {
  auto listed = api.Get("/field");
  if (!listed.ok()) return listed.status();
  if (!listed->is_array()) {
    return absl::InvalidArgumentError(
        "jira GET /field: expected a list of fields; check that the system's url "
        "is the Jira site's base URL");
  }
  std::vector<mapping::FieldSpec> fields;
  for (const nlohmann::json& field : *listed) {
    if (!http::MemberOrNull(field, "custom").is_boolean() ||
        !http::MemberOrNull(field, "custom").get<bool>()) {
      continue;
    }
    const std::string id = http::StringOr(field, "id");
    if (id.empty()) continue;
    mapping::FieldSpec spec;
    spec.name = id;
    spec.type = TypeOf(http::StringOr(http::MemberOrNull(field, "schema"), "type"));
    spec.note = http::StringOr(field, "name");
    fields.push_back(std::move(spec));
  }
  return fields;
}

}  // namespace ferry::jira
