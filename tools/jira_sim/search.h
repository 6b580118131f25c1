#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/jira_sim/jql_query.h"
#include "tools/jira_sim/model.h"

namespace ferry::jira_sim {

// Answers `catalog` questions of a JQL query from State.
class StateCatalog : public JqlCatalog {
 public:
  explicit StateCatalog(const State& state) : state_(state) {}
  std::optional<std::string> ProjectId(const std::string& v) const override;
  std::optional<std::string> IssueTypeId(const std::string& v) const override;
  std::optional<std::string> StatusId(const std::string& v) const override;
  std::optional<std::string> PriorityId(const std::string& v) const override;
  std::optional<int64_t> IssueIdForKey(const std::string& key) const override;
  std::optional<JqlCustomField> CustomField(
      const std::string& written) const override;

 private:
  const State& state_;
};

struct SearchOptions {
  std::string jql;
  int start_at = 0;
  int max_results = 50;
  // Cloud's eventual consistency: the query sees each issue as it was
  // `index_lag` ago (issues created since are not found, recent edits not
  // yet matched), unless its id is in `reconcile_ids`.
  absl::Duration index_lag = absl::ZeroDuration();
  std::set<int64_t> reconcile_ids;
  // Cloud's search/jql refuses queries without a condition.
  bool require_bounded = false;
};

struct SearchPage {
  std::vector<const Issue*> issues;  // the page, in the query's order
  int total = 0;                     // every match
};

// Runs a search as `caller` at `now`: JQL dates in the caller's time zone,
// only issues the caller may browse. Fails with Jira's 400 messages for bad
// JQL and for an unbounded query when `require_bounded`.
absl::StatusOr<SearchPage> Search(const State& state, const User& caller,
                                  const SearchOptions& options, absl::Time now);

}  // namespace ferry::jira_sim
