#!/usr/bin/env bash
# Side by side (issue 15): the published daemon, a bare .NET baseline (bench/Baseline: three ClientWebSocket
# subscriptions that receive and discard, one line a second, the daemon's runtime settings) and the recorder a user
# would write with ccxt pro in Node (bench/ccxt-recorder), one after another against the same local exchange fakes;
# then the daemon alone against the Kalshi scale fake (N markets, M messages a second). Prints one Markdown block for
# docs/BENCHMARKS.md: CPU % of one core (utime + stime from /proc over the window after warm-up), RSS (median of
# per-second samples), private memory (Private_Clean + Private_Dirty from smaps_rollup at the end), the ratios
# KxCollector/baseline and KxCollector/ccxt, and the daemon's own tick quality from `kxcollector verify --json`.
#
#   bench/compare.sh [SECONDS]          measured seconds per program and scenario after the warm-up (default 60)
#
# Environment (defaults in brackets):
#   COMPARE_WARMUP [60]        seconds left out before each measurement (JIT, connects; at 1 frame/s tiered
#                              compilation takes ~30 s to promote the per-frame code, so 20 s is not enough)
#   COMPARE_RATES ["1 50 500"] frames a second per exchange venue, one scenario each (1 = idle)
#   COMPARE_IDLE_WARMUP [300]  the warm-up of the idle rows instead: at 1 frame/s tiered compilation goes on promoting
#                              methods for minutes (30 calls each; code run once per Kalshi poll needs far longer),
#                              and at 60 s the daemon measured 0.64 % where the same process used 0.22 % at 30 min
#   COMPARE_POOL [""]          rates run once more with the runtime's default socket dispatch (a thread-pool hop per
#                              completion: DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0, daemon and baseline; Node has
#                              no such switch); empty to skip. COMPARE_INLINE is an older name for it.
#   COMPARE_NATIVE ["1 50 500"] rates run once more with both programs published as native AOT (KX_BUILD=aot);
#                              needs clang and zlib1g-dev, skipped (and said) without them; empty to skip
#   COMPARE_SCALE ["1000 5000"] Kalshi scale scenarios, markets in each; empty to skip
#   SCALE_SERIES [3]           series the scale markets are spread over (each its own file and tick loop)
#   SCALE_RATE [500]           Kalshi messages a second in all (ticker + orderbook_delta + trade)
#   SCALE_MAX_MARKETS [200]    KALSHI_WS_MAX_MARKETS for the scale runs (1,000 markets: 5 stream connections or more)
#   COMPARE_NODE [node]        the Node binary; the ccxt column is left out when it is missing
#   COMPARE_KEEP               set: keep the work folder (data files, logs) and print where it is
#   COMPARE_TOGETHER [""]      set: the daemon, the baseline and the ccxt recorder of a scenario run at the same time,
#                              against the same fakes, and are measured over the same window, so a shared machine's
#                              noise (steal, neighbours, a soak beside) falls on all three alike; unset, they run one
#                              after another (each then gets the machine alone, and its own noise)
#   KX_BENCH_PUBLISHED         a folder of builds to reuse instead of building them again (bench/published.sh)
# The daemon gets botctl's DOTNET_GCgen0size, DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS and DOTNET_TC_QuickJit (as
# users run it; bench/runtime-env.sh), and so does the baseline. Only bash, the .NET SDK, /proc, and Node with
# npm for the third column. Each process this script starts is stopped by its own id.
set -eEuo pipefail
# A failing command otherwise ends the run without a word (set -e): say which one.
trap 'echo "compare.sh: stopped by a failing command at line $LINENO: $BASH_COMMAND" >&2' ERR

usage() {
    sed -n '2,/^set -e/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
}
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    usage
    exit 0
fi

measure_s="${1:-60}"
warmup="${COMPARE_WARMUP:-60}"
idle_warmup="${COMPARE_IDLE_WARMUP:-300}"
rates="${COMPARE_RATES-1 50 500}"
pool_rates="${COMPARE_POOL-${COMPARE_INLINE-}}"
native_rates="${COMPARE_NATIVE-1 50 500}"
scales="${COMPARE_SCALE-1000 5000}"
scale_rate="${SCALE_RATE:-500}"
scale_max_markets="${SCALE_MAX_MARKETS:-200}"
scale_series="${SCALE_SERIES:-3}"
node_bin="${COMPARE_NODE:-node}"
for n in "$measure_s" "$scale_rate" "$scale_max_markets" "$scale_series" $rates $pool_rates $native_rates $scales; do
    if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
        echo "compare.sh: not a positive whole number: '$n'" >&2
        usage
        exit 2
    fi
