# shellcheck shell=bash
# Sourced by bench/compare.sh and bench/soak.sh: one way to get a published build into the work folder.
#
#   publish_into NAME PROJECT [dotnet publish arguments…]    → $work/NAME
#
# With KX_BENCH_PUBLISHED=DIR set and DIR/NAME present, that build is copied instead of published again, so several
# benchmark scripts can run side by side on one set of binaries without each compiling (minutes of both cores, which
# would disturb the others' figures). Fill DIR by running a script once with COMPARE_KEEP/SOAK_KEEP, or by hand:
# DIR/collector, DIR/fakes, DIR/baseline (JIT), DIR/collector-native, DIR/baseline-native (native AOT).
# $work: the calling script's work folder.
# shellcheck disable=SC2154
publish_into() {
    local name="$1" project="$2"
    shift 2
    if [[ -n "${KX_BENCH_PUBLISHED:-}" && -d "$KX_BENCH_PUBLISHED/$name" ]]; then
        echo "using the published $name in $KX_BENCH_PUBLISHED" >&2
        cp -r "$KX_BENCH_PUBLISHED/$name" "$work/$name"
        return 0
    fi
    dotnet publish "$project" -c Release -o "$work/$name" "$@" --nologo -v quiet
}

# publish_native_into NAME PROJECT: the same as a native AOT build for this machine (what KX_BUILD=aot installs);
# fails, saying why, where there is no native target.
publish_native_into() {
    local rid
    case "$(uname -m)" in
        x86_64) rid=linux-x64 ;;
        aarch64 | arm64) rid=linux-arm64 ;;
        *) echo "no native AOT target for $(uname -m)" >&2; return 1 ;;
    esac
    publish_into "$1" "$2" -r "$rid" -p:PublishAot=true
}
