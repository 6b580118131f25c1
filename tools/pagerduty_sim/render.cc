#include "tools/pagerduty_sim/render.h"

#include "absl/strings/str_cat.h"
#include "tools/pagerduty_sim/state_lookup.h"
#include "tools/pagerduty_sim/time_format.h"

namespace ferry::pagerduty_sim {
namespace {

constexpr char kApiBase[] = "https://api.pagerduty.com";

nlohmann::json Reference(const State& state, const std::string& kind,
                         const std::string& collection, const std::string& id,
                         const std::string& summary) {
  return {{"id", id},
          {"type", kind + "_reference"},
          {"summary", summary},
          {"self", ApiUrl(collection, id)},
          {"html_url", WebUrl(state, collection, id)}};
}

// The full object form starts as the reference with the bare type.
nlohmann::json Full(nlohmann::json reference, const std::string& kind) {
  reference["type"] = kind;
  return reference;
}

nlohmann::json Nullable(const RenderContext& ctx,
                        const std::optional<absl::Time>& time) {
  return time ? nlohmann::json(ctx.Time(*time)) : nlohmann::json(nullptr);
}

nlohmann::json AlertCounts(const State& state, const Incident& incident) {
  int triggered = 0;
  int resolved = 0;
  for (const std::string& id : incident.alert_ids) {
    auto it = state.alerts.find(id);
    if (it == state.alerts.end()) continue;
    (it->second.status == "resolved" ? resolved : triggered) += 1;
  }
  return {{"all", triggered + resolved}, {"triggered", triggered}, {"resolved", resolved}};
}

}  // namespace

std::string RenderContext::Time(absl::Time time) const {
  return FormatIsoTime(time, zone);
}

std::string ApiUrl(const std::string& collection, const std::string& id) {
  return absl::StrCat(kApiBase, "/", collection, "/", id);
}

std::string WebUrl(const State& state, const std::string& collection,
                   const std::string& id) {
  return absl::StrCat("https://", state.account.subdomain, ".pagerduty.com/",
                      collection, "/", id);
}

nlohmann::json UserJson(const RenderContext& ctx, const std::string& user_id,
                        bool full) {
  const User* user = FindUser(*ctx.state, user_id);
  const std::string name = user ? user->name : "Deleted user";
  nlohmann::json json = Reference(*ctx.state, "user", "users", user_id, name);
  if (!full || user == nullptr) return json;
  json = Full(std::move(json), "user");
  nlohmann::json teams = nlohmann::json::array();
  for (const auto& [team_id, team] : ctx.state->teams) {
    for (const TeamMember& member : team.members) {
      if (member.user_id == user_id) teams.push_back(TeamJson(ctx, team_id, false));
    }
  }
  json.update({{"name", user->name},
               {"email", user->email},
               {"time_zone", user->time_zone},
               {"color", "purple"},
               {"role", user->role},
               {"avatar_url", absl::StrCat("https://secure.gravatar.com/avatar/",
                                           user->id, ".png")},
               {"description", nullptr},
               {"invitation_sent", false},
               {"job_title", user->job_title.empty()
                                 ? nlohmann::json(nullptr)
                                 : nlohmann::json(user->job_title)},
               {"teams", teams},
               {"contact_methods", nlohmann::json::array()},
               {"notification_rules", nlohmann::json::array()}});
  return json;
}

nlohmann::json ServiceJson(const RenderContext& ctx,
                           const std::string& service_id, bool full) {
  const Service* service = FindService(*ctx.state, service_id);
  nlohmann::json json = Reference(*ctx.state, "service", "services", service_id,
                                  service ? service->name : "Deleted service");
  if (!full || service == nullptr) return json;
  json = Full(std::move(json), "service");
  nlohmann::json teams = nlohmann::json::array();
  for (const std::string& team_id : service->team_ids) {
    teams.push_back(TeamJson(ctx, team_id, ctx.Includes("teams")));
  }
  json.update(
      {{"name", service->name},
       {"description", service->description},
       {"status", "active"},
       {"created_at", ctx.Time(service->created_at)},
       {"escalation_policy",
        EscalationPolicyJson(ctx, service->escalation_policy_id,
                             ctx.Includes("escalation_policies"))},
       {"teams", teams},
       {"acknowledgement_timeout", nullptr},
       {"auto_resolve_timeout", nullptr},
       {"alert_creation", "create_alerts_and_incidents"},
       {"incident_urgency_rule", {{"type", "constant"}, {"urgency", "high"}}}});
  nlohmann::json integrations = nlohmann::json::array();
  for (const Integration& integration : service->integrations) {
    integrations.push_back(
        IntegrationJson(ctx, service->id, integration, ctx.Includes("integrations")));
  }
  json["integrations"] = std::move(integrations);
  if (service->grouping_fields.empty()) {
    json["alert_grouping_parameters"] = {{"type", nullptr}};
  } else {
    json["alert_grouping_parameters"] = {
        {"type", "content_based"},
        {"config", {{"aggregate", "all"}, {"fields", service->grouping_fields}}}};
  }
  return json;
}

nlohmann::json TeamJson(const RenderContext& ctx, const std::string& team_id,
                        bool full) {
  auto it = ctx.state->teams.find(team_id);
  const Team* team = it == ctx.state->teams.end() ? nullptr : &it->second;
  nlohmann::json json = Reference(*ctx.state, "team", "teams", team_id,
                                  team ? team->name : "Deleted team");
  if (!full || team == nullptr) return json;
  json = Full(std::move(json), "team");
  json.update({{"name", team->name},
               {"description", team->description},
               {"default_role", team->default_role}});
  return json;
}

nlohmann::json EscalationPolicyJson(const RenderContext& ctx,
                                    const std::string& policy_id, bool full) {
  const EscalationPolicy* policy = FindEscalationPolicy(*ctx.state, policy_id);
  nlohmann::json json =
      Reference(*ctx.state, "escalation_policy", "escalation_policies",
                policy_id, policy ? policy->name : "Deleted policy");
  if (!full || policy == nullptr) return json;
  json = Full(std::move(json), "escalation_policy");
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& level : policy->levels) {
    nlohmann::json targets = nlohmann::json::array();
    for (const std::string& user_id : level) {
      targets.push_back(UserJson(ctx, user_id, false));
    }
    rules.push_back({{"escalation_delay_in_minutes", 30}, {"targets", targets}});
  }
  json.update({{"name", policy->name}, {"escalation_rules", rules}});
  return json;
}