done
[[ "$warmup" =~ ^[0-9]+$ ]] || { echo "compare.sh: COMPARE_WARMUP is not a whole number: '$warmup'" >&2; exit 2; }
[[ "$idle_warmup" =~ ^[0-9]+$ ]] || { echo "compare.sh: COMPARE_IDLE_WARMUP is not a whole number: '$idle_warmup'" >&2; exit 2; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kxcompare.XXXXXX")"
started_pids=()

stop_pid() { # pid: SIGTERM, then wait for it
    if [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; then
        kill -TERM "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
    fi
}
cleanup() {
    for pid in "${started_pids[@]}"; do
        stop_pid "$pid"
    done
    if [[ -n "${COMPARE_KEEP:-}" ]]; then
        echo "kept: $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

echo "publishing (Release) into $work ..." >&2
# shellcheck disable=SC1091 # sourced by path at run time; shellcheck -x bench/*.sh follows it
. "$repo/bench/published.sh"
publish_into collector "$repo/src/KxCollector" >&2
publish_into fakes "$repo/tests/KxCollector.Fakes" >&2
publish_into baseline "$repo/bench/Baseline" >&2
if [[ -n "$native_rates" ]]; then
    echo "publishing native AOT builds (a few minutes) ..." >&2
    if ! publish_native_into collector-native "$repo/src/KxCollector" >"$work/native.log" 2>&1 ||
        ! publish_native_into baseline-native "$repo/bench/Baseline" >>"$work/native.log" 2>&1; then
        echo "no native AOT build here (needs clang and zlib1g-dev): the native rows are left out" >&2
        tail -5 "$work/native.log" >&2
        native_rates=""
    fi
fi
have_node=""
if command -v "$node_bin" >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    cp -r "$repo/bench/ccxt-recorder" "$work/ccxt"
    rm -rf "$work/ccxt/node_modules"
    (cd "$work/ccxt" && npm ci --no-audit --no-fund --silent >&2) && have_node=1
fi
[[ -n "$have_node" ]] || echo "no node/npm: the ccxt column is left out" >&2

# shellcheck disable=SC1091 # sourced by path at run time; shellcheck -x bench/*.sh follows it
. "$repo/bench/runtime-env.sh"
ticks_per_second="$(getconf CLK_TCK)"

# shellcheck disable=SC1091 # sourced by path at run time; shellcheck -x bench/*.sh follows it
. "$repo/bench/fakes.sh"

# Context switches of all the process's threads so far: each is a thread put to sleep or woken, the idle cost that
# CPU % alone hides on a fast machine.
# A thread that ends between the glob and the read makes cat fail; under pipefail that would end the run silently
# (likely what stopped one together run), so a vanished thread is simply not counted.
switches() { { cat /proc/"$1"/task/*/status 2>/dev/null || true; } | awk '$1 ~ /ctxt_switches:$/ { s += $2 } END { print s + 0 }'; }

# measure_all PID...: sleeps the warm-up, then samples every PID each second for measure_s seconds, all over one
# window; fills m_cpu_s, m_cpu, m_rss, m_private, m_wakeups (keyed by PID; context switches a second over the window,
# threads that ended during it not counted), m_steal (the machine's steal over that window) and sets window_s.
declare -A m_cpu_s m_cpu m_rss m_private m_wakeups m_steal
# The CPU time the hypervisor gave to other guests (steal, /proc/stat) as a % of the window: a stall every program
# of a row shares shows here and in the baseline's tick gaps, not only in the daemon's missing seconds.
steal_ticks() { awk '$1 == "cpu" { print $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
measure_all() {
    local pid second start_ns end_ns steal_start
    local -A cpu_start switches_start rss
    sleep "$warmup"
    for pid in "$@"; do
        kill -0 "$pid" 2>/dev/null || { echo "process $pid died during warm-up" >&2; return 1; }
        cpu_start[$pid]="$(awk '{ print $14 + $15 }' "/proc/$pid/stat")"
        switches_start[$pid]="$(switches "$pid")"
        rss[$pid]=""
    done
    start_ns="$(date +%s%N)"
    steal_start="$(steal_ticks)"
    for ((second = 1; second <= measure_s; second++)); do
        sleep 1
        for pid in "$@"; do
            kill -0 "$pid" 2>/dev/null || { echo "process $pid died" >&2; return 1; }
            rss[$pid]+="$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status") "
        done
    done
    end_ns="$(date +%s%N)"
    window_s="$(awk -v a="$start_ns" -v b="$end_ns" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
    window_steal="$(awk -v a="$steal_start" -v b="$(steal_ticks)" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[2] - x[2]; printf "%.1f", (t > 0 ? (y[1] - x[1]) / t * 100 : 0) }')"
    for pid in "$@"; do
        m_cpu_s[$pid]="$(awk -v a="${cpu_start[$pid]}" -v b="$(awk '{ print $14 + $15 }' "/proc/$pid/stat")" -v hz="$ticks_per_second" 'BEGIN { printf "%.2f", (b - a) / hz }')"
        m_cpu[$pid]="$(awk -v c="${m_cpu_s[$pid]}" -v w="$window_s" 'BEGIN { printf "%.2f", c / w * 100 }')"
        m_steal[$pid]="$window_steal"
        m_wakeups[$pid]="$(awk -v n="$(($(switches "$pid") - switches_start[$pid]))" -v w="$window_s" 'BEGIN { printf "%.0f", n / w }')"
        m_private[$pid]="$(awk '$1 == "Private_Clean:" || $1 == "Private_Dirty:" { s += $2 } END { printf "%.1f", s / 1024 }' "/proc/$pid/smaps_rollup")"
        m_rss[$pid]="$(tr ' ' '\n' <<<"${rss[$pid]}" | grep . | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1024 }')"
    done
}

# measure PID: measure_all for one process; sets cpu_s, cpu_pct, rss_mb, private_mb, wakeups and window_s.
measure() {
    measure_all "$1" || return 1
    cpu_s="${m_cpu_s[$1]}" cpu_pct="${m_cpu[$1]}" rss_mb="${m_rss[$1]}" private_mb="${m_private[$1]}" wakeups="${m_wakeups[$1]}"
}

start_exchanges() { # rate: sets ex_pid and ex_out
    ex_out="$work/exchanges-$1.out"
    dotnet "$work/fakes/kxfakes.dll" exchanges --rate "$1" >"$ex_out" 2>"$work/exchanges-$1.err" &
    ex_pid=$!
    started_pids+=("$ex_pid")
    wait_ready "$ex_out" "$ex_pid"
}

# run_daemon NAME DATA_DIR [VAR=VALUE ...]: the published daemon with every setting given here (a developer's .env
# cannot leak in: it runs from the work folder); sets prog_pid.
run_daemon() {
    local name="$1" data="$2"
    shift 2
    mkdir -p "$data"
    (
        cd "$work"
        # shellcheck disable=SC2154 # runtime_env comes from bench/runtime-env.sh
        exec env OUTPUT_DIR="$data" "${runtime_env[@]}" "$@" "${daemon_cmd[@]}"
    ) >"$work/$name.out" 2>"$work/$name.err" &
    prog_pid=$!
    started_pids+=("$prog_pid")
}

# The daemon's own tick figures from verify --json: p50 p99 (worst over its files), missing duplicated (summed).
json_values() { grep -oE "\"$2\": *[0-9.]+" "$1" | sed 's/.*: *//'; }
verify_figures() { # data_dir
    local json="$1.verify.json"
    dotnet "$work/collector/kxcollector.dll" verify --json "$1" >"$json" 2>/dev/null || true
    p50="$(json_values "$json" offset_p50_ms | sort -n | tail -1)"
    p99="$(json_values "$json" offset_p99_ms | sort -n | tail -1)"
    missing="$(json_values "$json" missing_seconds | awk '{ s += $1 } END { print s + 0 }')"
    duplicated="$(json_values "$json" duplicated_seconds | awk '{ s += $1 } END { print s + 0 }')"
}

# The longest wait between two consecutive lines of a 1 Hz tick file ("ts":"…THH:MM:SS.fffZ"), in seconds: the
# baseline's and the ccxt recorder's, so a gap in the daemon's ticks can be told from a stall of the whole machine.
largest_gap() { # file
    [[ -s "$1" ]] || { echo "–"; return; }
    awk 'match($0, /"ts":"[0-9-]+T[0-9:.]+/) {
            v = substr($0, RSTART + 6, RLENGTH - 6); split(v, dt, "T"); split(dt[2], t, ":")
            if (dt[1] != day) { if (day != "") base += 86400; day = dt[1] }
            s = base + t[1] * 3600 + t[2] * 60 + t[3]
            if (n++ && s - last > gap) gap = s - last
            last = s }
        END { printf "%.1f", gap }' "$1"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "–" }'; }

rows=()
daemon_cmd=(dotnet "$work/collector/kxcollector.dll")
baseline_cmd=(dotnet "$work/baseline/kxbaseline.dll")
kalshi_off=(KALSHI_API_URL="http://127.0.0.1:9/trade-api/v2" KALSHI_WS_URL="ws://127.0.0.1:9/trade-api/ws/v2")

# One scenario: the three programs one after another against one exchange fakes process.
exchange_scenario() { # rate mode: jit (botctl's settings), pool (the runtime's default socket dispatch), native (both as native AOT)
    local rate="$1" mode="$2" label="$1 frames/s per venue" inline=0
    local -a extra=(DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS="$inline_completions")
    # measure() reads $warmup; the idle rows wait longer (see COMPARE_IDLE_WARMUP). Local, so restored on return.
    local warmup="$warmup"
    if ((rate == 1)); then label="idle: 1 frame/s per venue, warm-up ${idle_warmup} s"; warmup="$idle_warmup"; fi
    daemon_cmd=(dotnet "$work/collector/kxcollector.dll")
    baseline_cmd=(dotnet "$work/baseline/kxbaseline.dll")
    case "$mode" in
        pool)
            inline=1
            extra=(DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0)
            label="$label, thread-pool completions"
            ;;
        native)
            inline=2
            daemon_cmd=("$work/collector-native/kxcollector")
            baseline_cmd=("$work/baseline-native/kxbaseline")
            label="$label, **native AOT** (both)"
            ;;
    esac
    start_exchanges "$rate"
    local cb kr bs
    cb="$(url_in "$ex_out" coinbase)"
    kr="$(url_in "$ex_out" kraken)"
    bs="$(url_in "$ex_out" bitstamp)"

    local data="$work/data-$rate-$inline" d_pid b_pid c_pid=""
    local with_ccxt=""
    # Beside the JIT and the native rows: the ccxt recorder is what a user would run instead of either build. Not
    # beside the pool rows, which only vary the .NET runtime's socket dispatch.
    [[ -n "$have_node" && "$inline" != 1 ]] && with_ccxt=1
    start_daemon() {
        run_daemon "daemon-$rate-$inline" "$data" COINBASE_WS_URL="$cb" KRAKEN_WS_URL="$kr" BITSTAMP_WS_URL="$bs" "${kalshi_off[@]}" "${extra[@]}"
        d_pid="$prog_pid"
    }
    start_baseline() {
        (exec env "${runtime_env[@]}" "${extra[@]}" \
            "${baseline_cmd[@]}" "$work/baseline-$rate-$inline.jsonl" "$cb" "$kr" "$bs") >/dev/null 2>"$work/baseline-$rate-$inline.err" &
        b_pid=$!
        started_pids+=("$b_pid")
    }
    start_ccxt() {
        "$node_bin" "$work/ccxt/recorder.mjs" "$work/ccxt-$rate-$inline.jsonl" "$cb" "$kr" "$bs" >/dev/null 2>"$work/ccxt-$rate-$inline.err" &
        c_pid=$!
        started_pids+=("$c_pid")
    }
    if [[ -n "${COMPARE_TOGETHER:-}" ]]; then
        echo "scenario: $label — daemon, baseline${with_ccxt:+ and ccxt recorder} together ..." >&2
        start_daemon
        start_baseline
        [[ -n "$with_ccxt" ]] && start_ccxt
        measure_all "$d_pid" "$b_pid" ${c_pid:+"$c_pid"}
        stop_pid "$d_pid"
        stop_pid "$b_pid"
        [[ -n "$c_pid" ]] && stop_pid "$c_pid"
    else
        echo "scenario: $label — daemon ..." >&2
        start_daemon
        measure_all "$d_pid"
        stop_pid "$d_pid"
        echo "scenario: $label — baseline ..." >&2
        start_baseline
        measure_all "$b_pid"
        stop_pid "$b_pid"
        if [[ -n "$with_ccxt" ]]; then
            echo "scenario: $label — ccxt recorder ..." >&2
            start_ccxt
            measure_all "$c_pid"
            stop_pid "$c_pid"
        fi
    fi
    verify_figures "$data"
    local d_cpu="${m_cpu[$d_pid]}" d_rss="${m_rss[$d_pid]}" d_priv="${m_private[$d_pid]}" d_wake="${m_wakeups[$d_pid]}"
    local b_cpu="${m_cpu[$b_pid]}" b_rss="${m_rss[$b_pid]}" b_priv="${m_private[$b_pid]}" b_wake="${m_wakeups[$b_pid]}"
    local c_cpu="–" c_rss="–" c_priv="–" c_ratio="–" c_unit="" c_wake="–"
    if [[ -n "$c_pid" ]]; then
        c_cpu="${m_cpu[$c_pid]}" c_rss="${m_rss[$c_pid]}" c_priv="${m_private[$c_pid]}" c_unit=" %" c_wake="${m_wakeups[$c_pid]}"
        c_ratio="$(ratio "$d_cpu" "$c_cpu")"
    fi
    stop_pid "$ex_pid"

    local b_gap c_gap="–"
    b_gap="$(largest_gap "$work/baseline-$rate-$inline.jsonl")"
    [[ -n "$c_pid" ]] && c_gap="$(largest_gap "$work/ccxt-$rate-$inline.jsonl")"
    rows+=("| $label | **$d_cpu %** | $b_cpu % | $c_cpu$c_unit | $(ratio "$d_cpu" "$b_cpu") | $c_ratio | $d_rss / $b_rss / $c_rss MB | $d_priv / $b_priv / $c_priv MB | $(ratio "$d_rss" "$b_rss") | $d_wake / $b_wake / $c_wake | $p50 / $p99 ms | $missing / $duplicated | $b_gap / $c_gap s | ${m_steal[$d_pid]} % |")
}

scale_rows=()
scale_scenario() { # markets
    local markets="$1" series="$scale_series"
    echo "scale: $markets markets in $series series, $scale_rate messages/s ..." >&2
    start_exchanges 50
    local k_out="$work/kalshi-$markets.out"
    dotnet "$work/fakes/kxfakes.dll" kalshi --markets "$markets" --series "$series" --msg-rate "$scale_rate" \
        --key-out "$work/kalshi-$markets.pem" >"$k_out" 2>"$work/kalshi-$markets.err" &
    local k_pid=$!
    started_pids+=("$k_pid")
    wait_ready "$k_out" "$k_pid"
    local data="$work/scale-$markets"
    run_daemon "scale-$markets" "$data" \
        COINBASE_WS_URL="$(url_in "$ex_out" coinbase)" KRAKEN_WS_URL="$(url_in "$ex_out" kraken)" BITSTAMP_WS_URL="$(url_in "$ex_out" bitstamp)" \
        KALSHI_API_URL="$(url_in "$k_out" kalshi-rest)" KALSHI_WS_URL="$(url_in "$k_out" kalshi-ws)" \
        KALSHI_API_KEY_ID="$(url_in "$k_out" kalshi-key-id)" KALSHI_PRIV_KEY_PATH="$work/kalshi-$markets.pem" \
        SERIES_TICKER="KXBTC15M,$(sed -n 's/^scale-series //p' "$k_out")" BOOK_DEPTH=5 COLLECTION_INTERVAL_SECONDS=1 \
        KALSHI_WS_MAX_MARKETS="$scale_max_markets"
    local d_pid="$prog_pid"
    sleep "$warmup"
    local bytes_start bytes_end
    bytes_start="$(du -sb "$data" | awk '{ print $1 }')"
    warmup_saved="$warmup"
    warmup=0
    measure "$d_pid"
    warmup="$warmup_saved"
    bytes_end="$(du -sb "$data" | awk '{ print $1 }')"
    local gaps connections
    gaps="$(grep -oE '"sequence_gaps": *[0-9]+' "$data/status.json" | sed 's/.*: *//' | head -1)"
    connections="$(grep -oE '"connections_open": *[0-9]+' "$data/status.json" | sed 's/.*: *//' | head -1)"
    # The fake stops first and reports what it delivered; the daemon gets two seconds to write the last of it.
    stop_pid "$k_pid"
    sleep 2
    stop_pid "$d_pid"
    stop_pid "$ex_pid"
    verify_figures "$data"
    local sent_line delivered_trades messages fake_s trade_lines distinct_trades
    sent_line="$(sed -n 's/^sent-scale: //p' "$k_out")"
    delivered_trades="$(sed -n 's/.*trades delivered \([0-9]*\).*/\1/p' <<<"$sent_line")"
    messages="$(sed -n 's/.*messages \([0-9]*\).*/\1/p' <<<"$sent_line")"
    fake_s="$(sed -n 's/.* in \([0-9.]*\) s.*/\1/p' <<<"$sent_line")"
    # Only the scale series' files: the fake's KXBTC15M series has trades of its own.
    trade_lines="$(cat "$data"/kxscale*.jsonl | grep -c '"type":"trade"' || true)"
    distinct_trades="$(cat "$data"/kxscale*.jsonl | grep '"type":"trade"' | grep -oE '"trade_id":"[^"]*"' | sort -u | wc -l)"
    local per_day per_msg
    per_day="$(awk -v a="$bytes_start" -v b="$bytes_end" -v w="$window_s" 'BEGIN { printf "%.1f GB", (b - a) / w * 86400 / 1e9 }')"
    per_msg="$(awk -v c="$cpu_s" -v m="$messages" -v f="$fake_s" -v w="$window_s" 'BEGIN { r = m / f; if (r > 0) printf "%.0f µs", c / (r * w) * 1e6; else print "–" }')"
    scale_rows+=("| $markets markets, $series series, $scale_rate msg/s | $cpu_pct % | $rss_mb MB | $private_mb MB | $wakeups | $p50 / $p99 ms | $missing | ${gaps:-?} | ${connections:-?} | $trade_lines lines, $distinct_trades distinct, ${delivered_trades:-?} delivered | $per_day | $per_msg |")
}

for rate in $rates; do
    exchange_scenario "$rate" jit
done
for rate in $pool_rates; do
    exchange_scenario "$rate" pool
done
for rate in $native_rates; do
    exchange_scenario "$rate" native
done
daemon_cmd=(dotnet "$work/collector/kxcollector.dll")
for markets in $scales; do
    scale_scenario "$markets"
done

load="$(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "\`bench/compare.sh $measure_s\` (warm-up ${warmup} s, ${measure_s} s measured per program$([[ -n "${COMPARE_TOGETHER:-}" ]] && echo ", the three programs of a scenario side by side")), $(date -u +%Y-%m-%d), $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p'), load average at the end $load"
echo
if ((${#rows[@]} > 0)); then
    echo "| load | KxCollector CPU | bare .NET baseline | ccxt recorder | Kx/baseline | Kx/ccxt | RSS Kx / baseline / ccxt | private Kx / baseline / ccxt | RSS Kx/baseline | context switches/s Kx / baseline / ccxt | Kx tick offset p50 / p99 | Kx missing / duplicated s | longest gap between ticks, baseline / ccxt | steal |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
fi
if ((${#scale_rows[@]} > 0)); then
    echo "| Kalshi scale (BOOK_DEPTH=5, COLLECTION_INTERVAL_SECONDS=1, KALSHI_WS_MAX_MARKETS=$scale_max_markets, exchanges at 50/s) | CPU | RSS | private | context switches/s | tick offset p50 / p99 | missing s | sequence gaps | stream connections | trades | bytes/day | CPU per Kalshi message (all of the daemon's CPU) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${scale_rows[@]}"
fi
