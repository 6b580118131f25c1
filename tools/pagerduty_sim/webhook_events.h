#pragma once

#include <string>

#include "nlohmann/json.hpp"
#include "tools/pagerduty_sim/model.h"

namespace ferry::pagerduty_sim {

// Records a webhook event about `incident` when any subscription exists
// (no cost otherwise). `data` null: the incident data is rendered later.
void EmitEvent(State& state, const std::string& type, const Incident& incident,
               const AgentRef& agent, absl::Time at,
               nlohmann::json data = nullptr);

// The event a log entry about `incident` implies, or "" (e.g. automatic
// assignments, notes and status updates, whose events carry their own data,
// and alerts grouped into an open incident). A trigger entry is
// "incident.triggered" when `incident` has no first trigger yet,
// "incident.reopened" when a person reopens it.
std::string EventTypeForLogEntry(const LogEntry& entry, const Incident& incident);

// The v3 payload {"event": {id, event_type, resource_type, occurred_at,
// agent, client, data}} of a pending event.
nlohmann::json EventPayload(const State& state, const PendingEvent& event);

// True when `subscription` wants `event` (active, not disabled, event type
// listed, filter matching the incident's service/team or the account); a
// ping goes to its one subscription only.
bool Wants(const State& state, const WebhookSubscription& subscription,
           const PendingEvent& event);

}  // namespace ferry::pagerduty_sim