nlohmann::json AgentJson(const RenderContext& ctx, const AgentRef& agent,
                         bool full) {
  if (agent.type == "service_reference") return ServiceJson(ctx, agent.id, full);
  if (agent.type == "user_reference") return UserJson(ctx, agent.id, full);
  // An integration (events): the reference whatever `full` says.
  for (const auto& [service_id, service] : ctx.state->services) {
    for (const Integration& integration : service.integrations) {
      if (integration.id == agent.id) {
        return IntegrationJson(ctx, service_id, integration, false);
      }
    }
  }
  return {{"id", agent.id}, {"type", agent.type}, {"summary", "Deleted integration"}};
}

nlohmann::json PriorityJson(const RenderContext& ctx,
                            const std::string& priority_id) {
  const Priority* priority = FindPriority(*ctx.state, priority_id);
  if (priority == nullptr) return nullptr;
  return {{"id", priority->id},
          {"type", "priority"},
          {"summary", priority->name},
          {"self", ApiUrl("priorities", priority->id)},
          {"html_url", nullptr},
          {"name", priority->name},
          {"description", priority->description},
          {"color", priority->color}};
}

nlohmann::json IncidentRefJson(const RenderContext& ctx,
                               const Incident& incident) {
  return Reference(*ctx.state, "incident", "incidents", incident.id,
                   absl::StrCat("[#", incident.number, "] ", incident.title));
}

namespace {

// {"type": "merge_resolve_reason", "incident": <the target>} for an incident
// merged away, else null.
nlohmann::json ResolveReason(const RenderContext& ctx, const Incident& incident) {
  const Incident* target = FindIncident(*ctx.state, incident.merged_into_id);
  if (incident.merged_into_id.empty() || target == nullptr) return nullptr;
  return {{"type", "merge_resolve_reason"}, {"incident", IncidentRefJson(ctx, *target)}};
}

}  // namespace

