#!/usr/bin/env bash
# The README's first command: shows Ferry syncing PagerDuty and Jira both
# ways, end to end, against the local simulators.
#
#   tools/demo.sh
#
# Installs what is missing (tools/bootstrap.sh), builds ferryd, ferryctl and
# both simulators, then plays tools/demo/story.sh: the simulators start with
# the demo accounts (tools/demo/*.json), ferryd runs
# examples/pagerduty-jira.yaml pointed at them, and an incident goes from
# trigger to resolve, then a monitoring tool opens one through PagerDuty's
# Events API, while each step shows what PagerDuty and Jira hold.
# It ends with `ferryctl status` and stops everything it started, also on
# failure or Ctrl-C. Extra arguments go to story.sh (--step_timeout=SECONDS,
# --workdir=DIR to keep the logs and state).
set -euo pipefail

cd "$(dirname "$0")/.."
tools/bootstrap.sh
targets=(//engine/ferryd //tools/ferryctl //tools/pagerduty_sim //tools/jira_sim)
echo "demo: building ${targets[*]}"
bazel build "${targets[@]}"
bin="$(bazel info bazel-bin 2>/dev/null)"

exec tools/demo/story.sh \
  --ferryd="${bin}/engine/ferryd/ferryd" \
  --ferryctl="${bin}/tools/ferryctl/ferryctl" \
  --pagerduty_sim="${bin}/tools/pagerduty_sim/pagerduty_sim" \
  --jira_sim="${bin}/tools/jira_sim/jira_sim" \
  --example=examples/pagerduty-jira.yaml \
  --fixtures=tools/demo \
  "$@"
