#!/usr/bin/env bash
# Where a running process's CPU goes, thread by thread: CPU time (nanoseconds from /proc/PID/task/TID/schedstat,
# not the 10 ms ticks of /proc/PID/stat, so an idle thread's 0.01 % is still seen) and context switches over one
# window, summed by thread name (kx-tick, kx-records, .NET Timer, .NET Sockets, .NET TP Worker, …). Thread-pool
# workers come and go; CPU of threads that ended inside the window is in the "(ended in the window)" row, taken from
# the process's own total (/proc/PID/stat), so the rows add up to the process.
#
#   bench/threads.sh PID [SECONDS]     SECONDS defaults to 60
#
# Several processes measured over the same window: run one per PID at the same time, e.g.
#   bench/threads.sh "$daemon" 300 >daemon.txt & bench/threads.sh "$baseline" 300 >baseline.txt; wait
# Needs only bash, awk and /proc. Prints a Markdown table: % of one core, wakes (context switches) a second, and
# µs of CPU per wake.
set -euo pipefail

usage() { sed -n '2,/^set -e/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; }
pid="${1:-}"
seconds="${2:-60}"
if ! [[ "$pid" =~ ^[1-9][0-9]*$ && "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    usage
    exit 2
fi
[[ -d "/proc/$pid" ]] || { echo "threads.sh: no process $pid" >&2; exit 1; }

# One line per live thread: tid|name|cpu_ns|switches. A thread that ends between the glob and the reads is skipped.
snapshot() {
    local task tid name ns switches
    for task in /proc/"$pid"/task/*; do
        tid="${task##*/}"
        name="$(cat "$task/comm" 2>/dev/null)" || continue
        ns="$(cut -d' ' -f1 "$task/schedstat" 2>/dev/null)" || continue
        switches="$(awk '$1 ~ /ctxt_switches:$/ { s += $2 } END { print s + 0 }' "$task/status" 2>/dev/null)" || continue
        [[ -n "$ns" && -n "$switches" ]] && echo "$tid|$name|$ns|$switches"
    done
}
process_ns() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) / hz * 1e9 }' "/proc/$pid/stat"; }

before="$(mktemp)"
after="$(mktemp)"
trap 'rm -f "$before" "$after"' EXIT
total_before="$(process_ns)"
snapshot | sort >"$before"
start_ns="$(date +%s%N)"
sleep "$seconds"
snapshot | sort >"$after"
end_ns="$(date +%s%N)"
kill -0 "$pid" 2>/dev/null || { echo "threads.sh: process $pid ended during the window" >&2; exit 1; }
total_after="$(process_ns)"

# Threads present at both ends are counted from their own counters; one born inside the window from zero.
join -t'|' -a2 -e0 -o '2.2,1.3,2.3,1.4,2.4' "$before" "$after" |
    awk -F'|' -v window_ns="$((end_ns - start_ns))" -v total_ns="$((total_after - total_before))" '
    { cpu[$1] += $3 - $2; wakes[$1] += $5 - $4; counted += $3 - $2 }
    END {
        s = window_ns / 1e9
        printf "| thread | CPU %% of a core | wakes/s | µs per wake |\n|---|---:|---:|---:|\n"
        for (n in cpu) if (cpu[n] > 0 || wakes[n] > 0)
            printf "| %s | %.3f | %.2f | %.0f |\n", n, cpu[n] / window_ns * 100, wakes[n] / s, (wakes[n] > 0 ? cpu[n] / wakes[n] / 1e3 : 0) | "sort -t\"|\" -k3 -gr"
        close("sort -t\"|\" -k3 -gr")
        ended = total_ns - counted
        if (ended > 0) printf "| (ended in the window, from the process total) | %.3f | | |\n", ended / window_ns * 100
        printf "| **process** (10 ms ticks) | **%.3f** | | |\n", total_ns / window_ns * 100
    }'