nlohmann::json IncidentJson(const RenderContext& ctx, const Incident& incident,
                            bool with_bridge) {
  nlohmann::json json = Full(IncidentRefJson(ctx, incident), "incident");
  const bool users = ctx.Includes("users");
  nlohmann::json assignments = nlohmann::json::array();
  for (const Assignment& a : incident.assignments) {
    assignments.push_back(
        {{"at", ctx.Time(a.at)},
         {"assignee", UserJson(ctx, a.user_id, users || ctx.Includes("assignees"))}});
  }
  nlohmann::json acknowledgements = nlohmann::json::array();
  for (const Assignment& a : incident.acknowledgements) {
    acknowledgements.push_back(
        {{"at", ctx.Time(a.at)},
         {"acknowledger",
          UserJson(ctx, a.user_id, users || ctx.Includes("acknowledgers"))}});
  }
  nlohmann::json teams = nlohmann::json::array();
  if (const Service* service = FindService(*ctx.state, incident.service_id)) {
    for (const std::string& team_id : service->team_ids) {
      teams.push_back(TeamJson(ctx, team_id, ctx.Includes("teams")));
    }
  }
  nlohmann::json first_trigger = nullptr;
  if (const LogEntry* entry =
          FindLogEntry(*ctx.state, incident.first_trigger_log_entry_id)) {
    first_trigger = ctx.Includes("first_trigger_log_entries")
                        ? LogEntryJson(ctx, *entry)
                        : nlohmann::json{{"id", entry->id},
                                         {"type", "trigger_log_entry_reference"},
                                         {"summary", entry->summary},
                                         {"self", ApiUrl("log_entries", entry->id)},
                                         {"html_url", nullptr}};
  }
  json.update(
      {{"incident_number", incident.number},
       {"title", incident.title},
       {"description", incident.title},
       {"created_at", ctx.Time(incident.created_at)},
       {"updated_at", ctx.Time(incident.updated_at)},
       {"status", incident.status},
       {"incident_key", incident.incident_key.empty()
                            ? nlohmann::json(nullptr)
                            : nlohmann::json(incident.incident_key)},
       {"service", ServiceJson(ctx, incident.service_id, ctx.Includes("services"))},
       {"assignments", assignments},
       {"assigned_via", incident.assigned_via},
       {"last_status_change_at", ctx.Time(incident.last_status_change_at)},
       {"last_status_change_by",
        AgentJson(ctx, incident.last_status_change_by, ctx.Includes("agents"))},
       {"resolved_at", Nullable(ctx, incident.resolved_at)},
       {"first_trigger_log_entry", first_trigger},
       {"alert_counts", AlertCounts(*ctx.state, incident)},
       {"is_mergeable", incident.merged_into_id.empty()},
       {"incident_type", {{"name", incident.incident_type}}},
       {"escalation_policy",
        EscalationPolicyJson(ctx, incident.escalation_policy_id,
                             ctx.Includes("escalation_policies"))},
       {"teams", teams},
       {"pending_actions", nlohmann::json::array()},
       {"acknowledgements", acknowledgements},
       {"alert_grouping", nullptr},
       {"priority", PriorityJson(ctx, incident.priority_id)},
       {"resolve_reason", ResolveReason(ctx, incident)},
       {"incidents_responders", nlohmann::json::array()},
       {"responder_requests", nlohmann::json::array()},
       {"urgency", incident.urgency}});
  if (with_bridge || ctx.Includes("conference_bridge")) {
    json["conference_bridge"] = {
        {"conference_number", incident.conference_number.empty()
                                  ? nlohmann::json(nullptr)
                                  : nlohmann::json(incident.conference_number)},
        {"conference_url", incident.conference_url.empty()
                               ? nlohmann::json(nullptr)
                               : nlohmann::json(incident.conference_url)}};
  }
  if (ctx.Includes("body")) {
    json["body"] = {{"type", "incident_body"}, {"details", incident.body_details}};
  }
  return json;
}

