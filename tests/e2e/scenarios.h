#pragma once

#include <string>

namespace ferry::e2e {

// The mapping most scenarios share, named "incident-to-task": PagerDuty
// incidents ⇄ Jira Tasks (simple workflow Open → In Progress → Done).
// Title ⇄ summary and Priority ⇄ priority both ways (Jira priorities
// outside the map come back as P3); Status → status one way; the
// incident's Id into the "PagerDuty Incident" field and its first Title
// into the description, both on create only; notes ⇄ comments.
inline constexpr char kIncidentMapping[] = R"(mappings:
  - name: incident-to-task
    source_type: incident
    target_type: Task
    fields:
      - {source: Title, target: summary, direction: BOTH}
      - {source: Id, target: customfield_10010, sync_when: CREATE}
      - {source: Title, target: description, sync_when: CREATE}
      - source: Status
        target: status
        value_map: {values: {triggered: Open, acknowledged: In Progress, resolved: Done}}
      - source: Priority
        target: priority
        direction: BOTH
        value_map:
          values: {P1: Highest, P2: High, P3: Medium}
          default_value: Medium
          reverse_default_value: P3
    comments: {direction: BOTH}
)";

// One integration `name` of `mapping` from PagerDuty `services` (a YAML
// list body, "PSVCWEB") to `target` (its YAML flow map), both ways,
// polling every 0.2 s, retrying a failed write up to 50 times, with
// `extra` lines (indented four spaces) appended.
inline std::string IntegrationTo(const std::string& name, const std::string& target,
                                 const std::string& mapping, const std::string& services,
                                 const std::string& extra) {
  return "integrations:\n  - name: " + name + "\n    source: {system: pagerduty, projects: [" +
         services + "]}\n    target: " + target + "\n    mapping: " + mapping + R"(
    direction: BOTH
    poll_interval: 0.2s
    retry: {max_attempts: 50, initial_backoff: 0.2s, max_backoff: 1s}
)" + extra;
}

// One integration "pd-jira" of kIncidentMapping from PagerDuty `services`
// to Jira OPS (IntegrationTo).
inline std::string Integration(const std::string& services,
                               const std::string& extra = "") {
  return IntegrationTo("pd-jira", "{system: jira, projects: [OPS]}", "incident-to-task",
                       services, extra);
}

// The ServiceNow mapping the ServiceNow scenarios share, named
// "incident-to-sn": PagerDuty incidents ⇄ ServiceNow incidents. Title ⇄
// short_description both ways, and into description on create; Status →
// state one way (Resolved gets the system's close code and notes);
// Priority → impact and urgency, which ServiceNow turns into its priority
// (P1 → 1 Critical, P2 → 2 High, P3 → 3 Moderate, others 5 Planning);
// notes ⇄ journal entries: PagerDuty notes become work notes, and both
// comments and work notes come back as notes.
inline constexpr char kSnMapping[] = R"(mappings:
  - name: incident-to-sn
    source_type: incident
    target_type: incident
    fields:
      - {source: Title, target: short_description, direction: BOTH}
      - {source: Title, target: description, sync_when: CREATE}
      - source: Status
        target: state
        value_map: {values: {triggered: New, acknowledged: In Progress, resolved: Resolved}}
      - source: Priority
        target: impact
        value_map: {values: {P1: 1 - High, P2: 1 - High, P3: 2 - Medium}, default_value: 3 - Low}
      - source: Priority
        target: urgency
        value_map: {values: {P1: 1 - High, P2: 2 - Medium, P3: 2 - Medium}, default_value: 3 - Low}
    comments: {direction: BOTH, kinds: [note, work_notes, comments]}
)";

// One integration "pd-sn" of kSnMapping from PagerDuty `services` to the
// ServiceNow incident table (IntegrationTo).
inline std::string SnIntegration(const std::string& services, const std::string& extra = "") {
  return IntegrationTo("pd-sn", "{system: servicenow, projects: [incident]}", "incident-to-sn",
                       services, extra);
}

}  // namespace ferry::e2e
