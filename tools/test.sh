#!/usr/bin/env bash
# Runs Ferry's whole test suite from a fresh clone: installs what it needs
# (tools/bootstrap.sh), then `bazel test //...`, and ends with one line
#
#   N passed, N failed[, N skipped]
#
# counted from Bazel's own results: the test cases in each test's XML
# report, and a failed test target that reports no failing case (it did not
# build, crashed or timed out) counts as one failure. Exit status is
# non-zero on any failure. Extra arguments go to `bazel test`.
set -euo pipefail

cd "$(dirname "$0")/.."
tools/bootstrap.sh
# The real clients the simulators are checked with (pinned; their tests
# say they skipped when a client could not be installed).
tools/clients/install_jira_clients.sh
tools/clients/pagerduty/install.sh
tools/clients/servicenow/install.sh

events="$(mktemp -t ferry-bep.XXXXXX.json)"
trap 'rm -f "${events}"' EXIT

status=0
bazel test //... --keep_going --build_event_json_file="${events}" "$@" || status=$?

python3 tools/test_counts.py "${events}" || status=$?
# Bazel exits 4 when there was nothing to test; that is a failure here too.
exit "${status}"
