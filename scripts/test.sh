#!/usr/bin/env bash
# Runs every test of HostPanel on this machine, the way CI does, and ends with one line:
#   N passed, N failed[, N skipped]
# Needs root on Debian 12: it installs what it needs, builds, brings the test world up
# (scripts/testworld.sh), runs all test projects inside the world's network namespace and
# brings the world down again, even when something fails.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
. "$ROOT/scripts/lib/common.sh"

CONFIGURATION=${HOSTPANEL_TEST_CONFIGURATION:-Release}
RESULTS=$ROOT/.testresults
TEST_TIMEOUT=${HOSTPANEL_TEST_TIMEOUT:-900}

PACKAGES=(ca-certificates curl openssl iproute2 util-linux procps jq
  docker.io docker-registry pebble caddy restic openssh-server openssh-client
  busybox-static debootstrap chromium python3-aiosmtpd sqlite3
  poppler-utils fonts-dejavu-core)

started=$SECONDS
require_root
apt_install "${PACKAGES[@]}"
ensure_dotnet_sdk

say "Building (${CONFIGURATION})…"
dotnet build HostPanel.sln -c "$CONFIGURATION" -nologo -clp:ErrorsOnly -v:q \
  || { say "0 passed, 1 failed"; die "the build failed (see the errors above)"; }

world_up=0
cleanup() {
  if [ "$world_up" -eq 1 ]; then
    "$ROOT/scripts/testworld.sh" down >&2 || warn "testworld down reported a problem"
  fi
}
trap cleanup EXIT

say "Bringing the test world up…"
if "$ROOT/scripts/testworld.sh" up >&2; then
  world_up=1
else
  world_up=1
  say "0 passed, 1 failed"
  die "the test world did not come up (see above)"
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
crashed=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  exe="$ROOT/tests/$name/bin/$CONFIGURATION/net10.0/$name"
  if [ ! -x "$exe" ]; then
    warn "$name: no test program at $exe"
    crashed=$((crashed + 1))
    continue
  fi
  say "== $name"
  # Every test runs inside the world's namespace: the only network it can reach is its loopback
  # and the test engine's containers.
  (cd "$ROOT/tests/$name" && timeout --kill-after=30 "$TEST_TIMEOUT" \
      "$ROOT/scripts/testworld.sh" exec -- "$exe" -noColor -xml "$RESULTS/$name.xml")
  rc=$?
  if [ ! -s "$RESULTS/$name.xml" ]; then
    warn "$name ended (exit $rc) without writing its results: counted as one failure."
    crashed=$((crashed + 1))
  fi
done

total_passed=0 total_failed=$crashed total_skipped=0
for xml in "$RESULTS"/*.xml; do
  [ -e "$xml" ] || continue
  line=$(grep -o '<assembly [^>]*>' "$xml" | head -n 1)
  attr() { printf '%s' "$line" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total_passed=$((total_passed + $(attr passed)))
  total_failed=$((total_failed + $(attr failed) + $(attr errors)))
  total_skipped=$((total_skipped + $(attr skipped) + $(attr not-run)))
done

say "Tests took $((SECONDS - started))s in all (results in .testresults/)."
summary="$total_passed passed, $total_failed failed"
[ "$total_skipped" -gt 0 ] && summary="$summary, $total_skipped skipped"
cleanup
world_up=0
if [ "$total_failed" -gt 0 ]; then
  # Named last, next to the summary, so that the tail of a CI log says what failed.
  python3 "$ROOT/scripts/lib/failed-tests.py" "$RESULTS"/*.xml >&2 || true
fi
say "$summary"
[ "$total_failed" -eq 0 ] && [ "$total_passed" -gt 0 ]
