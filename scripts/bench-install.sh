#!/usr/bin/env bash
# Benchmark: install of the three-service test app "gallery" (PostgreSQL, a media server that
# needs nothing else, a web app that needs the database; images already pulled) until it is
# healthy and its install step has run — HostPanel against docker-compose (Debian's package)
# bringing up the same definition on the same engine, alternately, in the same run.
#
#   scripts/bench-install.sh [RUNS]      (default 5; needs root; brings the test world up)
#
# Prints each run, the medians, the ratio HostPanel / docker-compose, and HostPanel's time per
# phase (from its own journal: from the first step of a kind starting to the last one finishing,
# so phases that run side by side overlap).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. "$ROOT/scripts/lib/common.sh"
RUNS=${1:-5}
require_root
apt_install docker-compose sqlite3 jq bc

"$ROOT/scripts/testworld.sh" up >&2
eval "$("$ROOT/scripts/testworld.sh" env)"
WORK=$(mktemp -d /tmp/hp-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# The command-line tool as install.sh ships it.
publish_hostpanel src/HostPanel.Cli/HostPanel.Cli.csproj "$WORK/cli" >&2
CLI="$WORK/cli/hostpanel.dll"
DATA=$WORK/data
in_world() { "$ROOT/scripts/testworld.sh" exec -- "$@"; }
hostpanel() { in_world env HOSTPANEL_UTILITYIMAGE="$HOSTPANEL_TEST_IMAGE_WEB" dotnet "$CLI" --data-dir "$DATA" --catalog "$ROOT/tests/catalog/1" "$@"; }
now() { date +%s.%N; }

# The same app for docker-compose: the same images, environment, health checks, dependency
# condition, internal network and install step.
cat > "$WORK/docker-compose.yml" <<YAML
version: "2.4"
services:
  db:
    image: ${HOSTPANEL_TEST_IMAGE_POSTGRES}
    environment: { POSTGRES_USER: notes, POSTGRES_DB: notes, POSTGRES_PASSWORD: benchbenchbenchbench1234 }
    volumes: [ "pgdata:/var/lib/postgresql/data" ]
    healthcheck: { test: ["CMD", "/usr/local/bin/healthcheck"], interval: 2s, timeout: 5s, retries: 30, start_period: 30s }
    stop_signal: SIGINT
    networks: [ internal ]
  media:
    image: ${HOSTPANEL_TEST_IMAGE_WEB}
    environment: { GREETING: "Médias" }
    volumes: [ "media:/data" ]
    healthcheck: { test: ["CMD", "/usr/local/bin/healthcheck"], interval: 2s, timeout: 2s, retries: 15, start_period: 30s }
    networks: [ internal ]
  web:
    image: ${HOSTPANEL_TEST_IMAGE_APP}:1
    environment: { DB_HOST: db, DB_USER: notes, DB_NAME: notes, DB_PASSWORD: benchbenchbenchbench1234 }
    volumes: [ "data:/data" ]
    depends_on: { db: { condition: service_healthy } }
    healthcheck: { test: ["CMD", "/usr/local/bin/healthcheck"], interval: 2s, timeout: 2s, retries: 30, start_period: 30s }
    networks: [ internal ]
volumes: { pgdata: {}, data: {}, media: {} }
networks: { internal: { internal: true } }
YAML

compose_install() { # PROJECT
  in_world docker-compose -f "$WORK/docker-compose.yml" -p "$1" up -d >/dev/null 2>&1
  local web media deadline=$((SECONDS + 180))
  web=$(in_world docker-compose -f "$WORK/docker-compose.yml" -p "$1" ps -q web)
  media=$(in_world docker-compose -f "$WORK/docker-compose.yml" -p "$1" ps -q media)
  until [ "$(in_world docker inspect -f '{{.State.Health.Status}}' "$web" "$media" | sort -u)" = healthy ]; do
    [ $SECONDS -lt $deadline ] || die "docker-compose: web and media never both became healthy"
    sleep 0.2
  done
  in_world docker exec "$web" sh -c "printf '%s\n' \"insert into notes(body) values ('Bienvenue');\" | PGPASSWORD=\$DB_PASSWORD psql -h db -U notes -d notes -v ON_ERROR_STOP=1" >/dev/null
}
compose_remove() { in_world docker-compose -f "$WORK/docker-compose.yml" -p "$1" down -v >/dev/null 2>&1; }

hostpanel engine status >/dev/null
ours=() theirs=()
for run in $(seq 1 "$RUNS"); do
  name="bench-$run-$RANDOM"
  t0=$(now); hostpanel app install gallery --name "$name" --domain "$name.example.org" >/dev/null; t1=$(now)
  hostpanel app remove "$name" --purge --yes >/dev/null
  t2=$(now); compose_install "$name"; t3=$(now)
  compose_remove "$name"
  ours+=("$(echo "$t1 - $t0" | bc)"); theirs+=("$(echo "$t3 - $t2" | bc)")
  printf 'run %d: HostPanel %.2f s, docker-compose %.2f s\n' "$run" "${ours[-1]}" "${theirs[-1]}"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
m_ours=$(median "${ours[@]}"); m_theirs=$(median "${theirs[@]}")
printf 'median: HostPanel %.2f s, docker-compose %.2f s, ratio %.2f (goal <= 0.8)\n' "$m_ours" "$m_theirs" "$(echo "$m_ours / $m_theirs" | bc -l)"

# HostPanel's phases, from its journal (ticks are 100 ns), mean per install: "wall" from the
# first step of a kind starting to the last one finishing (steps side by side overlap), "sum" the
# steps' own durations added up; then the operation as a whole, and what the command spent
# outside it (start-up, checks, planning, exit).
echo "HostPanel phases (mean per install):"
printf '  %-18s %7s %7s\n' phase wall sum
sqlite3 -separator ' ' "$DATA/hostpanel.db" "
  select step_kind, round(avg(wall) / 1e7, 2), round(avg(total) / 1e7, 2) from (
    select o.Id, json_extract(s.StepJson, '\$.kind') as step_kind,
           max(s.FinishedAt) - min(s.StartedAt) as wall, sum(s.FinishedAt - s.StartedAt) as total
    from OperationSteps s join Operations o on o.Id = s.OperationId
    where o.Kind = 'Install' and s.Undo = 0 and s.FinishedAt is not null
    group by o.Id, step_kind)
  group by step_kind order by 3 desc;" | awk '{printf "  %-18s %6.2fs %6.2fs\n", $1, $2, $3}'
operation=$(sqlite3 "$DATA/hostpanel.db" "select avg(FinishedAt - CreatedAt) / 1e7 from Operations where Kind = 'Install'")
printf '  %-18s %6.2fs\n  %-18s %6.2fs\n' "whole operation" "$operation" "outside it" "$(echo "$m_ours - $operation" | bc -l)"
