#!/usr/bin/env bash
# Builds the test images against the test world's Docker engine and pushes them to its
# registry, each only when the registry does not already hold it for the same content
# hash of its build inputs.
#
#   build.sh ensure    build and push what is missing or stale
#   build.sh status    one line per image (present / stale / missing); exit 3 unless all present
#
# Called by scripts/testworld.sh, which sets:
#   TESTWORLD_DIR      state directory (images cache under $TESTWORLD_DIR/{cache,images,build})
#   TESTWORLD_NETNS    path of the test network namespace (registry and engine live there)
#   DOCKER_HOST        the test engine's socket
# Optional: HOSTPANEL_TESTWORLD_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TESTWORLD_DIR:?TESTWORLD_DIR is not set}"
: "${TESTWORLD_NETNS:?TESTWORLD_NETNS is not set}"
: "${DOCKER_HOST:?DOCKER_HOST is not set}"
export DOCKER_HOST DOCKER_BUILDKIT=0

REGISTRY=127.0.0.1:5000
PREFIX=hostpanel-test
APP_VERSIONS=(1 2 3)
SUITE=bookworm
MIRROR=${HOSTPANEL_TESTWORLD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
ARCH=$(dpkg --print-architecture)
# Bump when the way the PostgreSQL root filesystem is made or trimmed changes.
ROOTFS_RECIPE=1

CACHE=$TESTWORLD_DIR/cache
MARKERS=$TESTWORLD_DIR/images
BUILD=$TESTWORLD_DIR/build
LOG=$TESTWORLD_DIR/logs/images.log
mkdir -p "$CACHE" "$MARKERS" "$BUILD" "$(dirname "$LOG")"

say() { echo "testimages: $*" >&2; }
die() {
    say "error: $*"
    if [ -s "$LOG" ]; then
        say "last lines of $LOG:"
        tail -n 25 "$LOG" >&2
    fi
    exit 1
}
in_ns() { nsenter --net="$TESTWORLD_NETNS" -- "$@"; }
dock() { in_ns docker "$@"; }
sha() { sha256sum | cut -c1-64; }
# Logs a command line and runs it with its output going to the images log.
run_logged() {
    echo "+ $*" >> "$LOG"
    "$@" >> "$LOG" 2>&1
}

# --- content hashes ----------------------------------------------------------------
files_hash() { # PATHS relative to $HERE; README files do not count
    (cd "$HERE" && find "$@" -type f ! -name '*.md' -print0 | LC_ALL=C sort -z \
        | xargs -0 sha256sum)
}
busybox_hash() { sha256sum < /bin/busybox | cut -c1-64; }
rootfs_key() {
    printf '%s\n' "suite=$SUITE" "variant=minbase" "include=postgresql-15" \
        "mirror=$MIRROR" "arch=$ARCH" "recipe=$ROOTFS_RECIPE" | sha
}
image_hash() { # web | postgres | app-N
    case "$1" in
        web) { files_hash build.sh common web; echo "busybox=$(busybox_hash)"; } | sha ;;
        postgres) { files_hash build.sh postgres; echo "rootfs=$(rootfs_key)"; } | sha ;;
        app-*)
            { files_hash build.sh common app; echo "busybox=$(busybox_hash)"
              echo "base=$(image_hash postgres)"; echo "version=${1#app-}"; } | sha ;;
        *) die "unknown image $1" ;;
    esac
}
image_ref() { # web | postgres | app-N
    case "$1" in
        web) echo "$REGISTRY/$PREFIX/web:1" ;;
        postgres) echo "$REGISTRY/$PREFIX/postgres:15" ;;
        app-*) echo "$REGISTRY/$PREFIX/app:${1#app-}" ;;
    esac
}
all_images() { echo web postgres; for v in "${APP_VERSIONS[@]}"; do echo "app-$v"; done; }

