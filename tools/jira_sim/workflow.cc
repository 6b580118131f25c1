#include "tools/jira_sim/workflow.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "tools/jira_sim/comment_ops.h"
#include "tools/jira_sim/errors.h"
#include "tools/jira_sim/issue_ops.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

bool StartsFrom(const Transition& t, const std::string& status_id) {
  if (t.from_status_ids.empty()) return t.to_status_id != status_id;
  return std::find(t.from_status_ids.begin(), t.from_status_ids.end(),
                   status_id) != t.from_status_ids.end();
}

// The display name of a transition screen field ("Resolution", or the
// custom field's name).
std::string FieldName(const State& state, const std::string& field_id) {
  if (field_id == "resolution") return "Resolution";
  const FieldDef* custom = FindCustomField(state, field_id);
  return custom == nullptr ? field_id : custom->name;
}

bool Empty(const json& value) {
  return value.is_null() || (value.is_string() && value.get<std::string>().empty());
}

// What a transition's screen does to the issue: new custom field values
// and the resolution to set (nullopt: left as it is).
struct ScreenChanges {
  std::vector<FieldChange> fields;
  std::optional<std::string> resolution_id;
};

// Checks `write.fields` against the transition's screen: fields off the
// screen are refused, `resolution` must name one ({"name"} or {"id"}), and
// a required field must get a value unless the issue already has one
// (Jira's required-field validator). Errors come together, per field.
absl::StatusOr<ScreenChanges> PlanScreen(const State& state,
                                         const Transition& transition,
                                         const Issue& issue,
                                         const IssueWrite& write) {
  std::map<std::string, std::string> errors;
  ScreenChanges out;
  std::vector<std::string> screen;
  for (const TransitionField& f : transition.fields) screen.push_back(f.field_id);
  IssueWrite custom;
  for (auto& [field, value] : write.fields.items()) {
    if (field != "resolution") {
      custom.fields[field] = value;
      continue;
    }
    if (std::find(screen.begin(), screen.end(), field) == screen.end()) {
      errors[field] = NotOnScreenMessage(field);
      continue;
    }
    const json name = value.is_object() ? value.value("name", json()) : json();
    const json id = value.is_object() ? value.value("id", json()) : json();
    const Resolution* resolution =
        name.is_string() ? FindResolution(state, name.get<std::string>())
        : id.is_string() ? FindResolution(state, id.get<std::string>())
                         : nullptr;
    if (resolution == nullptr) {
      errors[field] = absl::StrCat(
          "Could not find a resolution for ", value.dump(),
          ": give {\"name\": \"<resolution>\"} or {\"id\": \"<id>\"}.");
      continue;
    }
    out.resolution_id = resolution->id;
  }
  absl::StatusOr<std::vector<FieldChange>> changes =
      PlanFieldChanges(state, screen, &issue, custom);
  if (!changes.ok()) {
    json body = ErrorBody(changes.status())["errors"];
    for (auto& [field, message] : body.items()) errors[field] = message;
  } else {
    out.fields = *std::move(changes);
  }
  for (const TransitionField& f : transition.fields) {
    if (!f.required || errors.count(f.field_id) > 0) continue;
    bool given = f.field_id == "resolution" ? out.resolution_id.has_value()
                                            : false;
    for (const FieldChange& change : out.fields) {
      if (change.field_id == f.field_id) given = !Empty(change.value);
    }
    const bool held = f.field_id != "resolution" &&
                      !Empty(CurrentFieldValue(issue, f.field_id));
    if (!given && !held) {
      errors[f.field_id] = absl::StrCat(FieldName(state, f.field_id), " is required.");
    }
  }
  if (!errors.empty()) return FieldErrors(errors);
  return out;
}

// The changelog item of a resolution change (ids and names, as Jira logs it).
ChangeItem ResolutionItem(const State& state, const std::string& from,
                          const std::string& to) {
  auto name = [&](const std::string& id) -> json {
    const Resolution* r = FindResolution(state, id);
    return id.empty() || r == nullptr ? json() : json(r->name);
  };
  ChangeItem item;
  item.field = "resolution";
  item.field_id = "resolution";
  item.from = from.empty() ? json() : json(from);
  item.from_string = name(from);
  item.to = to.empty() ? json() : json(to);
  item.to_string = name(to);
  return item;
}

}  // namespace

std::vector<const Transition*> AvailableTransitions(const State& state,
                                                    const User& caller,
                                                    const Issue& issue) {
  std::vector<const Transition*> available;
  const Workflow* workflow = WorkflowFor(state, issue);
  if (workflow == nullptr || !caller.permissions.transition) return available;
  for (const Transition& t : workflow->transitions) {
    if (StartsFrom(t, issue.status_id)) available.push_back(&t);
  }
  return available;
}

absl::Status DoTransition(State& state, const User& caller,
                          const std::string& id_or_key,
                          const std::string& transition_id,
                          const IssueWrite& write, absl::Time now) {
  absl::StatusOr<Issue*> found = VisibleIssue(state, caller, id_or_key);
  if (!found.ok()) return found.status();
  Issue& issue = **found;
  const Workflow* workflow = WorkflowFor(state, issue);
  const Transition* transition = nullptr;
  for (const Transition& t : workflow->transitions) {
    if (t.id == transition_id) transition = &t;
  }
  if (transition == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Transition id '", transition_id, "' is not valid for this issue."));
  }
  std::vector<const Transition*> available =
      AvailableTransitions(state, caller, issue);
  if (std::find(available.begin(), available.end(), transition) ==
      available.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "It seems that you have tried to perform a workflow operation (",
        transition->name,
        ") that is not valid for the current state of this issue (", issue.key,
        "). The likely cause is that somebody has changed the issue recently, "
        "please look at the issue history for details."));
  }
  absl::StatusOr<ScreenChanges> screen =
      PlanScreen(state, *transition, issue, write);
  if (!screen.ok()) return screen.status();
  absl::Status comments = CheckUpdateComments(caller, write.update);
  if (!comments.ok()) return comments;
  if (write.properties.is_array()) {
    absl::Status stored = SetProperties(issue.properties, write.properties);
    if (!stored.ok()) return stored;
  }
  const Status* from = FindStatus(state, issue.status_id);
  const Status* to = FindStatus(state, transition->to_status_id);
  ChangeItem item;
  item.field = "status";
  item.field_id = "status";
  item.from = issue.status_id;
  item.from_string = from == nullptr ? "" : from->name;
  item.to = transition->to_status_id;
  item.to_string = to == nullptr ? "" : to->name;
  if (from != nullptr && to != nullptr &&
      from->category_key != to->category_key) {
    issue.status_category_changed = now;
  }
  issue.status_id = transition->to_status_id;
  std::vector<ChangeItem> items = {item};
  for (ChangeItem& changed : ApplyFieldChanges(state, screen->fields, issue)) {
    items.push_back(std::move(changed));
  }
  // Like the default workflows' post-functions: a transition with a
  // Resolution screen sets it; moving out of the done category clears it.
  std::string resolution = issue.resolution_id;
  if (screen->resolution_id.has_value()) {
    resolution = *screen->resolution_id;
  } else if (to != nullptr && to->category_key != "done") {
    resolution.clear();
  }
  if (resolution != issue.resolution_id) {
    items.push_back(ResolutionItem(state, issue.resolution_id, resolution));
    issue.resolution_id = resolution;
  }
  RecordHistory(state, issue, caller.account_id, items,
                write.history_metadata, now);
  AddUpdateComments(state, caller, issue, write.update, now);
  return absl::OkStatus();
}

}  // namespace ferry::jira_sim