nlohmann::json LogEntryJson(const RenderContext& ctx, const LogEntry& entry) {
  nlohmann::json json = {
      {"id", entry.id},
      {"type", entry.type},
      {"summary", entry.summary},
      {"self", ApiUrl("log_entries", entry.id)},
      {"html_url", absl::StrCat(WebUrl(*ctx.state, "incidents", entry.incident_id),
                                "/log_entries/", entry.id)},
      {"created_at", ctx.Time(entry.created_at)},
      {"channel", entry.channel},
      {"service", ServiceJson(ctx, entry.service_id, ctx.Includes("services"))},
      {"contexts", nlohmann::json::array()},
      {"event_details", {{"description", entry.summary}}},
  };
  const Incident* incident = FindIncident(*ctx.state, entry.incident_id);
  if (incident != nullptr) {
    json["incident"] = ctx.Includes("incidents") ? IncidentJson(ctx, *incident)
                                                 : IncidentRefJson(ctx, *incident);
  }
  if (!ctx.Includes("channels")) json["channel"].erase("details");
  if (const Incident* linked = FindIncident(*ctx.state, entry.linked_incident_id);
      linked != nullptr && !entry.linked_incident_id.empty()) {
    json["linked_incident"] = IncidentRefJson(ctx, *linked);
  }
  nlohmann::json teams = nlohmann::json::array();
  for (const std::string& team_id : entry.team_ids) {
    teams.push_back(TeamJson(ctx, team_id, ctx.Includes("teams")));
  }
  json["teams"] = teams;
  if (!entry.agent.type.empty()) json["agent"] = AgentJson(ctx, entry.agent, false);
  if (!entry.user_id.empty()) json["user"] = UserJson(ctx, entry.user_id, false);
  if (entry.note) json["note"] = *entry.note;
  if (entry.message) json["message"] = *entry.message;
  if (entry.type == "assign_log_entry") {
    nlohmann::json assignees = nlohmann::json::array();
    for (const std::string& id : entry.assignee_ids) {
      assignees.push_back(UserJson(ctx, id, false));
    }
    json["assignees"] = assignees;
  }
  if (entry.type == "acknowledge_log_entry") json["acknowledgement_timeout"] = nullptr;
  return json;
}

nlohmann::json AlertJson(const RenderContext& ctx, const Alert& alert) {
  const std::string summary = alert.payload.value("summary", "");
  nlohmann::json json = {
      {"id", alert.id},
      {"type", "alert"},
      {"summary", summary},
      {"self", ApiUrl("alerts", alert.id)},
      {"html_url", WebUrl(*ctx.state, "alerts", alert.id)},
      {"created_at", ctx.Time(alert.created_at)},
      {"status", alert.status},
      {"alert_key", alert.alert_key},
      {"service", ServiceJson(ctx, alert.service_id, ctx.Includes("services"))},
      {"suppressed", false},
      {"severity", alert.payload.value("severity", "critical")},
      {"body",
       {{"type", "alert_body"},
        {"contexts", nlohmann::json::array()},
        {"details", alert.payload.value("custom_details", nlohmann::json::object())},
        {"cef_details",
         {{"source_origin", alert.payload.value("source", "")},
          {"description", summary},
          {"severity", alert.payload.value("severity", "critical")}}}}},
      {"integration", nullptr},
      {"incident", nullptr}};
  if (const Service* service = FindService(*ctx.state, alert.service_id)) {
    for (const Integration& integration : service->integrations) {
      if (integration.id == alert.integration_id) {
        json["integration"] = IntegrationJson(ctx, service->id, integration, false);
      }
    }
  }
  if (const Incident* incident = FindIncident(*ctx.state, alert.incident_id)) {
    json["incident"] = ctx.Includes("incidents") ? IncidentJson(ctx, *incident)
                                                 : IncidentRefJson(ctx, *incident);
  }
  return json;
}

nlohmann::json IntegrationJson(const RenderContext& ctx, const std::string& service_id,
                               const Integration& integration, bool full) {
  const std::string collection = absl::StrCat("services/", service_id, "/integrations");
  nlohmann::json json = {{"id", integration.id},
                         {"type", absl::StrCat(integration.type, full ? "" : "_reference")},
                         {"summary", integration.name},
                         {"self", ApiUrl(collection, integration.id)},
                         {"html_url", WebUrl(*ctx.state, collection, integration.id)}};
  if (!full) return json;
  json.update({{"name", integration.name},
               {"service", ServiceJson(ctx, service_id, false)},
               {"created_at", ctx.Time(integration.created_at)},
               {"vendor", nullptr},
               {"integration_key", integration.integration_key}});
  return json;
}

nlohmann::json NoteJson(const RenderContext& ctx, const Note& note) {
  return {{"id", note.id},
          {"user", UserJson(ctx, note.user_id, false)},
          {"channel", {{"summary", "The PagerDuty website or APIs"}}},
          {"content", note.content},
          {"created_at", ctx.Time(note.created_at)},
          {"updated_at", ctx.Time(note.updated_at)}};
}

nlohmann::json StatusUpdateJson(const RenderContext& ctx,
                                const StatusUpdate& update) {
  nlohmann::json json = {{"id", update.id},
                         {"message", update.message},
                         {"created_at", ctx.Time(update.created_at)},
                         {"sender", UserJson(ctx, update.sender_id, false)}};
  if (!update.subject.empty()) json["subject"] = update.subject;
  if (!update.html_message.empty()) json["html_message"] = update.html_message;
  return json;
}

}  // namespace ferry::pagerduty_sim
