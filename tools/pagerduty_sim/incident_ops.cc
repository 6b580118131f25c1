#include "tools/pagerduty_sim/incident_ops.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/pagerduty_sim/auth.h"
#include "tools/pagerduty_sim/pd_error.h"
#include "tools/pagerduty_sim/render.h"
#include "tools/pagerduty_sim/state_lookup.h"
#include "tools/pagerduty_sim/webhook_events.h"

namespace ferry::pagerduty_sim {
namespace {

std::string StringField(const nlohmann::json& object, const std::string& key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// The "id" of a reference object such as {"id": "P1", "type": "..."}.
std::string RefId(const nlohmann::json& object, const std::string& key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return "";
  return StringField(*it, "id");
}

absl::StatusOr<std::vector<std::string>> ParseAssignees(
    const State& state, const nlohmann::json& assignments) {
  if (!assignments.is_array()) {
    return InvalidInput("assignments must be an array of {\"assignee\": user reference}");
  }
  std::vector<std::string> ids;
  for (const nlohmann::json& assignment : assignments) {
    const std::string id =
        assignment.is_object() ? RefId(assignment, "assignee") : "";
    if (FindUser(state, id) == nullptr) {
      return PdError(400, kCodeAssignedUserNotFound, "Assigned To User Not Found",
                     {absl::StrCat("No user with id \"", id, "\"")});
    }
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

// A priority given as a reference object, a name string or null ("").
absl::StatusOr<std::string> ParsePriority(const State& state,
                                          const nlohmann::json& priority) {
  if (priority.is_null()) return std::string();
  if (absl::Status ok = RequireAbility(state, "priorities"); !ok.ok()) return ok;
  if (priority.is_string()) {
    // "The highest priority with a matching name will be used."
    for (const Priority& p : state.priorities) {
      if (absl::EqualsIgnoreCase(p.name, priority.get<std::string>())) return p.id;
    }
    return PdError(400, kCodeInvalidPriority, "Invalid Priority",
                   {absl::StrCat("No priority is named \"",
                                 priority.get<std::string>(), "\"")});
  }
  const std::string id = priority.is_object() ? StringField(priority, "id") : "";
  if (FindPriority(state, id) == nullptr) {
    return PdError(400, kCodeInvalidPriority, "Invalid Priority",
                   {absl::StrCat("No priority with id \"", id,
                                 "\"; see GET /priorities")});
  }
  return id;
}

absl::Status CheckUrgency(const std::string& urgency) {
  if (urgency == "high" || urgency == "low") return absl::OkStatus();
  return InvalidInput(
      absl::StrCat("urgency must be high or low, got \"", urgency, "\""));
}

const EscalationPolicy* PolicyOf(const State& state, const Incident& incident) {
  return FindEscalationPolicy(state, incident.escalation_policy_id);
}

std::vector<std::string> LevelUsers(const State& state, const Incident& incident,
                                    int level) {
  const EscalationPolicy* policy = PolicyOf(state, incident);
  if (policy == nullptr || level < 1 ||
      level > static_cast<int>(policy->levels.size())) {
    return {};
  }
  return policy->levels[level - 1];
}

std::string Names(const State& state, const std::vector<std::string>& ids) {
  std::vector<std::string> names;
  for (const std::string& id : ids) names.push_back(UserName(state, id));
  return absl::StrJoin(names, ", ");
}

// Replaces the assignments, logging the assignment and the notifications.
void Assign(State& state, Incident& incident,
            const std::vector<std::string>& user_ids, const AgentRef& agent,
            const std::string& channel_type, absl::Time at) {
  incident.assignments.clear();
  for (const std::string& id : user_ids) incident.assignments.push_back({at, id});
  const std::string summary = absl::StrCat("Assigned to ", Names(state, user_ids), ".");
  LogAction(state, incident, "assign_log_entry", agent, {{"type", channel_type}},
            summary, at)
      .assignee_ids = user_ids;
  // PagerDuty notifies new assignees (not a user who assigned themself);
  // notify entries carry the user and no agent.
  for (const std::string& id : user_ids) {
    if (agent.type == "user_reference" && agent.id == id) continue;
    const User* user = FindUser(state, id);
    LogAction(state, incident, "notify_log_entry", AgentRef{},
              {{"type", "auto"},
               {"notification",
                {{"type", "email_notification"},
                 {"status", "success"},
                 {"address", user ? user->email : ""}}}},
              absl::StrCat("Notified ", UserName(state, id), " by email."), at)
        .user_id = id;
  }
}

void SetStatus(Incident& incident, const std::string& status, const Actor& actor) {
  SetStatus(incident, status, {"user_reference", actor.user_id}, actor.now);
}

void Acknowledge(State& state, Incident& incident, const Actor& actor) {
  const bool assigned = std::any_of(
      incident.assignments.begin(), incident.assignments.end(),
      [&](const Assignment& a) { return a.user_id == actor.user_id; });
  if (!assigned) {
    // Acknowledging assigns the incident to the acknowledger (observed).
    incident.assigned_via = "direct_assignment";
    Assign(state, incident, {actor.user_id}, {"user_reference", actor.user_id},
           "website", actor.now);
  }
  const bool acked = std::any_of(
      incident.acknowledgements.begin(), incident.acknowledgements.end(),
      [&](const Assignment& a) { return a.user_id == actor.user_id; });
  if (!acked) incident.acknowledgements.push_back({actor.now, actor.user_id});
  SetStatus(incident, "acknowledged", actor);
  LogUserAction(state, incident, "acknowledge_log_entry", actor,
                absl::StrCat("Acknowledged by ", UserName(state, actor.user_id), "."));
}

void Reopen(State& state, Incident& incident, const Actor& actor) {
  incident.resolved_at.reset();
  incident.acknowledgements.clear();
  SetStatus(incident, "triggered", actor);
  LogAction(state, incident, "trigger_log_entry",
            {"user_reference", actor.user_id}, {{"type", "website"}},
            absl::StrCat("Reopened by ", UserName(state, actor.user_id), "."),
            actor.now);
}

nlohmann::json PriorityChannelValue(const State& state, const std::string& id) {
  return PriorityJson(PlainRender(state), id);
}

}  // namespace

void AssignByPolicy(State& state, Incident& incident, int level, absl::Time at) {
  incident.escalation_level = level;
  incident.assigned_via = "escalation_policy";
  Assign(state, incident, LevelUsers(state, incident, level),
         {"service_reference", incident.service_id}, "auto", at);
}

void SetStatus(Incident& incident, const std::string& status, const AgentRef& by,
               absl::Time at) {
  incident.status = status;
  incident.last_status_change_at = at;
  incident.last_status_change_by = by;
}

Incident& StoreNewIncident(State& state, Incident incident, const AgentRef& by,
                           nlohmann::json channel, const std::string& summary,
                           absl::Time at) {
  incident.id = NewId(state);
  incident.number = state.next_incident_number++;
  if (incident.incident_key.empty()) incident.incident_key = NewKey(state);
  incident.created_at = incident.updated_at = incident.last_status_change_at = at;
  incident.last_status_change_by = by;
  Incident& stored = AddIncident(state, std::move(incident));
  stored.first_trigger_log_entry_id =
      LogAction(state, stored, "trigger_log_entry", by, std::move(channel), summary, at).id;
  return stored;
}

absl::StatusOr<Incident*> CreateIncident(State& state,
                                         const nlohmann::json& body,
                                         const Actor& actor,
                                         const WriteCheck& may_write) {
  if (!body.is_object()) {
    return InvalidInput("The body must be {\"incident\": {...}}");
  }
  if (StringField(body, "type") != "incident") {
    return InvalidInput("incident.type must be \"incident\"");
  }
  Incident incident;
  incident.title = StringField(body, "title");
  if (incident.title.empty()) {
    return InvalidInput("incident.title is required and must be a non-empty string");
  }
  const Service* service = FindService(state, RefId(body, "service"));
  if (service == nullptr) {
    return InvalidInput(absl::StrCat(
        "incident.service must reference an existing service, got \"",
        RefId(body, "service"), "\""));
  }
  if (absl::Status allowed = may_write(service->id); !allowed.ok()) return allowed;
  incident.service_id = service->id;
  incident.escalation_policy_id = service->escalation_policy_id;
  incident.incident_key = StringField(body, "incident_key");
  if (!incident.incident_key.empty()) {
    for (const Incident& other : state.incidents) {
      if (other.service_id == incident.service_id && other.status != "resolved" &&
          other.incident_key == incident.incident_key) {
        return InvalidInput(absl::StrCat(
            "Open incident with key \"", incident.incident_key,
            "\" already exists on service ", service->id, " (incident ",
            other.id, ")"));
      }
    }
  }
  const bool has_assignments = body.contains("assignments");
  const bool has_policy = body.contains("escalation_policy");
  if (has_assignments && has_policy) {
    return InvalidInput("assignments cannot be given together with escalation_policy");
  }
  std::vector<std::string> assignees;
  if (has_assignments) {
    auto parsed = ParseAssignees(state, body.at("assignments"));
    if (!parsed.ok()) return parsed.status();
    assignees = *std::move(parsed);
  }
  if (has_policy) {
    incident.escalation_policy_id = RefId(body, "escalation_policy");
    if (FindEscalationPolicy(state, incident.escalation_policy_id) == nullptr) {
      return PdError(400, kCodeEscalationPolicyNotFound,
                     "Escalation Policy Not Found",
                     {absl::StrCat("No escalation policy with id \"",
                                   incident.escalation_policy_id, "\"")});
    }
  }
  if (body.contains("priority")) {
    auto priority = ParsePriority(state, body.at("priority"));
    if (!priority.ok()) return priority.status();
    incident.priority_id = *priority;
  }
  if (body.contains("urgency")) {
    incident.urgency = StringField(body, "urgency");
    if (absl::Status ok = CheckUrgency(incident.urgency); !ok.ok()) return ok;
  }
  if (auto it = body.find("body"); it != body.end() && it->is_object()) {
    auto details = it->find("details");
    if (details != it->end()) {
      // The Incident Creation API keeps string bodies only.
      incident.body_details = details->is_string() ? *details : nlohmann::json(details->dump());
    }
  }
  if (auto it = body.find("conference_bridge"); it != body.end() && it->is_object()) {
    incident.conference_number = StringField(*it, "conference_number");
    incident.conference_url = StringField(*it, "conference_url");
  }
  if (auto it = body.find("incident_type"); it != body.end() && it->is_object() &&
                                            !StringField(*it, "name").empty()) {
    incident.incident_type = StringField(*it, "name");
  }

  nlohmann::json channel = {{"type", "web_trigger"},
                            {"summary", incident.title},
                            {"subject", incident.title},
                            {"details", incident.body_details}};
  Incident& stored = StoreNewIncident(state, std::move(incident),
                                      {"user_reference", actor.user_id},
                                      std::move(channel),
                                      "Triggered through the website.", actor.now);
  if (has_assignments) {
    stored.assigned_via = "direct_assignment";
    Assign(state, stored, assignees, {"user_reference", actor.user_id}, "website",
           actor.now);
    // Creating an incident assigned to yourself creates it acknowledged.
    if (std::find(assignees.begin(), assignees.end(), actor.user_id) !=
        assignees.end()) {
      Acknowledge(state, stored, actor);
    }
  } else {
    AssignByPolicy(state, stored, 1, actor.now);
  }
  return &stored;
}

absl::StatusOr<IncidentChange> ParseIncidentChange(const State& state,
                                                   const nlohmann::json& body) {
  if (!body.is_object()) {
    return InvalidInput("Each incident must be a JSON object");
  }
  const std::string type = StringField(body, "type");
  if (type != "incident" && type != "incident_reference") {
    return InvalidInput("incident.type must be \"incident\" or \"incident_reference\"");
  }
  if (state.account.reject_readonly_fields) {
    for (const char* field : {"body", "description", "incident_key"}) {
      if (body.contains(field)) {
        return InvalidInput(absl::StrCat(field, " cannot be updated"));
      }
    }
  }
  IncidentChange change;
  if (body.contains("status")) {
    change.status = StringField(body, "status");
    if (*change.status != "triggered" && *change.status != "acknowledged" &&
        *change.status != "resolved") {
      return PdError(400, kCodeInvalidStatus, "Invalid Status Provided",
                     {"Status must be one of triggered, acknowledged or resolved."});
    }
  }
  if (body.contains("resolution")) change.resolution = StringField(body, "resolution");
  if (body.contains("title")) {
    change.title = StringField(body, "title");
    if (change.title->empty()) return InvalidInput("title must be a non-empty string");
  }
  if (body.contains("urgency")) {
    change.urgency = StringField(body, "urgency");
    if (absl::Status ok = CheckUrgency(*change.urgency); !ok.ok()) return ok;
  }
  if (auto it = body.find("incident_type"); it != body.end()) {
    if (!it->is_object() || StringField(*it, "name").empty()) {
      return InvalidInput("incident_type must be {\"name\": \"...\"}");
    }
    change.incident_type = StringField(*it, "name");
  }
  if (body.contains("service")) {
    change.service_id = RefId(body, "service");
    if (FindService(state, *change.service_id) == nullptr) {
      return InvalidInput(absl::StrCat("service must reference an existing service, got \"",
                                       *change.service_id, "\""));
    }
  }
  if (body.contains("escalation_policy")) {
    change.escalation_policy_id = RefId(body, "escalation_policy");
    if (FindEscalationPolicy(state, *change.escalation_policy_id) == nullptr) {
      return PdError(400, kCodeEscalationPolicyNotFound, "Escalation Policy Not Found",
                     {absl::StrCat("No escalation policy with id \"",
                                   *change.escalation_policy_id, "\"")});
    }
  }
  if (body.contains("priority")) {
    auto priority = ParsePriority(state, body.at("priority"));
    if (!priority.ok()) return priority.status();
    change.priority_id = *priority;
  }
  if (body.contains("assignments")) {
    auto assignees = ParseAssignees(state, body.at("assignments"));
    if (!assignees.ok()) return assignees.status();
    change.assignee_ids = *std::move(assignees);
  }
  if (auto it = body.find("escalation_level"); it != body.end()) {
    if (!it->is_number_integer()) {
      return InvalidInput("escalation_level must be an integer");
    }
    change.escalation_level = it->get<int>();
  }
  if (auto it = body.find("conference_bridge"); it != body.end() && it->is_object()) {
    change.conference_number = StringField(*it, "conference_number");
    change.conference_url = StringField(*it, "conference_url");
  }
  return change;
}

absl::Status CheckIncidentChange(const State& state, const Incident& incident,
                                 const IncidentChange& change,
                                 const WriteCheck& may_write) {
  if (absl::Status ok = may_write(incident.service_id); !ok.ok()) return ok;
  if (change.service_id) {
    if (absl::Status ok = may_write(*change.service_id); !ok.ok()) return ok;
  }
  const bool resolved = incident.status == "resolved";
  const bool reopens = resolved && change.status && *change.status != "resolved";
  if (change.status == "resolved" && resolved) {
    return PdError(400, kCodeIncidentAlreadyResolved, "Incident Already Resolved",
                   {absl::StrCat("Incident ", incident.id, " is already resolved")});
  }
  if (change.status == "triggered" && incident.status == "acknowledged" &&
      !change.escalation_level && !state.account.allow_unacknowledge) {
    return PdError(
        400, kCodeInvalidStatus, "Invalid Status Provided",
        {absl::StrCat("Incident ", incident.id,
                      " is acknowledged and cannot be set back to triggered; "
                      "send escalation_level to re-trigger it")});
  }
  const bool reassigns = change.assignee_ids || change.escalation_level ||
                         change.escalation_policy_id;
  if (resolved && !reopens && reassigns) {
    return PdError(400, kCodeIncidentAlreadyResolved, "Incident Already Resolved",
                   {absl::StrCat("Incident ", incident.id,
                                 " is resolved; reopen it before reassigning")});
  }
  if (change.escalation_level) {
    const EscalationPolicy* policy = FindEscalationPolicy(
        state, change.escalation_policy_id.value_or(incident.escalation_policy_id));
    const int levels = policy ? static_cast<int>(policy->levels.size()) : 0;
    if (*change.escalation_level < 1 || *change.escalation_level > levels) {
      return InvalidInput(absl::StrCat("escalation_level must be between 1 and ",
                                       levels, " for this escalation policy"));
    }
  }
  return absl::OkStatus();
}

void ApplyIncidentChange(State& state, Incident& incident,
                         const IncidentChange& change, const Actor& actor) {
  const std::string actor_name = UserName(state, actor.user_id);
  if (change.title) incident.title = *change.title;
  if (change.service_id) incident.service_id = *change.service_id;
  if (change.incident_type) incident.incident_type = *change.incident_type;
  const std::string old_number = incident.conference_number;
  const std::string old_url = incident.conference_url;
  if (!change.conference_number.empty()) {
    incident.conference_number = change.conference_number;
  }
  if (!change.conference_url.empty()) incident.conference_url = change.conference_url;
  if (incident.conference_number != old_number || incident.conference_url != old_url) {
    EmitEvent(state, "incident.conference_bridge.updated", incident,
              {"user_reference", actor.user_id}, actor.now,
              {{"incident", IncidentRefJson(PlainRender(state), incident)},
               {"conference_numbers",
                {{{"label", ""}, {"number", incident.conference_number}}}},
               {"conference_url", incident.conference_url},
               {"type", "incident_conference_bridge"}});
  }
  if (change.priority_id && *change.priority_id != incident.priority_id) {
    nlohmann::json channel = {
        {"type", "website"},
        {"old_priority", PriorityChannelValue(state, incident.priority_id)},
        {"new_priority", PriorityChannelValue(state, *change.priority_id)}};
    const Priority* priority = FindPriority(state, *change.priority_id);
    incident.priority_id = *change.priority_id;
    LogAction(state, incident, "priority_change_log_entry",
              {"user_reference", actor.user_id}, std::move(channel),
              priority ? absl::StrCat("Priority set to \"", priority->name,
                                      "\" by ", actor_name)
                       : absl::StrCat("Priority removed by ", actor_name),
              actor.now);
  }
  if (change.urgency && *change.urgency != incident.urgency) {
    incident.urgency = *change.urgency;
    LogUserAction(state, incident, "urgency_change_log_entry", actor,
                  absl::StrCat("Urgency changed to ", incident.urgency, " by ",
                               actor_name, "."));
  }

  const bool resolved = incident.status == "resolved";
  if (resolved && change.status && *change.status != "resolved") {
    Reopen(state, incident, actor);
    if (*change.status == "triggered" && !change.assignee_ids &&
        !change.escalation_level && !change.escalation_policy_id) {
      AssignByPolicy(state, incident, 1, actor.now);
    }
  }
  if (change.escalation_policy_id) {
    incident.escalation_policy_id = *change.escalation_policy_id;
    LogUserAction(state, incident, "delegate_log_entry", actor,
                  absl::StrCat("Reassigned by ", actor_name, "."));
    if (!change.escalation_level) {
      incident.acknowledgements.clear();
      if (incident.status != "triggered") SetStatus(incident, "triggered", actor);
      AssignByPolicy(state, incident, 1, actor.now);
    }
  }
  if (change.escalation_level) {
    incident.acknowledgements.clear();
    if (incident.status != "triggered") SetStatus(incident, "triggered", actor);
    LogUserAction(state, incident, "escalate_log_entry", actor,
                  absl::StrCat("Escalated to level ", *change.escalation_level,
                               " by ", actor_name, "."));
    AssignByPolicy(state, incident, *change.escalation_level, actor.now);
  }
  if (change.assignee_ids) {
    incident.assigned_via = "direct_assignment";
    incident.acknowledgements.clear();
    if (incident.status == "acknowledged" && change.status != "acknowledged") {
      SetStatus(incident, "triggered", actor);
    }
    Assign(state, incident, *change.assignee_ids,
           {"user_reference", actor.user_id}, "website", actor.now);
  }
  if (change.status == "acknowledged") {
    Acknowledge(state, incident, actor);
  } else if (change.status == "triggered" && incident.status == "acknowledged") {
    // Only reachable with Account::allow_unacknowledge.
    incident.acknowledgements.clear();
    SetStatus(incident, "triggered", actor);
    LogUserAction(state, incident, "unacknowledge_log_entry", actor,
                  absl::StrCat("Unacknowledged by ", actor_name, "."));
  } else if (change.status == "resolved") {
    incident.assignments.clear();
    incident.acknowledgements.clear();
    incident.resolved_at = actor.now;
    SetStatus(incident, "resolved", actor);
    LogEntry& entry = LogUserAction(state, incident, "resolve_log_entry", actor,
                                    absl::StrCat("Resolved by ", actor_name, "."));
    if (change.resolution) entry.note = *change.resolution;
  }
  incident.updated_at = actor.now;
}

}  // namespace ferry::pagerduty_sim
