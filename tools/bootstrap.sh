#!/usr/bin/env bash
# Installs the Debian 12 packages Ferry builds and tests against.
#
# Idempotent: packages already installed are skipped, and `apt-get update`
# runs only when something is missing. Safe to run on every test run.
set -euo pipefail

# One package a line; keep sorted. Each is a system library wrapped once in
# third_party/ (or a tool the build or tests call).
readonly PACKAGES=(
  bazel-bootstrap            # Bazel 4.2.3, /usr/bin/bazel
  bazel-rules-java           # @rules_java, which Bazel 4 asks for
  buildah                    # builds and runs ferryd's image (deploy/image/)
  ca-certificates            # the image's CA certificates
  curl                       # the demo's story talks to the simulators
  jq                         # the demo's story reads their JSON
  libabsl-dev                # Abseil 20220623
  libcmark-dev               # CommonMark parser: Markdown notes to Jira rich text
  libcpp-httplib-dev         # simulators' HTTP server
  libcurl4-openssl-dev       # connectors' HTTPS client
  libgmock-dev
  libgrpc++-dev              # gRPC 1.51
  libgtest-dev               # GoogleTest 1.12
  libprotobuf-dev            # protobuf 3.21 headers and library
  librocksdb-dev             # RocksDB 7.8
  libspdlog-dev              # structured logs
  libyaml-cpp-dev            # config files
  nlohmann-json3-dev         # REST bodies
  pkg-config
  prometheus-cpp-dev         # metrics
  protobuf-compiler          # protoc 3.21
  protobuf-compiler-grpc     # grpc_cpp_plugin
  python3-jira               # real Jira client the Jira simulator is checked with
  systemd                    # systemd-analyze checks deploy/systemd/
  tzdata                     # the image's time-zone data
)

missing=()
# Node.js and npm run the real PagerDuty and Jira JS clients the simulators
# are checked with; take Debian's only when the machine has none.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("${pkg}")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "bootstrap: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
${SUDO} apt-get update -qq
${SUDO} apt-get install -y -qq --no-install-recommends "${missing[@]}"
