#include "tools/jira_sim/search.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/jira_sim/search_index.h"

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
  bool lagging = options.index_lag > absl::ZeroDuration();
  for (const auto& [id, issue] : state.issues) {
    JqlIssueView view;
    const bool held = issue.index_held_since.has_value();
    const absl::Time as_of =
        held ? std::min(now - options.index_lag, *issue.index_held_since)
             : now - options.index_lag;
    if ((!lagging && !held) || options.reconcile_ids.count(id) > 0) {
      view = ToJqlView(state, issue);
    } else if (const JqlIssueView* indexed = IndexedView(issue, as_of)) {
      view = *indexed;
    } else {
      continue;  // not in the index yet
    }
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
