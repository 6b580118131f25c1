#!/usr/bin/env bash
# The README's first command: shows Ferry syncing PagerDuty and Jira end to
# end against the local simulators.
#
# Not yet available: the simulators, connectors and engine it needs are
# still being built (see `issues`). Until they land it says so and fails,
# rather than pretending.
set -euo pipefail
echo "ferry demo: not yet available." >&2
echo "It needs the PagerDuty and Jira simulators, both connectors and the" >&2
echo "engine; today only the build, the protos and config loading exist." >&2
echo "Run the tests instead: tools/test.sh" >&2
exit 1
