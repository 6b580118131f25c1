#include "tools/jira_sim/issue_ops.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "tools/jira_sim/comment_ops.h"
#include "tools/jira_sim/errors.h"
#include "tools/jira_sim/search_index.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxPropertyLength = 32768;

std::string IdOrKeyOf(const json& ref, const char* key_name) {
  if (!ref.is_object()) return "";
  for (const char* name : {"id", key_name, "name"}) {
    if (!ref.contains(name)) continue;
    const json& v = ref[name];
    return v.is_string() ? v.get<std::string>() : v.dump();
  }
  return "";
}

absl::Status PermissionError(const char* what) {
  return absl::PermissionDeniedError(
      absl::StrCat("You do not have permission to ", what, "."));
}

}  // namespace

absl::StatusOr<const Issue*> VisibleIssue(const State& state,
                                          const User& caller,
                                          const std::string& id_or_key) {
  const Issue* issue = FindIssue(state, id_or_key);
  if (issue == nullptr || !caller.permissions.browse) {
    return absl::NotFoundError(
        "Issue does not exist or you do not have permission to see it.");
  }
  return issue;
}

absl::StatusOr<Issue*> VisibleIssue(State& state, const User& caller,
                                    const std::string& id_or_key) {
  absl::StatusOr<const Issue*> issue =
      VisibleIssue(static_cast<const State&>(state), caller, id_or_key);
  if (!issue.ok()) return issue.status();
  return const_cast<Issue*>(*issue);
}

absl::StatusOr<int64_t> CreateIssue(State& state, const User& caller,
                                    const IssueWrite& write, absl::Time now) {
  const json& fields = write.fields;
  const Project* project =
      FindProject(state, IdOrKeyOf(fields.value("project", json()), "key"));
  if (project == nullptr) {
    return FieldErrors({{"project", "Specify a valid project ID or key"}});
  }
  if (!caller.permissions.create) {
    return PermissionError("create issues in this project");
  }
  std::string type_ref = IdOrKeyOf(fields.value("issuetype", json()), "name");
  const IssueType* type = FindIssueType(state, type_ref);
  bool type_in_project = false;
  if (type != nullptr) {
    for (const std::string& id : project->issue_type_ids) {
      type_in_project = type_in_project || id == type->id;
    }
  }
  if (!type_in_project) {
    return FieldErrors({{"issuetype", type_ref.empty()
                                          ? "Specify an issue type"
                                          : "Specify a valid issue type"}});
  }
  absl::StatusOr<std::vector<FieldChange>> changes =
      PlanFieldChanges(state, project->screen_field_ids, nullptr, write);
  if (!changes.ok()) return changes.status();
  absl::Status comments = CheckUpdateComments(caller, write.update);
  if (!comments.ok()) return comments;

  Issue issue;
  issue.id = state.next_issue_id++;
  issue.key = absl::StrCat(project->key, "-",
                           ++state.next_issue_number[project->key]);
  issue.project_id = project->id;
  issue.issue_type_id = type->id;
  const Workflow* workflow = WorkflowFor(state, issue);
  if (workflow == nullptr) {
    return absl::InternalError(absl::StrCat(
        "project ", project->key, " has no workflow for issue type ",
        type->name, "; fix the fixture"));
  }
  issue.status_id = workflow->initial_status_id;
  issue.reporter_id = caller.account_id;
  issue.creator_id = caller.account_id;
  issue.created = issue.updated = issue.status_category_changed = now;
  ApplyFieldChanges(state, *changes, issue);
  TouchIssue(state, issue, now);
  if (write.properties.is_array()) {
    absl::Status stored = SetProperties(issue.properties, write.properties);
    if (!stored.ok()) return stored;
  }
  int64_t id = issue.id;
  Issue& stored = state.issues[id] = std::move(issue);
  AddUpdateComments(state, caller, stored, write.update, now);
  return id;
}

