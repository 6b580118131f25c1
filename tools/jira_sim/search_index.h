#pragma once

#include "absl/time/time.h"
#include "tools/jira_sim/jql_query.h"
#include "tools/jira_sim/model.h"

namespace ferry::jira_sim {

// What JQL sees of `issue` now.
JqlIssueView ToJqlView(const State& state, const Issue& issue);

// Marks `issue` changed at `now`: sets `updated` and records the version
// Cloud's search index will serve once its lag has passed. Every change a
// search can see goes through here. At most the last 32 versions are kept.
void TouchIssue(const State& state, Issue& issue, absl::Time now);

// The newest version of `issue` recorded at or before `as_of`, or nullptr
// when the issue did not exist yet (for the index) at that time.
const JqlIssueView* IndexedView(const Issue& issue, absl::Time as_of);

}  // namespace ferry::jira_sim
