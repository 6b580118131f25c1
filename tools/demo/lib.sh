# shellcheck shell=bash
# shellcheck disable=SC2154  # the sourcing script sets the variables below
# Shared by the demo's story (story.sh) and the examples' scenarios
# (examples_test.sh); sourced, not run. It starts the simulators with the
# demo accounts and ferryd with an example config pointed at them, acts on
# both sides as people do, and waits, bounded, for changes to arrive.
#
# The sourcing script sets, before calling anything here:
#   ferryd, ferryctl, pagerduty_sim, jira_sim   built binaries
#   fixtures       the folder with pagerduty_seed.json and jira_fixture.json
#   workdir        where logs, ports, config copies and state go
#   step_timeout   seconds a wait may take before the run fails
# and then calls demo_init.

# Takes one of the flags both scripts share (--ferryd, --ferryctl,
# --pagerduty_sim, --jira_sim, --fixtures, --workdir, --step_timeout=VALUE)
# into the variable of its name; returns 1 for any other argument.
demo_flag() {
  case "$1" in
    --ferryd=*) ferryd="${1#*=}" ;;
    --ferryctl=*) ferryctl="${1#*=}" ;;
    --pagerduty_sim=*) pagerduty_sim="${1#*=}" ;;
    --jira_sim=*) jira_sim="${1#*=}" ;;
    --fixtures=*) fixtures="${1#*=}" ;;
    --workdir=*) workdir="${1#*=}" ;;
    --step_timeout=*) step_timeout="${1#*=}" ;;
    *) return 1 ;;
  esac
}

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

# Checks the binaries and tools, creates `workdir`, and makes every exit
# (success, failure, Ctrl-C, SIGTERM) stop the children first.
demo_init() {
  local name tool
  for name in ferryd ferryctl pagerduty_sim jira_sim; do
    if [[ ! -x "${!name}" ]]; then
      echo "$(basename "$0"): --${name} must name the built binary (got '${!name}')" >&2
      exit 2
    fi
  done
  for tool in curl jq; do
    if ! command -v "${tool}" >/dev/null; then
      echo "$(basename "$0"): needs ${tool}; tools/bootstrap.sh installs it" >&2
      exit 2
    fi
  done
  if [[ -z "${workdir}" ]]; then
    workdir="$(mktemp -d "${TMPDIR:-/tmp}/ferry-demo.XXXXXX")"
  fi
  mkdir -p "${workdir}"
  : >"${workdir}/children"
  trap 'stop_children' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# start NAME COMMAND...: runs COMMAND in the background, its output in
# RUN/NAME.log, and records it in WORKDIR/children ("pid name" lines).
start() {
  local name="$1"
  shift
  "$@" >"${run}/${name}.log" 2>&1 &
  children+=($!)
  echo "$! ${name}" >>"${workdir}/children"
}

fail() {
  echo >&2
  echo "$(basename "$0"): FAILED: $*" >&2
  if [[ -s "${run:-}/ferryd.log" ]]; then
    echo "ferryd's last log lines (${run}/ferryd.log):" >&2
    tail -n 15 "${run}/ferryd.log" >&2
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

# wait_until WHAT COMMAND...: runs COMMAND every 0.2 s until it succeeds;
# fails the run after step_timeout seconds, naming WHAT.
wait_until() {
  local what="$1" start=${SECONDS}
  shift
  until "$@"; do
    ((SECONDS - start < step_timeout)) || fail "${what}: not seen within ${step_timeout}s"
    sleep 0.2
  done
  echo "   ✓ ${what} ($((SECONDS - start))s)"
}

# --- a run: the simulators and ferryd with one example ----------------------
run="" pd_url="" jira_url="" jira_auth=() jira_search="" control_port="" ferryd_pid=""

# start_run NAME JIRA_MODE EXAMPLE: stops what a previous run started, then
# starts both simulators with the demo accounts (Jira as `cloud` or `dc`)
# and ferryd with a copy of EXAMPLE whose end points are the simulators,
# polling every second. Files go to WORKDIR/NAME.
start_run() {
  local name="$1" mode="$2" example="$3"
  stop_children
  run="${workdir}/${name}"
  mkdir -p "${run}"
  start pagerduty_sim "${pagerduty_sim}" --seed="${fixtures}/pagerduty_seed.json" \
    --port_file="${run}/pagerduty.port"
  start jira_sim "${jira_sim}" --mode="${mode}" --fixture="${fixtures}/jira_fixture.json" \
    --port_file="${run}/jira.port"
  wait_for_file "${run}/pagerduty.port" "the PagerDuty simulator"
  wait_for_file "${run}/jira.port" "the Jira simulator"
  pd_url="http://127.0.0.1:$(cat "${run}/pagerduty.port")"
  jira_url="http://127.0.0.1:$(cat "${run}/jira.port")"
  if [[ "${mode}" == cloud ]]; then
    jira_auth=(-u 'jules@example.com:demo-engineer-token')
    jira_search=/search/jql
  else
    jira_auth=(-H 'Authorization: Bearer demo-engineer-pat')
    jira_search=/search
  fi

  # The example stays the file users copy; only its end points, secret file
  # and poll intervals change here, and each change is checked.
  local config
  config="${run}/$(basename "${example}")"
  sed -e "s|url: https://api.pagerduty.com|url: ${pd_url}|" \
      -e "s|url: https://example.atlassian.net|url: ${jira_url}|" \
      -e "s|url: https://jira.example.com|url: ${jira_url}|" \
      -e "s|{file: /run/secrets/jira-pat}|{file: ${run}/jira-pat}|" \
      -e "s|poll_interval: [0-9hms]*|poll_interval: 1s|" \
      "${example}" >"${config}"
  if grep -E '^ *url:' "${config}" | grep -vqF "url: http://127.0.0.1:" ||
     grep -E '^ *poll_interval:' "${config}" | grep -vqE 'poll_interval: 1s( |$)'; then
    fail "could not point every url and poll_interval of ${example} at the simulators"
  fi
  echo 'demo-jira-token' >"${run}/jira-pat"
  export PD_TOKEN=demo-ferry-token JIRA_TOKEN=demo-jira-token
  # The simulators are local: no proxy a user's shell names may stand between.
  export no_proxy="127.0.0.1,localhost${no_proxy:+,${no_proxy}}"
  export NO_PROXY="${no_proxy}"
  start ferryd "${ferryd}" --config="${config}" --state_dir="${run}/state" \
    --control_listen=127.0.0.1:0 --metrics_listen=127.0.0.1:0
  ferryd_pid="${children[-1]}"
  control_port=""
  wait_until "ferryd started with $(basename "${example}")" ferryd_started
}

ferryd_started() {
  running "${ferryd_pid}" || fail "ferryd exited at start"
  control_port="$(grep -m1 '"ferryd.started"' "${run}/ferryd.log" 2>/dev/null |
    jq -r '.control_port // empty' 2>/dev/null || true)"
  [[ -n "${control_port}" ]]
}

# --- the two sides, as people use them ---------------------------------------
# pd METHOD PATH [BODY]: PagerDuty's REST API as Olivia, the on-call engineer.
pd() {
  curl -sS --noproxy '*' --fail-with-body -X "$1" "${pd_url}$2" \
    -H 'Authorization: Token token=demo-oncall-token' -H 'From: olivia@example.com' \
    -H 'Accept: application/vnd.pagerduty+json;version=2' \
    -H 'Content-Type: application/json' ${3:+--data "$3"}
}

# jira METHOD PATH [BODY]: Jira's REST API v2 as Jules, an engineer.
jira() {
  curl -sS --noproxy '*' --fail-with-body -X "$1" "${jira_url}/rest/api/2$2" "${jira_auth[@]}" \
    -H 'Content-Type: application/json' ${3:+--data "$3"}
}

# trigger SERVICE TITLE [EXTRA_JSON]: opens an incident as Olivia; prints
# its id. EXTRA_JSON is merged into the incident ({"urgency": "low"}).
trigger() {
  local body
  body="$(jq -n --arg service "$1" --arg title "$2" --argjson extra "${3:-{\}}" \
    '{incident: ({type: "incident", title: $title,
                  service: {id: $service, type: "service_reference"}} + $extra)}')"
  pd POST /incidents "${body}" | jq -r .incident.id
}

