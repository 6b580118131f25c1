#!/usr/bin/env bash
# Keeps the design in the repository: fails when a source, proto, build or
# Markdown file of the repository's own folders cites a document that is
# not in the repository, or when a relative link in docs/*.md or the top
# README.md points at a path that does not exist.
#
# Usage: citations_test.sh PATH_OF_README
# The README is a runfile (a symlink into the source tree); its real path
# gives the workspace root, which is then walked as it is on disk. The test
# reads files Bazel does not track, so it is tagged local and external
# (never sandboxed, never cached).
set -u

readme="${1:?usage: citations_test.sh PATH_OF_README}"
root="$(dirname "$(readlink -f "$readme")")"
if [[ ! -f "$root/WORKSPACE" || ! -d "$root/docs" ]]; then
  echo "cannot find the workspace root from $readme (got $root)" >&2
  exit 2
fi
cd "$root" || exit 2

failures=0
fail() {
  echo "$1"
  failures=$((failures + 1))
}

# The repository's own files: everything but VCS data, Bazel's output
# links, and vendored or installed code.
own_files() {
  find . \
    \( -name .git -o -name 'bazel-*' -o -name node_modules -o -name third_party \) -prune -o \
    -type f \( -name '*.cc' -o -name '*.h' -o -name '*.hpp' -o -name '*.c' \
      -o -name '*.proto' -o -name '*.md' -o -name '*.bzl' -o -name '*.sh' \
      -o -name '*.py' -o -name '*.js' -o -name '*.mjs' -o -name '*.ts' \
      -o -name '*.yaml' -o -name '*.yml' -o -name 'BUILD.bazel' -o -name BUILD \
      -o -name WORKSPACE -o -name '*.bazelrc' \) -print |
    sed 's|^\./||' | LC_ALL=C sort
}

# Citations of documents that are not in the repository. The patterns are
# spelled so that this script does not match them itself.
section_sign=$'\xc2\xa7'
patterns=(
  -e 'DESIGN[.]md'
  -e 'shared/referenc[e]'
  -e 'reference/[A-Za-z0-9_.-]+[.]md'
  -e "$section_sign"
)
# The patterns must catch what they are for (each sample is built at run
# time, so this file holds none of them).
for sample in "see DESIGN"".md" "/work/shared/""reference" "reference/pagerduty-rest"".md" \
              "reference ${section_sign}5"; do
  if ! grep -qE "${patterns[@]}" <<<"$sample"; then
    fail "the citation patterns miss '$sample'"
  fi
done

files=()
while IFS= read -r file; do files+=("$file"); done < <(own_files)
if (( ${#files[@]} < 100 )); then
  fail "only ${#files[@]} files found under $root: the walk is broken"
fi
while IFS= read -r hit; do
  fail "cites a document that is not in the repository: $hit"
done < <(grep -nHE "${patterns[@]}" -- "${files[@]}")

# Relative links of the design pages and the top README.
checked_links=0
for page in README.md docs/*.md; do
  dir="$(dirname "$page")"
  # Inline links and images: ](target) or ](target "title").
  while IFS= read -r match; do
    line="${match%%:*}"
    target="${match#*:](}"
    target="${target%)}"
    target="${target%% *}"      # drop a title
    target="${target%%#*}"      # drop an anchor
    target="${target#<}"; target="${target%>}"
    case "$target" in
      '' | http://* | https://* | mailto:*) continue ;;
    esac
    checked_links=$((checked_links + 1))
    if [[ "$target" == /* ]]; then
      fail "$page:$line: absolute link '$target'; use a path relative to the page"
    elif [[ ! -e "$dir/$target" ]]; then
      fail "$page:$line: link to '$target', which does not exist"
    fi
  done < <(grep -noE '\]\([^)]*\)' "$page")
done
if (( checked_links == 0 )); then
  fail "no relative link found in README.md and docs/*.md: the link check is broken"
fi

echo "checked ${#files[@]} files for citations, $checked_links relative links"
if (( failures > 0 )); then
  echo "FAILED: $failures problem(s)"
  exit 1
fi
echo "PASSED"
