#include "tools/pagerduty_sim/alert_ops.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/pagerduty_sim/incident_ops.h"
#include "tools/pagerduty_sim/pd_error.h"
#include "tools/pagerduty_sim/render.h"
#include "tools/pagerduty_sim/state_lookup.h"

namespace ferry::pagerduty_sim {
namespace {

constexpr size_t kMaxDedupKeyLength = 255;
constexpr size_t kMaxAlertsPerIncident = 1000;

std::string Text(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// The service and integration that own `routing_key`.
std::pair<Service*, const Integration*> FindIntegration(State& state,
                                                        const std::string& routing_key) {
  for (auto& [id, service] : state.services) {
    for (const Integration& integration : service.integrations) {
      if (integration.integration_key == routing_key) return {&service, &integration};
    }
  }
  return {nullptr, nullptr};
}

// The Events API's checks, in its wording; empty when the event is valid.
std::vector<std::string> EventProblems(const nlohmann::json& event) {
  std::vector<std::string> problems;
  const std::string key = Text(event, "routing_key");
  if (key.size() != 32) {
    problems.push_back("Length of 'routing_key' is incorrect (should be 32 characters)");
  }
  const std::string action = Text(event, "event_action");
  if (action != "trigger" && action != "acknowledge" && action != "resolve") {
    problems.push_back(
        "'event_action' is invalid (must be one of the following: 'trigger', "
        "'acknowledge' or 'resolve')");
  }
  auto dedup = event.find("dedup_key");
  if (dedup != event.end() && !dedup->is_null() &&
      (!dedup->is_string() || dedup->get<std::string>().size() > kMaxDedupKeyLength)) {
    problems.push_back("'dedup_key' must be a string of at most 255 characters");
  }
  if (action != "trigger") {
    if (action != "" && Text(event, "dedup_key").empty()) {
      problems.push_back("'dedup_key' is missing or blank");
    }
    return problems;
  }
  auto payload = event.find("payload");
  if (payload == event.end() || !payload->is_object()) {
    problems.push_back("'payload' is missing or blank");
    return problems;
  }
  for (const char* field : {"summary", "source", "severity"}) {
    if (Text(*payload, field).empty()) {
      problems.push_back(absl::StrCat("'payload.", field, "' is missing or blank"));
    }
  }
  const std::string severity = Text(*payload, "severity");
  if (!severity.empty() && severity != "critical" && severity != "error" &&
      severity != "warning" && severity != "info") {
    problems.push_back(
        "'payload.severity' is invalid (must be one of the following: 'critical', "
        "'warning', 'error' or 'info')");
  }
  if (auto details = payload->find("custom_details");
      details != payload->end() && !details->is_object() && !details->is_null()) {
    problems.push_back("'payload.custom_details' must be an object");
  }
  return problems;
}

// The open alert of `service_id` with key `dedup_key`, or nullptr.
Alert* OpenAlert(State& state, const std::string& service_id,
                 const std::string& dedup_key) {
  for (auto& [id, alert] : state.alerts) {
    if (alert.service_id == service_id && alert.alert_key == dedup_key &&
        alert.status == "triggered") {
      return &alert;
    }
  }
  return nullptr;
}

// The open incident of `service` that a new alert with `payload` joins under
// the service's content-based grouping, or nullptr.
Incident* GroupingTarget(State& state, const Service& service,
                         const nlohmann::json& payload) {
  if (service.grouping_fields.empty()) return nullptr;
  for (Incident& incident : state.incidents) {
    if (incident.service_id != service.id || incident.status == "resolved" ||
        incident.alert_ids.empty()) {
      continue;
    }
    const Alert& first = state.alerts.at(incident.alert_ids.front());
    const bool same = std::all_of(
        service.grouping_fields.begin(), service.grouping_fields.end(),
        [&](const std::string& field) {
          return first.payload.value(field, nlohmann::json()) ==
                 payload.value(field, nlohmann::json());
        });
    if (same) return &incident;
  }
  return nullptr;
}

// The "api" channel of the log entries an event writes.
nlohmann::json ApiChannel(const Alert& alert) {
  const std::string summary = Text(alert.payload, "summary");
  return {{"type", "api"},
          {"summary", summary},
          {"description", summary},
          {"incident_key", alert.alert_key},
          {"details", alert.payload.value("custom_details", nlohmann::json::object())}};
}

AgentRef IntegrationAgent(const Integration& integration) {
  return {absl::StrCat(integration.type, "_reference"), integration.id};
}

Alert& NewAlert(State& state, const std::string& key, const Incident& incident,
                const std::string& integration_id, nlohmann::json payload,
                absl::Time at) {
  Alert alert;
  alert.id = NewId(state);
  alert.alert_key = key;
  alert.incident_id = incident.id;
  alert.service_id = incident.service_id;
  alert.integration_id = integration_id;
  alert.payload = std::move(payload);
  alert.created_at = at;
  Alert& stored = state.alerts[alert.id] = std::move(alert);
  return stored;
}

void Trigger(State& state, Service& service, const Integration& integration,
             const std::string& key, const nlohmann::json& payload, absl::Time at) {
  if (OpenAlert(state, service.id, key) != nullptr) return;  // deduplicated
  const AgentRef agent = IntegrationAgent(integration);
  if (Incident* grouped = GroupingTarget(state, service, payload)) {
    Alert& alert = NewAlert(state, key, *grouped, integration.id, payload, at);
    grouped->alert_ids.push_back(alert.id);
    grouped->updated_at = at;
    LogAction(state, *grouped, "trigger_log_entry", agent, ApiChannel(alert),
              "Triggered through the API.", at);
    return;
  }
  Incident incident;
  incident.title = Text(payload, "summary");
  incident.incident_key = key;
  incident.service_id = service.id;
  incident.escalation_policy_id = service.escalation_policy_id;
  incident.body_details = payload.value("custom_details", nlohmann::json::object());
  // The trigger entry's channel comes from the alert, which needs the stored
  // incident's id: the channel is built from a draft.
  Alert draft;
  draft.alert_key = key;
  draft.payload = payload;
  Incident& stored = StoreNewIncident(state, std::move(incident), agent,
                                      ApiChannel(draft), "Triggered through the API.", at);
  Alert& alert = NewAlert(state, key, stored, integration.id, payload, at);
  stored.alert_ids.push_back(alert.id);
  AssignByPolicy(state, stored, 1, at);
}

void ResolveIncident(State& state, Incident& incident, const AgentRef& by,
                     nlohmann::json channel, const std::string& summary, absl::Time at) {
  incident.assignments.clear();
  incident.acknowledgements.clear();
  incident.resolved_at = at;
  incident.updated_at = at;
  SetStatus(incident, "resolved", by, at);
  LogAction(state, incident, "resolve_log_entry", by, std::move(channel), summary, at);
}

void AcknowledgeOrResolve(State& state, const Service& service,
                          const Integration& integration, const std::string& action,
                          const std::string& key, absl::Time at) {
  Alert* alert = OpenAlert(state, service.id, key);
  if (alert == nullptr) return;
  Incident* incident = FindIncident(state, alert->incident_id);
  if (incident == nullptr || incident->status == "resolved") return;
  const AgentRef agent = IntegrationAgent(integration);
  if (action == "acknowledge") {
    if (incident->status == "acknowledged") return;
    incident->updated_at = at;
    SetStatus(*incident, "acknowledged", agent, at);
    LogAction(state, *incident, "acknowledge_log_entry", agent, ApiChannel(*alert),
              "Acknowledged through the API.", at);
    return;
  }
  alert->status = "resolved";
  alert->resolved_at = at;
  const bool open = std::any_of(
      incident->alert_ids.begin(), incident->alert_ids.end(),
      [&](const std::string& id) { return state.alerts.at(id).status == "triggered"; });
  if (!open) {
    ResolveIncident(state, *incident, agent, ApiChannel(*alert),
                    "Resolved through the API.", at);
  }
}

}  // namespace

Integration& AddIntegration(State& state, Service& service, const std::string& name,
                            absl::Time at) {
  Integration integration;
  integration.id = NewId(state);
  integration.name = name;
  integration.integration_key = NewKey(state);
  integration.created_at = at;
  service.integrations.push_back(std::move(integration));
  return service.integrations.back();
}

absl::StatusOr<std::string> ApplyEvent(State& state, const nlohmann::json& event,
                                       absl::Time now) {
  if (!event.is_object()) {
    return absl::InvalidArgumentError("Event object is invalid: not a JSON object");
  }
  std::vector<std::string> problems = EventProblems(event);
  auto [service, integration] = FindIntegration(state, Text(event, "routing_key"));
  if (problems.empty() && integration == nullptr) {
    problems.push_back("'routing_key' is not the key of any integration");
  }
  if (!problems.empty()) return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  std::string key = Text(event, "dedup_key");
  if (key.empty()) key = NewKey(state);
  const std::string action = Text(event, "event_action");
  if (action == "trigger") {
    Trigger(state, *service, *integration, key, event.at("payload"), now);
  } else {
    AcknowledgeOrResolve(state, *service, *integration, action, key, now);
  }
  return key;
}

absl::Status MergeIncidents(State& state, Incident& target,
                            const std::vector<Incident*>& sources, const Actor& actor) {
  if (sources.empty()) {
    return InvalidInput("source_incidents must list at least one incident reference");
  }
  if (target.status == "resolved") {
    return PdError(400, kCodeIncidentAlreadyResolved, "Incident Already Resolved",
                   {absl::StrCat("Incident ", target.id, " is resolved; reopen it first")});
  }
  std::set<std::string> seen;
  size_t alerts = target.alert_ids.size();
  for (const Incident* source : sources) {
    alerts += std::max<size_t>(source->alert_ids.size(), 1);
    if (source->id == target.id || !seen.insert(source->id).second) {
      return InvalidInput(absl::StrCat("Incident ", source->id,
                                       " is the target or is listed twice"));
    }
    if (!source->merged_into_id.empty()) {
      return PdError(400, kCodeIncidentAlreadyMerged, "Incident Already Merged",
                     {absl::StrCat("Incident ", source->id, " was merged into ",
                                   source->merged_into_id)});
    }
    if (source->status == "resolved") {
      return PdError(400, kCodeIncidentAlreadyResolved, "Incident Already Resolved",
                     {absl::StrCat("Incident ", source->id, " is resolved")});
    }
  }
  if (alerts > kMaxAlertsPerIncident) {
    return InvalidInput(absl::StrCat("The merge would give incident ", target.id, " ", alerts,
                                     " alerts; an incident holds at most ",
                                     kMaxAlertsPerIncident));
  }
  const std::string actor_name = UserName(state, actor.user_id);
  const AgentRef by{"user_reference", actor.user_id};
  const RenderContext plain = PlainRender(state);
  for (Incident* source : sources) {
    if (source->alert_ids.empty()) {
      nlohmann::json payload = {{"summary", source->title}};
      source->alert_ids.push_back(
          NewAlert(state, source->incident_key, *source, "", std::move(payload),
                   source->created_at)
              .id);
    }
    for (const std::string& id : source->alert_ids) {
      state.alerts.at(id).incident_id = target.id;
      target.alert_ids.push_back(id);
    }
    source->alert_ids.clear();
    source->merged_into_id = target.id;
    const std::string target_name = IncidentRefJson(plain, target).value("summary", "");
    ResolveIncident(state, *source, by, {{"type", "website"}},
                    absl::StrCat("Resolved by ", actor_name, " (merged into ",
                                 target_name, ")."),
                    actor.now);
    LogAction(state, target, "merge_log_entry", by, {{"type", "website"}},
              absl::StrCat(actor_name, " merged ",
                           IncidentRefJson(plain, *source).value("summary", ""),
                           " into this incident."),
              actor.now)
        .linked_incident_id = source->id;
  }
  target.updated_at = actor.now;
  return absl::OkStatus();
}

}  // namespace ferry::pagerduty_sim
