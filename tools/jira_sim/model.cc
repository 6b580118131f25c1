#include "tools/jira_sim/model.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"

namespace ferry::jira_sim {
namespace {

bool Same(const std::string& a, const std::string& b) {
  return absl::EqualsIgnoreCase(a, b);
}

template <typename T>
const T* ByIdOrName(const std::vector<T>& items, const std::string& value) {
  for (const T& item : items) {
    if (item.id == value) return &item;
  }
  for (const T& item : items) {
    if (Same(item.name, value)) return &item;
  }
  return nullptr;
}

}  // namespace

const User* FindUserById(const State& state, const std::string& account_id) {
  for (const User& user : state.users) {
    if (user.account_id == account_id) return &user;
  }
  return nullptr;
}

const Status* FindStatus(const State& state, const std::string& id_or_name) {
  return ByIdOrName(state.statuses, id_or_name);
}

const Priority* FindPriority(const State& state,
                             const std::string& id_or_name) {
  return ByIdOrName(state.priorities, id_or_name);
}

const IssueType* FindIssueType(const State& state,
                               const std::string& id_or_name) {
  return ByIdOrName(state.issue_types, id_or_name);
}

const Resolution* FindResolution(const State& state,
                                 const std::string& id_or_name) {
  return ByIdOrName(state.resolutions, id_or_name);
}

const Project* FindProject(const State& state,
                           const std::string& id_key_or_name) {
  for (const Project& project : state.projects) {
    if (project.id == id_key_or_name || Same(project.key, id_key_or_name)) {
      return &project;
    }
  }
  return ByIdOrName(state.projects, id_key_or_name);
}

const FieldDef* FindCustomField(const State& state, const std::string& id) {
  for (const FieldDef& field : state.custom_fields) {
    if (field.id == id) return &field;
  }
  return nullptr;
}

const Issue* FindIssue(const State& state, const std::string& id_or_key) {
  int64_t id = 0;
  if (absl::SimpleAtoi(id_or_key, &id)) {
    auto it = state.issues.find(id);
    return it == state.issues.end() ? nullptr : &it->second;
  }
  for (const auto& [unused, issue] : state.issues) {
    if (Same(issue.key, id_or_key)) return &issue;
  }
  for (const auto& [unused, issue] : state.issues) {
    for (const std::string& old : issue.previous_keys) {
      if (Same(old, id_or_key)) return &issue;
    }
  }
  return nullptr;
}

Issue* FindIssue(State& state, const std::string& id_or_key) {
  return const_cast<Issue*>(
      FindIssue(static_cast<const State&>(state), id_or_key));
}

const Workflow* WorkflowFor(const State& state, const Issue& issue) {
  const Project* project = FindProject(state, issue.project_id);
  if (project == nullptr) return nullptr;
  auto by_type = project->workflow_by_issue_type.find(issue.issue_type_id);
  const std::string& name = by_type == project->workflow_by_issue_type.end()
                                ? project->default_workflow
                                : by_type->second;
  auto it = state.workflows.find(name);
  return it == state.workflows.end() ? nullptr : &it->second;
}

int PrioritySequence(const State& state, const std::string& priority_id) {
  for (size_t i = 0; i < state.priorities.size(); ++i) {
    if (state.priorities[i].id == priority_id) return static_cast<int>(i);
  }
  return static_cast<int>(state.priorities.size());
}

}  // namespace ferry::jira_sim
