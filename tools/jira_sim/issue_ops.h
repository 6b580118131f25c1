#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tools/jira_sim/issue_fields.h"
#include "tools/jira_sim/model.h"

namespace ferry::jira_sim {

// Issue operations on State, each as Jira performs it for `caller` at `now`.
// Not thread-safe by themselves: call them under the Store's lock. Failures
// are Jira errors (see errors.h): 400 with per-field messages, 403 without
// the permission, 404 for an unknown or invisible issue.

// The issue `caller` may see, or NotFound with Jira's "Issue does not exist
// or you do not have permission to see it.".
absl::StatusOr<Issue*> VisibleIssue(State& state, const User& caller,
                                    const std::string& id_or_key);
absl::StatusOr<const Issue*> VisibleIssue(const State& state,
                                          const User& caller,
                                          const std::string& id_or_key);

// Creates an issue from `write.fields` (project and issuetype by id, key or
// name; summary required), stores `write.properties`, applies `update.comment`
// adds, and returns its id. The issue starts in its workflow's initial status.
absl::StatusOr<int64_t> CreateIssue(State& state, const User& caller,
                                    const IssueWrite& write, absl::Time now);

// Edits fields (PUT /issue). Records one changelog entry with
// `write.history_metadata` and bumps `updated` when a value changed.
// `status` and fields not on the screen are refused.
absl::Status EditIssue(State& state, const User& caller,
                       const std::string& id_or_key, const IssueWrite& write,
                       absl::Time now);

// Appends a changelog entry by `author` (ignored when `items` is empty) and
// bumps `updated`.
void RecordHistory(State& state, Issue& issue, const std::string& author_id,
                   std::vector<ChangeItem> items,
                   const nlohmann::json& history_metadata, absl::Time now);

// Checks entity properties given as [{"key": k, "value": v}...] (issues and
// comments take the same form) without storing them: 400 for a missing key
// or value, or a value over 32768 characters.
absl::Status CheckProperties(const nlohmann::json& properties);

// Stores such properties into `target` (an issue's or a comment's) after
// CheckProperties; nothing is stored when it fails. Needs edit permission,
// checked by the caller.
absl::Status SetProperties(std::map<std::string, nlohmann::json>& target,
                           const nlohmann::json& properties);

// Issue property endpoints. Set returns true when the key is new (Jira's
// 201) and false when it replaced a value (200).
absl::StatusOr<bool> SetProperty(State& state, const User& caller,
                                 const std::string& id_or_key,
                                 const std::string& key,
                                 const nlohmann::json& value);
absl::Status DeleteProperty(State& state, const User& caller,
                            const std::string& id_or_key,
                            const std::string& key);

// Moves an issue to another project (as an administrator would): it gets
// the next key there and keeps answering to its old keys. Its issue type
// and status stay as they are; the fixture must give the target project a
// workflow for that type.
absl::Status MoveIssue(State& state, const std::string& id_or_key,
                       const std::string& project_key_or_id, absl::Time now);

}  // namespace ferry::jira_sim
