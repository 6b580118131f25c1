#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "http/json_fields.h"
#include "nlohmann/json.hpp"
#include "proto/entity.pb.h"

namespace ferry::pagerduty {

// PagerDuty log entries (PagerDuty REST API: List log entries) as Ferry
// changes. Pure functions, safe from any thread.

// OK when `entry` has the shape the functions below rely on: string id,
// type and created_at, and incident, service and agent, when present,
// objects with a string id. Otherwise UNAVAILABLE naming the request and
// the field, so a malformed entry fails the read (and is read again)
// instead of being taken for one that changes nothing.
absl::Status CheckLogEntry(const http::JsonReader& entry);

// A log entry's members; "" when absent.
std::string LogEntryId(const nlohmann::json& entry);
// "trigger_log_entry", "annotate_log_entry", ...
std::string LogEntryType(const nlohmann::json& entry);
std::string LogEntryServiceId(const nlohmann::json& entry);
std::string LogEntryIncidentId(const nlohmann::json& entry);
// The entry's created_at; INVALID_ARGUMENT when it is missing or malformed.
absl::StatusOr<absl::Time> LogEntryTime(const nlohmann::json& entry);

// The id of an incident's first_trigger_log_entry; "" when absent.
std::string FirstTriggerId(const nlohmann::json& incident);

// Whether `entry` was logged by the user `me_id` acting as a person (Ferry's
// own writes); false when `me_id` is empty. A service or an integration
// acting (a monitoring tool's events) never is.
bool LoggedByMe(const nlohmann::json& entry, const std::string& me_id);

// The id of the incident `entry` changes, when it is a change a reader of
// service `service_id` syncs; nullopt for notifications, for entries whose
// agent is the user `me_id` (Ferry's own writes, which must not echo back;
// services and integrations, e.g. a monitoring tool's events, never are), for automatic assignments (not by a user: they follow a
// trigger or escalation already reported), for entries of other services
// and for entries without an incident.
std::optional<std::string> ChangedIncidentId(const nlohmann::json& entry,
                                             const std::string& me_id,
                                             const std::string& service_id);

// For an incident merged into another (resolve_reason
// "merge_resolve_reason"): the text that tells a reader where it went,
// naming the surviving incident ("[#12] Disk full") and its URL; nullopt
// for any other incident.
std::optional<std::string> MergeText(const nlohmann::json& incident);

// For a trigger entry by the Events API (channel "api") that is not the
// incident's first, i.e. a further alert grouped into an open incident: the
// text that tells a reader, "New alert from <integration>: <summary>";
// nullopt for any other entry.
std::optional<std::string> AlertAddedText(const nlohmann::json& entry);

// Who reads the changes, and how.
struct ChangeContext {
  // SystemConfig.name, for Entity.system.
  std::string system;
  // The service id, for Entity.project.
  std::string project;
  // For ChangeEvent.integration.
  std::string integration;
  // The integration user's id: their notes are left out.
  std::string me_id;
  // Also add the entry's status update as a comment of kind "status_update".
  bool status_updates_as_comments = false;
};

// The change `entry` records to `incident` (its JSON as it is now, see
// IncidentToEntity) whose notes are `notes`: the entity with the notes of
// anyone but the integration user as comments (marked incomplete, since
// only notes travel), last changed by the entry's agent; the field the entry
// type changes (Status, Priority, Urgency, Assignee) with its current value;
// `created` for the incident's first trigger; for the resolve entry of an
// incident merged away, a comment of kind "note" with MergeText, and for a
// further alert's trigger one with AlertAddedText (id: the entry's id,
// author: its agent), so the other side shows where the incident went and
// what joined it; change id
// "<incident id>@<entry id>". The position is left to the caller.
// INVALID_ARGUMENT for an incident without id or a malformed time.
absl::StatusOr<ferry::v1::ChangeEvent> LogEntryToChange(
    const nlohmann::json& entry, const nlohmann::json& incident,
    const std::vector<ferry::v1::Comment>& notes, const ChangeContext& context);

}  // namespace ferry::pagerduty
