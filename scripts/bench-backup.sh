#!/usr/bin/env bash
# Benchmark: backup and restore of a test app holding >= 500 MB in >= 5000 files — HostPanel
# (`hostpanel backup now`, `hostpanel backup restore`) against raw restic (`restic backup`,
# `restic restore`) on the same volume, each into its own new repository on the same disk, in
# the same run. Also the backup of an unchanged app (the incremental that runs every night).
#
#   scripts/bench-backup.sh [FILES] [KIB-PER-FILE]     (default 5000 files of 100 KiB; needs root)
#
# HostPanel's times include what raw restic does not do: its journal, the app's record, the
# stop → put in place → start → healthy of a restore. Prints the times, the ratios (goal <= 1.1)
# and the throughputs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. "$ROOT/scripts/lib/common.sh"
FILES=${1:-5000}
KIB=${2:-100}
require_root
apt_install restic bc jq

"$ROOT/scripts/testworld.sh" up >&2
eval "$("$ROOT/scripts/testworld.sh" env)"
WORK=$(mktemp -d /var/tmp/hp-bench-backup.XXXXXX)
NAME=bench-$RANDOM
cleanup() {
  hostpanel app remove "$NAME" --purge --yes >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
publish_hostpanel src/HostPanel.Cli/HostPanel.Cli.csproj "$WORK/cli" >&2
DATA=$WORK/data
in_world() { "$ROOT/scripts/testworld.sh" exec -- "$@"; }
hostpanel() { in_world env HOSTPANEL_UTILITYIMAGE="$HOSTPANEL_TEST_IMAGE_WEB" dotnet "$WORK/cli/hostpanel.dll" --data-dir "$DATA" --catalog "$ROOT/tests/catalog/1" "$@"; }
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

hostpanel app install hello --name "$NAME" --domain "$NAME.example.org" >/dev/null
# A first backup of the empty app creates the repository (raw restic's `init` is not timed either).
hostpanel backup now "$NAME" >/dev/null
VOLUME=$(in_world docker volume inspect -f '{{.Mountpoint}}' "hp-$NAME-data")
say "Writing $FILES files of $KIB KiB into $VOLUME…" >&2
mkdir -p "$VOLUME/bench"
for i in $(seq 1 "$FILES"); do
  d="$VOLUME/bench/$((i % 50))"
  [ -d "$d" ] || mkdir -p "$d"
  head -c "$((KIB * 1024))" /dev/urandom >"$d/file-$i.bin"
done
sync
MB=$(du -sm "$VOLUME" | cut -f1)
COUNT=$(find "$VOLUME" -type f | wc -l)

# Every timed run starts with cold caches: what is measured is reading and writing the disk.
cold() { sync; echo 3 >/proc/sys/vm/drop_caches || true; }

# HostPanel: first backup of the data, then an unchanged one.
cold; t=$(now); hostpanel backup now "$NAME" >/dev/null; ours_full=$(since "$t")
cold; t=$(now); hostpanel backup now "$NAME" >/dev/null; ours_incr=$(since "$t")
ID=$(hostpanel backup list --instance "$NAME" --json | jq -r '.[-1].id')

# Raw restic, same volume, its own repository beside HostPanel's.
export RESTIC_PASSWORD=bench-bench-bench RESTIC_REPOSITORY=$WORK/raw-repo
restic init >/dev/null
cold; t=$(now); restic backup --host bench "$VOLUME" >/dev/null; raw_full=$(since "$t")
cold; t=$(now); restic backup --host bench "$VOLUME" >/dev/null; raw_incr=$(since "$t")
mkdir -p "$WORK/raw-restore"
cold; t=$(now); restic restore latest --target "$WORK/raw-restore" >/dev/null; raw_restore=$(since "$t")
rm -rf "$WORK/raw-restore"

cold; t=$(now); hostpanel backup restore "$ID" >/dev/null; ours_restore=$(since "$t")
[ "$(find "$VOLUME" -type f | wc -l)" -ge "$COUNT" ] || die "the restored volume misses files"

ratio() { echo "$1 / $2" | bc -l; }
rate() { echo "$MB / $1" | bc -l; }
printf 'data: %d MB in %d files\n' "$MB" "$COUNT"
printf 'backup:       HostPanel %6.2f s (%5.1f MB/s), restic %6.2f s (%5.1f MB/s), ratio %.2f (goal <= 1.1)\n' "$ours_full" "$(rate "$ours_full")" "$raw_full" "$(rate "$raw_full")" "$(ratio "$ours_full" "$raw_full")"
printf 'restore:      HostPanel %6.2f s (%5.1f MB/s), restic %6.2f s (%5.1f MB/s), ratio %.2f (goal <= 1.1)\n' "$ours_restore" "$(rate "$ours_restore")" "$raw_restore" "$(rate "$raw_restore")" "$(ratio "$ours_restore" "$raw_restore")"
printf 'no change:    HostPanel %6.2f s, restic %6.2f s, ratio %.2f\n' "$ours_incr" "$raw_incr" "$(ratio "$ours_incr" "$raw_incr")"

# HostPanel's steps, from its journal (ticks are 100 ns): the last backup with data and the
# restore, each step's duration; then the operation as a whole and the command outside it.
apt_install sqlite3
phases() {
  local kind=$1 offset=$2 total=$3
  local op
  op=$(sqlite3 "$DATA/hostpanel.db" "select Id from Operations where Kind = '$kind' order by CreatedAt desc limit 1 offset $offset")
  echo "HostPanel $kind steps:"
  sqlite3 -separator ' ' "$DATA/hostpanel.db" "
    select json_extract(StepJson, '\$.kind'), round((FinishedAt - StartedAt) / 1e7, 2)
    from OperationSteps where OperationId = '$op' and Undo = 0 and FinishedAt is not null order by [Index];" \
    | awk '{printf "  %-22s %6.2fs\n", $1, $2}'
  local whole
  whole=$(sqlite3 "$DATA/hostpanel.db" "select (FinishedAt - CreatedAt) / 1e7 from Operations where Id = '$op'")
  printf '  %-22s %6.2fs\n  %-22s %6.2fs\n' "whole operation" "$whole" "outside it" "$(echo "$total - $whole" | bc -l)"
}
cold; t=$(now); hostpanel app list >/dev/null; startup=$(since "$t")
printf 'HostPanel command start-up and exit (app list): %.2f s\n' "$startup"
phases Backup 1 "$ours_full"
phases Restore 0 "$ours_restore"
