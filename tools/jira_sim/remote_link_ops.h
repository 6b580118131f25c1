#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tools/jira_sim/model.h"

namespace ferry::jira_sim {

// Remote issue links (POST/GET/PUT/DELETE /issue/{key}/remotelink). Call
// under the Store's lock. Writing needs the edit permission (Jira's "Link
// issues"); a body needs object.url and object.title, and a globalId of at
// most kMaxGlobalIdLength characters.

// Jira keeps a remote link's globalId in a 255-character column; a longer
// one is a 400 naming the field.
inline constexpr size_t kMaxGlobalIdLength = 255;

struct UpsertResult {
  int64_t id = 0;
  bool created = false;  // 201 when true, 200 when an existing link changed
};

// Creates a link, or, when `body.globalId` names an existing link of the
// issue, replaces it (fields missing from the body become null, as Jira
// documents).
absl::StatusOr<UpsertResult> UpsertRemoteLink(State& state, const User& caller,
                                              Issue& issue,
                                              const nlohmann::json& body);

// Replaces link `link_id` (PUT); NotFound if the issue has no such link.
absl::Status UpdateRemoteLink(const User& caller, Issue& issue,
                              const std::string& link_id,
                              const nlohmann::json& body);

// The links of `issue`; with a non-empty `global_id` only that link, or
// NotFound when there is none.
absl::StatusOr<std::vector<const RemoteLink*>> ListRemoteLinks(
    const Issue& issue, const std::string& global_id);

absl::StatusOr<const RemoteLink*> GetRemoteLink(const Issue& issue,
                                                const std::string& link_id);

// Deletes by id (`link_id`) or, when `link_id` is empty, by `global_id`.
absl::Status DeleteRemoteLink(const User& caller, Issue& issue,
                              const std::string& link_id,
                              const std::string& global_id);

}  // namespace ferry::jira_sim
