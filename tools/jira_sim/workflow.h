#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tools/jira_sim/issue_fields.h"
#include "tools/jira_sim/model.h"

namespace ferry::jira_sim {

// Transitions `caller` may take on `issue` now: those of its workflow that
// start from its current status (or are global and lead elsewhere), in
// workflow order. Empty when the caller lacks the transition permission,
// as Jira answers.
std::vector<const Transition*> AvailableTransitions(const State& state,
                                                    const User& caller,
                                                    const Issue& issue);

// Performs transition `transition_id` (POST /issue/{key}/transitions): sets
// the target status, records a status changelog item carrying
// `write.history_metadata`, bumps `updated`, stores `write.properties` and
// adds `write.update.comment` comments. `write.fields` must be empty (the
// simulator's transitions have no screens). Fails 400 with Jira's messages
// when the id is unknown to the workflow or not valid from the current
// status; 404 for an invisible issue.
absl::Status DoTransition(State& state, const User& caller,
                          const std::string& id_or_key,
                          const std::string& transition_id,
                          const IssueWrite& write, absl::Time now);

}  // namespace ferry::jira_sim
