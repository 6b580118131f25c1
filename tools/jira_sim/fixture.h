#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tools/jira_sim/model.h"

namespace ferry::jira_sim {

// Builds the simulator's State from a fixture document:
//
//   {"serverTitle", "serverTimeZone",
//    "users": [{"accountId", "name", "key", "email", "displayName",
//               "timeZone", "password", "apiToken",
//               "personalAccessTokens": [...],
//               "permissions": {"browse", "create", "edit", "transition",
//                               "comment", "admin"}}],
//    "statuses": [{"id", "name", "description", "category"}],
//    "priorities": [{"id", "name", "description", "statusColor"}],
//    "issueTypes": [{"id", "name", "description"}],
//    "resolutions": [{"id", "name", "description"}],
//    "customFields": [{"id", "name", "type", "richText"}],
//    "workflows": [{"name", "initialStatus",
//                   "transitions": [{"id", "name", "to", "from": [...],
//                                    "fields": [{"id", "required"}]}]}],
//    "projects": [{"id", "key", "name", "issueTypes": [ids], "workflow",
//                  "workflowsByIssueType": {typeId: name},
//                  "screenFields": [...]}],
//    "issues": [{"project", "issueType", "summary", "description",
//                "priority", "status", "labels", "customFields",
//                "reporter", "created", "updated", "properties",
//                "comments": [{"author", "body", "created"}]}]}
//
// A transition's "fields" are its screen: "resolution" or custom field ids,
// "required" when a validator demands a value.
// Statuses, priorities, issue types and projects in issues may be given by
// id or name; times as Jira writes them ("2024-05-01T10:15:30.123+0000").
// Every reference is checked: an error names the section, the entry and
// the fix.
absl::StatusOr<State> StateFromFixture(const nlohmann::json& fixture);

// Reads and parses a fixture file.
absl::StatusOr<State> StateFromFixtureFile(const std::string& path);

// Parses a Jira timestamp ("2024-05-01T10:15:30.123+0000", also with
// "+00:00" or "Z").
absl::StatusOr<absl::Time> ParseJiraTime(const std::string& text);

// Reads one user entry of the fixture format (also the admin API's body).
absl::StatusOr<User> UserFromJson(const nlohmann::json& json);

}  // namespace ferry::jira_sim
