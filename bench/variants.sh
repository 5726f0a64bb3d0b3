#!/usr/bin/env bash
# Runtime knobs side by side (issue 15): several copies of the published daemon and of the bare baseline, each with
# botctl's runtime settings (bench/runtime-env.sh) plus its own NAME=VALUE settings, all at once against one
# `kxfakes exchanges --rate RATE` (Kalshi refused), measured over the same window, so a shared machine's noise falls
# on every variant alike. Prints a Markdown table: CPU % of one core (utime + stime from /proc over the window), RSS
# (median of per-second samples), private memory (Private_Clean + Private_Dirty from smaps_rollup at the end),
# anonymous memory (RssAnon at the end), and CPU as a ratio of the first variant of the same program.
#
#   bench/variants.sh RATE WARMUP SECONDS PROGRAM:NAME[=SETTING,SETTING...] ...
#
#   PROGRAM     daemon or baseline
#   NAME        a label for the row; SETTINGs are NAME=VALUE environment settings over botctl's
#
# Example, quick JIT on against botctl's off, for both programs:
#   bench/variants.sh 50 600 180 daemon:as-shipped daemon:tiered=DOTNET_TC_QuickJit=1 \
#       baseline:as-shipped baseline:tiered=DOTNET_TC_QuickJit=1
#
# KX_BENCH_PUBLISHED: a folder of builds to reuse (bench/published.sh). VARIANTS_KEEP set: keep the work folder.
set -eEuo pipefail
trap 'echo "variants.sh: stopped by a failing command at line $LINENO: $BASH_COMMAND" >&2' ERR

if [[ $# -lt 4 || "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    sed -n '2,/^set -e/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
    [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && exit 0
    exit 2
fi

rate="$1" warmup="$2" measure_s="$3"
shift 3
for number in "$rate" "$warmup" "$measure_s"; do
    [[ "$number" =~ ^[0-9]+$ ]] || { echo "RATE, WARMUP and SECONDS must be whole numbers, not '$number'" >&2; exit 2; }
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kx-variants.XXXXXX")"
started_pids=()
cleanup() {
    for pid in "${started_pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    if [[ -z "${VARIANTS_KEEP:-}" ]]; then rm -rf "$work"; else echo "kept: $work" >&2; fi
}
trap cleanup EXIT

# shellcheck disable=SC1091 # sourced by path at run time; shellcheck -x bench/*.sh follows it
. "$repo/bench/published.sh"
# shellcheck disable=SC1091
. "$repo/bench/runtime-env.sh"
# shellcheck disable=SC1091
. "$repo/bench/fakes.sh"

# Every variant is checked before anything is built or started.
programs=() names=() settings=()
for spec in "$@"; do
    program="${spec%%:*}"
    rest="${spec#*:}"
    if [[ "$spec" != *:* || ( "$program" != daemon && "$program" != baseline ) ]]; then
        echo "'$spec': expected daemon:NAME[=SETTING,...] or baseline:NAME[=SETTING,...]" >&2
        exit 2
    fi
    name="${rest%%=*}"
    [[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "'$spec': the name must be letters, digits, '.', '_' or '-'" >&2; exit 2; }
    extra=""
    [[ "$rest" == *=* ]] && extra="${rest#*=}"
    IFS=, read -r -a list <<<"$extra"
    for setting in ${list[@]+"${list[@]}"}; do
        [[ "$setting" =~ ^[A-Za-z_][A-Za-z0-9_]*=.*$ ]] || { echo "'$spec': '$setting' is not NAME=VALUE" >&2; exit 2; }
    done
    programs+=("$program") names+=("$program:$name") settings+=("$extra")
done

publish_into collector "$repo/src/KxCollector" >&2
publish_into fakes "$repo/tests/KxCollector.Fakes" >&2
publish_into baseline "$repo/bench/Baseline" >&2

dotnet "$work/fakes/kxfakes.dll" exchanges --rate "$rate" >"$work/fakes.out" 2>"$work/fakes.err" &
started_pids+=("$!")
wait_ready "$work/fakes.out" "$!"
cb="$(url_in "$work/fakes.out" coinbase)" kr="$(url_in "$work/fakes.out" kraken)" bs="$(url_in "$work/fakes.out" bitstamp)"

pids=()
for i in "${!names[@]}"; do
    IFS=, read -r -a list <<<"${settings[$i]}"
    data="$work/data-$i"
    mkdir -p "$data"
    if [[ "${programs[$i]}" == daemon ]]; then
        (
            cd "$work"
            # shellcheck disable=SC2154 # runtime_env comes from bench/runtime-env.sh
            exec env OUTPUT_DIR="$data" COINBASE_WS_URL="$cb" KRAKEN_WS_URL="$kr" BITSTAMP_WS_URL="$bs" \
                KALSHI_API_URL="http://127.0.0.1:9/trade-api/v2" KALSHI_WS_URL="ws://127.0.0.1:9/trade-api/ws/v2" \
                "${runtime_env[@]}" ${list[@]+"${list[@]}"} dotnet "$work/collector/kxcollector.dll"
        ) >"$work/variant-$i.out" 2>"$work/variant-$i.err" &
    else
        (exec env "${runtime_env[@]}" ${list[@]+"${list[@]}"} dotnet "$work/baseline/kxbaseline.dll" "$data/lines.jsonl" "$cb" "$kr" "$bs") \
            >"$work/variant-$i.out" 2>"$work/variant-$i.err" &
    fi
    pids+=("$!")
    started_pids+=("$!")
done

echo "${#names[@]} variants at $rate frames/s per venue: ${warmup} s of warm-up, then ${measure_s} s measured ..." >&2
sleep "$warmup"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
before=()
for i in "${!pids[@]}"; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "${names[$i]} exited during the warm-up:" >&2; tail -5 "$work/variant-$i.err" >&2; exit 1; }
    before+=("$(cpu_ticks "${pids[$i]}")")
done
for _ in $(seq 1 "$measure_s"); do
    for i in "${!pids[@]}"; do
        awk '/^VmRSS:/ { print $2 }' "/proc/${pids[$i]}/status" >>"$work/rss-$i"
    done
    sleep 1
done

hz="$(getconf CLK_TCK)"
echo "| variant ($rate frames/s per venue, ${warmup} s warm-up, ${measure_s} s) | CPU % of a core | CPU / first of its program | RSS (median) | private | anonymous |"
echo "|---|---:|---:|---:|---:|---:|"
declare -A first_cpu=()
for i in "${!pids[@]}"; do
    pid="${pids[$i]}"
    cpu="$(awk -v a="${before[$i]}" -v b="$(cpu_ticks "$pid")" -v hz="$hz" -v s="$measure_s" 'BEGIN { printf "%.3f", (b - a) / hz / s * 100 }')"
    [[ -n "${first_cpu[${programs[$i]}]:-}" ]] || first_cpu[${programs[$i]}]="$cpu"
    ratio="$(awk -v a="$cpu" -v b="${first_cpu[${programs[$i]}]}" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "–" }')"
    rss="$(sort -n "$work/rss-$i" | awk '{ v[NR] = $1 } END { printf "%.1f MB", v[int((NR + 1) / 2)] / 1024 }')"
    private="$(awk '/^Private_(Clean|Dirty):/ { s += $2 } END { printf "%.1f MB", s / 1024 }' "/proc/$pid/smaps_rollup")"
    anon="$(awk '/^RssAnon:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$pid/status")"
    echo "| ${names[$i]}${settings[$i]:+ (${settings[$i]})} | $cpu % | $ratio | $rss | $private | $anon |"
done
