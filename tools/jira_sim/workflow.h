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
// the target status and the fields of the transition's screen
// (`write.fields`: `resolution` as {"name"} or {"id"}, custom fields),
// records one changelog entry (status, fields, resolution) carrying
// `write.history_metadata`, bumps `updated`, stores `write.properties` and
// adds `write.update.comment` comments. As the default workflows do, the
// resolution is set by a transition whose screen has it and cleared by one
// into a status outside the done category. Fails 400 with Jira's messages
// when the id is unknown to the workflow or not valid from the current
// status, for a field not on the screen ("Field 'x' cannot be set. It is
// not on the appropriate screen, or unknown.") and for a required screen
// field with no value ("Root cause is required."), all such field errors
// in one body; 404 for an invisible issue.
absl::Status DoTransition(State& state, const User& caller,
                          const std::string& id_or_key,
                          const std::string& transition_id,
                          const IssueWrite& write, absl::Time now);

}  // namespace ferry::jira_sim
