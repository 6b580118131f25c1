#!/usr/bin/env bash
# Runs the demo's story (story.sh, its path first, then its flags) and checks
# that every step arrived, that it ended with ferryd's status table, and
# that none of the processes it started is still running.
set -euo pipefail

story="$1"
shift
workdir="${TEST_TMPDIR}/demo"
output="${TEST_TMPDIR}/story.out"

status=0
"${story}" "$@" --workdir="${workdir}" --step_timeout=60 2>&1 | tee "${output}" ||
  status=$?
if ((status != 0)); then
  echo "story_test: the story failed (exit ${status}); its output is above" >&2
  exit 1
fi

for expected in "PagerDuty incident resolved" "the monitoring tool's incident is a Jira issue" \
                "INTEGRATION" "pagerduty-jira" \
                "everything it started is stopped"; do
  if ! grep -qF "${expected}" "${output}"; then
    echo "story_test: the story's output lacks '${expected}'" >&2
    exit 1
  fi
done

while read -r pid name; do
  if kill -0 "${pid}" 2>/dev/null; then
    echo "story_test: ${name} (pid ${pid}) still runs after the story ended" >&2
    kill -KILL "${pid}" 2>/dev/null || true
    exit 1
  fi
done <"${workdir}/children"
echo "story_test: the story passed and left nothing running"
