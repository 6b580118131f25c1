#include "tools/jira_sim/issue_fields.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/jira_sim/errors.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxSummary = 255;

// Fields a request may name that PlanFieldChanges leaves to its caller.
const std::set<std::string>& CallerFields() {
  static const auto* fields =
      new std::set<std::string>{"project", "issuetype", "comment"};
  return *fields;
}

// Validates one value for `field_id` and returns it in stored form.
absl::StatusOr<json> CheckValue(const State& state, const std::string& field_id,
                                const json& value) {
  auto bad = [&](const std::string& message) {
    return FieldErrors({{field_id, message}});
  };
  if (field_id == "summary") {
    if (!value.is_string() || value.get<std::string>().empty()) {
      return bad("You must specify a summary of the issue.");
    }
    if (value.get<std::string>().size() > kMaxSummary) {
      return bad("Summary must be less than 255 characters.");
    }
    return value;
  }
  if (field_id == "description") {
    if (!value.is_null() && !value.is_string()) {
      return bad("Operation value must be a string");
    }
    return value;
  }
  if (field_id == "priority") {
    if (value.is_null()) return value;
    const Priority* priority = nullptr;
    if (value.is_object() && value.contains("id")) {
      priority = FindPriority(state, value["id"].is_string()
                                         ? value["id"].get<std::string>()
                                         : value["id"].dump());
    } else if (value.is_object() && value.value("name", json()).is_string()) {
      priority = FindPriority(state, value["name"].get<std::string>());
    }
    if (priority == nullptr) {
      return bad(absl::StrCat("Specify a valid priority id or name; got ",
                              value.dump()));
    }
    return json(priority->id);
  }
  if (field_id == "labels") {
    if (!value.is_array()) return bad("Operation value must be an array");
    for (const json& label : value) {
      if (!label.is_string() || label.get<std::string>().empty()) {
        return bad("Labels must be non-empty strings.");
      }
      if (label.get<std::string>().find(' ') != std::string::npos) {
        return bad(absl::StrCat("The label '", label.get<std::string>(),
                                "' contains spaces which is invalid."));
      }
    }
    return value;
  }
  const FieldDef* custom = FindCustomField(state, field_id);
  if (custom == nullptr) return bad(NotOnScreenMessage(field_id));
  if (value.is_null()) return value;
  if (custom->type == "number") {
    if (!value.is_number()) return bad("Operation value must be a number");
    return value;
  }
  if (!value.is_string()) return bad("Operation value must be a string");
  return value;
}

// Applies one `update` operation on top of `base` (the current value).
absl::StatusOr<json> ApplyOperation(const std::string& field_id,
                                    const json& base, const std::string& op,
                                    const json& operand) {
  if (op == "set") return operand;
  if (field_id == "labels" && (op == "add" || op == "remove")) {
    json labels = base.is_array() ? base : json::array();
    auto it = std::find(labels.begin(), labels.end(), operand);
    if (op == "add" && it == labels.end()) labels.push_back(operand);
    if (op == "remove" && it != labels.end()) labels.erase(it);
    return labels;
  }
  return FieldErrors({{field_id, absl::StrCat("Operation '", op,
                                              "' is not supported for field '",
                                              field_id, "'. Use 'set'.")}});
}

json CurrentValue(const Issue* issue, const std::string& field_id) {
  if (issue == nullptr) return nullptr;
  if (field_id == "summary") return issue->summary;
  if (field_id == "description") {
    return issue->description ? json(*issue->description) : json();
  }
  if (field_id == "priority") {
    return issue->priority_id.empty() ? json() : json(issue->priority_id);
  }
  if (field_id == "labels") return issue->labels;
  auto it = issue->custom_fields.find(field_id);
  return it == issue->custom_fields.end() ? json() : it->second;
}

