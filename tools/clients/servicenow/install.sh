#!/usr/bin/env bash
# Installs the npm ServiceNow client pinned in package.json
# (servicenow-rest-api 1.2.2, exact tree in package-lock.json) into
# tools/clients/servicenow/node_modules, which git and Bazel ignore.
# //tools/servicenow_sim/clients:servicenow_rest_api_test uses it and skips,
# saying why, when it is missing. Needs Node.js and npm; safe to run again.
# Exits 0 and says why when it cannot install (no npm, no network), so
# tools/test.sh goes on and the test reports itself skipped.
set -euo pipefail

cd "$(dirname "$0")"
readonly VERSION="1.2.2"
installed="$(node -p "require('./node_modules/servicenow-rest-api/package.json').version" 2>/dev/null || true)"
if [[ "${installed}" == "${VERSION}" ]]; then
  echo "servicenow-rest-api ${VERSION} already installed"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: install Node.js 20 and npm to check the ServiceNow simulator with servicenow-rest-api"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error ||
  echo "npm ci failed; the servicenow-rest-api test will skip"
