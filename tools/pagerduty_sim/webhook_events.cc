#include "tools/pagerduty_sim/webhook_events.h"

#include <algorithm>

#include "tools/pagerduty_sim/render.h"
#include "tools/pagerduty_sim/state_lookup.h"

namespace ferry::pagerduty_sim {

void EmitEvent(State& state, const std::string& type, const Incident& incident,
               const AgentRef& agent, absl::Time at, nlohmann::json data) {
  if (state.webhook_subscriptions.empty()) return;
  PendingEvent event;
  event.id = NewId(state);
  event.type = type;
  event.incident_id = incident.id;
  event.agent = agent;
  event.occurred_at = at;
  event.data = std::move(data);
  state.pending_events.push_back(std::move(event));
}

std::string EventTypeForLogEntry(const LogEntry& entry, const Incident& incident) {
  if (entry.type == "trigger_log_entry") {
    if (incident.first_trigger_log_entry_id.empty()) return "incident.triggered";
    return entry.channel.value("type", "") == "website" ? "incident.reopened" : "";
  }
  if (entry.type == "acknowledge_log_entry") return "incident.acknowledged";
  if (entry.type == "unacknowledge_log_entry") return "incident.unacknowledged";
  if (entry.type == "resolve_log_entry") return "incident.resolved";
  if (entry.type == "priority_change_log_entry") return "incident.priority_updated";
  if (entry.type == "escalate_log_entry") return "incident.escalated";
  if (entry.type == "delegate_log_entry") return "incident.delegated";
  if (entry.type == "assign_log_entry" && entry.agent.type == "user_reference") {
    return "incident.reassigned";
  }
  return "";
}

namespace {

nlohmann::json IncidentData(const RenderContext& ctx, const Incident& incident) {
  nlohmann::json assignees = nlohmann::json::array();
  for (const Assignment& a : incident.assignments) {
    assignees.push_back(UserJson(ctx, a.user_id, false));
  }
  nlohmann::json teams = nlohmann::json::array();
  if (const Service* service = FindService(*ctx.state, incident.service_id)) {
    for (const std::string& id : service->team_ids) teams.push_back(TeamJson(ctx, id, false));
  }
  nlohmann::json priority = PriorityJson(ctx, incident.priority_id);
  if (priority.is_object()) priority["type"] = "priority_reference";
  return {{"id", incident.id},
          {"type", "incident"},
          {"self", ApiUrl("incidents", incident.id)},
          {"html_url", WebUrl(*ctx.state, "incidents", incident.id)},
          {"number", incident.number},
          {"status", incident.status},
          {"incident_key", incident.incident_key.empty() ? nlohmann::json(nullptr)
                                                         : nlohmann::json(incident.incident_key)},
          {"created_at", ctx.Time(incident.created_at)},
          {"title", incident.title},
          {"incident_type", {{"name", incident.incident_type}}},
          {"service", ServiceJson(ctx, incident.service_id, false)},
          {"assignees", assignees},
          {"escalation_policy", EscalationPolicyJson(ctx, incident.escalation_policy_id, false)},
          {"teams", teams},
          {"priority", priority},
          {"urgency", incident.urgency},
          {"conference_bridge",
           {{"conference_number", incident.conference_number},
            {"conference_url", incident.conference_url}}},
          {"resolve_reason", nullptr}};
}

}  // namespace

nlohmann::json EventPayload(const State& state, const PendingEvent& event) {
  const RenderContext ctx = PlainRender(state);
  nlohmann::json data = event.data;
  const Incident* incident = FindIncident(state, event.incident_id);
  if (data.is_null() && incident != nullptr) data = IncidentData(ctx, *incident);
  return {{"event",
           {{"id", event.id},
            {"event_type", event.type},
            {"resource_type", event.resource_type},
            {"occurred_at", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", event.occurred_at,
                                             absl::UTCTimeZone())},
            {"agent", event.agent.type.empty() ? nlohmann::json(nullptr)
                                               : AgentJson(ctx, event.agent, false)},
            {"client", nullptr},
            {"data", data}}}};
}

bool Wants(const State& state, const WebhookSubscription& subscription,
           const PendingEvent& event) {
  if (!event.only_subscription_id.empty()) {
    return event.only_subscription_id == subscription.id;
  }
  if (!subscription.active || subscription.temporarily_disabled) return false;
  if (std::find(subscription.events.begin(), subscription.events.end(), event.type) ==
      subscription.events.end()) {
    return false;
  }
  if (subscription.filter_type == "account_reference") return true;
  const Incident* incident = FindIncident(state, event.incident_id);
  if (incident == nullptr) return false;
  if (subscription.filter_type == "service_reference") {
    return incident->service_id == subscription.filter_id;
  }
  const Service* service = FindService(state, incident->service_id);
  return service != nullptr &&
         std::find(service->team_ids.begin(), service->team_ids.end(),
                   subscription.filter_id) != service->team_ids.end();
}

}  // namespace ferry::pagerduty_sim
