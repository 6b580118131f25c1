#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "http/json_fields.h"
#include "nlohmann/json.hpp"
#include "proto/entity.pb.h"

namespace ferry::pagerduty {

// Conversions between PagerDuty's JSON and Ferry's Entity, with the field
// names of mapping/system_schema.cc (MakePagerDuty). Pure functions.

// An incident (GET /incidents/{id}, with include[]=body and
// include[]=conference_bridge for Description and the bridge) as an Entity
// of `system`: project = service id, type "incident", display key the
// incident number, fields "Incident Key", "Number", "Id", "Title",
// "Description" (body.details, see DetailsAsText), "Status", "Priority", "Urgency", "Conference Number",
// "Conference URL", "Service", "Assignee", "Escalation Policy", "Created",
// "Updated", "URL" (each only when PagerDuty gives a value). Statuses,
// priorities, urgencies, services and escalation policies are lookups with
// id and name. Comments are left to the caller.
// INVALID_ARGUMENT when the incident has no id or a malformed time.
absl::StatusOr<ferry::v1::Entity> IncidentToEntity(const nlohmann::json& incident,
                                                   const std::string& system);

// An incident's body.details as the text a person reads: a string as it is
// (REST incidents); structured details (an event's custom_details) as one
// "key: value" line per member, nested objects and arrays indented below
// their key ("- " before array items), null and empty members as "-", keys
// in alphabetical order.
std::string DetailsAsText(const nlohmann::json& details);

// A note (GET /incidents/{id}/notes) as a Comment of kind "note".
// UNAVAILABLE, naming the note, when it has no string id.
absl::StatusOr<ferry::v1::Comment> NoteToComment(const http::JsonReader& note);

// A user, service or integration reference as a UserRef (id, summary).
ferry::v1::UserRef AgentToUser(const nlohmann::json& reference);

// body[member] ("incident", "note") of PagerDuty's answer to `where`
// ("PagerDuty GET /incidents/P1"), checked to be an object with the string
// id every caller keys on.
absl::StatusOr<nlohmann::json> MemberWithId(const nlohmann::json& body, const char* member,
                                            const std::string& where);

// Origin markers, so a writer finds what it created before a crash.
// The incident key Ferry gives an incident created with `origin` when the
// mapping sets none: "ferry-" + origin.
std::string IncidentKeyForOrigin(const std::string& origin);

}  // namespace ferry::pagerduty
