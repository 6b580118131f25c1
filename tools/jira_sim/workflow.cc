#include "tools/jira_sim/workflow.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "tools/jira_sim/comment_ops.h"
#include "tools/jira_sim/errors.h"
#include "tools/jira_sim/issue_ops.h"

namespace ferry::jira_sim {
namespace {

bool StartsFrom(const Transition& t, const std::string& status_id) {
  if (t.from_status_ids.empty()) return t.to_status_id != status_id;
  return std::find(t.from_status_ids.begin(), t.from_status_ids.end(),
                   status_id) != t.from_status_ids.end();
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
  if (write.fields.is_object() && !write.fields.empty()) {
    std::map<std::string, std::string> errors;
    for (auto& [field, unused] : write.fields.items()) {
      errors[field] = absl::StrCat("Field '", field,
                                   "' cannot be set. It is not on the "
                                   "appropriate screen, or unknown.");
    }
    return FieldErrors(errors);
  }
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
  RecordHistory(state, issue, caller.account_id, {item},
                write.history_metadata, now);
  AddUpdateComments(state, caller, issue, write.update, now);
  return absl::OkStatus();
}

}  // namespace ferry::jira_sim
