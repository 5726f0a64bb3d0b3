#!/usr/bin/env bash
# Soak: run the published daemon (Release) against the local exchange fakes for a set time at a set message rate
# per venue, then print its footprint and the quality of what it recorded.
#
#   bench/soak.sh [SECONDS] [RATE]        e.g. bench/soak.sh 120 50   or   bench/soak.sh 120 5000
#
# SECONDS defaults to 120, RATE (quotes a second per venue, three venues) to 50, about what the real feeds send.
# Needs only bash, the .NET SDK and /proc. SOAK_WARMUP (default 20 s) is left out of the CPU and steady-RSS
# figures so JIT and start-up are not counted as running cost; the peak RSS covers the whole run.
# Kalshi is a fake too (kxfakes kalshi): a KXBTC15M series on the real clock, its WebSocket sending KALSHI_RATE
# (default 10) messages a second in all, and a fresh API key the daemon must sign with. The fake logs every trade it
# publishes (--trades-out), and the trades line checks them against the daemon's trade lines by id, not by count.
# KALSHI_MARKET_SECONDS (60..900, default 900) shortens the fake's markets: at 60 a new market opens every minute, so
# state kept per market (books, trade ids, tracker entries) shows in the RSS slope fifteen times sooner.
# KX_BENCH_PUBLISHED=DIR reuses the builds in DIR instead of building again (bench/published.sh).
# SOAK_DAEMON_ENV="NAME=VALUE …" adds runtime settings for the daemon alone (not the fakes), to soak a knob beside a
# run without it, e.g. SOAK_DAEMON_ENV="DOTNET_ThreadPool_ThreadsToKeepAlive=-1".
# SOAK_BUILD=native soaks the native AOT build (KX_BUILD=aot; needs clang and zlib1g-dev) instead of the JIT one.
# The RSS line fits a least-squares slope to the per-second samples after warm-up (MB per hour) and gives the
# residuals' standard deviation beside it, so "flat" means a slope whose hour-long effect is within that noise.
# Three more slopes split it: anonymous memory, the runtime's shared W^X mapping (JIT code) and mapped library files.
# A fourth, the GC's committed bytes (status.json), is the part of the anonymous memory that is the managed heap.
set -euo pipefail

duration="${1:-120}"
rate="${2:-50}"
warmup="${SOAK_WARMUP:-20}"
kalshi_rate="${KALSHI_RATE:-10}"
market_seconds="${KALSHI_MARKET_SECONDS:-900}"
if ! [[ "$duration" =~ ^[0-9]+$ && "$rate" =~ ^[0-9]+([.][0-9]+)?$ && "$kalshi_rate" =~ ^[0-9]+([.][0-9]+)?$ && "$warmup" =~ ^[0-9]+$ && "$market_seconds" =~ ^[0-9]+$ ]] || ((duration <= warmup)); then
    echo "usage: [KALSHI_RATE=10] [KALSHI_MARKET_SECONDS=900] bench/soak.sh [SECONDS > SOAK_WARMUP=$warmup] [RATE per venue]" >&2
    exit 2
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kxsoak.XXXXXX")"
fakes_pid=""
kalshi_pid=""
daemon_pid=""

cleanup() {
    # Only the three processes this script started, by their ids.
    for pid in "$daemon_pid" "$fakes_pid" "$kalshi_pid"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    if [[ -z "${SOAK_KEEP:-}" ]]; then
        rm -rf "$work"
    else
        echo "kept: $work" >&2
    fi
}
trap cleanup EXIT

build="${SOAK_BUILD:-jit}"
echo "publishing (Release, $build) into $work ..." >&2
# shellcheck disable=SC1091 # sourced by path at run time; shellcheck -x bench/*.sh follows it
. "$repo/bench/published.sh"
publish_into collector "$repo/src/KxCollector" >&2
daemon_cmd=(dotnet "$work/collector/kxcollector.dll")
case "$build" in
    jit) ;;
    native)
        publish_native_into collector-native "$repo/src/KxCollector" >&2 || exit 2
        daemon_cmd=("$work/collector-native/kxcollector")
        ;;
    *) echo "SOAK_BUILD must be jit or native, not '$build'" >&2; exit 2 ;;
esac
publish_into fakes "$repo/tests/KxCollector.Fakes" >&2

