#!/usr/bin/env bash
# Installs the real Jira clients the Jira simulator is checked against, pinned:
#   - Debian's python3-jira 3.4.1 (listed in tools/bootstrap.sh as well);
#   - npm jira.js 6.2.0 into tools/clients/jira/node_modules (ignored by git
#     and Bazel; tools/jira_sim/clients:jira_js_session_test finds it there).
#
# Idempotent; safe to call from tools/test.sh before `bazel test`. Exits 0 and
# says why when a client cannot be installed (no npm, no network), so the
# client tests then skip with their own message rather than fail.
set -euo pipefail

cd "$(dirname "$0")"

if ! dpkg-query -W -f='${Status}' python3-jira 2>/dev/null | grep -q 'install ok installed'; then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  ${SUDO} apt-get install -y -qq --no-install-recommends python3-jira ||
    echo "install_jira_clients: python3-jira not installed; its test will skip"
fi

readonly JIRA_JS_VERSION="6.2.0"
installed="$(node -p "require('./jira/node_modules/jira.js/package.json').version" 2>/dev/null || true)"
if [[ "${installed}" == "${JIRA_JS_VERSION}" ]]; then
  echo "install_jira_clients: jira.js ${JIRA_JS_VERSION} present"
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "install_jira_clients: npm not found; the jira.js test will skip"
  exit 0
fi
mkdir -p jira
[[ -f jira/package.json ]] || echo '{"name":"ferry-jira-clients","private":true}' > jira/package.json
npm install --prefix jira --no-audit --no-fund --loglevel=error "jira.js@${JIRA_JS_VERSION}" ||
  echo "install_jira_clients: npm install failed; the jira.js test will skip"
