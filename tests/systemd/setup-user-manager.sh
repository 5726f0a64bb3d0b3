#!/usr/bin/env bash
# Machine set-up for the systemd system tests (tests/KxCollector.Tests/Ops). Idempotent; needs root on a machine
# without the packages (CI: a fresh Debian with only the .NET SDK, as root, no stdin).
#
#   setup-user-manager.sh            install what the tests need (systemd, shellcheck), then prove that a systemd
#                                    user manager can be started here. CI runs this before the tests.
#   setup-user-manager.sh start DIR  start a private user manager: XDG_RUNTIME_DIR=DIR/run, HOME=DIR/home (so units
#                                    the tests install never touch the real ~/.config). Prints its PID once it
#                                    answers; stop it with `kill PID`. The test fixture runs this.
#
# A failure here is loud and non-zero: tests that need systemd must fail, never silently skip.
set -euo pipefail

manager=/usr/lib/systemd/systemd
die() { printf 'setup-user-manager: %s\n' "$*" >&2; exit 1; }

install_packages() {
  local missing=()
  if [ ! -x "$manager" ] || ! command -v systemctl >/dev/null 2>&1 || ! command -v systemd-analyze >/dev/null 2>&1; then
    missing+=(systemd)
  fi
  command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]} and not root: install them (apt-get install ${missing[*]})"
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
  echo "setup-user-manager: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# systemctl decides "is systemd running?" by this folder; in a container whose PID 1 is not systemd it is absent.
prepare_runtime() {
  if [ ! -d /run/systemd/system ]; then
    mkdir -p /run/systemd/system 2>/dev/null || die "cannot create /run/systemd/system (need root once)"
  fi
}

start_manager() {
  local dir="$1" waited=0 state=""
  mkdir -p "$dir/home"
  mkdir -p "$dir/run"
  chmod 0700 "$dir/run"
  # A clean environment: the manager passes its own to every unit it starts, as on a real login.
  (
    cd /
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
      HOME="$dir/home" XDG_RUNTIME_DIR="$dir/run" USER="$(id -un)" LOGNAME="$(id -un)" \
      setsid "$manager" --user </dev/null >"$dir/manager.log" 2>&1 &
    printf '%s\n' "$!" >"$dir/manager.pid"
  )
  local pid
  pid="$(<"$dir/manager.pid")"
  while [ "$waited" -lt 200 ]; do
    state="$(XDG_RUNTIME_DIR="$dir/run" HOME="$dir/home" systemctl --user is-system-running 2>/dev/null || true)"
    case "$state" in
      running | degraded) printf '%s\n' "$pid"; return 0 ;;
    esac
    [ -d "/proc/$pid" ] || break
    sleep 0.1
    waited=$((waited + 1))
  done
  kill "$pid" 2>/dev/null || true
  cat "$dir/manager.log" >&2 || true
  die "the systemd user manager did not come up (state '${state:-none}', see above)"
}

case "${1:-}" in
  "")
    install_packages
    prepare_runtime
    probe="$(mktemp -d /tmp/kx-usermgr-probe.XXXXXX)"
    pid="$(start_manager "$probe")"
    kill "$pid"
    while [ -d "/proc/$pid" ]; do sleep 0.1; done
    rm -rf "$probe"
    echo "setup-user-manager: systemd $(systemctl --version | head -n 1 | cut -d' ' -f2), shellcheck $(shellcheck --version | sed -n 's/^version: //p'): a user manager starts here"
    ;;
  start)
    [ $# -eq 2 ] || die "usage: $0 start DIR"
    install_packages
    prepare_runtime
    start_manager "$2"
    ;;
  *)
    die "usage: $0 [start DIR]"
    ;;
esac
