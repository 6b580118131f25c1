#!/usr/bin/env bash
# Installs the official PagerDuty JS client pinned in package.json
# (@pagerduty/pdjs 2.2.4, exact tree in package-lock.json) into tools/clients/pagerduty/node_modules, which
# git and Bazel ignore. //tools/pagerduty_sim:pdjs_client_test uses it and
# skips when it is missing. Needs Node.js and npm; safe to run again.
set -euo pipefail

cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: install Node.js 20 and npm to check the simulator with pdjs" >&2
  exit 1
fi
if [[ -f node_modules/@pagerduty/pdjs/package.json ]] &&
   grep -q '"version": "2.2.4"' node_modules/@pagerduty/pdjs/package.json; then
  echo "@pagerduty/pdjs 2.2.4 already installed"
  exit 0
fi
npm ci --no-audit --no-fund
