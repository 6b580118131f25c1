#pragma once

#include <set>
#include <string>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tools/pagerduty_sim/model.h"

namespace ferry::pagerduty_sim {

// How to render: the zone for timestamps and the include[] expansions
// requested (e.g. "users", "services", "conference_bridge", "body").
struct RenderContext {
  const State* state = nullptr;
  absl::TimeZone zone = absl::UTCTimeZone();
  std::set<std::string> includes;

  bool Includes(const std::string& name) const {
    return includes.count(name) > 0;
  }
  std::string Time(absl::Time time) const;
};

// UTC, no includes: how write responses render.
inline RenderContext PlainRender(const State& state) {
  RenderContext ctx;
  ctx.state = &state;
  return ctx;
}

// API and web URLs in PagerDuty's formats.
std::string ApiUrl(const std::string& collection, const std::string& id);
std::string WebUrl(const State& state, const std::string& collection,
                   const std::string& id);

// References {id, type: "<kind>_reference", summary, self, html_url}, or the
// full object when `full` is true.
nlohmann::json UserJson(const RenderContext& ctx, const std::string& user_id,
                        bool full);
nlohmann::json ServiceJson(const RenderContext& ctx,
                           const std::string& service_id, bool full);
nlohmann::json TeamJson(const RenderContext& ctx, const std::string& team_id,
                        bool full);
nlohmann::json EscalationPolicyJson(const RenderContext& ctx,
                                    const std::string& policy_id, bool full);
nlohmann::json AgentJson(const RenderContext& ctx, const AgentRef& agent,
                         bool full);
// A priority is always rendered as an object (null when `priority_id` is
// empty), like PagerDuty's responses.
nlohmann::json PriorityJson(const RenderContext& ctx,
                            const std::string& priority_id);

// The Incident object (PagerDuty REST API reference: Get an incident),
// honouring ctx.includes.
// `with_bridge` forces conference_bridge (write responses carry it).
nlohmann::json IncidentJson(const RenderContext& ctx, const Incident& incident,
                            bool with_bridge = false);
nlohmann::json IncidentRefJson(const RenderContext& ctx,
                               const Incident& incident);

// The LogEntry object (PagerDuty REST API reference: List log entries;
// include[]: incidents, services, teams, channels; a channel's `details` only
// come with include[]=channels).
nlohmann::json LogEntryJson(const RenderContext& ctx, const LogEntry& entry);

// The Alert object (PagerDuty REST API reference: List alerts for an
// incident; include[]: services, incidents).
nlohmann::json AlertJson(const RenderContext& ctx, const Alert& alert);

// A service integration (PagerDuty REST API reference: Get an integration
// for a service): the reference, or the full object with its
// integration_key when `full`.
nlohmann::json IntegrationJson(const RenderContext& ctx, const std::string& service_id,
                               const Integration& integration, bool full);

nlohmann::json NoteJson(const RenderContext& ctx, const Note& note);
nlohmann::json StatusUpdateJson(const RenderContext& ctx,
                                const StatusUpdate& update);

}  // namespace ferry::pagerduty_sim
