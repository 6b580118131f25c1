#!/usr/bin/env bash
# Runs real, coverage-guided libFuzzer on one fuzz target for as long as
# asked (tools/fuzz/README.md):
#
#   tools/fuzz/run_libfuzzer.sh //connectors/jira:jira_search_fuzz [SECONDS] [LIBFUZZER_FLAG...]
#
# SECONDS defaults to 300. The target is built with `bazel build
# --config=libfuzzer` (.bazelrc: clang-14, -fsanitize=fuzzer,address,
# undefined) and run on a scratch copy of its checked-in corpus
# (<package>/testdata/fuzz/<name>/) with its dictionary. Inputs that find
# new coverage stay in the scratch directory (its path is printed; copy the
# few worth keeping into the corpus); a crasher is written into the
# checked-in corpus directory itself as crash-<sha1> (leak-, timeout-, oom- likewise), so that, once the
# parser is fixed, CI replays it for ever. Ends with the executions run and
# the crashers found; exits non-zero when libFuzzer found one.
#
# Needs Debian's clang-14 and libclang-rt-14-dev (libFuzzer and the
# sanitizer runtimes): when either is missing, exactly those two are
# installed with apt-get.
set -euo pipefail

if [[ $# -lt 1 || "$1" != //*:*_fuzz ]]; then
  echo "usage: $0 //package:name_fuzz [SECONDS] [LIBFUZZER_FLAG...]" >&2
  exit 2
fi
target="$1"
seconds="${2:-300}"
shift $(( $# >= 2 ? 2 : 1 ))

cd "$(dirname "$0")/../.."
package="${target#//}"
package="${package%%:*}"
name="${target##*:}"
corpus="${package}/testdata/fuzz/${name}"
if [[ ! -d "${corpus}" ]]; then
  echo "${target} has no corpus directory ${corpus}; give it seed inputs first" >&2
  exit 2
fi

if ! command -v clang-14 >/dev/null ||
   ! compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  echo "Installing clang-14 and libclang-rt-14-dev (libFuzzer's runtime)" >&2
  apt-get install -y --no-install-recommends clang-14 libclang-rt-14-dev
fi

bazel build --config=libfuzzer "${target}"
binary="bazel-bin/${package}/${name}"
dict_label="$(bazel query "filter('\\.dict\$', labels(data, ${target}))" 2>/dev/null | head -n 1)"
dict="${dict_label#//}"
dict="${dict/://}"

scratch="$(mktemp -d -t "${name}.XXXXXX")"
cp "${corpus}"/* "${scratch}/"
log="${scratch}.log"
before="$(ls "${corpus}" | grep -cE '^(crash|leak|timeout|oom)-' || true)"

status=0
"${binary}" -max_total_time="${seconds}" -dict="${dict}" -timeout=25 -rss_limit_mb=2048 \
  -artifact_prefix="${corpus}/" -print_final_stats=1 "$@" "${scratch}" "${corpus}" \
  2>&1 | tee "${log}" || status=$?

executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "${log}" | tail -n 1)"
after="$(ls "${corpus}" | grep -cE '^(crash|leak|timeout|oom)-' || true)"
echo "${target}: ${executions:-?} executions in ${seconds} s, $((after - before)) new crasher(s) in ${corpus}/; new inputs in ${scratch}/, log ${log}"
exit "${status}"
