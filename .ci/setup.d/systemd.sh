#!/usr/bin/env bash
# Issue 4's system tests need systemd (a user manager) and shellcheck: install them where missing and prove a user
# manager starts on this machine. The tests start their own private managers; this only prepares the machine.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../../tests/systemd/setup-user-manager.sh"
