# Shared by install.sh and scripts/*.sh. Sourced, not run.

say() { printf '%s\n' "$*"; }
warn() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" -eq 0 ] || die "run this as root (it installs system packages and starts services)."
}

# apt_install PKG... — installs the packages that are not installed yet, and only those.
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing from the distribution: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed; check the machine's package sources."
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get could not install: ${missing[*]}"
}

# ensure_dotnet_sdk — a .NET 10 SDK on PATH, installed the way a Debian/Ubuntu admin would.
ensure_dotnet_sdk() {
  if command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
    return 0
  fi
  say "No .NET 10 SDK found."
  if apt-cache show dotnet-sdk-10.0 >/dev/null 2>&1; then
    say "Installing the distribution's dotnet-sdk-10.0 package."
    apt_install dotnet-sdk-10.0
  else
    say "The distribution has no dotnet-sdk-10.0 package: using Microsoft's official installer (dotnet-install.sh) into /usr/share/dotnet."
    apt_install curl ca-certificates libicu-dev
    local installer
    installer=$(mktemp)
    curl -fsSL --max-time 120 https://dot.net/v1/dotnet-install.sh -o "$installer" \
      || die "could not download the .NET installer from https://dot.net/v1/dotnet-install.sh"
    bash "$installer" --channel 10.0 --install-dir /usr/share/dotnet >/dev/null \
      || die "the .NET installer failed"
    rm -f "$installer"
    ln -sf /usr/share/dotnet/dotnet /usr/local/bin/dotnet
  fi
  command -v dotnet >/dev/null 2>&1 || die ".NET SDK installation did not put dotnet on PATH"
}

# wait_for SECONDS DESCRIPTION COMMAND... — runs COMMAND until it succeeds, at most SECONDS.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      warn "gave up after ${seconds}s waiting for: $what"
      return 1
    fi
    sleep 0.5
  done
}

# publish_hostpanel PROJECT OUTPUT: a Release build precompiled for this machine (ReadyToRun), so
# each command starts without compiling HostPanel and its libraries first. install.sh ships it;
# the benchmarks measure it.
publish_hostpanel() {
  local rid
  case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    *) rid= ;;
  esac
  if [ -n "$rid" ]; then
    dotnet publish "$1" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$2" -nologo -v:q -clp:ErrorsOnly
  else
    dotnet publish "$1" -c Release -o "$2" -nologo -v:q -clp:ErrorsOnly
  fi
}
