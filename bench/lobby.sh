#!/usr/bin/env bash
# `make bench-lobby`: the lobby's push, measured on the release binary. (1) From a host pressing
# Admit to the waiting guest's page knowing, over 100 admissions: one instance on SQLite, then two
# instances on one PostgreSQL database (guest on the first, host on the second), when
# TEST_POSTGRES_URL is set. (2) How much memory idle waiting guests' open push streams cost one
# instance: LOBBY_GUESTS (default 10000) guests each ask once and keep their stream open.
#
# Usage: bench/lobby.sh BINARY SITE_ROOT
set -euo pipefail
binary=$(realpath "${1:?usage: lobby.sh BINARY SITE_ROOT}")
site=$(realpath "${2:?usage: lobby.sh BINARY SITE_ROOT}")
guests=${LOBBY_GUESTS:-10000}
# Every idle guest holds a socket, on both sides.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cd "$(dirname "$0")/.."
. bench/lib.sh

# restricted_room MEET COOKIE: creates a restricted room as the logged-in user, prints its id.
restricted_room() {
  node -e '
    const [url, cookie] = process.argv.slice(1);
    fetch(url + "/api/v1.0/rooms/", { method: "POST", headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: "lobby bench " + Date.now(), access_level: "restricted" }) })
      .then((r) => r.json()).then((room) => console.log(room.id));' "$1" "$2"
}

start_provider
echo "==> one instance (SQLite)"
start_meet "$binary" "$site" "sqlite://$LIB_DATA/meet.db" "$LIB_DATA/meet-sqlite.log"
cookie=$(node bench/login.mjs "$MEET_URL" alice)
room=$(restricted_room "$MEET_URL" "$cookie")
node bench/lobby-admit.mjs "$MEET_URL" "$MEET_URL" "$cookie" "$room" 100

echo "==> $guests idle waiting guests on this instance"
before=$(rss_of "$MEET_PID")
node bench/lobby-idle.mjs "$MEET_URL" "$room" "$guests" "$MEET_PID"
echo "    RSS before: $before"

if [ -n "${TEST_POSTGRES_URL:-}" ] && command -v psql >/dev/null; then
  database=meet_lobby_bench_$$
  psql "$TEST_POSTGRES_URL" -qc "CREATE DATABASE $database" >/dev/null
  drop_database() { psql "$TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null || true; lib_cleanup; }
  trap drop_database EXIT
  url="${TEST_POSTGRES_URL%/*}/$database"
  echo "==> two instances on one PostgreSQL database (guest on the first, host on the second)"
  start_meet "$binary" "$site" "$url" "$LIB_DATA/meet-a.log"
  first=$MEET_URL
  start_meet "$binary" "$site" "$url" "$LIB_DATA/meet-b.log"
  second=$MEET_URL
  cookie=$(node bench/login.mjs "$second" bob)
  room=$(restricted_room "$second" "$cookie")
  node bench/lobby-admit.mjs "$first" "$second" "$cookie" "$room" 100
else
  echo "two instances skipped: TEST_POSTGRES_URL is not set"
fi
