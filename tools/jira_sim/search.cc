#include "tools/jira_sim/search.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ferry::jira_sim {

std::optional<std::string> StateCatalog::ProjectId(const std::string& v) const {
  const Project* p = FindProject(state_, v);
  return p == nullptr ? std::nullopt : std::optional<std::string>(p->id);
}

std::optional<std::string> StateCatalog::IssueTypeId(
    const std::string& v) const {
  const IssueType* t = FindIssueType(state_, v);
  return t == nullptr ? std::nullopt : std::optional<std::string>(t->id);
}

std::optional<std::string> StateCatalog::StatusId(const std::string& v) const {
  const Status* s = FindStatus(state_, v);
  return s == nullptr ? std::nullopt : std::optional<std::string>(s->id);
}

std::optional<std::string> StateCatalog::PriorityId(
    const std::string& v) const {
  const Priority* p = FindPriority(state_, v);
  return p == nullptr ? std::nullopt : std::optional<std::string>(p->id);
}

std::optional<int64_t> StateCatalog::IssueIdForKey(
    const std::string& key) const {
  if (key.find('-') == std::string::npos) return std::nullopt;
  const Issue* issue = FindIssue(state_, key);
  return issue == nullptr ? std::nullopt : std::optional<int64_t>(issue->id);
}

std::optional<JqlCustomField> StateCatalog::CustomField(
    const std::string& written) const {
  std::string id = written;
  if (absl::StartsWithIgnoreCase(written, "cf[") && absl::EndsWith(written, "]")) {
    id = absl::StrCat("customfield_", written.substr(3, written.size() - 4));
  }
  for (const FieldDef& field : state_.custom_fields) {
    if (field.id == id || absl::EqualsIgnoreCase(field.name, written)) {
      return JqlCustomField{field.id, field.name, field.type == "number"};
    }
  }
  return std::nullopt;
}

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

absl::StatusOr<SearchPage> Search(const State& state, const User& caller,
                                  const SearchOptions& options,
                                  absl::Time now) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(caller.time_zone, &zone)) zone = absl::UTCTimeZone();
  absl::StatusOr<JqlQuery> query =
      JqlQuery::Compile(options.jql, StateCatalog(state), zone, now);
  if (!query.ok()) return query.status();
  if (options.require_bounded && !query->bounded()) {
    return absl::InvalidArgumentError(
        "Unbounded JQL queries are not allowed here. Please add a search "
        "restriction to your query.");
  }
  SearchPage page;
  if (!caller.permissions.browse) return page;
  std::vector<JqlIssueView> views;
  views.reserve(state.issues.size());
  for (const auto& [id, issue] : state.issues) {
    bool indexed = issue.created <= now - options.index_lag ||
                   options.reconcile_ids.count(id) > 0;
    if (!indexed) continue;
    JqlIssueView view = ToJqlView(state, issue);
    if (query->Matches(view)) views.push_back(std::move(view));
  }
  std::vector<const JqlIssueView*> ordered;
  for (const JqlIssueView& view : views) ordered.push_back(&view);
  query->Sort(&ordered);
  page.total = static_cast<int>(ordered.size());
  int start = std::max(0, options.start_at);
  int end = std::min(page.total, start + std::max(0, options.max_results));
  for (int i = start; i < end; ++i) {
    page.issues.push_back(&state.issues.at(ordered[i]->id));
  }
  return page;
}

}  // namespace ferry::jira_sim
