#!/usr/bin/env bash
# Runs a jira.js script with JIRA_JS_DIR pointing at the node_modules that
# tools/clients/install_jira_clients.sh fills (outside Bazel's view: found
# through this file's real path in the source tree). Exits 77 (skip) when
# node is missing.
set -euo pipefail
if ! command -v node >/dev/null; then
  echo "SKIPPED: node is not installed; jira.js cannot run"
  exit 77
fi
source_dir="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
export JIRA_JS_DIR="${source_dir}/../../clients/jira/node_modules"
exec node "$1"
