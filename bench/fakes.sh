# shellcheck shell=bash
# Sourced by bench/compare.sh and bench/variants.sh: waiting for a `kxfakes` process, and reading its URLs. The fakes
# pick free ports and print "<venue> <url>" lines, then "ready: ...".
wait_ready() { # file pid: returns once FILE has the ready line; stops the script if the fake exits or never gets there
    for _ in $(seq 1 600); do
        grep -q '^ready:' "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || { echo "fake exited early:" >&2; cat "$1" >&2; exit 1; }
        sleep 0.1
    done
    echo "fake never became ready: $1" >&2
    exit 1
}
url_in() { awk -v key="$2" '$1 == key { print $2 }' "$1"; } # file key: the URL the fake printed for KEY
