#!/usr/bin/env bash
# `make run`: starts the development identity provider (see dev-provider.sh), then Meet from the
# release build, until Ctrl-C. Usage: scripts/run.sh BINARY SITE_ROOT
set -uo pipefail
binary=${1:?usage: run.sh BINARY SITE_ROOT}
site=${2:?usage: run.sh BINARY SITE_ROOT}
cd "$(dirname "$0")/.."
. scripts/dev-provider.sh

start_dev_provider || exit 1
trap 'stop_dev_provider' EXIT
trap 'exit 130' INT TERM
echo "==> starting Meet (MEET_SITE_ROOT=$site); stop with Ctrl-C"
MEET_SITE_ROOT=$site "$binary"
