#include "tools/pagerduty_sim/activity_log.h"

#include "tools/pagerduty_sim/state_lookup.h"
#include "tools/pagerduty_sim/webhook_events.h"

namespace ferry::pagerduty_sim {

LogEntry& LogAction(State& state, const Incident& incident,
                          const std::string& type, const AgentRef& agent,
                          nlohmann::json channel, const std::string& summary,
                          absl::Time at) {
  LogEntry entry;
  entry.id = NewId(state);
  entry.type = type;
  entry.summary = summary;
  entry.created_at = at;
  entry.incident_id = incident.id;
  entry.service_id = incident.service_id;
  if (const Service* service = FindService(state, incident.service_id)) {
    entry.team_ids = service->team_ids;
  }
  entry.agent = agent;
  entry.channel = std::move(channel);
  const std::string event_type = EventTypeForLogEntry(entry, incident);
  if (!event_type.empty()) EmitEvent(state, event_type, incident, agent, at);
  return AddLogEntry(state, std::move(entry));
}

LogEntry& LogUserAction(State& state, const Incident& incident,
                              const std::string& type, const Actor& actor,
                              const std::string& summary) {
  return LogAction(state, incident, type, {"user_reference", actor.user_id},
                   {{"type", "website"}}, summary, actor.now);
}

std::string UserName(const State& state, const std::string& user_id) {
  const User* user = FindUser(state, user_id);
  return user ? user->name : "Deleted user";
}

}  // namespace ferry::pagerduty_sim
