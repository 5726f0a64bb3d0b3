#!/usr/bin/env bash
# PostgreSQL server binaries for the store tests (tests/KxCollector.Tests/Store). The tests start their own private
# server (initdb in a temp folder, 127.0.0.1, a free port), so no cluster is created or started here, and an
# existing one is left alone. Idempotent: does nothing when initdb is already installed.
set -euo pipefail

# The newest installed version's bin folder (a glob, not ls: names are never parsed from ls output).
newest_pg_bin() { printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; then
  echo "postgresql: $(newest_pg_bin) already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo > /dev/null; then
    exec sudo --preserve-env=DEBIAN_FRONTEND bash "$0" "$@"
  fi
  echo "postgresql: not installed and not root (run as root, or: apt-get install postgresql)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Debian's postgresql-common creates and starts a "main" cluster on 5432 at install unless told not to; the tests
# never use it, so do not create one.
mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/50-kxcollector-tests.conf
apt-get update -qq
apt-get install -y -qq postgresql > /dev/null
echo "postgresql: installed $(newest_pg_bin)"