# True when the registry holds the manifest of REF (registry/repo:tag).
registry_has() {
    local ref=$1 path=${1#"$REGISTRY"/}
    in_ns curl -sf -o /dev/null -I --max-time 10 \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        "http://$REGISTRY/v2/${path%:*}/manifests/${path##*:}"
}
# present | stale | missing
image_state() {
    local name=$1 marker=$MARKERS/$1.hash
    registry_has "$(image_ref "$name")" || { echo missing; return; }
    if [ -f "$marker" ] && [ "$(cat "$marker")" = "$(image_hash "$name")" ]; then
        echo present
    else
        echo stale
    fi
}

push() { # REF HASH-NAME
    run_logged timeout 900 docker push "$1" || die "pushing $1 failed"
    image_hash "$2" > "$MARKERS/$2.hash"
}

# Makes sure REF is in the engine's local store (pulls it from the registry if needed).
ensure_local() {
    dock image inspect "$1" > /dev/null 2>&1 && return 0
    run_logged timeout 900 docker pull "$1" || die "pulling $1 failed"
}

# --- web ---------------------------------------------------------------------------
build_web() {
    local ref hash root
    ref=$(image_ref web); hash=$(image_hash web)
    say "building $ref"
    root=$BUILD/web-rootfs
    rm -rf "$root"
    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,root,tmp,srv/routes,srv/www}
    chmod 1777 "$root/tmp"
    install -m 0755 /bin/busybox "$root/bin/busybox"
    local applet
    while read -r applet; do
        [ "$applet" = bin/busybox ] || ln -sf /bin/busybox "$root/$applet"
    done < <(/bin/busybox --list-full)
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
        > "$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
    install -m 0755 "$HERE/common/http-handler" "$root/usr/local/bin/http-handler"
    install -m 0755 "$HERE/common/healthcheck-http" "$root/usr/local/bin/healthcheck"
    install -m 0755 "$HERE/web/start" "$root/usr/local/bin/start"
    install -m 0755 "$HERE"/common/routes/* "$HERE"/web/routes/* "$root/srv/routes/"
    install -m 0644 "$HERE"/web/www/* "$root/srv/www/"
    echo "+ docker import $ref" >> "$LOG"
    tar --numeric-owner --owner=0 --group=0 -C "$root" -cf - . \
        | dock import \
            --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin' \
            --change 'ENV PORT=8080 WEB_VERSION=1 HTTP_ROUTES=/srv/routes HTTP_STATIC=/srv/www' \
            --change 'EXPOSE 8080' \
            --change 'WORKDIR /' \
            --change "LABEL org.hostpanel.test.image=web org.hostpanel.test.hash=$hash" \
            --change 'CMD ["/usr/local/bin/start"]' \
            - "$ref" >> "$LOG" 2>&1 || die "importing $ref failed"
    rm -rf "$root"
    push "$ref" web
}

# --- postgres ----------------------------------------------------------------------
# Kills processes whose root directory is inside DIR (a chroot must leave none behind).
kill_chrooted() {
    local dir=$1 p root
    for p in /proc/[0-9]*; do
        root=$(readlink "$p/root" 2>/dev/null) || continue
        case "$root" in
            "$dir"|"$dir"/*)
                say "warning: killing leftover process ${p#/proc/} ($(tr '\0' ' ' 2>/dev/null < "$p/cmdline")) chrooted in $dir"
                kill -KILL "${p#/proc/}" 2>/dev/null || true ;;
        esac
    done
}
unmount_below() {
    local dir=$1 m
    while read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m" || true
    done < <(awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
}

# Produces the cached root filesystem tarball of Debian + postgresql-15 and prints its path.
postgres_rootfs() {
    local key tarball tmp
    key=$(rootfs_key)
    tarball=$CACHE/postgres-rootfs-$key.tar
    if [ -s "$tarball" ]; then echo "$tarball"; return; fi
    tmp=$CACHE/postgres-rootfs-$key.tmp
    unmount_below "$tmp"
    rm -rf "$tmp" "$tarball.part"
    say "debootstrap $SUITE (minbase + postgresql-15) from $MIRROR (about a minute)"
    # First stage downloads and unpacks (network: the machine's apt mirror).
    run_logged timeout 1800 debootstrap --variant=minbase --include=postgresql-15 \
        --arch="$ARCH" --foreign "$SUITE" "$tmp" "$MIRROR" || die "debootstrap (first stage) failed"
    # No service may start during the package configuration.
    printf '#!/bin/sh\nexit 101\n' > "$tmp/usr/sbin/policy-rc.d"
    chmod 0755 "$tmp/usr/sbin/policy-rc.d"
    # Second stage configures the packages, offline, in a network namespace of its own.
    local rc=0
    run_logged timeout 1800 unshare --net chroot "$tmp" /debootstrap/debootstrap --second-stage \
        || rc=$?
    kill_chrooted "$tmp"
    unmount_below "$tmp"
    [ "$rc" = 0 ] || die "debootstrap (second stage) failed"
    # Trim what a container does not need.
    rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/cache/apt/*.bin \
        "$tmp"/var/lib/apt/lists/* "$tmp"/usr/share/doc/* "$tmp"/usr/share/man/* \
        "$tmp"/usr/share/info/* "$tmp"/usr/share/locale/* "$tmp"/usr/share/postgresql/15/man \
        "$tmp"/var/log/*.log "$tmp"/var/log/apt/* \
        "$tmp"/var/lib/postgresql/15 "$tmp"/etc/postgresql/15
    : > "$tmp/etc/hostname"
    rm -f "$tmp/etc/resolv.conf"
    run_logged tar --numeric-owner -C "$tmp" -cf "$tarball.part" . || die "packing the root filesystem failed"
    mv "$tarball.part" "$tarball"
    rm -rf "$tmp"
    echo "$tarball"
}

build_postgres() {
    local ref hash tarball base ctx
    ref=$(image_ref postgres); hash=$(image_hash postgres)
    say "building $ref"
    base=$PREFIX/postgres-base:$(rootfs_key | cut -c1-16)
    if ! dock image inspect "$base" > /dev/null 2>&1; then
        tarball=$(postgres_rootfs)
        say "importing the root filesystem as $base"
        echo "+ docker import $tarball $base" >> "$LOG"
        dock import --change 'CMD ["bash"]' - "$base" < "$tarball" >> "$LOG" 2>&1 \
            || die "importing $tarball failed"
    fi
    ctx=$BUILD/postgres
    rm -rf "$ctx"; mkdir -p "$ctx"
    cp -a "$HERE"/postgres/. "$ctx/"
    run_logged timeout 900 docker build --build-arg "BASE_IMAGE=$base" \
        --build-arg "BUILD_HASH=$hash" -t "$ref" "$ctx" || die "building $ref failed"
    rm -rf "$ctx"
    push "$ref" postgres
}

# --- app ---------------------------------------------------------------------------
build_app() { # VERSION
    local version=$1 ref hash base ctx
    ref=$(image_ref "app-$version"); hash=$(image_hash "app-$version")
    base=$(image_ref postgres)
    say "building $ref"
    ensure_local "$base"
    ctx=$BUILD/app-$version
    rm -rf "$ctx"; mkdir -p "$ctx/bin" "$ctx/srv/app" "$ctx/srv/routes" "$ctx/srv/www"
    install -m 0755 /bin/busybox "$ctx/busybox"
    install -m 0644 "$HERE/app/Dockerfile" "$ctx/Dockerfile"
    install -m 0755 "$HERE/common/http-handler" "$HERE/app/start" "$ctx/bin/"
    install -m 0755 "$HERE/common/healthcheck-http" "$ctx/bin/healthcheck"
    install -m 0755 "$HERE/app/migrate" "$ctx/srv/app/"
    install -m 0644 "$HERE/app/lib.sh" "$ctx/srv/app/"
    cp -a "$HERE/app/migrations" "$ctx/srv/app/"
    install -m 0755 "$HERE"/common/routes/* "$HERE"/app/routes/* "$ctx/srv/routes/"
    install -m 0644 "$HERE"/app/www/* "$ctx/srv/www/"
    run_logged timeout 900 docker build --build-arg "BASE_IMAGE=$base" \
        --build-arg "APP_VERSION=$version" --build-arg "BUILD_HASH=$hash" \
        -t "$ref" "$ctx" || die "building $ref failed"
    rm -rf "$ctx"
    push "$ref" "app-$version"
}

# --- commands ----------------------------------------------------------------------
cmd_ensure() {
    local name state built=0
    for name in $(all_images); do
        state=$(image_state "$name")
        if [ "$state" = present ]; then
            continue
        fi
        say "$(image_ref "$name") is $state"
        case "$name" in
            web) build_web ;;
            postgres) build_postgres ;;
            app-*) build_app "${name#app-}" ;;
        esac
        built=$((built + 1))
    done
    if [ "$built" -gt 0 ]; then say "$built image(s) built and pushed"; fi
}

cmd_status() {
    local name state rc=0
    for name in $(all_images); do
        state=$(image_state "$name")
        [ "$state" = present ] || rc=3
        printf '%-50s %s\n' "$(image_ref "$name")" "$state"
    done
    return "$rc"
}

case "${1:-}" in
    ensure) cmd_ensure ;;
    status) cmd_status ;;
    *) echo "usage: $0 ensure|status" >&2; exit 2 ;;
esac
