#!/usr/bin/env bash
# Fails when the checked-in docs/generated/ differs from what docgen
# prints now: the reference is generated from the sources, so it cannot
# drift from them. Prints the difference and the command that regenerates.
#
# Usage: reference_docs_test.sh DOCGEN DESCRIPTORS CHECKED_IN_FILE...
set -u
docgen="$1"
descriptors="$2"
shift 2
fresh="${TEST_TMPDIR:-$(mktemp -d)}/reference"
rm -rf "$fresh"
"$docgen" --descriptors="$descriptors" --out_dir="$fresh" >/dev/null || exit 1

checked_in="${TEST_TMPDIR:-$(mktemp -d)}/checked_in"
rm -rf "$checked_in"
for file in "$@"; do
  relative="${file#docs/generated/}"
  mkdir -p "$checked_in/$(dirname "$relative")"
  cp "$file" "$checked_in/$relative"
done

if ! diff -ru "$checked_in" "$fresh"; then
  echo
  echo "docs/generated/ is out of date (- checked in, + generated now)."
  echo "Regenerate it with: bazel run //tools/docgen -- --write"
  exit 1
fi
echo "docs/generated/ is current"
