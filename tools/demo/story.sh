#!/usr/bin/env bash
# The demo's incident story, given built binaries: starts the PagerDuty and
# Jira simulators with the demo accounts, runs ferryd with
# examples/pagerduty-jira.yaml pointed at them, plays an incident from
# trigger to resolve and shows what each side holds after every step.
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
for arg in "$@"; do
  case "${arg}" in
    --ferryd=*) ferryd="${arg#*=}" ;;
    --ferryctl=*) ferryctl="${arg#*=}" ;;
    --pagerduty_sim=*) pagerduty_sim="${arg#*=}" ;;
    --jira_sim=*) jira_sim="${arg#*=}" ;;
    --example=*) example="${arg#*=}" ;;
    --fixtures=*) fixtures="${arg#*=}" ;;
    --workdir=*) workdir="${arg#*=}" ;;
    --step_timeout=*) step_timeout="${arg#*=}" ;;
    *) echo "story: unknown argument '${arg}' (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
for name in ferryd ferryctl pagerduty_sim jira_sim; do
  if [[ ! -x "${!name}" ]]; then
    echo "story: --${name} must name the built binary (got '${!name}')" >&2
    exit 2
  fi
done
for tool in curl jq; do
  if ! command -v "${tool}" >/dev/null; then
    echo "story: needs ${tool}; tools/bootstrap.sh installs it" >&2
    exit 2
  fi
done

if [[ -z "${workdir}" ]]; then
  workdir="$(mktemp -d "${TMPDIR:-/tmp}/ferry-demo.XXXXXX")"
fi
mkdir -p "${workdir}"