std::string DisplayString(const State& state, const std::string& field_id,
                          const json& value) {
  if (value.is_null()) return "";
  if (field_id == "priority") {
    const Priority* p = FindPriority(state, value.get<std::string>());
    return p == nullptr ? "" : p->name;
  }
  if (field_id == "labels") {
    std::vector<std::string> labels = value.get<std::vector<std::string>>();
    return absl::StrJoin(labels, " ");
  }
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

absl::StatusOr<std::vector<FieldChange>> PlanFieldChanges(
    const State& state, const std::vector<std::string>& screen,
    const Issue* current, const IssueWrite& write) {
  std::map<std::string, std::string> errors;
  std::map<std::string, json> values;
  auto on_screen = [&](const std::string& id) {
    return std::find(screen.begin(), screen.end(), id) != screen.end() ||
           (current == nullptr && id == "summary");
  };
  auto consider = [&](const std::string& id, const json& raw) {
    if (!on_screen(id)) {
      errors[id] = NotOnScreenMessage(id);
      return;
    }
    absl::StatusOr<json> checked = CheckValue(state, id, raw);
    if (!checked.ok()) {
      json body = ErrorBody(checked.status())["errors"];
      for (auto& [field, message] : body.items()) errors[field] = message;
      return;
    }
    values[id] = *checked;
  };
  for (auto& [id, raw] : write.fields.items()) {
    if (CallerFields().count(id) == 0) consider(id, raw);
  }
  if (write.update.is_object()) {
    for (auto& [id, ops] : write.update.items()) {
      if (CallerFields().count(id) > 0) continue;
      if (write.fields.contains(id)) {
        errors[id] = absl::StrCat("Field '", id,
                                  "' cannot be set in both 'fields' and "
                                  "'update'.");
        continue;
      }
      json value = CurrentValue(current, id);
      for (const json& op : ops.is_array() ? ops : json::array({ops})) {
        for (auto& [name, operand] : op.items()) {
          absl::StatusOr<json> next = ApplyOperation(id, value, name, operand);
          if (!next.ok()) {
            errors[id] = ErrorBody(next.status())["errors"][id];
            break;
          }
          value = *next;
        }
      }
      if (errors.count(id) == 0) consider(id, value);
    }
  }
  if (current == nullptr && values.count("summary") == 0 &&
      errors.count("summary") == 0) {
    errors["summary"] = "You must specify a summary of the issue.";
  }
  if (!errors.empty()) return FieldErrors(errors);
  std::vector<FieldChange> changes;
  for (auto& [id, value] : values) changes.push_back({id, value});
  return changes;
}

std::string NotOnScreenMessage(const std::string& field_id) {
  return absl::StrCat("Field '", field_id,
                      "' cannot be set. It is not on the appropriate screen, "
                      "or unknown.");
}

json CurrentFieldValue(const Issue& issue, const std::string& field_id) {
  return CurrentValue(&issue, field_id);
}

std::vector<ChangeItem> ApplyFieldChanges(const State& state,
                                          const std::vector<FieldChange>& changes,
                                          Issue& issue) {
  std::vector<ChangeItem> items;
  for (const FieldChange& change : changes) {
    json before = CurrentValue(&issue, change.field_id);
    if (before == change.value) continue;
    const std::string& id = change.field_id;
    if (id == "summary") {
      issue.summary = change.value.get<std::string>();
    } else if (id == "description") {
      issue.description =
          change.value.is_null()
              ? std::nullopt
              : std::optional<std::string>(change.value.get<std::string>());
    } else if (id == "priority") {
      issue.priority_id =
          change.value.is_null() ? "" : change.value.get<std::string>();
    } else if (id == "labels") {
      issue.labels = change.value.get<std::vector<std::string>>();
    } else if (change.value.is_null()) {
      issue.custom_fields.erase(id);
    } else {
      issue.custom_fields[id] = change.value;
    }
    ChangeItem item;
    const FieldDef* custom = FindCustomField(state, id);
    item.field = custom != nullptr ? custom->name : id;
    item.field_type = custom != nullptr ? "custom" : "jira";
    item.field_id = id;
    std::string from = DisplayString(state, id, before);
    std::string to = DisplayString(state, id, change.value);
    if (id == "priority") {
      item.from = before;
      item.to = change.value;
    }
    item.from_string = before.is_null() ? json() : json(from);
    item.to_string = change.value.is_null() ? json() : json(to);
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace ferry::jira_sim
