#!/usr/bin/env bash
# The database store's figures on this machine, against a private PostgreSQL started here with stock settings
# (fsync and synchronous_commit on, as a real server):
#   1. `kxcollector db import` of generated history (ROWS rows, default 1,000,000): rows/s (target >= 50,000).
#   2. the live store's lag behind the files: LAG_SERIES files each appended LAG_RATE ticks/s with LAG_MARKETS
#      markets (and their books) for LAG_SECONDS s, default batch size and flush interval.
# Usage: bash bench/store-bench.sh   (ROWS=… LAG_SECONDS=… LAG_SERIES=… LAG_MARKETS=… LAG_RATE=… to change the load)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${ROWS:-1000000}"
lag_seconds="${LAG_SECONDS:-60}"
lag_series="${LAG_SERIES:-5}"
lag_markets="${LAG_MARKETS:-20}"
lag_rate="${LAG_RATE:-1}"

pgbin="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server binaries not found (bash .ci/setup.d/50-postgresql.sh)" >&2; exit 1; }

work="$(mktemp -d /tmp/kxbench.XXXXXX)"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root.
  chown postgres: "$work"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

port=""
for _ in $(seq 1 50); do
  candidate=$((40000 + RANDOM % 20000))
  if ! (exec 3<> "/dev/tcp/127.0.0.1/$candidate") 2> /dev/null; then
    port=$candidate
    break
  fi
done
[ -n "$port" ] || { echo "no free port found" >&2; exit 1; }

password="bench-pw"
echo "$password" > "$work/pw"
chmod 644 "$work/pw"
"${as_pg[@]}" "$pgbin/initdb" -D "$work/pg" -U kx --pwfile="$work/pw" --auth=scram-sha-256 -E UTF8 --no-locale > /dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1" start > /dev/null
export DATABASE_URL="postgres://kx:$password@127.0.0.1:$port/postgres"

echo "== build (Release)"
dotnet build "$repo/src/KxCollector" -c Release --nologo -v quiet > /dev/null
dotnet build "$repo/bench/KxCollector.Benchmarks" -c Release --nologo -v quiet > /dev/null
kx=(dotnet "$repo/src/KxCollector/bin/Release/net10.0/kxcollector.dll")
bench=(dotnet "$repo/bench/KxCollector.Benchmarks/bin/Release/net10.0/KxCollector.Benchmarks.dll")

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$pgbin/postgres" --version), stock settings, on this machine"

echo "== db import"
"${bench[@]}" store-data "$work/history" --rows "$rows"
"${kx[@]}" db migrate > /dev/null
"${kx[@]}" db import "$work/history" 2> /dev/null | tail -n 1
echo "== db import again (every row already present)"
"${kx[@]}" db import "$work/history" 2> /dev/null | tail -n 1

echo "== live lag"
"${bench[@]}" store-lag --seconds "$lag_seconds" --series "$lag_series" --markets "$lag_markets" --rate "$lag_rate"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
