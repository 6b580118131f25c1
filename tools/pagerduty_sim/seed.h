#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tools/pagerduty_sim/model.h"

namespace ferry::pagerduty_sim {

// Builds a State from a fixture:
//
// {"account": {"subdomain", "time_zone", "abilities": [...],
//              "reject_readonly_fields": bool, "allow_unacknowledge": bool},
//  "users": [{"id", "name", "email", "role", "time_zone", "job_title",
//             "service_roles": {"<service id>": "observer|responder|manager|none"}}],
//  "teams": [{"id", "name", "description", "default_role",
//             "members": [{"user_id", "role"}]}],
//  "escalation_policies": [{"id", "name", "levels": [["<user id>", ...], ...]}],
//  "services": [{"id", "name", "description", "escalation_policy_id", "team_ids",
//                "integrations": [{"id", "name", "integration_key" (32 chars)}],
//                "grouping_fields": ["source", ...]}],   // content-based grouping
//  "priorities": [{"id", "name", "description", "color"}],   // most severe first
//  "tokens": [{"token", "user_id"} | {"token", "account": true, "read_only"}],
//  "incidents": [{"title", "service_id", "as_user" (id or email; default: the
//                 first user), "created_at" (ISO 8601, default `now`), "status",
//                 "incident_key", "urgency", "priority_id", "details",
//                 "resolution"}]}
//
// Every section is optional. Incidents are created in created_at order
// through the same code as POST /incidents (then moved to their status), so
// they get numbers, assignments and log entries. Errors name the entry and
// field at fault.
absl::StatusOr<State> StateFromSeed(const nlohmann::json& seed, absl::Time now);

}  // namespace ferry::pagerduty_sim
