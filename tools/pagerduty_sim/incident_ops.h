#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tools/pagerduty_sim/activity_log.h"
#include "tools/pagerduty_sim/model.h"

namespace ferry::pagerduty_sim {

// Called with every service an operation would write to (the incident's,
// and a move target); a non-OK status aborts the operation unchanged.
using WriteCheck = std::function<absl::Status(const std::string& service_id)>;

// Stores a new incident (fresh id and number; a generated 32-hex incident
// key when it has none, as PagerDuty gives every incident one), created and
// last changed `at` by `by`, and logs its first trigger entry with
// `channel` and `summary`. Assignment is left to the caller.
Incident& StoreNewIncident(State& state, Incident incident, const AgentRef& by,
                           nlohmann::json channel, const std::string& summary,
                           absl::Time at);

// Assigns the escalation policy's users at `level` on the service's behalf
// (assign entry by the service, a notify entry per assignee).
void AssignByPolicy(State& state, Incident& incident, int level, absl::Time at);

// Sets the status and who changed it last, and when.
void SetStatus(Incident& incident, const std::string& status, const AgentRef& by,
               absl::Time at);

// POST /incidents semantics (PagerDuty REST API reference: Create an
// Incident) for the inner "incident" object:
// type "incident", title and service required; priority (reference), urgency,
// body.details, incident_key, assignments XOR escalation_policy,
// conference_bridge, incident_type. A duplicate incident_key among the open
// incidents of the service is refused (400 / 2001); without one the incident
// gets a generated key. Assigning the actor
// creates the incident acknowledged. Logs trigger/assign(/acknowledge)
// entries. Errors are PdError statuses; nothing changes on error.
absl::StatusOr<Incident*> CreateIncident(State& state,
                                         const nlohmann::json& incident,
                                         const Actor& actor,
                                         const WriteCheck& may_write);

// A parsed PUT /incidents/{id} body (PagerDuty REST API reference: Update an
// incident); unset fields do not
// change. Read-only fields (body, description, incident_key) are ignored
// unless the account is configured to reject them.
struct IncidentChange {
  std::optional<std::string> status;
  std::optional<std::string> resolution;
  std::optional<std::string> title;
  std::optional<std::string> urgency;
  std::optional<std::string> incident_type;
  std::optional<std::string> service_id;
  std::optional<std::string> escalation_policy_id;
  std::optional<std::string> priority_id;  // "" clears the priority
  std::optional<std::vector<std::string>> assignee_ids;
  std::optional<int> escalation_level;
  std::string conference_number;  // empty: keep (never cleared)
  std::string conference_url;     // empty: keep (never cleared)
};

// Validates the shape of one incident update object (type, enums, that
// referenced users/priorities/policies/services exist).
absl::StatusOr<IncidentChange> ParseIncidentChange(const State& state,
                                                   const nlohmann::json& incident);

// Validates `change` against the incident's current state: status
// transitions (acknowledged -> triggered is 400 / 1003 unless the account
// allows un-acknowledging, resolved -> resolved 400 / 1001), escalation levels, writes on resolved incidents, and the
// caller's write permission on the services involved.
absl::Status CheckIncidentChange(const State& state, const Incident& incident,
                                 const IncidentChange& change,
                                 const WriteCheck& may_write);

// Applies a checked change, logs one entry per action and bumps updated_at.
void ApplyIncidentChange(State& state, Incident& incident,
                         const IncidentChange& change, const Actor& actor);

}  // namespace ferry::pagerduty_sim
