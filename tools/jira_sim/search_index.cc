#include "tools/jira_sim/search_index.h"

namespace ferry::jira_sim {
namespace {

constexpr size_t kMaxVersions = 32;

}  // namespace

JqlIssueView ToJqlView(const State& state, const Issue& issue) {
  JqlIssueView view;
  view.id = issue.id;
  view.key = issue.key;
  view.project_id = issue.project_id;
  view.issue_type_id = issue.issue_type_id;
  view.status_id = issue.status_id;
  const Status* status = FindStatus(state, issue.status_id);
  view.status_name = status == nullptr ? "" : status->name;
  view.priority_id = issue.priority_id;
  view.priority_sequence = PrioritySequence(state, issue.priority_id);
  view.summary = issue.summary;
  view.created = issue.created;
  view.updated = issue.updated;
  for (const auto& [id, value] : issue.custom_fields) {
    if (value.is_string()) view.custom_text[id] = value.get<std::string>();
    if (value.is_number()) view.custom_number[id] = value.get<double>();
  }
  return view;
}

void TouchIssue(const State& state, Issue& issue, absl::Time now) {
  issue.updated = now;
  issue.index_versions.push_back({now, ToJqlView(state, issue)});
  if (issue.index_versions.size() > kMaxVersions) {
    issue.index_versions.erase(issue.index_versions.begin());
  }
}

const JqlIssueView* IndexedView(const Issue& issue, absl::Time as_of) {
  const JqlIssueView* found = nullptr;
  for (const IndexedVersion& version : issue.index_versions) {
    if (version.at <= as_of) found = &version.view;
  }
  return found;
}

}  // namespace ferry::jira_sim
