#!/usr/bin/env bash
# The layer check passes a clean list and names each label that breaks it.
set -euo pipefail
check="tools/layering/check_layer.sh"
dir="$(mktemp -d)"
trap 'rm -rf "${dir}"' EXIT

printf '%s\n' //mapping:criteria //proto:config_cc_proto @bazel_tools//tools/cpp:x >"${dir}/clean"
"${check}" "${dir}/clean" //mapping //proto

printf '%s\n' //mapping:criteria //engine/state:state_store //connectors/jira:jira_api >"${dir}/dirty"
if "${check}" "${dir}/dirty" //mapping //proto 2>"${dir}/err"; then
  echo "FAIL: a dependency outside the layer passed" >&2
  exit 1
fi
grep -q "//engine/state:state_store" "${dir}/err"
grep -q "//connectors/jira:jira_api" "${dir}/err"
if grep -q "//mapping:criteria" "${dir}/err"; then
  echo "FAIL: an allowed label was reported" >&2
  exit 1
fi

# A prefix matches whole package names only: //mappingx is not //mapping.
printf '%s\n' //mappingx:lib >"${dir}/prefix"
if "${check}" "${dir}/prefix" //mapping 2>/dev/null; then
  echo "FAIL: //mappingx passed as //mapping" >&2
  exit 1
fi

# An empty query result is an error, not a pass.
printf '%s\n' @bazel_tools//x:y >"${dir}/none"
if "${check}" "${dir}/none" //mapping 2>/dev/null; then
  echo "FAIL: a list with none of our labels passed" >&2
  exit 1
fi
echo "check_layer_test: 4 cases passed"
