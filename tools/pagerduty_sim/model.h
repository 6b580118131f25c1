#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

// The PagerDuty simulator's in-memory data model: plain structs, no locking
// (PagerDutySim guards one State with one mutex). Ids are opaque strings.
namespace ferry::pagerduty_sim {

// Who did something: a user or a service (automatic actions).
struct AgentRef {
  // "user_reference", "service_reference" or "<integration type>_reference"
  std::string type;
  std::string id;
};

struct User {
  std::string id;
  std::string name;
  std::string email;
  // Base role as the API spells it: owner, admin, user (Manager),
  // limited_user (Responder), observer, read_only_user (Stakeholder),
  // read_only_limited_user, restricted_access.
  std::string role = "user";
  std::string time_zone = "Etc/UTC";
  std::string job_title;
  // Per-service object roles that replace every other role on that service:
  // "manager", "responder", "observer" or "none".
  std::map<std::string, std::string> service_roles;
};

struct TeamMember {
  std::string user_id;
  std::string role;  // team role: "manager", "responder" or "observer"
};

struct Team {
  std::string id;
  std::string name;
  std::string description;
  std::string default_role = "manager";
  std::vector<TeamMember> members;
};

struct EscalationPolicy {
  std::string id;
  std::string name;
  // levels[0] is escalation level 1: the users assigned at that level.
  std::vector<std::vector<std::string>> levels;
};

// A service integration (PagerDuty REST API reference: Create a new
// integration). Only Events API v2 integrations exist here; their
// `integration_key` is the routing key of POST /v2/enqueue.
struct Integration {
  std::string id;
  std::string name;
  std::string type = "events_api_v2_inbound_integration";
  std::string integration_key;  // 32 lowercase hex characters
  absl::Time created_at;
};

struct Service {
  std::string id;
  std::string name;
  std::string description;
  std::string escalation_policy_id;
  std::vector<std::string> team_ids;
  absl::Time created_at;
  std::vector<Integration> integrations;
  // Content-based alert grouping: the alert fields (of "summary", "source",
  // "severity", "component", "group", "class") that must all be equal for a
  // new alert to join an open incident of the service. Empty: no grouping,
  // every new alert opens its own incident.
  std::vector<std::string> grouping_fields;
};

// An alert (PagerDuty REST API reference: List alerts for an incident),
// made by an Events API v2 trigger, or by a merge for an incident that had
// none. `payload` is the event's payload object as sent.
struct Alert {
  std::string id;
  std::string alert_key;  // the event's dedup_key
  std::string status = "triggered";  // triggered | resolved
  std::string incident_id;
  std::string service_id;
  std::string integration_id;  // empty: made by a merge
  nlohmann::json payload = nlohmann::json::object();
  absl::Time created_at;
  std::optional<absl::Time> resolved_at;
};

struct Priority {
  std::string id;
  std::string name;
  std::string description;
  std::string color = "a8171c";
};

// An API credential. Account tokens act for the whole account (full or
// read-only access); user tokens act as their user with that user's roles.
struct Token {
  std::string secret;
  bool account = false;
  bool read_only = false;
  std::string user_id;  // user tokens only
};

struct Assignment {
  absl::Time at;
  std::string user_id;
};

struct Note {
  std::string id;
  std::string user_id;
  std::string content;
  absl::Time created_at;
  absl::Time updated_at;
};

struct StatusUpdate {
  std::string id;
  std::string incident_id;
  std::string sender_id;
  std::string message;
  std::string subject;
  std::string html_message;
  absl::Time created_at;
};

struct Incident {
  std::string id;
  int number = 0;
  std::string title;
  // body.details: a string for REST incidents, the alert's custom_details
  // (any JSON) for incidents opened by an event.
  nlohmann::json body_details = "";
  std::string status = "triggered";  // triggered | acknowledged | resolved
  std::string incident_key;          // empty: none
  std::string service_id;
  std::string escalation_policy_id;
  int escalation_level = 1;
  std::string assigned_via = "escalation_policy";
  std::string urgency = "high";
  std::string priority_id;  // empty: no priority
  std::string incident_type = "incident_default";
  std::string conference_number;
  std::string conference_url;
  std::vector<Assignment> assignments;
  std::vector<Assignment> acknowledgements;  // user_id = acknowledger
  absl::Time created_at;
  absl::Time updated_at;
  absl::Time last_status_change_at;
  AgentRef last_status_change_by;
  std::optional<absl::Time> resolved_at;
  std::string first_trigger_log_entry_id;
  std::vector<Note> notes;
  std::vector<std::string> alert_ids;  // in the order they joined
  std::string merged_into_id;  // set when merged away (resolve_reason)
};

struct LogEntry {
  std::string id;
  std::string type;  // e.g. "trigger_log_entry"
  std::string summary;
  absl::Time created_at;
  std::string incident_id;
  std::string service_id;
  std::vector<std::string> team_ids;
  AgentRef agent;  // empty type: no agent (notify entries)
  std::string user_id;  // notify_log_entry: the notified user
  nlohmann::json channel;
  std::optional<std::string> note;     // resolve_log_entry: the resolution
  std::optional<std::string> message;  // status_update_log_entry
  std::vector<std::string> assignee_ids;  // assign_log_entry
  std::string linked_incident_id;  // merge_log_entry: the merged-away incident
};

// A webhook v3 subscription (PagerDuty Developer Documentation: Webhooks v3).
struct WebhookSubscription {
  std::string id;
  std::string description;
  std::string url;
  std::vector<std::pair<std::string, std::string>> custom_headers;
  std::vector<std::string> events;  // e.g. "incident.triggered"
  std::string filter_type = "account_reference";  // or service_/team_reference
  std::string filter_id;
  bool active = true;
  bool temporarily_disabled = false;
  std::string secret;
  int consecutive_drops = 0;
};

// An event waiting to be rendered and queued for delivery. `data` is set for
// note/status-update/conference events; incident events render the incident
// as it is when the request that caused them ends.
struct PendingEvent {
  std::string id;
  std::string type;  // e.g. "incident.acknowledged"
  std::string incident_id;
  AgentRef agent;  // empty type: null agent
  absl::Time occurred_at;
  nlohmann::json data;
  std::string resource_type = "incident";
  // Set for a ping: delivered to this subscription only, whatever its events.
  std::string only_subscription_id;
};

struct Account {
  std::string subdomain = "ferry-sim";
  std::string time_zone = "Etc/UTC";
  // Abilities the account's plan has (GET /abilities). Missing "teams",
  // "priorities" or "urgencies" turns the matching features into 402s.
  std::set<std::string> abilities = {"teams", "priorities", "urgencies",
                                     "advanced_permissions", "status_updates"};
  // When true, PUT /incidents rejects body/description/incident_key with 400
  // (OpsHub observed this) instead of ignoring them as the docs say.
  bool reject_readonly_fields = false;
  // When true, PUT status "triggered" on an acknowledged incident
  // un-acknowledges it (unacknowledge_log_entry) instead of the documented
  // 400 / 1003, for testing connectors against that variant.
  bool allow_unacknowledge = false;
};

// Everything the simulator knows. Incidents are kept in creation order;
// log entries in the order they happened (oldest first).
struct State {
  Account account;
  std::map<std::string, User> users;
  std::map<std::string, Team> teams;
  std::map<std::string, EscalationPolicy> escalation_policies;
  std::map<std::string, Service> services;
  std::vector<Priority> priorities;  // most to least severe
  std::map<std::string, Token> tokens;
  std::vector<Incident> incidents;
  absl::flat_hash_map<std::string, size_t> incident_index;  // id -> position
  std::vector<LogEntry> log_entries;
  absl::flat_hash_map<std::string, size_t> log_entry_index;  // id -> position
  std::vector<StatusUpdate> status_updates;
  std::map<std::string, Alert> alerts;
  std::map<std::string, WebhookSubscription> webhook_subscriptions;
  std::vector<PendingEvent> pending_events;  // drained after each request
  int next_incident_number = 1;
  int64_t next_id = 1;
};

}  // namespace ferry::pagerduty_sim
