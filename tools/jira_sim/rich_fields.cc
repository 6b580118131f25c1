#include "tools/jira_sim/rich_fields.h"

#include "absl/strings/str_cat.h"
#include "tools/jira_sim/adf_schema.h"
#include "tools/jira_sim/errors.h"
#include "tools/jira_sim/rich_text.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

bool IsRich(const State& state, const std::string& field_id) {
  if (field_id == "description" || field_id == "environment") return true;
  const FieldDef* custom = FindCustomField(state, field_id);
  return custom != nullptr && custom->rich_text;
}

absl::Status Convert(const std::string& field_id, json& value) {
  if (value.is_null()) return absl::OkStatus();
  absl::StatusOr<std::string> wiki = AdfToWiki(value);
  if (!wiki.ok()) return FieldErrors({{field_id, std::string(wiki.status().message())}});
  absl::Status valid = ValidateAdf(value);
  if (!valid.ok()) return valid;
  value = *wiki;
  return absl::OkStatus();
}

}  // namespace

absl::Status NormalizeRichText(const View& view, const State& state,
                               json& body) {
  if (view.api_version != 3) return absl::OkStatus();
  if (body.contains("fields") && body["fields"].is_object()) {
    for (auto& [id, value] : body["fields"].items()) {
      if (!IsRich(state, id)) continue;
      absl::Status converted = Convert(id, value);
      if (!converted.ok()) return converted;
    }
  }
  if (!body.contains("update") || !body["update"].is_object()) {
    return absl::OkStatus();
  }
  for (auto& [id, ops] : body["update"].items()) {
    if (!ops.is_array()) continue;
    for (json& op : ops) {
      if (!op.is_object()) continue;
      if (id == "comment" && op.contains("add") && op["add"].is_object() &&
          op["add"].contains("body")) {
        absl::Status converted = Convert("comment", op["add"]["body"]);
        if (!converted.ok()) return converted;
      } else if (IsRich(state, id) && op.contains("set")) {
        absl::Status converted = Convert(id, op["set"]);
        if (!converted.ok()) return converted;
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> CommentBodyToWiki(const View& view,
                                              const json& body) {
  if (view.api_version == 3) {
    absl::StatusOr<std::string> wiki = AdfToWiki(body);
    if (!wiki.ok()) {
      return FieldErrors({{"comment", std::string(wiki.status().message())}});
    }
    absl::Status valid = ValidateAdf(body);
    if (!valid.ok()) return valid;
    return wiki;
  }
  if (!body.is_string()) {
    return FieldErrors({{"comment", "Operation value must be a string"}});
  }
  return body.get<std::string>();
}

}  // namespace ferry::jira_sim
