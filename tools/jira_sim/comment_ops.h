#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tools/jira_sim/model.h"

namespace ferry::jira_sim {

// Comment operations on State for `caller` at `now`; call under the Store's
// lock. Adding, editing and deleting a comment bump the issue's `updated`
// (comments are not changelog entries). Bodies are wiki markup.

// Adds a comment; 400 "Comment body can not be empty!" for a blank body,
// 403 without the comment permission.
absl::StatusOr<int64_t> AddComment(State& state, const User& caller,
                                   Issue& issue, const std::string& body,
                                   const nlohmann::json& visibility,
                                   absl::Time now);

// The comment `comment_id` of `issue`, or NotFound.
absl::StatusOr<Comment*> FindComment(Issue& issue, const std::string& comment_id);

// Replaces a comment's body (and visibility when not null). Only its author
// or a user with edit permission may; others get 403.
absl::Status UpdateComment(State& state, const User& caller, Issue& issue,
                           const std::string& comment_id,
                           const std::string& body,
                           const nlohmann::json& visibility, absl::Time now);

// Deletes a comment, with the same rights as UpdateComment.
absl::Status DeleteComment(State& state, const User& caller, Issue& issue,
                           const std::string& comment_id, absl::Time now);

// Checks the comments of an `update` object (create, edit and transition
// bodies: {"comment": [{"add": {"body": "...", "visibility"?}}]}) without
// changing anything: shape, non-empty bodies, the comment permission.
absl::Status CheckUpdateComments(const User& caller,
                                 const nlohmann::json& update);

// Adds those comments; call only after CheckUpdateComments succeeded.
void AddUpdateComments(State& state, const User& caller, Issue& issue,
                       const nlohmann::json& update, absl::Time now);

}  // namespace ferry::jira_sim
