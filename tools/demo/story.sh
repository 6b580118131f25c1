#!/usr/bin/env bash
# The demo's incident story, given built binaries: starts the PagerDuty and
# Jira simulators with the demo accounts, runs ferryd with
# examples/pagerduty-jira.yaml pointed at them, plays an incident from
# trigger to resolve, then has a monitoring tool open one through the Events
# API, and shows what each side holds after every step.
#
#   tools/demo/story.sh --ferryd=PATH --ferryctl=PATH --pagerduty_sim=PATH \
#       --jira_sim=PATH [--example=examples/pagerduty-jira.yaml] \
#       [--fixtures=tools/demo] [--workdir=DIR] [--step_timeout=30]
#
# tools/demo.sh builds the binaries and calls this; //tools/demo:story_test
# runs it in CI. Each step waits (at most --step_timeout seconds) until its
# change has arrived on the other side; otherwise it names the step, shows
# ferryd's last log lines and exits 1. Exits 0 after the final
# `ferryctl status`. Every process it starts is stopped when it exits, on
# success, failure or Ctrl-C.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ferryd="" ferryctl="" pagerduty_sim="" jira_sim=""
example="${here}/../../examples/pagerduty-jira.yaml"
fixtures="${here}"
workdir=""
step_timeout=30
# shellcheck source=tools/demo/lib.sh
source "${here}/lib.sh"
for arg in "$@"; do
  demo_flag "${arg}" && continue
  case "${arg}" in
    --example=*) example="${arg#*=}" ;;
    *) echo "story: unknown argument '${arg}' (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
demo_init

start_run story cloud "${example}"
echo "Ferry demo: PagerDuty simulator ${pd_url}, Jira simulator ${jira_url}"
echo "   (files, logs and state: ${run})"

incident="" issue=""
# One line per side: what a person looking at it would see.
show() {
  local notes comments
  notes="$(pd GET "/incidents/${incident}/notes" | jq -r "[.notes[].content] | ${first_lines}")"
  comments="$(jira GET "/issue/${issue}/comment" | jq -r "[.comments[].body] | ${first_lines}")"
  printf '   PagerDuty  #%s  %-12s %-3s notes: %s\n' \
    "$(pd_field "${incident}" .incident.incident_number)" \
    "$(pd_field "${incident}" .incident.status)" \
    "$(pd_field "${incident}" '.incident.priority.name // "-"')" "${notes:-none}"
  printf '   Jira       %s  %-12s %-7s comments: %s\n' "${issue}" \
    "$(jira_field "${issue}" .fields.status.name)" \
    "$(jira_field "${issue}" '.fields.priority.name // "-"')" "${comments:-none}"
}
step() { echo; echo "$*"; }

step "1. PagerDuty: Olivia triggers \"Checkout is down\" (P2) on the Checkout service"
incident="$(trigger PSERVICE1 "Checkout is down" '{
  "priority": {"id": "PPRIO02", "type": "priority_reference"},
  "body": {"type": "incident_body", "details": "Error rate above 20% since 14:02."}}')"
find_issue() {
  issue="$(jira_issues "project = OPS" | head -n1)"
  [[ -n "${issue}" ]]
}
wait_until "Jira issue created" find_issue
issue_is_new_and_high() {
  jira_is "${issue}" .fields.status.name "To Do" && jira_is "${issue}" .fields.priority.name High
}
wait_until "Jira shows To Do, priority High" issue_is_new_and_high
wait_until "PagerDuty notes the Jira key" pd_has_note "${incident}" "${issue}"
show

step "2. PagerDuty: Olivia acknowledges"
pd PUT "/incidents/${incident}" \
  '{"incident": {"type": "incident_reference", "status": "acknowledged"}}' >/dev/null
wait_until "Jira moved to In Progress" jira_is "${issue}" .fields.status.name "In Progress"
show

step "3. PagerDuty: Olivia adds a note"
pd POST "/incidents/${incident}/notes" \
  '{"note": {"content": "Rolling back deploy 4711."}}' >/dev/null
wait_until "the note is a Jira comment" jira_has_comment "${issue}" "Rolling back deploy 4711."
show

step "4. PagerDuty: Olivia raises the priority to P1"
pd PUT "/incidents/${incident}" '{"incident": {"type": "incident_reference",
  "priority": {"id": "PPRIO01", "type": "priority_reference"}}}' >/dev/null
wait_until "Jira priority is Highest" jira_is "${issue}" .fields.priority.name Highest
show

step "5. Jira: Jules comments on ${issue}"
jira POST "/issue/${issue}/comment" \
  '{"body": "Rollback done, error rate back to 0.1%."}' >/dev/null
wait_until "the comment is a PagerDuty note" \
  pd_has_note "${incident}" "Rollback done, error rate back to 0.1%."
show

step "6. Jira: Jules resolves ${issue} (Done)"
done_id="$(jira GET "/issue/${issue}/transitions" |
  jq -r '.transitions[] | select(.to.name == "Done") | .id' | head -n1)"
[[ -n "${done_id}" ]] || fail "Jira offers no transition to Done for ${issue}"
jira POST "/issue/${issue}/transitions" "{\"transition\": {\"id\": \"${done_id}\"}}" >/dev/null
wait_until "PagerDuty incident resolved" pd_is "${incident}" .incident.status resolved
show

step "7. Monitoring: Prometheus opens an incident through PagerDuty's Events API"
curl -sS --noproxy '*' --fail-with-body -X POST "${pd_url}/v2/enqueue" \
  -H 'Content-Type: application/json' --data '{
  "routing_key": "c0ffee00c0ffee00c0ffee00c0ffee00", "event_action": "trigger",
  "dedup_key": "checkout-latency", "payload": {
    "summary": "Checkout p99 latency above 2 s", "source": "checkout-api-1",
    "severity": "error", "custom_details": {"p99_ms": 2350, "region": "eu-west"}}}' >/dev/null
incident="$(pd GET "/incidents?incident_key=checkout-latency" | jq -r '.incidents[0].id // empty')"
[[ -n "${incident}" ]] || fail "PagerDuty opened no incident for the event"
first_issue="${issue}"
find_alert_issue() {
  issue="$(jira_issues "project = OPS" | grep -vxF "${first_issue}" | head -n1)"
  [[ -n "${issue}" ]]
}
wait_until "the monitoring tool's incident is a Jira issue" find_alert_issue
alert_details_shown() {
  jira_field "${issue}" .fields.description | grep -qF "p99_ms: 2350"
}
wait_until "Jira's description shows the alert's details" alert_details_shown
show

step "8. ferryctl status"
"${ferryctl}" --server="127.0.0.1:${control_port}" status ||
  fail "ferryctl status could not reach ferryd on 127.0.0.1:${control_port}"
expect_no_failures
echo
echo "Ferry demo: the incident went both ways; everything it started is stopped."
