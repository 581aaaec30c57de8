#!/usr/bin/env bash
# Installs HostPanel on a Debian/Ubuntu server and starts it, or upgrades it in place.
#
#   ./install.sh                      install or upgrade, then start everything
#   ./install.sh --url http://127.0.0.1:9090
#   ./install.sh --panel-url https://panel.velo-lyon.fr   the panel's public address: links in
#                                     invitations and resets, and single sign-on for the apps
#   ./install.sh --uninstall          stop and remove the program; keep all data
#   ./install.sh --uninstall --purge  also delete HostPanel's data and its apps' containers and volumes
#
# Data lives in /var/lib/hostpanel (HOSTPANEL_DATA_DIR to change); the program in /opt/hostpanel.
set -euo pipefail

cd "$(dirname "$0")"
SOURCE=$PWD
. "$SOURCE/scripts/lib/common.sh"

PREFIX=${HOSTPANEL_PREFIX:-/opt/hostpanel}
DATA_DIR=${HOSTPANEL_DATA_DIR:-/var/lib/hostpanel}
URL=${HOSTPANEL_URL:-http://127.0.0.1:8080}
PANEL_URL=${HOSTPANEL_PANEL_URL:-}
ACTION=install
PURGE=0

while [ $# -gt 0 ]; do
  case "$1" in
    --url) [ $# -ge 2 ] || die "--url needs a value, for example --url http://127.0.0.1:8080"; URL=$2; shift 2 ;;
    --url=*) URL=${1#--url=}; shift ;;
    --panel-url) [ $# -ge 2 ] || die "--panel-url needs a value, for example --panel-url https://panel.velo-lyon.fr"; PANEL_URL=$2; shift 2 ;;
    --panel-url=*) PANEL_URL=${1#--panel-url=}; shift ;;
    --data-dir) [ $# -ge 2 ] || die "--data-dir needs a folder"; DATA_DIR=$2; shift 2 ;;
    --uninstall) ACTION=uninstall; shift ;;
    --purge) PURGE=1; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see ./install.sh --help)" ;;
  esac
done
case "$URL" in
  http://*|https://*) ;;
  *) die "--url must start with http:// or https://, for example http://127.0.0.1:8080 (got '$URL')" ;;
esac
case "$PANEL_URL" in
  ''|http://*|https://*) ;;
  *) die "--panel-url must start with https:// (or http:// to try), for example https://panel.velo-lyon.fr (got '$PANEL_URL')" ;;
esac
[ "$PURGE" -eq 1 ] && [ "$ACTION" != uninstall ] && die "--purge only goes with --uninstall"

RUN_DIR=$DATA_DIR/run
LOG_DIR=$DATA_DIR/logs
CADDY_DIR=$DATA_DIR/caddy
HAS_SYSTEMD=0
[ -d /run/systemd/system ] && HAS_SYSTEMD=1