# --- processes: every child is stopped on exit -----------------------------
children=()
# Whether PID still runs (an exited child that is not yet reaped does not).
running() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "${stat##*) }" != Z* ]]
}
# Stops the children newest first, so ferryd stops while the simulators
# still answer: SIGTERM (ferryd closes its state cleanly), then SIGKILL if
# one still runs 10 s later.
stop_children() {
  local i pid deadline
  for ((i = ${#children[@]} - 1; i >= 0; i--)); do
    pid="${children[i]}"
    kill -TERM "${pid}" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while running "${pid}" && ((SECONDS < deadline)); do sleep 0.1; done
    kill -KILL "${pid}" 2>/dev/null || true
    wait "${pid}" 2>/dev/null || true
  done
  children=()
}
trap 'stop_children' EXIT
: >"${workdir}/children"

# start NAME COMMAND...: runs COMMAND in the background, its output in
# WORKDIR/NAME.log, and records it in WORKDIR/children ("pid name" lines).
start() {
  local name="$1"
  shift
  "$@" >"${workdir}/${name}.log" 2>&1 &
  children+=($!)
  echo "$! ${name}" >>"${workdir}/children"
}
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  echo >&2
  echo "story: FAILED: $*" >&2
  if [[ -s "${workdir}/ferryd.log" ]]; then
    echo "story: ferryd's last log lines (${workdir}/ferryd.log):" >&2
    tail -n 15 "${workdir}/ferryd.log" >&2
  fi
  exit 1
}

# Waits until FILE is non-empty; the simulators write their port there.
wait_for_file() {
  local file="$1" what="$2" deadline=$((SECONDS + step_timeout))
  until [[ -s "${file}" ]]; do
    ((SECONDS < deadline)) || fail "${what} did not start within ${step_timeout}s"
    sleep 0.1
  done
}

# Runs "$@" every 0.2 s until it succeeds; fails the story after
# --step_timeout seconds with WHAT in the message.
wait_until() {
  local what="$1" start=${SECONDS}
  shift
  until "$@"; do
    ((SECONDS - start < step_timeout)) || fail "${what}: not seen within ${step_timeout}s"
    sleep 0.2
  done
  echo "   ✓ ${what} ($((SECONDS - start))s)"
}

# --- the simulators --------------------------------------------------------
start pagerduty_sim "${pagerduty_sim}" --seed="${fixtures}/pagerduty_seed.json" \
  --port_file="${workdir}/pagerduty.port"
start jira_sim "${jira_sim}" --mode=cloud --fixture="${fixtures}/jira_fixture.json" \
  --port_file="${workdir}/jira.port"
wait_for_file "${workdir}/pagerduty.port" "the PagerDuty simulator"
wait_for_file "${workdir}/jira.port" "the Jira simulator"
pd_url="http://127.0.0.1:$(cat "${workdir}/pagerduty.port")"
jira_url="http://127.0.0.1:$(cat "${workdir}/jira.port")"

# --- ferryd with the example, pointed at the simulators --------------------
# The example stays the file users copy; only its end points and poll
# interval change here, and each change is checked to have happened.
config="${workdir}/pagerduty-jira.yaml"
sed -e "s|url: https://api.pagerduty.com|url: ${pd_url}|" \
    -e "s|url: https://example.atlassian.net|url: ${jira_url}|" \
    -e "s|poll_interval: 30s|poll_interval: 1s|" \
    "${example}" >"${config}"
for expected in "url: ${pd_url}" "url: ${jira_url}" "poll_interval: 1s"; do
  grep -qF "${expected}" "${config}" ||
    fail "could not set '${expected}' in a copy of ${example}; has its url or poll_interval changed?"
done
export PD_TOKEN=demo-ferry-token JIRA_TOKEN=demo-jira-token
start ferryd "${ferryd}" --config="${config}" --state_dir="${workdir}/state" \
  --control_listen=127.0.0.1:0 --metrics_listen=127.0.0.1:0
ferryd_pid="${children[-1]}"

control_port=""
find_control_port() {
  running "${ferryd_pid}" || fail "ferryd exited at start"
  control_port="$(grep -m1 '"ferryd.started"' "${workdir}/ferryd.log" |
    jq -r '.control_port // empty' 2>/dev/null || true)"
  [[ -n "${control_port}" ]]
}
echo "Ferry demo: PagerDuty simulator ${pd_url}, Jira simulator ${jira_url}"
wait_until "ferryd started with $(basename "${example}")" find_control_port
echo "   (files, logs and state: ${workdir})"

# --- the two sides, as people use them -------------------------------------
pd() {  # METHOD PATH [BODY]: PagerDuty as Olivia, the on-call engineer
  curl -sS --fail-with-body -X "$1" "${pd_url}$2" \
    -H 'Authorization: Token token=demo-oncall-token' -H 'From: olivia@example.com' \
    -H 'Accept: application/vnd.pagerduty+json;version=2' \
    -H 'Content-Type: application/json' ${3:+--data "$3"}
}
jira() {  # METHOD PATH [BODY]: Jira as Jules, the engineer on the issue
  curl -sS --fail-with-body -X "$1" "${jira_url}/rest/api/2$2" \
    -u 'jules@example.com:demo-engineer-token' \
    -H 'Content-Type: application/json' ${3:+--data "$3"}
}

incident_id="" issue_key=""
pd_field() { pd GET "/incidents/${incident_id}" | jq -r "$1"; }
pd_notes() { pd GET "/incidents/${incident_id}/notes" | jq -r '.notes[].content'; }
jira_field() { jira GET "/issue/${issue_key}" | jq -r "$1"; }
jira_comments() { jira GET "/issue/${issue_key}/comment" | jq -r '.comments[].body'; }

# One line per side: what a person looking at it would see.
# Notes and comments are shown by their first lines, quoted.
first_lines='[.[] | split("\n")[0] | "\"" + . + "\""] | join("; ")'
show() {
  local notes comments
  notes="$(pd GET "/incidents/${incident_id}/notes" | jq -r "[.notes[].content] | ${first_lines}")"
  comments="$(jira GET "/issue/${issue_key}/comment" | jq -r "[.comments[].body] | ${first_lines}")"
  printf '   PagerDuty  #%s  %-12s %-3s notes: %s\n' \
    "$(pd_field .incident.incident_number)" "$(pd_field .incident.status)" \
    "$(pd_field '.incident.priority.name // "-"')" "${notes:-none}"
  printf '   Jira       %s  %-12s %-7s comments: %s\n' "${issue_key}" \
    "$(jira_field .fields.status.name)" "$(jira_field '.fields.priority.name // "-"')" \
    "${comments:-none}"
}

# --- the story ---------------------------------------------------------------
step() { echo; echo "$*"; }

step "1. PagerDuty: Olivia triggers \"Checkout is down\" (P2) on the Checkout service"
incident_id="$(pd POST /incidents '{"incident": {"type": "incident",
  "title": "Checkout is down",
  "service": {"id": "PSERVICE1", "type": "service_reference"},
  "priority": {"id": "PPRIO02", "type": "priority_reference"},
  "body": {"type": "incident_body", "details": "Error rate above 20% since 14:02."}}}' |
  jq -r .incident.id)"
