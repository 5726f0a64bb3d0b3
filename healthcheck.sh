#!/usr/bin/env bash
# healthcheck.sh: the cron watchdog for what systemd cannot see. Every few minutes, from crontab:
#
#   */5 * * * * /path/to/kxcollector/healthcheck.sh >>/path/to/kxcollector/.run/healthcheck.log 2>&1
#
# Restarts the collector (through botctl) when it is not running, when today's UTC file is still missing a few
# minutes after midnight, or when the last tick is older than KX_MAX_TICK_AGE seconds (default 120). Logs one line
# per action or problem and stays quiet while all is well. Also trims the collector's log file (when botctl runs it
# without journald) so months of unattended running cannot fill the disk with logs.
set -euo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
deploy="${KX_DEPLOY_DIR:-$repo}"
max_tick_age="${KX_MAX_TICK_AGE:-120}"
max_log_bytes="${KX_MAX_LOG_BYTES:-52428800}"

# cron's environment is bare: no XDG_RUNTIME_DIR or session bus, a short PATH, sometimes no HOME. systemctl --user
# needs the first two to reach the user manager, and botctl needs dotnet's folder for a fresh build.
uid="$(id -u)"
export HOME="${HOME:-$(getent passwd "$uid" | cut -d: -f6)}"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/run/user/$uid}"
export DBUS_SESSION_BUS_ADDRESS="${DBUS_SESSION_BUS_ADDRESS:-unix:path=$XDG_RUNTIME_DIR/bus}"
export PATH="${PATH:-/usr/bin:/bin}:/usr/local/bin:/usr/bin:/bin"
export KX_DEPLOY_DIR="$deploy"

log() { printf '%s healthcheck: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }

trim_log() {
  local file="$deploy/.run/kxcollector.log" size
  [ -f "$file" ] || return 0
  size="$(stat -c %s "$file")"
  [ "$size" -gt "$max_log_bytes" ] || return 0
  # copy-then-truncate: the collector keeps its O_APPEND descriptor, so the file cannot be renamed under it.
  cp -f "$file" "$file.1"
  : >"$file"
  log "trimmed $file ($size bytes; the previous part is in $file.1)"
}

trim_log

rc=0
report="$("$repo/botctl" status --max-tick-age "$max_tick_age" 2>&1)" || rc=$?
case "$rc" in
  0 | 1)
    # Recording. 1 is a venue outage or similar: a restart would not fix it, the collector reconnects by itself.
    exit 0
    ;;
  3)
    log "not recording; restarting. botctl status said:"
    printf '%s\n' "$report" | sed 's/^/    /'
    if "$repo/botctl" restart; then
      log "restarted"
    else
      log "restart FAILED (see ./botctl logs)"
      exit 1
    fi
    ;;
  4)
    log "the collector is not installed in $deploy (./botctl install); nothing to restart"
    exit 1
    ;;
  *)
    log "botctl status failed with exit code $rc:"
    printf '%s\n' "$report" | sed 's/^/    /'
    exit "$rc"
    ;;
esac