# The fakes pick free ports and print "<venue> <url>" lines then "ready: ...".
wait_ready() { # name pid
    for _ in $(seq 1 300); do
        grep -q '^ready:' "$work/$1.out" 2>/dev/null && break
        kill -0 "$2" 2>/dev/null || { cat "$work/$1.err" >&2; exit 1; }
        sleep 0.1
    done
    grep -q '^ready:' "$work/$1.out" || { echo "$1 never became ready" >&2; exit 1; }
}
dotnet "$work/fakes/kxfakes.dll" exchanges --rate "$rate" >"$work/fakes.out" 2>"$work/fakes.err" &
fakes_pid=$!
dotnet "$work/fakes/kxfakes.dll" kalshi --rate "$kalshi_rate" --market-seconds "$market_seconds" --key-out "$work/kalshi.pem" --trades-out "$work/kalshi-trades.log" >"$work/kalshi.out" 2>"$work/kalshi.err" &
kalshi_pid=$!
wait_ready fakes "$fakes_pid"
wait_ready kalshi "$kalshi_pid"
url_of() { awk -v venue="$1" '$1 == venue { print $2 }' "$work/fakes.out" "$work/kalshi.out"; }

mkdir -p "$work/data"
# The GC budget, socket dispatch and JIT mode botctl gives the collector, so the soak measures what users run.
# shellcheck disable=SC1091 # sourced by path at run time; shellcheck -x bench/*.sh follows it
. "$repo/bench/runtime-env.sh"
read -r -a daemon_env <<<"${SOAK_DAEMON_ENV:-}"
for setting in "${daemon_env[@]}"; do
    [[ "$setting" =~ ^[A-Za-z_][A-Za-z0-9_]*=.*$ ]] || { echo "SOAK_DAEMON_ENV: '$setting' is not NAME=VALUE" >&2; exit 2; }
done
(
    cd "$work"
    # Every collector setting the environment might carry is replaced, so a developer's own .env cannot leak in.
    # shellcheck disable=SC2154 # runtime_env comes from bench/runtime-env.sh
    exec env OUTPUT_DIR="$work/data" \
        COINBASE_WS_URL="$(url_of coinbase)" KRAKEN_WS_URL="$(url_of kraken)" BITSTAMP_WS_URL="$(url_of bitstamp)" \
        KALSHI_API_URL="$(url_of kalshi-rest)" KALSHI_WS_URL="$(url_of kalshi-ws)" \
        KALSHI_API_KEY_ID="$(url_of kalshi-key-id)" KALSHI_PRIV_KEY_PATH="$work/kalshi.pem" \
        "${runtime_env[@]}" "${daemon_env[@]}" "${daemon_cmd[@]}"
) >"$work/daemon.out" 2>"$work/daemon.err" &
daemon_pid=$!

ticks_per_second="$(getconf CLK_TCK)"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$daemon_pid/stat"; }
status_kb() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$daemon_pid/status"; }