# --- processes when there is no systemd: pid files and logs under the data directory ---------
pid_alive() { # pid_alive NAME EXPECTED-CMDLINE-PART
  local f=$RUN_DIR/$1.pid pid
  [ -s "$f" ] || return 1
  pid=$(cat "$f")
  [ -d "/proc/$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2"
}

start_bg() { # start_bg NAME EXPECTED-CMDLINE-PART COMMAND...
  local name=$1 expect=$2; shift 2
  if pid_alive "$name" "$expect"; then return 0; fi
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
}

stop_bg() { # stop_bg NAME EXPECTED-CMDLINE-PART
  local name=$1 expect=$2 pid i
  pid_alive "$name" "$expect" || { rm -f "$RUN_DIR/$name.pid"; return 0; }
  pid=$(cat "$RUN_DIR/$name.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 60); do [ -d "/proc/$pid" ] || break; sleep 0.5; done
  if [ -d "/proc/$pid" ]; then warn "$name (pid $pid) did not stop in 30s; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$RUN_DIR/$name.pid"
}

# --- the pieces -------------------------------------------------------------------------------
engine_answers() { docker -H unix:///var/run/docker.sock version >/dev/null 2>&1; }

start_engine() {
  if engine_answers; then return 0; fi
  if [ "$HAS_SYSTEMD" -eq 1 ]; then
    systemctl enable --now docker >/dev/null
  else
    start_bg dockerd dockerd dockerd --pidfile "$RUN_DIR/dockerd.engine.pid"
  fi
  wait_for 60 "the Docker engine to answer on /var/run/docker.sock" engine_answers \
    || die "the Docker engine did not start; see $LOG_DIR/dockerd.log"
}

write_caddy_config() {
  mkdir -p "$CADDY_DIR"
  # A first configuration only: once running, the panel owns Caddy's configuration through the
  # admin API, which listens on a local socket and never on a network port.
  if [ ! -s "$CADDY_DIR/caddy.json" ]; then
    cat >"$CADDY_DIR/caddy.json" <<JSON
{
  "admin": { "listen": "unix/$RUN_DIR/caddy-admin.sock", "origins": ["localhost"],
             "config": { "persist": false } },
  "apps": { "http": { "servers": { "hostpanel": {
    "listen": [":80"],
    "automatic_https": { "disable": true },
    "routes": [ { "handle": [ { "handler": "static_response", "status_code": 404,
                                "body": "No app is published at this address yet." } ] } ]
  } } } }
}
JSON
  fi
}

# The panel and the command line drive Caddy through its admin socket: say where it is in the
# settings (kept if a person already set something else).
write_settings() {
  local settings=$DATA_DIR/appsettings.json
  [ -s "$settings" ] || echo '{}' >"$settings"
  if [ "$(jq -r '.ProxyAdminSocket // empty' "$settings")" = "" ]; then
    jq --arg socket "$RUN_DIR/caddy-admin.sock" '.ProxyAdminSocket = $socket' "$settings" >"$settings.new" \
      && mv "$settings.new" "$settings"
  fi
  # The proxy reaches the panel where it listens; the public address is set when given (an
  # upgrade without --panel-url keeps the one already there).
  local upstream=${URL#*://}
  upstream=${upstream%%/*}
  jq --arg upstream "$upstream" '.PanelUpstream = $upstream' "$settings" >"$settings.new" && mv "$settings.new" "$settings"
  if [ -n "$PANEL_URL" ]; then
    jq --arg url "$PANEL_URL" '.PanelUrl = $url' "$settings" >"$settings.new" && mv "$settings.new" "$settings"
  fi
  chmod 600 "$settings"
}

caddy_answers() { curl -fsS --max-time 2 --unix-socket "$RUN_DIR/caddy-admin.sock" http://localhost/config/ >/dev/null; }

start_caddy() {
  write_caddy_config
  mkdir -p "$RUN_DIR"
  if [ "$HAS_SYSTEMD" -eq 1 ]; then
    # Debian's own caddy.service would hold port 80 with its sample page: HostPanel's unit replaces it.
    systemctl disable --now caddy >/dev/null 2>&1 || true
    systemctl enable --now hostpanel-caddy >/dev/null
  else
    HOME=$CADDY_DIR XDG_DATA_HOME=$CADDY_DIR/data XDG_CONFIG_HOME=$CADDY_DIR/config \
      start_bg caddy "caddy run" caddy run --config "$CADDY_DIR/caddy.json"
  fi
  wait_for 30 "Caddy's admin API on $RUN_DIR/caddy-admin.sock" caddy_answers \
    || warn "Caddy did not answer on its admin socket; see $LOG_DIR/caddy.log. The panel still starts."
}

panel_answers() { curl -fsS --max-time 2 "${URL%/}/healthz" >/dev/null; }

start_panel() {
  if [ "$HAS_SYSTEMD" -eq 1 ]; then
    systemctl enable hostpanel >/dev/null
    systemctl restart hostpanel
  else
    HOSTPANEL_URLS=$URL start_bg panel "HostPanel.Web.dll" \
      dotnet "$PREFIX/web/HostPanel.Web.dll" --data-dir "$DATA_DIR" --contentRoot "$PREFIX/web"
  fi
  wait_for 120 "the panel to answer on ${URL%/}/healthz" panel_answers \
    || die "the panel did not start; see $LOG_DIR/panel.log (or journalctl -u hostpanel)"
}

stop_panel() {
  if [ "$HAS_SYSTEMD" -eq 1 ]; then systemctl stop hostpanel 2>/dev/null || true
  else stop_bg panel "HostPanel.Web.dll"; fi
}

write_units() {
  [ "$HAS_SYSTEMD" -eq 1 ] || return 0
  cat >/etc/systemd/system/hostpanel.service <<UNIT
[Unit]
Description=HostPanel (web panel)
After=network-online.target docker.service
Wants=docker.service

[Service]
Environment=HOSTPANEL_URLS=$URL
ExecStart=$(command -v dotnet) $PREFIX/web/HostPanel.Web.dll --data-dir $DATA_DIR --contentRoot $PREFIX/web
WorkingDirectory=$PREFIX/web
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
  cat >/etc/systemd/system/hostpanel-caddy.service <<UNIT
[Unit]
Description=HostPanel edge proxy (Caddy)
After=network-online.target

[Service]
Environment=HOME=$CADDY_DIR XDG_DATA_HOME=$CADDY_DIR/data XDG_CONFIG_HOME=$CADDY_DIR/config
ExecStart=$(command -v caddy) run --config $CADDY_DIR/caddy.json
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
}

publish() {
  local stage=$PREFIX.new
  rm -rf "$stage"
  say "Building HostPanel…"
  publish_hostpanel "$SOURCE/src/HostPanel.Web/HostPanel.Web.csproj" "$stage/web" \
    || die "building the panel failed; nothing was changed"
  publish_hostpanel "$SOURCE/src/HostPanel.Cli/HostPanel.Cli.csproj" "$stage/cli" \
    || die "building the command-line tool failed; nothing was changed"
  cat >"$stage/hostpanel" <<WRAP
#!/bin/sh
exec $(command -v dotnet) $PREFIX/cli/hostpanel.dll --data-dir "\${HOSTPANEL_DATADIRECTORY:-$DATA_DIR}" "\$@"
WRAP
  chmod 755 "$stage/hostpanel"
  echo "$(git -C "$SOURCE" describe --always --dirty 2>/dev/null || echo unknown)" >"$stage/SOURCE_VERSION"
  # Swap only once everything built, so a failed build leaves the running version alone.
  stop_panel
  rm -rf "$PREFIX.old"
  [ -d "$PREFIX" ] && mv "$PREFIX" "$PREFIX.old"
  mv "$stage" "$PREFIX"
  rm -rf "$PREFIX.old"
  ln -sf "$PREFIX/hostpanel" /usr/local/bin/hostpanel
}

install() {
  require_root
  apt_install ca-certificates curl jq docker.io caddy restic git fonts-dejavu-core
  ensure_dotnet_sdk
  mkdir -p "$DATA_DIR" "$RUN_DIR" "$LOG_DIR"
  chmod 700 "$DATA_DIR"
  publish
  write_settings
  write_units
  start_engine
  start_caddy
  start_panel

  say ""
  say "HostPanel is running: $URL"
  local public
  public=$(jq -r '.PanelUrl // empty' "$DATA_DIR/appsettings.json")
  if [ -n "$public" ]; then
    say "Its public address (through the proxy, once the name points to this server): $public"
  else
    say "No public address yet: run ./install.sh --panel-url https://panel.example.org to give one"
    say "(invitation links, password resets and single sign-on for the apps need it)."
  fi
  if [ -s "$DATA_DIR/setup-token" ]; then
    say "Open it and create the first administrator with this one-time setup token:"
    say ""
    say "    $(cat "$DATA_DIR/setup-token")"
    say ""
    say "(The token stops working once the administrator exists.)"
  else
    say "An administrator already exists: sign in with your account."
  fi
  say "Data: $DATA_DIR    Program: $PREFIX    Command line: hostpanel --help"
}

uninstall() {
  require_root
  stop_panel
  if [ "$HAS_SYSTEMD" -eq 1 ]; then
    systemctl disable --now hostpanel hostpanel-caddy >/dev/null 2>&1 || true
    rm -f /etc/systemd/system/hostpanel.service /etc/systemd/system/hostpanel-caddy.service
    systemctl daemon-reload
  else
    stop_bg caddy "caddy run"
  fi
  rm -rf "$PREFIX" "$PREFIX.new" /usr/local/bin/hostpanel
  if [ "$PURGE" -eq 1 ]; then
    if engine_answers; then
      say "Removing the apps' containers, networks and volumes (label hostpanel.managed=true)…"
      docker ps -aq --filter label=hostpanel.managed=true | xargs -r docker rm -f >/dev/null
      docker network ls -q --filter label=hostpanel.managed=true | xargs -r docker network rm >/dev/null
      docker volume ls -q --filter label=hostpanel.managed=true | xargs -r docker volume rm >/dev/null
    fi
    [ "$HAS_SYSTEMD" -eq 0 ] && stop_bg dockerd dockerd
    rm -rf "$DATA_DIR"
    say "HostPanel and all its data were removed."
  else
    [ "$HAS_SYSTEMD" -eq 0 ] && stop_bg dockerd dockerd
    say "HostPanel was removed. Its data is kept in $DATA_DIR (./install.sh brings it back;"
    say "./install.sh --uninstall --purge deletes it)."
  fi
}

"$ACTION"
