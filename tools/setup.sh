#!/usr/bin/env bash
# Installs the Debian packages needed to build and test ember, and those
# named as arguments (tools/fuzz.sh adds clang's).
#
# Idempotent: packages that are already installed are left alone, and the
# (slow, network-bound) `apt-get update` only runs when something is missing,
# so calling this at the start of every build/test script is cheap.
set -euo pipefail

readonly PACKAGES=(
  build-essential
  cmake
  ninja-build
  pkg-config
  libboost1.81-dev
  libboost-serialization1.81-dev
  libtbb-dev
  liblz4-dev
  libjemalloc-dev
  libcereal-dev
  libssl-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  "$@"
)

log() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  die "apt-get/dpkg-query not found; this script supports Debian 12 (or a Debian-like system) only. Install the equivalents of: ${PACKAGES[*]}"
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  # dpkg-query fails for never-seen packages and reports e.g. "deinstall ok
  # config-files" for removed ones; only a fully installed package counts.
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [[ "$status" == "install ok installed" ]]; then
    log "present  ${pkg}"
  else
    log "missing  ${pkg}"
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  log "all ${#PACKAGES[@]} packages present, nothing to install"
  exit 0
fi

# Only escalate privileges when needed, so the script also works inside
# root-only containers that do not ship sudo, and for non-root users when
# everything is already installed.
sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 ||
    die "not running as root and sudo is not available; install as root: ${missing[*]}"
  sudo_cmd=(sudo)
fi

log "running apt-get update"
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
log "installing ${missing[*]}"
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${missing[@]}"
log "installed ${#missing[@]} package(s)"
