#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "connectors/jira/workflow_path.h"
#include "nlohmann/json.hpp"

namespace ferry::jira {

// Where an issue is in its workflow and how it got there, as one read of
// it tells: GET /issue/{id} with kIssuePlaceQuery.
struct IssuePlace {
  std::string id;
  std::string key;
  std::string project;  // key
  std::string type;     // issue type name
  // The status it is in now.
  std::string status;
  // The status it was created in: the `from` of its oldest status change,
  // else `status` (it never moved).
  std::string created_in;
  // Its newest status change was made by someone other than Ferry (a
  // history without Ferry's historyMetadata type).
  bool moved_by_others = false;
  // The transitions out of `status`, with their screens.
  std::vector<WorkflowTransition> transitions;
};

// The query string that makes GET /issue/{id} answer everything
// IssuePlaceFromIssue reads.
inline constexpr char kIssuePlaceQuery[] =
    "?fields=status,project,issuetype&expand=transitions.fields,changelog";

// Reads an IssuePlace from `issue` (the answer to GET /issue/{id} with
// kIssuePlaceQuery); `ferry_history_type` is the historyMetadata type
// Ferry's own changes carry; `where` names the call in errors. INVALID_ARGUMENT or
// UNAVAILABLE naming the member when the status, the transitions or the
// changelog are missing or malformed. Pure; thread-safe.
absl::StatusOr<IssuePlace> IssuePlaceFromIssue(const nlohmann::json& issue,
                                               absl::string_view ferry_history_type,
                                               absl::string_view where);

// Whether two status names are the same status (Jira compares names
// case-insensitively).
bool SameStatus(absl::string_view a, absl::string_view b);

}  // namespace ferry::jira
