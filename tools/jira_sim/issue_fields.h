#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tools/jira_sim/model.h"

namespace ferry::jira_sim {

// The body of a create, edit or transition request, rich text already in
// the v2 form (wiki strings; the HTTP layer converts ADF first).
struct IssueWrite {
  nlohmann::json fields = nlohmann::json::object();
  nlohmann::json update;            // null or {field: [{op: value}...]}
  nlohmann::json properties;        // null or [{"key", "value"}...]
  nlohmann::json history_metadata;  // null or Jira's HistoryMetadata
};

// One field's new value (null clears it).
struct FieldChange {
  std::string field_id;
  nlohmann::json value;
};

// Checks the field writes of `write` against `screen` (the field ids of
// the project's create/edit screen, or of a transition's screen) and
// returns the new values, without changing anything. Handles `fields`
// (set) and `update` ops (set; add/remove for labels); fields handled by
// the caller (`project`, `issuetype` on create, `comment` in update) are
// skipped. Settable: summary,
// description, priority, labels and custom fields on the screen. Anything
// else, including `status`, fails with
// Jira's "Field 'x' cannot be set. It is not on the appropriate screen, or
// unknown." in `errors`; bad values fail with a message naming the field.
// `current` gives the values add/remove start from (null when creating).
absl::StatusOr<std::vector<FieldChange>> PlanFieldChanges(
    const State& state, const std::vector<std::string>& screen,
    const Issue* current,
    const IssueWrite& write);

// Applies `changes` to `issue` and returns the changelog items of the ones
// that changed a value (none when every value was already current).
// Jira's refusal of a field a screen does not have: "Field 'x' cannot be
// set. It is not on the appropriate screen, or unknown.".
std::string NotOnScreenMessage(const std::string& field_id);

// The value `issue` holds for `field_id` in the form PlanFieldChanges
// returns (null when unset).
nlohmann::json CurrentFieldValue(const Issue& issue, const std::string& field_id);

std::vector<ChangeItem> ApplyFieldChanges(const State& state,
                                          const std::vector<FieldChange>& changes,
                                          Issue& issue);

}  // namespace ferry::jira_sim
