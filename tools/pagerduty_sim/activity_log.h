#pragma once

#include <string>

#include "nlohmann/json.hpp"
#include "tools/pagerduty_sim/model.h"

namespace ferry::pagerduty_sim {

// Who performs an action and when. Every action done through the REST API or
// the admin API is a user's (PagerDuty labels user actions with the
// "website" channel whether they come from the web UI or the API).
struct Actor {
  std::string user_id;
  absl::Time now;
};

// Appends a log entry about `incident` (newest so far) and returns it. The
// entry inherits the incident's service and teams. Emits the webhook event
// the entry implies (see EventTypeForLogEntry).
LogEntry& LogAction(State& state, const Incident& incident,
                          const std::string& type, const AgentRef& agent,
                          nlohmann::json channel, const std::string& summary,
                          absl::Time at);

// Shorthand for the common case: a user acting through the website channel.
LogEntry& LogUserAction(State& state, const Incident& incident,
                              const std::string& type, const Actor& actor,
                              const std::string& summary);

// The display name of a user id ("Deleted user" when unknown).
std::string UserName(const State& state, const std::string& user_id);

}  // namespace ferry::pagerduty_sim
