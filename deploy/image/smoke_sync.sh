#!/usr/bin/env bash
# Runs ferryd and ferryctl from a working container of ferryd's image
# (`buildah from`) against the PagerDuty and Jira simulators on the host,
# until one incident is synced, using the demo's accounts and helpers
# (tools/demo/lib.sh):
#
#   deploy/image/smoke_sync.sh --container=NAME --pagerduty_sim=PATH \
#       --jira_sim=PATH --example=examples/pagerduty-jira.yaml \
#       [--fixtures=tools/demo] [--workdir=DIR] [--step_timeout=30]
#
# `buildah run --isolation=chroot` shares the host's network, so ferryd in
# the container reaches the simulators on 127.0.0.1. It runs as the image's
# non-root user with its state in the image's /var/lib/ferry volume; the
# work directory is mounted at the same path so the config's paths hold.
# Exits 0 once PagerDuty notes the Jira issue and `ferryctl status` (also
# from the image) shows no failures; stops everything it started.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
container="" ferryd="" ferryctl="" pagerduty_sim="" jira_sim="" example=""
fixtures="${here}/../../tools/demo"
workdir=""
step_timeout=30
# shellcheck source=tools/demo/lib.sh
source "${here}/../../tools/demo/lib.sh"
for arg in "$@"; do
  demo_flag "${arg}" && continue
  case "${arg}" in
    --container=*) container="${arg#*=}" ;;
    --example=*) example="${arg#*=}" ;;
    *) echo "smoke_sync: unknown argument '${arg}' (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
if [[ -z "${container}" || ! -f "${example}" ]]; then
  echo "smoke_sync: needs --container=NAME (from 'buildah from') and --example=FILE" >&2
  exit 2
fi
if [[ -z "${workdir}" ]]; then
  workdir="$(mktemp -d "${TMPDIR:-/tmp}/ferry-smoke.XXXXXX")"
fi
mkdir -p "${workdir}/bin"
# The image's user is not root: it must read the configs lib.sh writes here.
chmod 0755 "${workdir}"

# The commands lib.sh starts, as scripts running the image's binaries. The
# tokens lib.sh exports reach the container through --env; --state_dir
# becomes the image's volume, which belongs to the image's user.
for program in ferryd ferryctl; do
  cat >"${workdir}/bin/${program}" <<WRAPPER
#!/usr/bin/env bash
set -euo pipefail
args=()
for arg in "\$@"; do
  case "\${arg}" in
    --state_dir=*) args+=(--state_dir=/var/lib/ferry) ;;
    *) args+=("\${arg}") ;;
  esac
done
exec buildah run --isolation=chroot --volume="${workdir}:${workdir}" \\
  --env=PD_TOKEN="\${PD_TOKEN:-}" --env=JIRA_TOKEN="\${JIRA_TOKEN:-}" \\
  --env=no_proxy="\${no_proxy:-}" --env=NO_PROXY="\${NO_PROXY:-}" \\
  "${container}" -- /usr/bin/${program} "\${args[@]}"
WRAPPER
  chmod 0755 "${workdir}/bin/${program}"
done
ferryd="${workdir}/bin/ferryd"
ferryctl="${workdir}/bin/ferryctl"
demo_init

echo "$ buildah run ${container} -- ferryd --config=$(basename "${example}") (simulators on the host)"
start_run smoke cloud "${example}"
echo "   PagerDuty simulator ${pd_url}, Jira simulator ${jira_url}"
echo "   $(grep -m1 '"ferryd.started"' "${run}/ferryd.log")"
incident="$(trigger PSERVICE1 "Checkout is down")"
echo "   PagerDuty: triggered incident ${incident}"
issue=""
find_issue() {
  issue="$(jira_issues "project = OPS" | head -n1)"
  [[ -n "${issue}" ]]
}
wait_until "Jira issue created" find_issue
wait_until "PagerDuty notes the Jira key ${issue}" pd_has_note "${incident}" "${issue}"
expect_no_failures
echo "$ buildah run ${container} -- ferryctl status"
"${ferryctl}" --server="127.0.0.1:${control_port}" status
echo "smoke_sync: incident ${incident} synced to ${issue} by ferryd from the image"
