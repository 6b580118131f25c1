#!/usr/bin/env bash
# Builds ferryd's OCI image with buildah, offline and FROM scratch:
#
#   deploy/image/build.sh [--tag=NAME] [--ferryd=PATH --ferryctl=PATH]
#                         [--file_list=FILE]
#
# Without --ferryd/--ferryctl it first runs
# `bazel build -c opt //engine/ferryd //tools/ferryctl`. The image holds
# both binaries in /usr/bin, exactly the shared libraries `ldd` says they
# load, CA certificates, time-zone data and a non-root user; ferryd is the
# entry point and /var/lib/ferry the state volume. It is tagged
# ferryd:VERSION, the release ferryd --version prints (from the top-level
# VERSION file; deploy/ uses that name), and labelled with the version and
# revision. Prints the tag on stdout.
#
# File times are the commit's time and the layer holds nothing else that
# varies, so the same commit gives the same file list; --file_list writes
# it (path, type, mode, owner, size) for comparison. Runs as root (buildah
# stores images in /var/lib/containers unless CONTAINERS_STORAGE_CONF or
# STORAGE_DRIVER say otherwise).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"
tag="" ferryd="" ferryctl="" file_list=""
for arg in "$@"; do
  case "${arg}" in
    --tag=*) tag="${arg#*=}" ;;
    --ferryd=*) ferryd="${arg#*=}" ;;
    --ferryctl=*) ferryctl="${arg#*=}" ;;
    --file_list=*) file_list="${arg#*=}" ;;
    *) echo "build.sh: unknown argument '${arg}' (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
die() { echo "build.sh: $*" >&2; exit 1; }

if [[ "$(id -u)" -ne 0 ]]; then
  die "run it as root (sudo): buildah builds images as root here, and the image's files must belong to root and to its user"
fi
for tool in buildah ldd; do
  command -v "${tool}" >/dev/null ||
    die "needs ${tool}; tools/bootstrap.sh installs it (apt-get install buildah)"
done
if [[ -z "${ferryd}${ferryctl}" ]]; then
  (cd "${repo}" && bazel build -c opt //engine/ferryd //tools/ferryctl)
  bin="$(cd "${repo}" && bazel info -c opt bazel-bin)"
  ferryd="${bin}/engine/ferryd/ferryd" ferryctl="${bin}/tools/ferryctl/ferryctl"
fi
for binary in "${ferryd}" "${ferryctl}"; do
  [[ -x "${binary}" ]] || die "'${binary}' is not an executable; pass --ferryd= and --ferryctl= together, or neither"
done

# "ferryd 0.1.0 (revision 1a2b…)": the labels say what the binary says.
read -r _ version _ revision < <("${ferryd}" --version)
revision="${revision%)}"
[[ -n "${revision}" ]] || die "'${ferryd} --version' printed no revision"
tag="${tag:-ferryd:${version}}"

stage="$(mktemp -d "${TMPDIR:-/tmp}/ferry-image.XXXXXX")"
trap 'rm -rf "${stage}"' EXIT
root="${stage}/rootfs"

# Debian 12's merged /usr: /lib and /lib64 are links into /usr, as on the
# machine the binaries were linked on, so the paths ldd prints resolve.
mkdir -p "${root}"/{usr/bin,usr/lib,usr/lib64,etc/ssl/certs,usr/share,var/lib/ferry,tmp}
ln -s usr/lib "${root}/lib"
ln -s usr/lib64 "${root}/lib64"
install -m 0755 "${ferryd}" "${root}/usr/bin/ferryd"
install -m 0755 "${ferryctl}" "${root}/usr/bin/ferryctl"

# Every library the loader maps for either binary, and the loader itself,
# each copied (not linked) to the path ldd names. A library either binary
# cannot find fails the build here rather than the container at start.
libraries="$(ldd "${ferryd}" "${ferryctl}" | awk '
  /:$/ { next }  # "FILE:", a header ldd prints for each binary
  /not found/ { print "MISSING " $1; next }
  $2 == "=>" && $3 ~ /^\// { print $3; next }
  $1 ~ /^\// { print $1 }' | sort -u)"
if grep -q '^MISSING' <<<"${libraries}"; then
  die "the binaries need libraries this machine lacks: $(grep '^MISSING' <<<"${libraries}" | cut -d' ' -f2 | tr '\n' ' ')(run tools/bootstrap.sh)"
fi
while read -r library; do
  target="${root}/usr${library#/usr}"
  mkdir -p "$(dirname "${target}")"
  cp -L "${library}" "${target}"
done <<<"${libraries}"

cp -L /etc/ssl/certs/ca-certificates.crt "${root}/etc/ssl/certs/" ||
  die "no CA certificates at /etc/ssl/certs/ca-certificates.crt; apt-get install ca-certificates"
[[ -d /usr/share/zoneinfo ]] || die "no time-zone data in /usr/share/zoneinfo; apt-get install tzdata"
cp -a /usr/share/zoneinfo "${root}/usr/share/"
ln -s ../usr/share/zoneinfo/Etc/UTC "${root}/etc/localtime"

cat >"${root}/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/usr/sbin/nologin
ferry:x:10001:10001:Ferry:/var/lib/ferry:/usr/sbin/nologin
PASSWD
cat >"${root}/etc/group" <<'GROUP'
root:x:0:
ferry:x:10001:
GROUP
# /etc/hosts (which the runtime provides) before DNS, so localhost is local.
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"${root}/etc/nsswitch.conf"
chown 10001:10001 "${root}/var/lib/ferry"
chmod 0750 "${root}/var/lib/ferry"
chmod 1777 "${root}/tmp"

if [[ -n "${file_list}" ]]; then
  (cd "${root}" && find . -printf '%p %y %m %U:%G %s\n' | LC_ALL=C sort) >"${file_list}"
fi

# The time of the binaries' commit (or the epoch, outside git) for the
# image's creation date and every file's time in the layer.
epoch="$(git -C "${repo}" show -s --format=%ct "${revision}" 2>/dev/null || echo 0)"
# A tar keeps the owners (COPY would make /var/lib/ferry root's); sorted,
# with fixed times, it is the same for the same inputs.
tar --create --file="${stage}/rootfs.tar" --directory="${root}" --sort=name \
  --numeric-owner --mtime="@${epoch}" --format=posix \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime .
cp "${here}/Containerfile" "${stage}/"
buildah build --isolation=chroot --timestamp="${epoch}" \
  --label=org.opencontainers.image.title=ferryd \
  --label=org.opencontainers.image.description="Ferry keeps PagerDuty incidents and Jira issues in sync" \
  --label=org.opencontainers.image.version="${version}" \
  --label=org.opencontainers.image.revision="${revision}" \
  --tag="${tag}" --file="${stage}/Containerfile" "${stage}" >&2
echo "build.sh: built ${tag} (ferryd ${version}, revision ${revision}), $(du -sh --apparent-size "${root}" | cut -f1) of files" >&2
echo "${tag}"
