#!/usr/bin/env bash
# Runs a real Jira client against a freshly started Jira simulator.
#
#   with_jira_sim.sh <jira_sim binary> <fixture> <dc|cloud> <command...>
#
# Starts the simulator on an OS-chosen port (port file in $TEST_TMPDIR),
# exports JIRA_SIM_URL, runs the command, then stops the simulator it
# started. A command exiting 77 means "client not installed": the test is
# then reported as skipped in Bazel's XML (with the command's message) and
# passes.
set -euo pipefail

sim="$1" fixture="$2" mode="$3"
shift 3

tmp="${TEST_TMPDIR:-$(mktemp -d)}"
port_file="${tmp}/jira_sim.port"
rm -f "${port_file}"
"${sim}" --mode="${mode}" --fixture="${fixture}" --port_file="${port_file}" \
  >"${tmp}/jira_sim.log" 2>&1 &
sim_pid=$!
trap 'kill "${sim_pid}" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  [[ -s "${port_file}" ]] && break
  sleep 0.1
done
if [[ ! -s "${port_file}" ]]; then
  echo "jira_sim did not start:" >&2
  cat "${tmp}/jira_sim.log" >&2
  exit 1
fi
export JIRA_SIM_URL="http://127.0.0.1:$(cat "${port_file}")"

status=0
"$@" >"${tmp}/client.out" 2>&1 || status=$?
cat "${tmp}/client.out"
if ((status == 77)); then
  message="$(tail -n 1 "${tmp}/client.out" | sed 's/[<>&"]/_/g')"
  if [[ -n "${XML_OUTPUT_FILE:-}" ]]; then
    cat >"${XML_OUTPUT_FILE}" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="${TEST_TARGET:-client}" tests="1" skipped="1">
<testcase name="session" status="notrun"><skipped message="${message}"/></testcase>
</testsuite></testsuites>
XML
  fi
  exit 0
fi
exit "${status}"