find_issue() {
  issue_key="$(jira GET "/search/jql?jql=project%3DOPS&fields=summary" |
    jq -r '.issues[0].key // empty')"
  [[ -n "${issue_key}" ]]
}
wait_until "Jira issue created" find_issue
issue_is() { [[ "$(jira_field "$1")" == "$2" ]]; }
wait_until "Jira shows To Do, priority High" \
  eval 'issue_is .fields.status.name "To Do" && issue_is .fields.priority.name High'
has_note() { pd_notes | grep -qF "$1"; }
wait_until "PagerDuty notes the Jira key" has_note "${issue_key}"
show

step "2. PagerDuty: Olivia acknowledges"
pd PUT "/incidents/${incident_id}" \
  '{"incident": {"type": "incident_reference", "status": "acknowledged"}}' >/dev/null
wait_until "Jira moved to In Progress" issue_is .fields.status.name "In Progress"
show

step "3. PagerDuty: Olivia adds a note"
pd POST "/incidents/${incident_id}/notes" \
  '{"note": {"content": "Rolling back deploy 4711."}}' >/dev/null
has_comment() { jira_comments | grep -qF "$1"; }
wait_until "the note is a Jira comment" has_comment "Rolling back deploy 4711."
show

step "4. PagerDuty: Olivia raises the priority to P1"
pd PUT "/incidents/${incident_id}" '{"incident": {"type": "incident_reference",
  "priority": {"id": "PPRIO01", "type": "priority_reference"}}}' >/dev/null
wait_until "Jira priority is Highest" issue_is .fields.priority.name Highest
show

step "5. Jira: Jules comments on ${issue_key}"
jira POST "/issue/${issue_key}/comment" \
  '{"body": "Rollback done, error rate back to 0.1%."}' >/dev/null
wait_until "the comment is a PagerDuty note" has_note "Rollback done, error rate back to 0.1%."
show

step "6. Jira: Jules resolves ${issue_key} (Done)"
done_id="$(jira GET "/issue/${issue_key}/transitions" |
  jq -r '.transitions[] | select(.to.name == "Done") | .id' | head -n1)"
[[ -n "${done_id}" ]] || fail "Jira offers no transition to Done for ${issue_key}"
jira POST "/issue/${issue_key}/transitions" "{\"transition\": {\"id\": \"${done_id}\"}}" >/dev/null
incident_is() { [[ "$(pd_field .incident.status)" == "$1" ]]; }
wait_until "PagerDuty incident resolved" incident_is resolved
show

step "7. ferryctl status"
"${ferryctl}" --server="127.0.0.1:${control_port}" status ||
  fail "ferryctl status could not reach ferryd on 127.0.0.1:${control_port}"
echo
echo "Ferry demo: the incident went both ways; everything it started is stopped."