echo "soaking ${duration}s at ${rate}/s per venue, Kalshi ${kalshi_rate}/s (daemon pid $daemon_pid) ..." >&2
start_ns="$(date +%s%N)"
rss_samples=()
anon_samples=()
file_samples=()
shmem_samples=()
committed_samples=()
cpu_at_warmup=""
warm_ns=""
for ((second = 1; second <= duration; second++)); do
    sleep 1
    kill -0 "$daemon_pid" 2>/dev/null || { echo "daemon died:" >&2; cat "$work/daemon.err" >&2; exit 1; }
    if ((second == warmup)); then
        cpu_at_warmup="$(cpu_ticks)"
        warm_ns="$(date +%s%N)"
    elif ((second > warmup)); then
        # One awk a second reads the four RSS figures from /proc (one read, so of the same instant) and the GC's
        # committed bytes from the status.json the daemon wrote within the last second or two, so anonymous growth
        # can be set beside the GC heap's. Indented JSON: one "key": value pair a line.
        read -r rss anon file shmem committed allocated < <(awk '
            $1 == "VmRSS:" { r = $2 } $1 == "RssAnon:" { a = $2 } $1 == "RssFile:" { f = $2 } $1 == "RssShmem:" { s = $2 }
            $1 == "\"gc_committed_bytes\":" { c = $2 + 0 } $1 == "\"gc_allocated_bytes\":" { g = $2 + 0 }
            END { print r, a, f, s, (c == "" ? "-" : c / 1024), (g == "" ? "-" : g) }' "/proc/$daemon_pid/status" "$work/data/status.json" 2>/dev/null)
        rss_samples+=("$rss")
        anon_samples+=("$anon")
        file_samples+=("$file")
        shmem_samples+=("$shmem")
        [[ "$committed" == "-" ]] || committed_samples+=("$committed")
        [[ "$allocated" == "-" ]] || { allocated_last="$allocated"; allocated_last_at="$EPOCHREALTIME"; : "${allocated_first:=$allocated}" "${allocated_first_at:=$allocated_last_at}"; }
    fi
done
cpu_at_end="$(cpu_ticks)"
end_ns="$(date +%s%N)"
peak_kb="$(status_kb VmHWM)"
# RSS counts the runtime's shared, read-only library pages (CoreLib, libcoreclr, …) that every .NET process on the
# machine shares; PSS splits them between those processes and private (USS) leaves them out. Both from /proc only.
rollup_kb() { awk -v key="$1:" '$1 == key { s += $2 } END { print s + 0 }' "/proc/$daemon_pid/smaps_rollup" 2>/dev/null || echo 0; }
pss_kb="$(rollup_kb Pss)"
uss_kb="$(( $(rollup_kb Private_Clean) + $(rollup_kb Private_Dirty) ))"
threads="$(awk '$1 == "Threads:" { print $2 }' "/proc/$daemon_pid/status")"

stop_ms="$(date +%s%3N)"
kill -TERM "$daemon_pid"
daemon_exit=0
wait "$daemon_pid" || daemon_exit=$?
daemon_pid=""
kill -TERM "$fakes_pid"
wait "$fakes_pid" || true
fakes_pid=""
kill -TERM "$kalshi_pid"
wait "$kalshi_pid" || true
kalshi_pid=""
sent="$(sed -n 's/^sent: //p' "$work/fakes.out")"
kalshi_sent="$(sed -n 's/^sent: //p' "$work/kalshi.out")"

verify_exit=0
dotnet "$work/collector/kxcollector.dll" verify --json "$work/data" >"$work/verify.json" || verify_exit=$?

# Sum, or take the worst, over the files verify reports (two when the run crosses UTC midnight).
json_values() { grep -oE "\"$1\": *[0-9.]+" "$work/verify.json" | sed 's/.*: *//'; }
json_sum() { json_values "$1" | awk '{ s += $1 } END { print s + 0 }'; }
json_max() { json_values "$1" | awk 'BEGIN { m = "n/a" } m == "n/a" || $1 > m { m = $1 } END { print m }'; }

steady_kb="$(printf '%s\n' "${rss_samples[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
measured_s="$(awk -v a="$warm_ns" -v b="$end_ns" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
cpu_s="$(awk -v a="$cpu_at_warmup" -v b="$cpu_at_end" -v hz="$ticks_per_second" 'BEGIN { printf "%.2f", (b - a) / hz }')"
total_s="$(awk -v a="$start_ns" -v b="$end_ns" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"

echo
echo "soak ($build build): ${duration}s at ${rate}/s per venue on $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p')${daemon_env[*]:+; daemon env ${daemon_env[*]}}"
echo "delivered by the fakes:   ${sent:-unknown} quotes over ${total_s}s"
echo "Kalshi fake published:    ${kalshi_sent:-unknown} messages (${market_seconds} s markets)"
awk -v c="$cpu_s" -v m="$measured_s" 'BEGIN { printf "CPU:                      %.2f s per minute (%.2f%% of one core), over %s s after warm-up\n", c / m * 60, c / m * 100, m }'
awk -v s="$steady_kb" -v p="$peak_kb" 'BEGIN { printf "RSS:                      steady %.1f MB (median after warm-up), peak %.1f MB (VmHWM)\n", s / 1024, p / 1024 }'
# The first and last samples after warm-up: a long soak whose last is well above its first is growing (a leak).
awk -v f="${rss_samples[0]}" -v l="${rss_samples[${#rss_samples[@]}-1]}" 'BEGIN { printf "RSS drift:                %.1f MB after warm-up -> %.1f MB at the end\n", f / 1024, l / 1024 }'
# slope LABEL: a least-squares line through the per-second samples on stdin (kB), in MB per hour, with the residuals' sd.
slope() {
    awk -v label="$1" '
        { x = NR; y = $1 / 1024; n++; sx += x; sy += y; sxx += x * x; sxy += x * y; ys[NR] = y }
        END {
            if (n < 3) { printf "%-28stoo few samples\n", label; exit }
            b = (n * sxy - sx * sy) / (n * sxx - sx * sx); a = (sy - b * sx) / n
            for (i = 1; i <= n; i++) { r = ys[i] - (a + b * i); ss += r * r }
            printf "%-28s%+.2f MB per hour (least squares over %d per-second samples; residual sd %.2f MB)\n", label, b * 3600, n, sqrt(ss / (n - 2))
        }'
}
printf '%s\n' "${rss_samples[@]}" | slope "RSS slope:"
# RSS split three ways (/proc/PID/status). Anonymous: the GC heap, native allocations, thread stacks, what a leak
# grows. Shared memory: the runtime's W^X double mapping (memfd:doublemapper) of JIT code, stubs and type data.
# Mapped files: the libraries' pages (CoreLib, libcoreclr, …), which grow as code not run before is first touched,
# are shared with every .NET process, and can be dropped by the kernel; a slope there alone is not a leak.
printf '%s\n' "${anon_samples[@]}" | slope "  of which anonymous:"
printf '%s\n' "${shmem_samples[@]}" | slope "  of which JIT/W^X (shmem):"
printf '%s\n' "${file_samples[@]}" | slope "  of which mapped files:"
# Part of the anonymous memory: what the GC has committed for its heap (status.json's gc_committed_bytes). Anonymous
# growth well above this slope is outside the GC heap: native allocations, loader heaps, thread stacks.
if ((${#committed_samples[@]} > 2)); then
    printf '%s\n' "${committed_samples[@]}" | slope "  anonymous, GC committed:"
    awk -v f="${committed_samples[0]}" -v l="${committed_samples[${#committed_samples[@]}-1]}" 'BEGIN { printf "GC committed:             %.1f MB after warm-up -> %.1f MB at the end\n", f / 1024, l / 1024 }'
fi
# What the managed code allocates a second (status.json's gc_allocated_bytes, first and last sample after warm-up):
# the garbage behind the GC's collections and, through what survives them, the older generations' growth.
if [[ -n "${allocated_first:-}" && "$allocated_last_at" != "$allocated_first_at" ]]; then
    awk -v a="$allocated_first" -v b="$allocated_last" -v s="$allocated_first_at" -v e="$allocated_last_at" 'BEGIN { printf "allocated:                %.1f KB/s after warm-up (%.1f MB in all)\n", (b - a) / (e - s) / 1024, (b - a) / 1048576 }'
fi
awk -v p="$pss_kb" -v u="$uss_kb" 'BEGIN { printf "memory at the end:        PSS %.1f MB, private (USS) %.1f MB\n", p / 1024, u / 1024 }'
echo "threads at end:           $threads"
echo "ticks:                    $(json_sum ticks)"
# Counted with grep, not jq, which a fresh machine may lack. Ticks with markets carry a non-empty "markets" array.
count_lines() { cat "$work"/data/*.jsonl 2>/dev/null | grep -c "$1" || true; }
echo "ticks with markets:       $(count_lines '"markets":\[{'), of which from the stream: $(count_lines '"src":"ws"')"
echo "Kalshi trade lines:       $(count_lines '"type":"trade"')"
# By id, from the fake's log ("unix-ms trade-id subscriptions-reached"): a trade that reached the daemon's subscription
# must be written exactly once. One sent in the last second before SIGTERM may still be in flight when the daemon
# stops, so it is counted apart from a loss while running. One that reached nobody was published while the daemon had
# no subscription to its market: before its first subscription (start-up), after SIGTERM, or while it ran (a market
# not yet or no longer subscribed, a reconnect), which is a hole in what it recorded, listed by id.
cat "$work"/data/*.jsonl 2>/dev/null | grep '"type":"trade"' | grep -o '"trade_id":"[^"]*"' | cut -d'"' -f4 >"$work/trades.written" || true
awk -v stop="$stop_ms" '
    NR == FNR { written[$1]++; next }
    { published++; seen[$2] = 1 }
    $3 > 0 { reached++; if (!($2 in written)) { if ($1 < stop - 1000) { lost++; if (lost <= 5) ids = ids " " $2 } else late++ } }
    $3 == 0 { if (!reached) early++; else if ($1 >= stop) stopped++; else { unsubscribed++; if (unsubscribed <= 5) holes = holes " " $2 } }
    END {
        for (id in written) { distinct++; if (written[id] > 1) twice += written[id] - 1; if (!(id in seen)) phantom++ }
        printf "Kalshi trades by id:      %d published, %d reached the daemon, %d written, %d written twice\n", published, reached, distinct, twice
        printf "  not written:              %d lost while running%s, %d sent in its last second; %d written that the fake never published\n",
            lost, (lost ? " (" substr(ids, 2) ")" : ""), late, phantom
        printf "  reached nobody:           %d before the daemon first subscribed, %d while it ran%s, %d after SIGTERM\n", early, unsubscribed, (unsubscribed ? " (" substr(holes, 2) ")" : ""), stopped
    }' "$work/trades.written" "$work/kalshi-trades.log"
echo "missing seconds:          $(json_sum missing_seconds)"
echo "duplicated seconds:       $(json_sum duplicated_seconds)"
echo "unparseable lines:        $(json_sum unparseable_line_count)"
echo "tick offset (ms):         p50 $(json_max offset_p50_ms), p99 $(json_max offset_p99_ms), max $(json_max offset_max_ms)"
echo "daemon exit on SIGTERM:   $daemon_exit; verify exit: $verify_exit"
