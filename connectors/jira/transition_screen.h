#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "connectors/jira/workflow_path.h"
#include "http/json_fields.h"
#include "nlohmann/json.hpp"

namespace ferry::jira {

// The resolution a transition with a Resolution field gets when neither
// the mapping nor the options name one.
inline constexpr char kDefaultResolution[] = "Done";

// The transitions of an issue (expand=transitions[.fields]) or of GET
// /issue/{id}/transitions, with their screens when listed. Each needs its
// id (what a transition is posted with); INVALID_ARGUMENT naming the place
// otherwise.
absl::StatusOr<std::vector<WorkflowTransition>> ParseTransitions(
    const http::JsonReader& owner);

// What Ferry may put on a transition's screen.
struct ScreenValues {
  // The resolution the mapping wrote alongside the status (empty: none).
  std::string resolution;
  // JiraOptions.transition_fields: values by field id ("resolution"
  // included); `system` names the system in messages about them.
  const std::map<std::string, std::string>* configured = nullptr;
  std::string system;
  bool cloud = false;
};

// The `fields` object to post with `transition` (empty when its screen
// needs nothing). Resolution, when on the screen: the mapping's, else the
// configured one, else kDefaultResolution; sent by name and checked
// against the screen's allowed values. Other fields: the configured value,
// typed by the field's schema (number, option {"value"}, Cloud rich text
// as ADF, else text); a field without one is left out unless required.
// FAILED_PRECONDITION naming the transition, the field and the options
// line that fixes it when a required field has no value or a value is not
// allowed.
absl::StatusOr<nlohmann::json> ScreenFields(const WorkflowTransition& transition,
                                            const ScreenValues& values);

}  // namespace ferry::jira
