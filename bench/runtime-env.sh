# shellcheck shell=bash
# Sourced by bench/soak.sh and bench/compare.sh: the runtime settings botctl gives the daemon (systemd unit and
# background mode), read from botctl itself, so a benchmark measures what users run and the bare baseline runs under
# the same settings. Sets gc_gen0_size, inline_completions, tiered_quick_jit and the array runtime_env
# (NAME=VALUE, for env). $repo: the calling script's checkout.
# shellcheck disable=SC2154
botctl_setting() { # NAME: the value of NAME=… in botctl; stops the script when it is missing
    local value
    value="$(sed -n "s/^$1=//p" "$repo/botctl")"
    [[ -n "$value" ]] || { echo "$1 not found in botctl" >&2; exit 1; }
    printf '%s\n' "$value"
}
gc_gen0_size="$(botctl_setting gc_gen0_size)" || exit 1
inline_completions="$(botctl_setting socket_inline_completions)" || exit 1
tiered_quick_jit="$(botctl_setting tiered_quick_jit)" || exit 1
# shellcheck disable=SC2034 # used by the scripts that source this file
runtime_env=(DOTNET_gcServer=0 DOTNET_GCgen0size="$gc_gen0_size"
    DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS="$inline_completions" DOTNET_TC_QuickJit="$tiered_quick_jit")
