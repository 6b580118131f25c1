#!/usr/bin/env bash
# Plays each example config (besides pagerduty-jira.yaml, which the demo's
# story plays) against the simulators with the demo accounts, checking the
# promise its comments make:
#
#   status-updates-as-comments  a status update becomes a Jira comment, a
#                               note does not
#   several-services            incidents of two services land in the
#                               projects their integrations name
#   criteria                    a low-urgency incident is left out, a
#                               high-urgency one synced with its label, and
#                               Jira comments flow back
#   target-lookup-incident-key  an incident that already has the issue key
#                               as incident key is linked and updated, not
#                               duplicated; a new High issue pages anew, a
#                               Low one not at all
#
#   tools/demo/examples_test.sh --ferryd=PATH --ferryctl=PATH \
#       --pagerduty_sim=PATH --jira_sim=PATH --examples=DIR \
#       [--fixtures=tools/demo] [--workdir=DIR] [--step_timeout=30]
#
# After each, `ferryctl status` must show no failures. Exits 0 when every
# example kept its promise; otherwise names the example
# and step, shows ferryd's last log lines and exits 1. Stops everything it
# started, also on failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ferryd="" ferryctl="" pagerduty_sim="" jira_sim="" examples=""
fixtures="${here}"
workdir="${TEST_TMPDIR:-}"
step_timeout=30
# shellcheck source=tools/demo/lib.sh
source "${here}/lib.sh"
for arg in "$@"; do
  demo_flag "${arg}" && continue
  case "${arg}" in
    --examples=*) examples="${arg#*=}" ;;
    *) echo "examples_test: unknown argument '${arg}'" >&2; exit 2 ;;
  esac
done
[[ -d "${examples}" ]] || { echo "examples_test: --examples must name examples/" >&2; exit 2; }
demo_init

# The one issue JQL finds, once it exists: sets `issue`.
issue=""
one_issue() {
  issue="$(jira_issues "$1")"
  [[ -n "${issue}" && "$(wc -l <<<"${issue}")" -eq 1 ]]
}
incidents_with_key() {
  pd GET "/incidents?incident_key=$1&date_range=all" | jq '.incidents | length'
}

echo "== status-updates-as-comments.yaml"
start_run status-updates cloud "${examples}/status-updates-as-comments.yaml"
incident="$(trigger PSERVICE1 "Search is slow")"
wait_until "Jira task created" one_issue 'project = OPS AND summary ~ "Search is slow"'
pd POST "/incidents/${incident}/notes" '{"note": {"content": "Checking the index."}}' >/dev/null
pd POST "/incidents/${incident}/status_updates" \
  '{"message": "We found the cause; search recovers within 10 minutes."}' >/dev/null
wait_until "the status update is a Jira comment" \
  jira_has_comment "${issue}" "We found the cause; search recovers within 10 minutes."
jira_has_comment "${issue}" "Status update from" ||
  fail "the comment does not follow the example's template"
if jira_has_comment "${issue}" "Checking the index."; then
  fail "the note became a Jira comment; with pagerduty_source STATUS_UPDATES only status updates do"
fi

expect_no_failures

echo "== several-services.yaml"
start_run several-services dc "${examples}/several-services.yaml"
trigger PPAYMENTS "Card payments fail" \
  '{"priority": {"id": "PPRIO01", "type": "priority_reference"}}' >/dev/null
trigger PDATABASE "Replica lag" \
  '{"priority": {"id": "PPRIO04", "type": "priority_reference"}}' >/dev/null
wait_until "the payments incident is a SHOP task" \
  one_issue 'project = SHOP AND summary ~ "Card payments fail"'
jira_is "${issue}" .fields.priority.name Highest || fail "P1 did not become Highest"
wait_until "the database incident is a PLAT task" \
  one_issue 'project = PLAT AND summary ~ "Replica lag"'
jira_is "${issue}" .fields.priority.name Low || fail "P4 did not take the default, Low"

expect_no_failures

echo "== criteria.yaml"
start_run criteria cloud "${examples}/criteria.yaml"
trigger PSERVICE1 "Disk 80% full" '{"urgency": "low"}' >/dev/null
incident="$(trigger PSERVICE1 "API errors" '{"urgency": "high"}')"
wait_until "the high-urgency incident is a Jira bug" \
  one_issue 'project = OPS AND summary ~ "API errors"'
jira_field "${issue}" '.fields.labels[]' | grep -qx urgency-high ||
  fail "${issue} lacks the label urgency-high"
# Changes are read in order: the low-urgency incident came first.
[[ "$(jira_issues 'project = OPS' | wc -l)" -eq 1 ]] ||
  fail "the low-urgency incident was synced although the criteria leave it out"
jira POST "/issue/${issue}/comment" '{"body": "Looking at the API logs."}' >/dev/null
wait_until "the Jira comment is a PagerDuty note" \
  pd_has_note "${incident}" "Looking at the API logs."

expect_no_failures

echo "== target-lookup-incident-key.yaml"
start_run target-lookup dc "${examples}/target-lookup-incident-key.yaml"
existing="$(trigger PSERVICE1 "Checkout errors reported" '{"incident_key": "SUPPORT-1"}')"
new_issue() {  # SUMMARY PRIORITY: a SUPPORT task as Jules; prints its key
  jira POST /issue "$(jq -n --arg summary "$1" --arg priority "$2" \
    '{fields: {project: {key: "SUPPORT"}, issuetype: {name: "Task"}, summary: $summary,
               priority: {name: $priority}}}')" | jq -r .key
}
[[ "$(new_issue "ACME cannot check out" High)" == SUPPORT-1 ]] ||
  fail "the first SUPPORT issue is not SUPPORT-1; the demo Jira account has changed"
wait_until "the incident with key SUPPORT-1 is linked and updated" \
  pd_is "${existing}" .incident.title "[SUPPORT-1] ACME cannot check out"
[[ "$(new_issue "Invoice PDF has a typo" Low)" == SUPPORT-2 ]] || fail "expected SUPPORT-2"
[[ "$(new_issue "Payments time out for EU cards" Highest)" == SUPPORT-3 ]] ||
  fail "expected SUPPORT-3"
has_incident() { [[ "$(incidents_with_key "$1")" -eq 1 ]]; }
wait_until "SUPPORT-3 paged: a new incident with key SUPPORT-3" has_incident SUPPORT-3
[[ "$(incidents_with_key SUPPORT-1)" -eq 1 ]] || fail "SUPPORT-1 has a duplicate incident"
[[ "$(incidents_with_key SUPPORT-2)" -eq 0 ]] ||
  fail "SUPPORT-2 (priority Low) paged although the criteria leave it out"
pd_is "$(pd GET '/incidents?incident_key=SUPPORT-3&date_range=all' | jq -r '.incidents[0].id')" \
  .incident.urgency high || fail "priority Highest did not become urgency high"
expect_no_failures

echo
echo "examples_test: every example kept its promise"