# jira_issues JQL: the keys of the issues JQL finds, one a line.
jira_issues() {
  jira GET "${jira_search}?jql=$(jq -rn --arg q "$1" '$q | @uri')&fields=summary" |
    jq -r '.issues[].key'
}

# Notes and comments print as their first lines, quoted, joined by "; ".
# shellcheck disable=SC2034  # used by the sourcing scripts
first_lines='[.[] | split("\n")[0] | "\"" + . + "\""] | join("; ")'
pd_notes() { pd GET "/incidents/$1/notes" | jq -r '.notes[].content'; }
jira_comments() { jira GET "/issue/$1/comment" | jq -r '.comments[].body'; }
pd_has_note() { pd_notes "$1" | grep -qF "$2"; }
jira_has_comment() { jira_comments "$1" | grep -qF "$2"; }
pd_field() { pd GET "/incidents/$1" | jq -r "$2"; }
jira_field() { jira GET "/issue/$1" | jq -r "$2"; }
pd_is() { [[ "$(pd_field "$1" "$2")" == "$3" ]]; }
jira_is() { [[ "$(jira_field "$1" "$2")" == "$3" ]]; }

# Fails the run unless `ferryctl status` shows no failures for any
# integration of the current run.
expect_no_failures() {
  local table
  table="$("${ferryctl}" --server="127.0.0.1:${control_port}" status)" ||
    fail "ferryctl status could not reach ferryd on 127.0.0.1:${control_port}"
  # OPEN FAILURES is the third column from the end (LINKED PAIRS and
  # COMMENTS follow it).
  if awk 'NR > 1 && $(NF - 2) != 0 { bad = 1 } END { exit !bad }' <<<"${table}"; then
    fail "ferryd reports failures:"$'\n'"${table}"
  fi
}
