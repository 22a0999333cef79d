#!/usr/bin/env bash
# `make dev`: builds Meet in debug mode, starts it, and rebuilds and restarts it whenever a
# source file changes (polling once a second: no watcher to install). Reload the browser after
# "Meet is listening". Stop with Ctrl-C.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/dev-provider.sh

watched=(types domain app frontend server style public migrations Cargo.toml Cargo.lock)
stamp=$(mktemp)
server_pid=""

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=""
  fi
}
trap 'stop_server; stop_dev_provider; rm -f "$stamp"; exit 0' INT TERM
start_dev_provider || exit 1

while true; do
  touch "$stamp"
  if make --no-print-directory build-dev; then
    MEET_SITE_ROOT=${DEV_SITE_ROOT:-target/site-debug} "${CARGO_TARGET_DIR:-target}/debug/meet" &
    server_pid=$!
  else
    echo "==> dev: the build failed; fix it and save, it will rebuild"
  fi
  until find "${watched[@]}" -newer "$stamp" -type f -print -quit 2>/dev/null | grep -q .; do
    sleep 1
  done
  echo "==> dev: change detected, rebuilding"
  stop_server
done
