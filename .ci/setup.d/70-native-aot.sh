#!/usr/bin/env bash
# clang and zlib for the native AOT build (KX_BUILD=aot ./botctl install), which Ops/NativeAotBuildTests publishes and
# runs. Idempotent: does nothing when a clang and zlib's header are already there.
set -euo pipefail

have_clang() { compgen -c | grep -qE '^clang(-[0-9]+)?$'; }
if have_clang && [ -e /usr/include/zlib.h ]; then
  echo "native-aot: clang and zlib already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo > /dev/null; then
    exec sudo --preserve-env=DEBIAN_FRONTEND bash "$0" "$@"
  fi
  echo "native-aot: clang/zlib missing and not root (run as root, or: apt-get install clang zlib1g-dev)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq clang zlib1g-dev > /dev/null
echo "native-aot: installed clang and zlib1g-dev"
