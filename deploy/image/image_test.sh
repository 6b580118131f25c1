#!/usr/bin/env bash
# Builds ferryd's image with deploy/image/build.sh from the built binaries
# and checks it, each check a test case of the report:
#
#   build            the image builds, again with the same files and ID, and
#                    holds exactly the files build.sh staged
#   config           entry point ferryd, a non-root user, the state volume,
#                    OCI labels with the version and revision ferryd prints
#   version          ferryd and ferryctl --version inside the image print
#                    what the binaries print outside it
#   validate         ferryctl validate accepts an example inside the image
#   missing_library  without one of its libraries ferryd does not start in
#                    the image, so the runs here use the image's libraries
#   smoke_sync       ferryd from the image syncs one incident between the
#                    simulators on the host (smoke_sync.sh)
#
#   image_test.sh --ferryd=PATH --ferryctl=PATH --pagerduty_sim=PATH \
#       --jira_sim=PATH --example=FILE
#
# Where images cannot be built (no buildah, not root) every case is
# reported skipped, with the reason. Images and containers live in a store
# of their own under TEST_TMPDIR (vfs driver), removed at the end.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ferryd="" ferryctl="" pagerduty_sim="" jira_sim="" example=""
for arg in "$@"; do
  case "${arg}" in
    --ferryd=*) ferryd="${arg#*=}" ;;
    --ferryctl=*) ferryctl="${arg#*=}" ;;
    --pagerduty_sim=*) pagerduty_sim="${arg#*=}" ;;
    --jira_sim=*) jira_sim="${arg#*=}" ;;
    --example=*) example="${arg#*=}" ;;
    *) echo "image_test: unknown argument '${arg}'" >&2; exit 2 ;;
  esac
done
tmp="${TEST_TMPDIR:?image_test runs under bazel test}"
readonly CASES=(build config version validate missing_library smoke_sync)

# --- the report: one test case per check ------------------------------------
passed=() current="" skip_reason="" store=""
# Written on every exit: the cases passed so far pass, the current one
# failed, the later ones are skipped (not run); or all are skipped.
finish() {
  local status=$? name
  if [[ -n "${store}" ]]; then
    buildah rm --all >/dev/null 2>&1 || true
    buildah rmi --all --force >/dev/null 2>&1 || true
    rm -rf "${store}"
  fi
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<testsuites><testsuite name="deploy/image/image_test">'
    for name in "${CASES[@]}"; do
      echo -n "<testcase name=\"${name}\" classname=\"image_test\">"
      if [[ -n "${skip_reason}" ]]; then
        echo -n "<skipped message=\"${skip_reason}\"/>"
      elif [[ "${name}" == "${current}" && ${status} -ne 0 ]]; then
        echo -n "<failure message=\"failed (exit ${status}); see the test log\"/>"
      elif [[ " ${passed[*]} ${current} " != *" ${name} "* ]]; then
        echo -n "<skipped message=\"not run: ${current} failed\"/>"
      fi
      echo "</testcase>"
    done
    echo "</testsuite></testsuites>"
  } >"${XML_OUTPUT_FILE:-${tmp}/test.xml}"
  exit "${status}"
}
trap finish EXIT
# check NAME: what follows belongs to test case NAME.
check() {
  [[ -z "${current}" ]] || passed+=("${current}")
  current="$1"
  echo "--- ${current}"
}
fail() { echo "image_test: ${current}: FAILED: $*" >&2; exit 1; }
skip() {
  skip_reason="$*"
  echo "image_test: SKIPPED (all ${#CASES[@]} cases): ${skip_reason}"
  exit 0
}

# --- only where images cannot be built ---------------------------------------
if ! command -v buildah >/dev/null; then
  skip "buildah is not installed; tools/bootstrap.sh installs it"
fi
if [[ "$(id -u)" -ne 0 ]]; then
  skip "buildah builds and runs images only as root on this machine (rootless needs /etc/subuid ranges and user namespaces)"
fi

store="${tmp}/containers"
mkdir -p "${store}"
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' \
  "${store}" "${store}" >"${store}/storage.conf"
export CONTAINERS_STORAGE_CONF="${store}/storage.conf"
run() { buildah run --isolation=chroot "$@"; }

check build
tag="$("${here}/build.sh" --ferryd="${ferryd}" --ferryctl="${ferryctl}" \
  --file_list="${tmp}/files.1")"
"${here}/build.sh" --ferryd="${ferryd}" --ferryctl="${ferryctl}" \
  --file_list="${tmp}/files.2" --tag=ferryd-rebuild:test >/dev/null
