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

// One integration "pd-jira" of kIncidentMapping from PagerDuty `services`
// (a YAML list body, "PSVCWEB") to Jira OPS, both ways, polling every
// 0.2 s, retrying a failed write up to 50 times, with `extra` lines
// (indented four spaces) appended.
inline std::string Integration(const std::string& services,
                               const std::string& extra = "") {
  return std::string(R"(integrations:
  - name: pd-jira
    source: {system: pagerduty, projects: [)") +
         services + R"(]}
    target: {system: jira, projects: [OPS]}
    mapping: incident-to-task
    direction: BOTH
    poll_interval: 0.2s
    retry: {max_attempts: 50, initial_backoff: 0.2s, max_backoff: 1s}
)" + extra;
}

}  // namespace ferry::e2e
