#!/usr/bin/env bash
# check_layer.sh DEPS_FILE ALLOWED_PREFIX...
#
# DEPS_FILE lists one label a line (a genquery's output). Every label of
# this repository ("//…") must lie in one of the allowed packages or their
# subpackages; external repositories (@…) are the toolchain's and pass.
# Prints each label that breaks the layer and exits 1 when there is one.
set -euo pipefail

deps_file="$1"
shift
checked=0
bad=()
while IFS= read -r label; do
  [[ "${label}" == //* ]] || continue
  checked=$((checked + 1))
  package="${label%%:*}"
  ok=0
  for prefix in "$@"; do
    if [[ "${package}" == "${prefix}" || "${package}" == "${prefix}"/* ]]; then
      ok=1
      break
    fi
  done
  ((ok)) || bad+=("${label}")
done <"${deps_file}"

if ((checked == 0)); then
  echo "check_layer: ${deps_file} lists none of our labels; the query is wrong" >&2
  exit 1
fi
if ((${#bad[@]} > 0)); then
  echo "These dependencies break the layer (allowed: $*):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "Fix: depend on a lower layer only; see docs/architecture.md, \"Layering\"." >&2
  exit 1
fi
echo "check_layer: ${checked} labels, all within: $*"