diff -u "${tmp}/files.1" "${tmp}/files.2" || fail "a second build has other files (diff above)"
# Fixed file times and creation date: even the bytes are the same.
first="$(buildah inspect --type=image --format='{{.FromImageID}}' "${tag}")"
second="$(buildah inspect --type=image --format='{{.FromImageID}}' ferryd-rebuild:test)"
[[ "${first}" == "${second}" ]] || fail "a second build gave image ${second}, the first ${first}"
# The image holds what was staged, nothing less or more, besides the root
# and the mount points buildah makes in a working container.
container="$(buildah from --name=ferryd-smoke "${tag}")"
(cd "$(buildah mount "${container}")" &&
  find . -path ./dev -prune -o -path ./proc -prune -o -path ./sys -prune -o -path ./run -prune \
    -o -path . -o -printf '%p %y %m %U:%G %s\n' | LC_ALL=C sort) >"${tmp}/files.image"
buildah umount "${container}" >/dev/null
diff -u <(grep -v '^\. ' "${tmp}/files.1") "${tmp}/files.image" ||
  fail "the image's files are not the ones build.sh staged (diff above)"
for file in ./usr/bin/ferryd ./usr/bin/ferryctl ./etc/ssl/certs/ca-certificates.crt \
            ./usr/share/zoneinfo/Europe/Berlin ./etc/passwd; do
  grep -q "^${file} " "${tmp}/files.image" || fail "the image lacks ${file}"
done
echo "   ${tag}: $(wc -l <"${tmp}/files.1") files, $(buildah images --format '{{.Size}}' "${tag}" | head -n1), twice image ${first:0:12}"

check config
expected_version="$("${ferryd}" --version)"   # ferryd 0.1.0 (revision …)
read -r _ version _ revision <<<"${expected_version}"
revision="${revision%)}"
[[ "${tag}" == "ferryd:${version}" ]] || fail "tagged ${tag}, not ferryd:${version}"
config="$(buildah inspect --type=image "${tag}" | jq -c .OCIv1.config)"
expect() {
  local what="$1" got="$2" want="$3"
  [[ "${got}" == "${want}" ]] || fail "${what} is '${got}', not '${want}'"
  echo "   ${what}: ${got}"
}
field() { jq -c "$1" <<<"${config}"; }
expect "entry point" "$(field .Entrypoint)" '["/usr/bin/ferryd"]'
expect "user" "$(field .User)" '"10001:10001"'
expect "volumes" "$(field .Volumes)" '{"/var/lib/ferry":{}}'
expect "version label" "$(field '.Labels["org.opencontainers.image.version"]')" "\"${version}\""
expect "revision label" "$(field '.Labels["org.opencontainers.image.revision"]')" "\"${revision}\""

check version
expect "ferryd --version in the image" "$(run "${container}" -- /usr/bin/ferryd --version)" \
  "${expected_version}"
expect "ferryctl --version in the image" "$(run "${container}" -- /usr/bin/ferryctl --version)" \
  "$("${ferryctl}" --version)"

check validate
# The file itself, not the runfiles link to it, which the image cannot follow.
# validate reads the secrets as ferryd will: the example's tokens are set.
file="$(readlink -f "${example}")"
output="$(run --env=PD_TOKEN=placeholder --env=JIRA_TOKEN=placeholder \
  --volume="$(dirname "${file}"):/examples:ro" "${container}" -- \
  /usr/bin/ferryctl validate "/examples/$(basename "${file}")")" ||
  fail "ferryctl validate in the image: ${output}"
echo "   ${output}"
[[ "${output}" == *": valid ("* ]] || fail "ferryctl validate printed '${output}'"

check missing_library
broken="$(buildah from --name=ferryd-without-rocksdb "${tag}")"
rootfs="$(buildah mount "${broken}")"
library="$(cd "${rootfs}" && ls usr/lib/x86_64-linux-gnu/librocksdb.so.*)"
rm "${rootfs}/${library}"
if output="$(run "${broken}" -- /usr/bin/ferryd --version 2>&1)"; then
  fail "ferryd started without ${library}: the runs did not use the image's libraries"
fi
[[ "${output}" == *"error while loading shared libraries: $(basename "${library}")"* ]] ||
  fail "ferryd without ${library} failed otherwise: ${output}"
echo "   without ${library}: ${output%%$'\n'*}"

check smoke_sync
"${here}/smoke_sync.sh" --container="${container}" --pagerduty_sim="${pagerduty_sim}" \
  --jira_sim="${jira_sim}" --example="${example}" --workdir="${tmp}/smoke" --step_timeout=60

echo "image_test: all ${#CASES[@]} cases passed"
