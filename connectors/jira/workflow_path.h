#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ferry::jira {

// A field on a transition's screen (expand=transitions.fields).
struct ScreenField {
  std::string id;    // "resolution", "customfield_10012"
  std::string name;  // "Root cause"
  bool required = false;
  std::string type;         // schema.type: "string", "number", "option"…
  std::string custom_type;  // schema.custom, empty for system fields
  // Names (or values) of allowedValues; empty when the field lists none.
  std::vector<std::string> allowed;
};

// One workflow transition as Jira lists it for an issue in some status.
struct WorkflowTransition {
  std::string id;
  std::string name;
  // The status it leads to (name).
  std::string to_status;
  // Its screen, when listed with expand=transitions.fields.
  std::vector<ScreenField> fields;
  // Jira says it has a screen (hasScreen), listed or not.
  bool has_screen = false;
};

// The transitions out of a status (by name). May fail (an HTTP error),
// which PlanTransitions passes on.
using TransitionsFrom =
    std::function<absl::StatusOr<std::vector<WorkflowTransition>>(
        const std::string& status)>;

// The shortest chain of transitions from status `from` to status `to`
// (names compare case-insensitively): a breadth-first search over the
// workflow graph that asks `transitions_from` about each status it reaches,
// at most once each. Empty when `from` is `to`. FAILED_PRECONDITION when
// `to` cannot be reached; the message names both statuses, the transitions
// out of `from` and the statuses that are reachable, and the fix (add the
// transition to the workflow or map to a reachable status).
absl::StatusOr<std::vector<WorkflowTransition>> PlanTransitions(
    const std::string& from, const std::string& to,
    const TransitionsFrom& transitions_from);

}  // namespace ferry::jira
