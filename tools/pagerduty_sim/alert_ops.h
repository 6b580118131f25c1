#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tools/pagerduty_sim/activity_log.h"
#include "tools/pagerduty_sim/model.h"

// Alerts and what makes them: Events API v2 events and incident merges.
// Plain functions on a State the caller has locked.
namespace ferry::pagerduty_sim {

// Adds an Events API v2 integration named `name` to `service` with a fresh
// 32-hex integration key, and returns it.
Integration& AddIntegration(State& state, Service& service, const std::string& name,
                            absl::Time at);

// Applies one Events API v2 event (PagerDuty Events API v2: Send an Alert
// Event) and returns its dedup key (generated for a trigger without one).
// Rules:
//  - trigger: an open alert with the dedup key on the integration's service
//    absorbs it (nothing changes). Otherwise a new alert: it joins an open
//    incident of the service whose first alert has the same values in the
//    service's grouping fields (logging a trigger entry there), else it
//    opens an incident titled with payload.summary, incident key = dedup key,
//    body.details = payload.custom_details, first trigger entry by the
//    integration on the "api" channel, assigned by the escalation policy.
//  - acknowledge: the open incident holding the alert is acknowledged by
//    the integration.
//  - resolve: the alert resolves; its incident resolves, by the
//    integration, once none of its alerts is open.
//  acknowledge/resolve for a key with no open alert change nothing.
// INVALID_ARGUMENT with the Events API's own error text (one message per
// problem, joined by "\n") for an invalid event or unknown routing key.
absl::StatusOr<std::string> ApplyEvent(State& state, const nlohmann::json& event,
                                       absl::Time now);

// PUT /incidents/{id}/merge (PagerDuty REST API reference: Merge incidents):
// every source's alerts move to `target` (a source without alerts becomes
// one alert keyed by its incident key), each source resolves by the actor
// with resolve_reason "merge_resolve_reason" naming the target, and the
// target logs a merge_log_entry per source. PdError statuses: 400 / 2001 for
// no sources, a source listed twice or the target itself, or more than 1,000
// alerts on the target after the merge, 400 / 1019 for a
// source already merged, 400 / 1001 for a resolved target or source.
// Nothing changes on error.
absl::Status MergeIncidents(State& state, Incident& target,
                            const std::vector<Incident*>& sources, const Actor& actor);

}  // namespace ferry::pagerduty_sim
