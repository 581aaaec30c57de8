#!/usr/bin/env bash
# Benchmark: issuing a certificate from the test world's Pebble with real HTTP-01 validation
# through Caddy — HostPanel (`hostpanel cert renew DOMAIN`: DNS check, order, the answer
# published by reloading Caddy, validation, finalize, download, files written, Caddy reloaded
# with the certificate and the served serial checked) against certbot (Debian's package,
# `certbot certonly --manual` whose hooks add and remove the answer as a route through Caddy's
# admin API, and which neither reloads a proxy nor checks what is served), alternately, in the
# same run. Account registration is done once beforehand for both and not timed.
#
#   scripts/bench-cert.sh [RUNS]      (default 5; needs root; brings the test world up)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. "$ROOT/scripts/lib/common.sh"
RUNS=${1:-5}
require_root
apt_install certbot curl jq bc

"$ROOT/scripts/testworld.sh" up >&2
eval "$("$ROOT/scripts/testworld.sh" env)"
WORK=$(mktemp -d /var/tmp/hp-bench-cert.XXXXXX)
NAME=benchcert-$RANDOM
SOCKET=${HOSTPANEL_TEST_CADDY_ADMIN#unix://}
in_world() { "$ROOT/scripts/testworld.sh" exec -- "$@"; }
hostpanel() {
  in_world env HOSTPANEL_UTILITYIMAGE="$HOSTPANEL_TEST_IMAGE_WEB" HOSTPANEL_PROXYADMINSOCKET="$SOCKET" \
    HOSTPANEL_ACMEDIRECTORY="$HOSTPANEL_TEST_ACME_DIRECTORY" HOSTPANEL_ACMETRUSTEDROOTS="$HOSTPANEL_TEST_ACME_TLS_CA_FILE" \
    HOSTPANEL_DNSSERVERS="$HOSTPANEL_TEST_DNS" HOSTPANEL_PUBLICADDRESSES=127.0.0.1 \
    dotnet "$WORK/cli/hostpanel.dll" --data-dir "$WORK/data" --catalog "$ROOT/tests/catalog/1" "$@"
}
cleanup() {
  hostpanel app remove "$NAME" --purge --yes >/dev/null 2>&1 || true
  # Give the world's Caddy its first configuration back.
  in_world curl -fsS --unix-socket "$SOCKET" -H 'Content-Type: application/json' \
    --data-binary @"$HOSTPANEL_TESTWORLD_DIR/caddy/initial.json" http://localhost/load >/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
publish_hostpanel src/HostPanel.Cli/HostPanel.Cli.csproj "$WORK/cli" >&2
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

# HostPanel: the app and its first certificate (the ACME account is made then).
OURS=$NAME.example.org
hostpanel app install hello --name "$NAME" --domain "$OURS" >/dev/null
hostpanel cert list --json | jq -e --arg d "$OURS" '.[] | select(.domain == $d and .lastError == null and .serial != null)' >/dev/null \
  || die "HostPanel did not get the first certificate of $OURS: $(hostpanel cert list --json)"

# certbot: hooks that publish and withdraw the answer through Caddy's admin API.
cat >"$WORK/auth-hook" <<HOOK
#!/bin/sh
route=\$(jq -cn --arg id "certbot-\$CERTBOT_TOKEN" --arg path "/.well-known/acme-challenge/\$CERTBOT_TOKEN" --arg body "\$CERTBOT_VALIDATION" \
  '{"@id": \$id, "match": [{"path": [\$path]}], "handle": [{"handler": "static_response", "status_code": 200, "body": \$body}], "terminal": true}')
exec curl -fsS --unix-socket "$SOCKET" -X PUT -H 'Content-Type: application/json' --data "\$route" http://localhost/config/apps/http/servers/http/routes/0
HOOK
cat >"$WORK/cleanup-hook" <<HOOK
#!/bin/sh
exec curl -fsS --unix-socket "$SOCKET" -X DELETE "http://localhost/id/certbot-\$CERTBOT_TOKEN"
HOOK
chmod 755 "$WORK/auth-hook" "$WORK/cleanup-hook"
THEIRS=certbot-$NAME.example.org
certbot() {
  in_world env REQUESTS_CA_BUNDLE="$HOSTPANEL_TEST_ACME_TLS_CA_FILE" certbot "$@" \
    --config-dir "$WORK/certbot/config" --work-dir "$WORK/certbot/work" --logs-dir "$WORK/certbot/logs" \
    --server "$HOSTPANEL_TEST_ACME_DIRECTORY" --non-interactive
}
certbot register --agree-tos --register-unsafely-without-email >/dev/null 2>&1 || die "certbot could not register with Pebble"
issue_theirs() {
  certbot certonly --manual --preferred-challenges http --manual-auth-hook "$WORK/auth-hook" \
    --manual-cleanup-hook "$WORK/cleanup-hook" --cert-name bench --force-renewal -d "$THEIRS" >"$WORK/certbot.out" 2>&1 \
    || { tail -3 "$WORK/certbot.out" >&2; grep -m1 -B2 "Error\|Traceback" "$WORK/certbot/logs/letsencrypt.log" >&2 || true; return 1; }
}
# certbot 2.1 sometimes stops on an answer of Pebble's (its failures are counted and the order
# asked again: only successful orders are timed).
certbot_failures=0
issue_theirs_until_done() {
  local tries=0
  until issue_theirs; do
    tries=$((tries + 1)); certbot_failures=$((certbot_failures + 1))
    [ "$tries" -lt 3 ] || die "certbot failed 3 times in a row"
    warn "certbot failed; asking again"
  done
}
issue_theirs_until_done # warm-up: certbot's first order (not timed)

ours=(); theirs=()
for run in $(seq 1 "$RUNS"); do
  t=$(now); hostpanel cert renew "$OURS" >/dev/null || die "hostpanel cert renew failed"; ours+=("$(since "$t")")
  until t=$(now); issue_theirs; do
    certbot_failures=$((certbot_failures + 1)); [ "$certbot_failures" -lt 5 ] || die "certbot failed 5 times"
    warn "certbot failed; asking again"
  done
  theirs+=("$(since "$t")")
  printf 'run %d: HostPanel %.2f s, certbot %.2f s\n' "$run" "${ours[-1]}" "${theirs[-1]}"
done
served=$(hostpanel cert list --json | jq -r --arg d "$OURS" '.[] | select(.domain == $d) | (.serial == .servedSerial)')
[ "$served" = true ] || die "the proxy does not serve HostPanel's last certificate"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
m_ours=$(median "${ours[@]}"); m_theirs=$(median "${theirs[@]}")
[ "$certbot_failures" -eq 0 ] || say "certbot failed $certbot_failures time(s) and was asked again (not timed)"
printf 'median: HostPanel %.2f s, certbot %.2f s, ratio %.2f (goal <= 1.0)\n' "$m_ours" "$m_theirs" "$(echo "$m_ours / $m_theirs" | bc -l)"
