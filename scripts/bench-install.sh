#!/usr/bin/env bash
# Benchmark: install of the test app "notes" (PostgreSQL + web, images already pulled) until it
# is healthy and its install step has run — HostPanel against docker-compose (Debian's package)
# bringing up the same definition on the same engine, alternately, in the same run.
#
#   scripts/bench-install.sh [RUNS]      (default 5; needs root; brings the test world up)
#
# Prints each run, the medians, the ratio HostPanel / docker-compose, and HostPanel's time per
# phase (from its own journal).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. "$ROOT/scripts/lib/common.sh"
RUNS=${1:-5}
require_root
apt_install docker-compose sqlite3 jq bc

"$ROOT/scripts/testworld.sh" up >&2
eval "$("$ROOT/scripts/testworld.sh" env)"
dotnet build src/HostPanel.Cli -c Release -nologo -v:q -clp:ErrorsOnly >&2
CLI="$ROOT/src/HostPanel.Cli/bin/Release/net10.0/hostpanel.dll"
WORK=$(mktemp -d /tmp/hp-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
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
  web:
    image: ${HOSTPANEL_TEST_IMAGE_APP}:1
    environment: { DB_HOST: db, DB_USER: notes, DB_NAME: notes, DB_PASSWORD: benchbenchbenchbench1234 }
    volumes: [ "data:/data" ]
    depends_on: { db: { condition: service_healthy } }
    healthcheck: { test: ["CMD", "/usr/local/bin/healthcheck"], interval: 2s, timeout: 2s, retries: 30, start_period: 30s }
    networks: [ internal ]
volumes: { pgdata: {}, data: {} }
networks: { internal: { internal: true } }
YAML

compose_install() { # PROJECT
  in_world docker-compose -f "$WORK/docker-compose.yml" -p "$1" up -d >/dev/null 2>&1
  local web deadline=$((SECONDS + 180))
  web=$(in_world docker-compose -f "$WORK/docker-compose.yml" -p "$1" ps -q web)
  until [ "$(in_world docker inspect -f '{{.State.Health.Status}}' "$web")" = healthy ]; do
    [ $SECONDS -lt $deadline ] || die "docker-compose: web never became healthy"
    sleep 0.2
  done
  in_world docker exec "$web" sh -c "printf '%s\n' \"insert into notes(body) values ('Bienvenue');\" | PGPASSWORD=\$DB_PASSWORD psql -h db -U notes -d notes -v ON_ERROR_STOP=1" >/dev/null
}
compose_remove() { in_world docker-compose -f "$WORK/docker-compose.yml" -p "$1" down -v >/dev/null 2>&1; }

hostpanel engine status >/dev/null
ours=() theirs=()
for run in $(seq 1 "$RUNS"); do
  name="bench-$run-$RANDOM"
  t0=$(now); hostpanel app install notes --name "$name" --domain "$name.example.org" >/dev/null; t1=$(now)
  hostpanel app remove "$name" --purge --yes >/dev/null
  t2=$(now); compose_install "$name"; t3=$(now)
  compose_remove "$name"
  ours+=("$(echo "$t1 - $t0" | bc)"); theirs+=("$(echo "$t3 - $t2" | bc)")
  printf 'run %d: HostPanel %.2f s, docker-compose %.2f s\n' "$run" "${ours[-1]}" "${theirs[-1]}"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
m_ours=$(median "${ours[@]}"); m_theirs=$(median "${theirs[@]}")
printf 'median: HostPanel %.2f s, docker-compose %.2f s, ratio %.2f (goal <= 0.8)\n' "$m_ours" "$m_theirs" "$(echo "$m_ours / $m_theirs" | bc -l)"

# HostPanel's phases, from its journal (ticks are 100 ns), summed over the runs' installs.
echo "HostPanel phases (mean per install):"
sqlite3 -separator ' ' "$DATA/hostpanel.db" "
  select json_extract(s.StepJson, '\$.kind'), round(avg(total) / 1e7, 2) from (
    select o.Id, s.StepJson, sum(s.FinishedAt - s.StartedAt) as total
    from OperationSteps s join Operations o on o.Id = s.OperationId
    where o.Kind = 'Install' and s.Undo = 0 and s.FinishedAt is not null
    group by o.Id, json_extract(s.StepJson, '\$.kind')) s
  group by json_extract(s.StepJson, '\$.kind') order by 2 desc;" | awk '{printf "  %-18s %6.2f s\n", $1, $2}'
