#!/usr/bin/env bash
# The database store's figures on this machine, against a private PostgreSQL started here with stock settings
# (fsync and synchronous_commit on, as a real server):
#   1. `kxcollector db import` of generated history (ROWS rows, default 1,000,000): rows/s (target >= 100,000), each
#      into a fresh database, ROUNDS times (default 2). With BASE_REF=<commit> the same import by that commit's build
#      runs beside it, alternating, and each round prints the ratio: before and after in one run, on the same load.
#   2. the live store's lag behind the files: LAG_SERIES files each appended LAG_RATE ticks/s with LAG_MARKETS
#      markets (and their books), and LAG_TRADES trade lines a second in all, for LAG_SECONDS s, default batch size
#      and flush interval. The default is the 1,000-market load: 10 series x 100 markets, 50 trades/s
#      (target: lag p99 <= BATCH_FLUSH_SECONDS + 1 s = 3 s).
# Usage: bash bench/store-bench.sh   (ROWS=… ROUNDS=… BASE_REF=… LAG_SECONDS=… LAG_SERIES=… LAG_MARKETS=… LAG_RATE=…
#        LAG_TRADES=… to change the load; LAG_SECONDS=0 leaves the lag run out)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${ROWS:-1000000}"
rounds="${ROUNDS:-2}"
base_ref="${BASE_REF:-}"
lag_seconds="${LAG_SECONDS:-60}"
lag_series="${LAG_SERIES:-10}"
lag_markets="${LAG_MARKETS:-100}"
lag_rate="${LAG_RATE:-1}"
lag_trades="${LAG_TRADES:-50}"

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
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1" start > /dev/null \
  || { tail -n 20 "$work/pg.log" >&2; exit 1; }
url() { echo "postgres://kx:$password@127.0.0.1:$port/$1"; }
DATABASE_URL="$(url postgres)"
export DATABASE_URL
export PGPASSWORD="$password"
createdb() { "$pgbin/psql" -q -h 127.0.0.1 -p "$port" -U kx -d postgres -c "CREATE DATABASE $1" > /dev/null; }

echo "== build (Release)"
dotnet build "$repo/src/KxCollector" -c Release --nologo -v quiet > /dev/null
dotnet build "$repo/bench/KxCollector.Benchmarks" -c Release --nologo -v quiet > /dev/null
kx=(dotnet "$repo/src/KxCollector/bin/Release/net10.0/kxcollector.dll")
bench=(dotnet "$repo/bench/KxCollector.Benchmarks/bin/Release/net10.0/KxCollector.Benchmarks.dll")
builds=(this)
if [ -n "$base_ref" ]; then
  echo "== build $base_ref (Release), for the figures before"
  mkdir -p "$work/base"
  git -C "$repo" archive "$base_ref" | tar -x -C "$work/base"
  dotnet build "$work/base/src/KxCollector" -c Release --nologo -v quiet > /dev/null
  builds=(base this)
fi
dll() { if [ "$1" = base ]; then echo "$work/base/src/KxCollector/bin/Release/net10.0/kxcollector.dll"; else echo "${kx[1]}"; fi; }
# "… 18.8 s, 53,151 rows/s" -> 53151
rate_of() { sed -n 's/.* \([0-9,]*\) rows\/s$/\1/p' | tr -d ,; }

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$pgbin/postgres" --version), stock settings, on this machine"

echo "== db import (each into a fresh database; then again into the same one, every row already present)"
"${bench[@]}" store-data "$work/history" --rows "$rows"
for round in $(seq 1 "$rounds"); do
  declare -A first=()
  for build in "${builds[@]}"; do
    db="import_${build}_$round"
    createdb "$db"
    line="$(DATABASE_URL="$(url "$db")" dotnet "$(dll "$build")" db import "$work/history" 2> /dev/null | tail -n 1)"
    again="$(DATABASE_URL="$(url "$db")" dotnet "$(dll "$build")" db import "$work/history" 2> /dev/null | tail -n 1)"
    first[$build]="$(echo "$line" | rate_of)"
    echo "round $round, $build (load $(cut -d' ' -f1 /proc/loadavg)): $line"
    echo "round $round, $build, again: $again"
  done
  if [ -n "$base_ref" ]; then
    awk -v a="${first[this]}" -v b="${first[base]}" -v r="$round" 'BEGIN { printf "round %d: this / %s = %.2fx\n", r, "base", a / b }'
  fi
done

if [ "$lag_seconds" -gt 0 ]; then
  echo "== live lag"
  "${bench[@]}" store-lag --seconds "$lag_seconds" --series "$lag_series" --markets "$lag_markets" --rate "$lag_rate" --trades "$lag_trades"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
