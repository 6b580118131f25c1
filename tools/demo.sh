#!/usr/bin/env bash
# The README's first command: shows Ferry syncing PagerDuty and Jira end to
# end against the local simulators.
#
# Not yet available. Its parts exist (both simulators, both connectors,
# ferryd and ferryctl), but the scripted incident story that starts them,
# plays the steps and prints what each side shows is the demo issue's work.
# Until it lands this says so and fails, rather than pretending.
set -euo pipefail
echo "ferry demo: not yet available." >&2
echo "The simulators (tools/pagerduty_sim, tools/jira_sim), the connectors," >&2
echo "ferryd and ferryctl exist; the scripted story that drives them does not." >&2
echo "Run the tests instead: tools/test.sh" >&2
exit 1