absl::Status EditIssue(State& state, const User& caller,
                       const std::string& id_or_key, const IssueWrite& write,
                       absl::Time now) {
  absl::StatusOr<Issue*> issue = VisibleIssue(state, caller, id_or_key);
  if (!issue.ok()) return issue.status();
  if (!caller.permissions.edit) return PermissionError("edit this issue");
  bool has_fields = write.fields.is_object() && !write.fields.empty();
  bool has_update = write.update.is_object() && !write.update.empty();
  if (!has_fields && !has_update && !write.properties.is_array()) {
    return absl::InvalidArgumentError("one of 'fields' or 'update' required");
  }
  const Project* project = FindProject(state, (*issue)->project_id);
  std::map<std::string, std::string> refused;
  for (const char* fixed : {"project", "issuetype"}) {
    if (write.fields.contains(fixed)) {
      refused[fixed] = absl::StrCat("Field '", fixed,
                                    "' cannot be set. It is not on the "
                                    "appropriate screen, or unknown.");
    }
  }
  if (!refused.empty()) return FieldErrors(refused);
  absl::StatusOr<std::vector<FieldChange>> changes =
      PlanFieldChanges(state, project->screen_field_ids, *issue, write);
  if (!changes.ok()) return changes.status();
  absl::Status comments = CheckUpdateComments(caller, write.update);
  if (!comments.ok()) return comments;
  if (write.properties.is_array()) {
    absl::Status stored = SetProperties((*issue)->properties, write.properties);
    if (!stored.ok()) return stored;
  }
  std::vector<ChangeItem> items = ApplyFieldChanges(state, *changes, **issue);
  RecordHistory(state, **issue, caller.account_id, std::move(items),
                write.history_metadata, now);
  AddUpdateComments(state, caller, **issue, write.update, now);
  return absl::OkStatus();
}

void RecordHistory(State& state, Issue& issue, const std::string& author_id,
                   std::vector<ChangeItem> items,
                   const nlohmann::json& history_metadata, absl::Time now) {
  if (items.empty()) return;
  ChangeHistory history;
  history.id = state.next_history_id++;
  history.author_id = author_id;
  history.created = now;
  history.items = std::move(items);
  history.history_metadata = history_metadata;
  issue.changelog.push_back(std::move(history));
  TouchIssue(state, issue, now);
}

absl::Status CheckProperties(const nlohmann::json& properties) {
  for (const json& property : properties) {
    if (!property.is_object() || !property.value("key", json()).is_string() ||
        property["key"].get<std::string>().empty() ||
        !property.contains("value")) {
      return absl::InvalidArgumentError(
          "Each property needs a non-empty 'key' and a 'value'.");
    }
    if (property["value"].dump().size() > kMaxPropertyLength) {
      return absl::InvalidArgumentError(
          "The property value is too long: the maximum length is 32768 "
          "characters.");
    }
  }
  return absl::OkStatus();
}

absl::Status SetProperties(std::map<std::string, nlohmann::json>& target,
                           const nlohmann::json& properties) {
  absl::Status checked = CheckProperties(properties);
  if (!checked.ok()) return checked;
  for (const json& property : properties) {
    target[property["key"].get<std::string>()] = property["value"];
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> SetProperty(State& state, const User& caller,
                                 const std::string& id_or_key,
                                 const std::string& key,
                                 const nlohmann::json& value) {
  absl::StatusOr<Issue*> issue = VisibleIssue(state, caller, id_or_key);
  if (!issue.ok()) return issue.status();
  if (!caller.permissions.edit) return PermissionError("edit this issue");
  bool created = (*issue)->properties.count(key) == 0;
  absl::Status stored =
      SetProperties((*issue)->properties, json::array({{{"key", key}, {"value", value}}}));
  if (!stored.ok()) return stored;
  return created;
}

absl::Status DeleteProperty(State& state, const User& caller,
                            const std::string& id_or_key,
                            const std::string& key) {
  absl::StatusOr<Issue*> issue = VisibleIssue(state, caller, id_or_key);
  if (!issue.ok()) return issue.status();
  if (!caller.permissions.edit) return PermissionError("edit this issue");
  if ((*issue)->properties.erase(key) == 0) {
    return absl::NotFoundError(
        absl::StrCat("The property with key '", key, "' does not exist."));
  }
  return absl::OkStatus();
}

absl::Status MoveIssue(State& state, const std::string& id_or_key,
                       const std::string& project_key_or_id, absl::Time now) {
  Issue* issue = FindIssue(state, id_or_key);
  if (issue == nullptr) {
    return absl::NotFoundError(absl::StrCat("No issue ", id_or_key));
  }
  const Project* target = FindProject(state, project_key_or_id);
  if (target == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("No project '", project_key_or_id, "' to move to"));
  }
  if (target->id == issue->project_id) return absl::OkStatus();
  issue->previous_keys.push_back(issue->key);
  issue->key = absl::StrCat(target->key, "-",
                            ++state.next_issue_number[target->key]);
  ChangeItem item;
  item.field = "Key";
  item.field_id = "issuekey";
  item.from_string = issue->previous_keys.back();
  item.to_string = issue->key;
  ChangeItem project_item;
  project_item.field = "project";
  project_item.field_id = "project";
  project_item.from = issue->project_id;
  project_item.to = target->id;
  const Project* source = FindProject(state, issue->project_id);
  project_item.from_string = source == nullptr ? "" : source->name;
  project_item.to_string = target->name;
  issue->project_id = target->id;
  RecordHistory(state, *issue, "", {item, project_item}, nullptr, now);
  return absl::OkStatus();
}

}  // namespace ferry::jira_sim
