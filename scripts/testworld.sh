#!/usr/bin/env bash
# HostPanel's local test world: a Docker engine, an image registry, an ACME CA (Pebble and
# its DNS server), Caddy, an SFTP server and an SMTP sink, all running inside one private
# network namespace, so that every packet of the tests stays on this machine's loopback.
#
#   scripts/testworld.sh up              start what is not running, build/push the test images
#   scripts/testworld.sh down            stop everything it started, delete the namespace
#   scripts/testworld.sh status          one line per piece; exit 0 if all run, 3 otherwise
#   scripts/testworld.sh env             `export` lines for the tests (eval "$(... env)")
#   scripts/testworld.sh exec -- CMD...  run CMD inside the namespace with that environment
#   scripts/testworld.sh restart-engine  stop and start the test Docker engine (tests of restarts)
#
# HOSTPANEL_TESTWORLD_DIR (default /var/tmp/hostpanel-testworld) keeps the state, the logs
# (logs/), the pid files (run/) and the image cache between runs;
# HOSTPANEL_TESTWORLD_NS (default hostpanel-test) names the network namespace.
# Must run as root. Only image building (debootstrap) uses the machine's network.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIR=${HOSTPANEL_TESTWORLD_DIR:-/var/tmp/hostpanel-testworld}
case "$DIR" in /*) ;; *) DIR=$(realpath -m "$DIR") ;; esac
DIR=${DIR%/}
NS=${HOSTPANEL_TESTWORLD_NS:-hostpanel-test}
NETNS=/var/run/netns/$NS

RUN=$DIR/run
LOGS=$DIR/logs
CONF=$DIR/config
DOCKER_SOCK=$RUN/docker.sock
CADDY_SOCK=$RUN/caddy-admin.sock
PEBBLE_DIR=$DIR/pebble
LISTENER_CA=$PEBBLE_DIR/listener-ca.pem
ISSUER_ROOT=$PEBBLE_DIR/issuer-root.pem
SSH_DIR=$DIR/ssh
SFTP_DIR=$DIR/sftp
REGISTRY=127.0.0.1:5000

PIECES=(docker registry challtestsrv pebble caddy sshd smtp)

say() { echo "testworld: $*" >&2; }
die() { say "error: $*"; exit 1; }
in_ns() { nsenter --net="$NETNS" -- "$@"; }

# --- the network namespace ---------------------------------------------------------
ns_exists() { [ -e "$NETNS" ] && [ "$(stat -f -c %T "$NETNS" 2>/dev/null)" = nsfs ]; }
ns_inode() { stat -L -c %i "$NETNS" 2>/dev/null; }

# --- recorded processes ------------------------------------------------------------
# (dockerd writes run/docker.pid itself; the launcher's record of it is run/dockerd.pid)
pidfile() { if [ "$1" = docker ]; then echo "$RUN/dockerd.pid"; else echo "$RUN/$1.pid"; fi; }

# Does this command line (arguments joined by spaces) belong to PIECE of this world?
cmdline_matches() { # PIECE CMDLINE
    case "$1" in
        docker) [[ "$2" == *dockerd\ * && "$2" == *"-H unix://$DOCKER_SOCK"* ]] ;;
        registry) [[ "$2" == *docker-registry\ serve\ "$CONF/registry.yml"* ]] ;;
        challtestsrv) [[ "$2" == *pebble-challtestsrv\ * ]] ;;
        pebble) [[ "$2" == *pebble\ -config\ "$PEBBLE_DIR/config.json"* ]] ;;
        caddy) [[ "$2" == *caddy\ run\ --config\ "$DIR/caddy/initial.json"* ]] ;;
        sshd) [[ "$2" == *sshd\ *"-f $SSH_DIR/sshd_config"* ]] ;;
        smtp) [[ "$2" == *-m\ aiosmtpd\ *127.0.0.1:2525* ]] ;;
        *) return 1 ;;
    esac
}

# Prints the recorded pid of PIECE if that process is alive, is the expected program and,
# when the namespace exists, lives in it.
piece_pid() { # PIECE
    local file pid cmd net
    file=$(pidfile "$1")
    [ -f "$file" ] || return 1
    pid=$(cat "$file" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    cmd=$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline") || return 1
    cmdline_matches "$1" "$cmd" || return 1
    if ns_exists; then
        net=$(readlink "/proc/$pid/ns/net" 2>/dev/null) || return 1
        [ "$net" = "net:[$(ns_inode)]" ] || return 1
    fi
    echo "$pid"
}
piece_running() { ns_exists && piece_pid "$1" > /dev/null; }

# Starts a piece in the background, in the namespace, in its own session, with its output
# appended to logs/PIECE.log, and records its pid (setsid and nsenter exec, so $! is the
# program itself).
start_piece() { # PIECE COMMAND...
    local piece=$1 log=$LOGS/$1.log
    shift
    printf '\n=== %s starting: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >> "$log"
    setsid nsenter --net="$NETNS" -- "$@" >> "$log" 2>&1 < /dev/null 9>&- &
    echo "$!" > "$(pidfile "$piece")"
}

# Polls CHECK... (a command that must itself be time-bounded) until it succeeds, at most
# SECONDS seconds and 10*SECONDS attempts; fails early when PIECE (if given) dies.
wait_for() { # DESCRIPTION PIECE|- SECONDS CHECK...
    local what=$1 piece=$2 seconds=$3 deadline tries=0
    shift 3
    deadline=$(($(date +%s) + seconds))
    while true; do
        if "$@" > /dev/null 2>&1; then return 0; fi
        tries=$((tries + 1))
        # Judge by the recorded pid itself: right after the start, the process may not have
        # entered the namespace or exec'd its program yet, and would not look like the piece.
        if [ "$piece" != - ] && pid_gone "$(cat "$(pidfile "$piece")" 2>/dev/null || echo 0)"; then
            say "error: $piece exited while waiting for $what"
            break
        fi
        if [ "$(date +%s)" -ge "$deadline" ] || [ "$tries" -ge $((seconds * 10)) ]; then
            say "error: timed out after ${seconds}s waiting for $what"
            break
        fi
        sleep 0.2
    done
    if [ "$piece" != - ] && [ -s "$LOGS/$piece.log" ]; then
        say "last lines of $LOGS/$piece.log:"
        tail -n 20 "$LOGS/$piece.log" >&2
    fi
    return 1
}

# True once PID has exited (gone, or a zombie waiting to be reaped).
pid_gone() {
    local state
    state=$(awk '{ sub(/^.*\) /, ""); print substr($0, 1, 1) }' "/proc/$1/stat" 2> /dev/null) \
        || return 0
    [ -z "$state" ] || [ "$state" = Z ] || [ "$state" = X ]
}

# Sends SIGTERM to the recorded process of PIECE, waits up to SECONDS, then SIGKILL.
stop_piece() { # PIECE SECONDS
    local piece=$1 seconds=$2 pid i
    if ! pid=$(piece_pid "$piece"); then
        rm -f "$(pidfile "$piece")"
        return 0
    fi
    say "stopping $piece (pid $pid)"
    kill -TERM "$pid" 2> /dev/null || true
    for ((i = 0; i < seconds * 10; i++)); do
        pid_gone "$pid" && break
        sleep 0.1
    done
    if ! pid_gone "$pid"; then
        say "warning: $piece (pid $pid) did not stop within ${seconds}s, sending SIGKILL"
        kill -KILL "$pid" 2> /dev/null || true
        for ((i = 0; i < 50; i++)); do
            pid_gone "$pid" && break
            sleep 0.1
        done
        pid_gone "$pid" || say "warning: $piece (pid $pid) is still there after SIGKILL"
    fi
    rm -f "$(pidfile "$piece")"
}

# --- readiness checks (each bounded in time) ---------------------------------------
check_docker() { in_ns timeout 5 docker -H "unix://$DOCKER_SOCK" version; }
check_registry() { in_ns curl -sf --max-time 2 -o /dev/null "http://$REGISTRY/v2/"; }
check_challtestsrv() { in_ns curl -s --max-time 2 -o /dev/null http://127.0.0.1:8055/; }
check_pebble() {
    in_ns curl -sf --max-time 2 -o /dev/null --cacert "$LISTENER_CA" https://127.0.0.1:14000/dir
}
check_caddy() {
    in_ns curl -sf --max-time 2 -o /dev/null --unix-socket "$CADDY_SOCK" http://localhost/config/
}
ssh_options() {
    echo -F /dev/null -i "$SSH_DIR/client_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
        -o UserKnownHostsFile="$SSH_DIR/known_hosts" -o StrictHostKeyChecking=yes \
        -o ConnectTimeout=5
}
check_sshd() {
    # shellcheck disable=SC2046
    in_ns timeout 10 ssh $(ssh_options) -p 2222 root@127.0.0.1 true
}
check_smtp() {
    in_ns timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/2525 && read -r line <&3 && [[ "$line" == 220* ]]'
}

# --- the pieces --------------------------------------------------------------------
up_docker() {
    mkdir -p "$DIR/docker" "$DIR/exec"
    # An own daemon configuration, so that the machine's /etc/docker/daemon.json (if any)
    # does not apply and the engine's identity key stays in the state directory.
    printf '{\n  "deprecated-key-path": "%s"\n}\n' "$CONF/dockerd-key.json" > "$CONF/dockerd.json"
    start_piece docker dockerd --config-file "$CONF/dockerd.json" \
        --data-root "$DIR/docker" --exec-root "$DIR/exec" \
        -H "unix://$DOCKER_SOCK" --pidfile "$RUN/docker.pid"
    wait_for "the Docker engine on $DOCKER_SOCK" docker 60 check_docker
}

up_registry() {
    mkdir -p "$DIR/registry"
    cat > "$CONF/registry.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $DIR/registry
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $REGISTRY
  headers:
    X-Content-Type-Options: [nosniff]
EOF
    start_piece registry docker-registry serve "$CONF/registry.yml"
    wait_for "the registry on http://$REGISTRY/v2/" registry 30 check_registry
}

up_challtestsrv() {
    start_piece challtestsrv pebble-challtestsrv -defaultIPv4 127.0.0.1 -defaultIPv6 "" \
        -dns01 127.0.0.1:8053 -http01 "" -https01 "" -tlsalpn01 "" -management 127.0.0.1:8055
    wait_for "pebble-challtestsrv's management API on http://127.0.0.1:8055" \
        challtestsrv 30 check_challtestsrv
}

# A fresh CA and listener certificate (localhost, 127.0.0.1, ::1) for Pebble's own TLS.
make_pebble_listener_cert() {
    local tmp=$PEBBLE_DIR/tmp
    rm -rf "$tmp"; mkdir -p "$tmp"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days 3650 \
        -subj "/CN=HostPanel test world Pebble listener CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2> "$tmp/openssl.log" \
        || { cat "$tmp/openssl.log" >&2; die "making Pebble's listener CA failed"; }
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$tmp/listener.key" -out "$tmp/listener.csr" -subj "/CN=localhost" \
        2>> "$tmp/openssl.log" || { cat "$tmp/openssl.log" >&2; die "making Pebble's listener key failed"; }
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
        "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=serverAuth" > "$tmp/listener.ext"
    openssl x509 -req -in "$tmp/listener.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
        -CAcreateserial -days 825 -extfile "$tmp/listener.ext" -out "$tmp/listener.pem" \
        2>> "$tmp/openssl.log" || { cat "$tmp/openssl.log" >&2; die "signing Pebble's listener certificate failed"; }
    mv "$tmp/ca.key" "$PEBBLE_DIR/listener-ca.key"
    mv "$tmp/ca.pem" "$LISTENER_CA"
    mv "$tmp/listener.key" "$PEBBLE_DIR/listener.key"
    mv "$tmp/listener.pem" "$PEBBLE_DIR/listener.pem"
    rm -rf "$tmp"
}

# Pebble makes new issuing roots at every start: fetch the one of the running process.
fetch_issuer_root() {
    local pid=$1 tmp=$ISSUER_ROOT.tmp
    in_ns curl -sf --max-time 10 --cacert "$LISTENER_CA" -o "$tmp" https://127.0.0.1:15000/roots/0 \
        || die "fetching Pebble's issuing root from https://127.0.0.1:15000/roots/0 failed"
    openssl x509 -noout -in "$tmp" 2> /dev/null \
        || die "https://127.0.0.1:15000/roots/0 did not return a PEM certificate"
    mv "$tmp" "$ISSUER_ROOT"
    echo "$pid" > "$ISSUER_ROOT.pid"
}

up_pebble() {
    mkdir -p "$PEBBLE_DIR"
    rm -f "$ISSUER_ROOT" "$ISSUER_ROOT.pid"
    make_pebble_listener_cert
    cat > "$PEBBLE_DIR/config.json" <<EOF
{
  "pebble": {
    "listenAddress": "127.0.0.1:14000",
    "managementListenAddress": "127.0.0.1:15000",
    "certificate": "$PEBBLE_DIR/listener.pem",
    "privateKey": "$PEBBLE_DIR/listener.key",
    "httpPort": 80,
    "tlsPort": 443,
    "ocspResponderURL": "",
    "externalAccountBindingRequired": false
  }
}
EOF
    # Every order is validated afresh (no reused authorizations), so that a test that breaks a
    # domain's validation sees it fail; Pebble's default rejection of some nonces stays on.
    start_piece pebble env PEBBLE_VA_NOSLEEP=1 PEBBLE_AUTHZREUSE=0 \
        pebble -config "$PEBBLE_DIR/config.json" -dnsserver 127.0.0.1:8053
    wait_for "Pebble's ACME directory on https://127.0.0.1:14000/dir" pebble 30 check_pebble
}

up_caddy() {
    mkdir -p "$DIR/caddy/home" "$DIR/caddy/data" "$DIR/caddy/config"
    rm -f "$CADDY_SOCK"
    cat > "$DIR/caddy/initial.json" <<EOF
{
  "admin": {
    "listen": "unix/$CADDY_SOCK",
    "origins": ["localhost"],
    "config": { "persist": false }
  },
  "storage": { "module": "file_system", "root": "$DIR/caddy/data" },
  "apps": {
    "http": {
      "http_port": 80,
      "https_port": 443,
      "servers": {
        "testworld": {
          "listen": [":80"],
          "automatic_https": { "disable": true },
          "routes": [
            {
              "handle": [
                { "handler": "static_response", "status_code": 200,
                  "body": "hostpanel test world\n" }
              ]
            }
          ]
        }
      }
    },
    "pki": {
      "certificate_authorities": { "local": { "install_trust": false } }
    }
  }
}
EOF
    start_piece caddy env HOME="$DIR/caddy/home" XDG_DATA_HOME="$DIR/caddy/data" \
        XDG_CONFIG_HOME="$DIR/caddy/config" \
        caddy run --config "$DIR/caddy/initial.json"
    wait_for "Caddy's admin API on $CADDY_SOCK" caddy 30 check_caddy
    wait_for "Caddy's HTTP server on http://127.0.0.1:80/" caddy 10 \
        in_ns curl -sf --max-time 2 -o /dev/null http://127.0.0.1/
}

up_sshd() {
    mkdir -p "$SSH_DIR" "$SFTP_DIR" /run/sshd
    chmod 700 "$SSH_DIR"
    chmod 755 /run/sshd
    [ -s "$SSH_DIR/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N "" \
        -C "hostpanel-testworld-host" -f "$SSH_DIR/ssh_host_ed25519_key"
    [ -s "$SSH_DIR/client_ed25519" ] || ssh-keygen -q -t ed25519 -N "" \
        -C "hostpanel-testworld-client" -f "$SSH_DIR/client_ed25519"
    cp "$SSH_DIR/client_ed25519.pub" "$SSH_DIR/authorized_keys"
    chmod 600 "$SSH_DIR/authorized_keys"
    echo "[127.0.0.1]:2222 $(cut -d' ' -f1,2 "$SSH_DIR/ssh_host_ed25519_key.pub")" \
        > "$SSH_DIR/known_hosts"
    cat > "$SSH_DIR/sshd_config" <<EOF
# sshd of the HostPanel test world: SFTP target on 127.0.0.1:2222, key login only.
Port 2222
ListenAddress 127.0.0.1
HostKey $SSH_DIR/ssh_host_ed25519_key
PidFile $RUN/sshd.daemon.pid
AuthorizedKeysFile $SSH_DIR/authorized_keys
AllowUsers root
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# The state directory lives under /var/tmp (world-writable), which StrictModes rejects.
StrictModes no
UseDNS no
PrintMotd no
X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no
Subsystem sftp internal-sftp
EOF
    /usr/sbin/sshd -t -f "$SSH_DIR/sshd_config" || die "sshd rejects $SSH_DIR/sshd_config"
    start_piece sshd /usr/sbin/sshd -D -e -f "$SSH_DIR/sshd_config"
    wait_for "an SSH login as root on 127.0.0.1:2222" sshd 30 check_sshd
    # One SFTP round trip.
    local probe=hostpanel-testworld-probe-$$ out
    printf 'put %s %s/%s\nget %s/%s %s.back\nrm %s/%s\n' \
        "$SSH_DIR/known_hosts" "$SFTP_DIR" "$probe" "$SFTP_DIR" "$probe" "$RUN/$probe" \
        "$SFTP_DIR" "$probe" > "$RUN/$probe.batch"
    # shellcheck disable=SC2046
    if ! out=$(in_ns timeout 20 sftp $(ssh_options) -P 2222 -b "$RUN/$probe.batch" root@127.0.0.1 2>&1) \
        || ! cmp -s "$SSH_DIR/known_hosts" "$RUN/$probe.back"; then
        rm -f "$RUN/$probe.batch" "$RUN/$probe.back"
        die "SFTP round trip to 127.0.0.1:2222 failed: $out"
    fi
    rm -f "$RUN/$probe.batch" "$RUN/$probe.back"
}

up_smtp() {
    start_piece smtp env PYTHONUNBUFFERED=1 /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:2525
    wait_for "the SMTP sink on 127.0.0.1:2525" smtp 30 check_smtp
}

# --- commands ----------------------------------------------------------------------
preflight() {
    [ "$(id -u)" = 0 ] || die "must run as root"
    local tool
    for tool in ip nsenter setsid dockerd docker docker-registry pebble pebble-challtestsrv \
        caddy /usr/sbin/sshd ssh sftp ssh-keygen openssl curl debootstrap unshare; do
        command -v "$tool" > /dev/null || die "missing program: $tool"
    done
    /usr/bin/python3 -c 'import aiosmtpd' 2> /dev/null || die "missing python3-aiosmtpd"
    # Unix socket paths below the engine's exec root must stay under 108 bytes.
    [ "${#DIR}" -le 60 ] || die "HOSTPANEL_TESTWORLD_DIR is too long (${#DIR} > 60 characters)"
}

lock() {
    mkdir -p "$DIR"
    exec 9> "$DIR/.lock"
    flock -w 1800 9 || die "another testworld.sh up/down holds $DIR/.lock"
}

build_images() { # ensure|status
    TESTWORLD_DIR=$DIR TESTWORLD_NETNS=$NETNS DOCKER_HOST="unix://$DOCKER_SOCK" \
        "$SCRIPT_DIR/testimages/build.sh" "$1"
}

cmd_up() {
    local started=0 start piece pid
    start=$(date +%s)
    preflight
    lock
    mkdir -p "$RUN" "$LOGS" "$CONF"
    if ! ns_exists; then
        say "creating network namespace $NS"
        [ ! -e "$NETNS" ] || ip netns delete "$NS" 2> /dev/null || rm -f "$NETNS"
        ip netns add "$NS"
    fi
    ip -n "$NS" link set lo up
    # Interfaces that appear later in the namespace (the engine's bridges, the host ends of the
    # containers' links) get no IPv6 address: each new link-local address is a network change for
    # the browser the panel's tests run here, and Chromium drops what it is loading then
    # (ERR_NETWORK_CHANGED). The loopback keeps ::1; the containers' own namespaces are untouched.
    nsenter --net="$NETNS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
    for piece in "${PIECES[@]}"; do
        if piece_running "$piece"; then
            continue
        fi
        say "starting $piece"
        "up_$piece"
        started=$((started + 1))
    done
    # Quick readiness check of the pieces that were already running.
    check_docker > /dev/null 2>&1 || die "the Docker engine does not answer on $DOCKER_SOCK"
    check_registry || die "the registry does not answer on http://$REGISTRY/v2/"
    check_pebble || die "Pebble does not answer on https://127.0.0.1:14000/dir"
    check_caddy || die "Caddy's admin API does not answer on $CADDY_SOCK"
    pid=$(piece_pid pebble)
    if [ ! -s "$ISSUER_ROOT" ] || [ "$(cat "$ISSUER_ROOT.pid" 2> /dev/null)" != "$pid" ]; then
        fetch_issuer_root "$pid"
    fi
    build_images ensure
    echo "HostPanel test world is up in namespace $NS ($DIR), $started piece(s) started, $(($(date +%s) - start))s"
    for piece in "${PIECES[@]}"; do
        printf '  %-13s pid %s\n' "$piece" "$(piece_pid "$piece")"
    done
    echo "  environment: eval \"\$($0 env)\"; run tests with: $0 exec -- COMMAND"
}

cmd_status() {
    local rc=0 piece pid images
    if ns_exists; then
        printf '%-13s present (%s)\n' netns "$NETNS"
    else
        printf '%-13s missing\n' netns
        rc=3
    fi
    for piece in "${PIECES[@]}"; do
        if pid=$(piece_pid "$piece") && ns_exists; then
            printf '%-13s running (pid %s)\n' "$piece" "$pid"
        else
            printf '%-13s stopped\n' "$piece"
            rc=3
        fi
    done
    if piece_running registry; then
        if images=$(build_images status 2> /dev/null); then
            printf '%-13s present (%s)\n' images "$(echo "$images" | wc -l) images"
        else
            printf '%-13s missing: %s\n' images \
                "$(echo "$images" | awk '$2 != "present" { printf "%s%s (%s)", sep, $1, $2; sep=", " }')"
            rc=3
        fi
    else
        printf '%-13s unknown (registry stopped)\n' images
        rc=3
    fi
    return "$rc"
}

print_env() {
    local ca=""
    if [ -s "$LISTENER_CA" ]; then
        ca=$(cat "$LISTENER_CA")
    else
        say "warning: $LISTENER_CA is missing (is the world up?)"
    fi
    local -a vars=(
        "DOCKER_HOST=unix://$DOCKER_SOCK"
        "HOSTPANEL_TESTWORLD_NETNS=$NETNS"
        "HOSTPANEL_TESTWORLD_DIR=$DIR"
        "HOSTPANEL_TEST_REGISTRY=$REGISTRY"
        "HOSTPANEL_TEST_ACME_DIRECTORY=https://127.0.0.1:14000/dir"
        "HOSTPANEL_TEST_ACME_TLS_CA=$ca"
        "HOSTPANEL_TEST_ACME_TLS_CA_FILE=$LISTENER_CA"
        "HOSTPANEL_TEST_ISSUER_ROOT=$ISSUER_ROOT"
        "HOSTPANEL_TEST_PEBBLE_MANAGEMENT=https://127.0.0.1:15000"
        "HOSTPANEL_TEST_CADDY_ADMIN=unix://$CADDY_SOCK"
        "HOSTPANEL_TEST_HTTP_PORT=80"
        "HOSTPANEL_TEST_HTTPS_PORT=443"
        "HOSTPANEL_TEST_DNS=127.0.0.1:8053"
        "HOSTPANEL_TEST_DNS_MANAGEMENT=http://127.0.0.1:8055"
        "HOSTPANEL_TEST_SFTP_HOST=127.0.0.1"
        "HOSTPANEL_TEST_SFTP_PORT=2222"
        "HOSTPANEL_TEST_SFTP_USER=root"
        "HOSTPANEL_TEST_SFTP_KEY=$SSH_DIR/client_ed25519"
        "HOSTPANEL_TEST_SFTP_KNOWN_HOSTS=$SSH_DIR/known_hosts"
        "HOSTPANEL_TEST_SFTP_PATH=$SFTP_DIR"
        "HOSTPANEL_TEST_SMTP=127.0.0.1:2525"
        "HOSTPANEL_TEST_IMAGE_WEB=$REGISTRY/hostpanel-test/web:1"
        "HOSTPANEL_TEST_IMAGE_POSTGRES=$REGISTRY/hostpanel-test/postgres:15"
        "HOSTPANEL_TEST_IMAGE_APP=$REGISTRY/hostpanel-test/app"
    )
    local v
    for v in "${vars[@]}"; do
        printf 'export %s=%q\n' "${v%%=*}" "${v#*=}"
    done
}

cmd_exec() {
    [ "${1:-}" = -- ] && shift
    [ "$#" -gt 0 ] || die "usage: $0 exec -- COMMAND [ARG...]"
    ns_exists || die "the test world is not up (no network namespace $NS); run: $0 up"
    local piece stopped=()
    for piece in "${PIECES[@]}"; do
        piece_running "$piece" || stopped+=("$piece")
    done
    [ "${#stopped[@]}" = 0 ] || die "the test world is not up (stopped: ${stopped[*]}); run: $0 up"
    eval "$(print_env)"
    exec nsenter --net="$NETNS" -- "$@"
}

# Processes still in the test namespace or in a namespace of one of the engine's containers.
leftover_pids() {
    local -A inodes=()
    local f p net
    if ns_exists; then inodes["net:[$(ns_inode)]"]=1; fi
    for f in "$DIR"/exec/netns/*; do
        [ -e "$f" ] && [ "$(stat -f -c %T "$f" 2>/dev/null)" = nsfs ] \
            && inodes["net:[$(stat -L -c %i "$f")]"]=1
    done
    [ "${#inodes[@]}" -gt 0 ] || return 0
    for p in /proc/[0-9]*; do
        net=$(readlink "$p/ns/net" 2> /dev/null) || continue
        [ -n "${inodes[$net]:-}" ] && echo "${p#/proc/}"
    done
    return 0
}

cmd_down() {
    [ "$(id -u)" = 0 ] || die "must run as root"
    lock
    local ids pid pids piece m i
    if ns_exists && piece_pid docker > /dev/null && check_docker > /dev/null 2>&1; then
        ids=$(in_ns timeout 30 docker -H "unix://$DOCKER_SOCK" ps -aq) || ids=""
        if [ -n "$ids" ]; then
            say "stopping and removing $(echo "$ids" | wc -w) container(s) of the test engine"
            # shellcheck disable=SC2086
            in_ns timeout 60 docker -H "unix://$DOCKER_SOCK" stop -t 5 $ids > /dev/null || true
            # shellcheck disable=SC2086
            in_ns timeout 60 docker -H "unix://$DOCKER_SOCK" rm -f -v $ids > /dev/null || true
        fi
        # Test networks and volumes do not outlive the world (images stay cached).
        in_ns timeout 60 docker -H "unix://$DOCKER_SOCK" network prune -f > /dev/null || true
        in_ns timeout 60 docker -H "unix://$DOCKER_SOCK" volume prune -f > /dev/null || true
    fi
    for ((i = ${#PIECES[@]} - 1; i >= 0; i--)); do
        piece=${PIECES[$i]}
        if [ "$piece" = docker ]; then stop_piece "$piece" 45; else stop_piece "$piece" 10; fi
    done
    pids=$(leftover_pids)
    if [ -n "$pids" ]; then
        for pid in $pids; do
            say "warning: killing leftover process $pid in the test namespace: $(tr '\0' ' ' 2> /dev/null < "/proc/$pid/cmdline")"
            kill -TERM "$pid" 2> /dev/null || true
        done
        for ((i = 0; i < 50; i++)); do
            [ -n "$(leftover_pids)" ] || break
            sleep 0.1
        done
        for pid in $(leftover_pids); do
            say "warning: leftover process $pid ignored SIGTERM, sending SIGKILL"
            kill -KILL "$pid" 2> /dev/null || true
        done
    fi
    # Nothing of the engine may stay mounted.
    while read -r m; do
        say "unmounting leftover $m"
        umount "$m" 2> /dev/null || umount -l "$m" || say "warning: could not unmount $m"
    done < <(awk -v a="$DIR/exec" -v b="$DIR/docker" \
        '$5 == a || $5 == b || index($5, a "/") == 1 || index($5, b "/") == 1 { print $5 }' \
        /proc/self/mountinfo | sort -r)
    if ns_exists || [ -e "$NETNS" ]; then
        say "deleting network namespace $NS"
        ip netns delete "$NS" 2> /dev/null || { umount "$NETNS" 2> /dev/null; rm -f "$NETNS"; } || true
    fi
    rm -f "$CADDY_SOCK" "$DOCKER_SOCK"
    echo "HostPanel test world is down (state kept in $DIR)"
}

case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    env) print_env ;;
    exec) shift; cmd_exec "$@" ;;
    restart-engine)
        # Stops the test engine the way a package upgrade or a crash-restart would, then starts
        # it again on the same data: for tests of what survives an engine restart.
        ns_exists || die "the test world is not up"
        stop_piece docker 30
        rm -f "$RUN/docker.pid"
        up_docker ;;
    *)
        echo "usage: $0 up|down|status|env|restart-engine|exec -- COMMAND..." >&2
        exit 2 ;;
esac
