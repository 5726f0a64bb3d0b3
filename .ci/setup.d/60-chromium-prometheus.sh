#!/usr/bin/env bash
# Chromium (headless, for the status page test) and Prometheus with promtool (for the metrics tests and the alert
# rules in deploy/). The tests start their own private prometheus on a free port with a temp config and data folder,
# so Debian's service is neither needed nor left running. Idempotent: installs only what is missing, with one
# apt-get update.
set -euo pipefail

missing=()
command -v chromium > /dev/null || missing+=(chromium)
{ command -v prometheus > /dev/null && command -v promtool > /dev/null; } || missing+=(prometheus)
if [ ${#missing[@]} -eq 0 ]; then
  echo "chromium, prometheus: already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo > /dev/null; then
    exec sudo --preserve-env=DEBIAN_FRONTEND bash "$0" "$@"
  fi
  echo "chromium-prometheus: ${missing[*]} missing and not root (run as root, or: apt-get install ${missing[*]})" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Debian starts an installed daemon by default; the tests run their own, so keep the package's service from starting.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  created_policy=1
fi
trap '[ "$created_policy" -eq 0 ] || rm -f "$policy"' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
echo "installed: ${missing[*]} ($(prometheus --version 2>&1 | head -n 1); $(chromium --version 2>/dev/null || true))"
