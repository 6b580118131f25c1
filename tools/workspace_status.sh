#!/usr/bin/env bash
# Bazel's workspace status command (see .bazelrc): prints the keys the
# stamped targets read from bazel-out/stable-status.txt. Only STABLE_ keys:
# they change when the commit or VERSION changes, so the binaries relink
# once per commit and nothing else is rebuilt.
#
# Works without git or outside a clone (a source tarball): the revision is
# then "unknown".
set -euo pipefail

cd "$(dirname "$0")/.."
version="$(tr -d '[:space:]' <VERSION)"
if [[ -z "${version}" ]]; then
  echo "workspace_status: VERSION is empty; put the release number in it (e.g. 0.1.0)" >&2
  exit 1
fi
revision=unknown
# Only this tree's own .git (a directory, or a file in a worktree): a tarball
# unpacked inside another repository must not take that one's commit.
if [[ -e .git ]]; then
  revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
fi
echo "STABLE_FERRY_VERSION ${version}"
echo "STABLE_FERRY_REVISION ${revision}"
