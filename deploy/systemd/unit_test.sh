#!/usr/bin/env bash
# Checks deploy/systemd/ferryd.service:
#   - `systemd-analyze verify` accepts it without a warning, with ExecStart
#     pointing at the built ferryd (verify needs the binary to exist);
#   - every flag ExecStart passes is one ferryd accepts (--helpfull);
#   - it keeps what deploy/README.md promises: a dynamic user, state in
#     StateDirectory, tokens through LoadCredential, reload by SIGHUP, the
#     hardening options; and `systemd-analyze security` rates it OK.
#
#   unit_test.sh UNIT FERRYD
set -euo pipefail

unit_file="$1" ferryd="$(readlink -f "$2")"
failures=0
fail() { echo "unit_test: FAILED: $*" >&2; failures=$((failures + 1)); }

if ! command -v systemd-analyze >/dev/null; then
  echo "unit_test: needs systemd-analyze; tools/bootstrap.sh installs systemd" >&2
  exit 1
fi

# The unit as installed, but with the binary this build made.
unit="${TEST_TMPDIR}/ferryd.service"
sed "s|/usr/local/bin/ferryd|${ferryd}|" "${unit_file}" >"${unit}"
grep -qF "ExecStart=${ferryd} " "${unit}" || fail "ExecStart does not run /usr/local/bin/ferryd"

# verify exits 0 on an unknown key or a bad value; any word it says counts.
if ! output="$(systemd-analyze verify --man=no "${unit}" 2>&1)" || [[ -n "${output}" ]]; then
  fail "systemd-analyze verify: ${output}"
else
  echo "systemd-analyze verify: no problems"
fi

# ExecStart's flags (the command may continue over lines ending in \).
exec_start="$(sed -n '/^ExecStart=/,/[^\\]$/p' "${unit_file}")"
helpfull="$("${ferryd}" --helpfull 2>&1 || true)"
for flag in $(grep -oE -- '--[a-z_]+' <<<"${exec_start}"); do
  grep -qE -- "^ *${flag} " <<<"${helpfull}" || fail "ExecStart passes ${flag}, which ferryd does not accept"
done

required=(
  "DynamicUser=yes"
  "StateDirectory=ferry"
  "LoadCredential=pd-token:/etc/ferry/credentials/pd-token"
  "LoadCredential=jira-token:/etc/ferry/credentials/jira-token"
  'ExecReload=/bin/kill -HUP $MAINPID'
  "NoNewPrivileges=yes"
  "ProtectSystem=strict"
  "ProtectHome=yes"
  "PrivateTmp=yes"
  "CapabilityBoundingSet="
)
for setting in "${required[@]}"; do
  grep -qxF -- "${setting}" "${unit_file}" || fail "the unit lacks '${setting}'"
done
grep -qF -- '--state_dir=${STATE_DIRECTORY}' "${unit_file}" ||
  fail "ferryd's --state_dir is not the StateDirectory"

# "→ Overall exposure level for ferryd.service: 1.5 OK"; 10 is unprotected.
exposure="$(systemd-analyze security --offline=yes "${unit}" 2>&1 |
  sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')"
if [[ -z "${exposure}" ]]; then
  fail "systemd-analyze security printed no exposure level"
elif awk -v e="${exposure}" 'BEGIN { exit !(e > 2.0) }'; then
  fail "exposure level ${exposure} is above 2.0 (systemd-analyze security --offline=yes shows why)"
else
  echo "systemd-analyze security: exposure ${exposure}"
fi

if ((failures > 0)); then
  echo "unit_test: ${failures} problem(s)" >&2
  exit 1
fi
echo "unit_test: the unit verifies, and has every setting the README promises"
