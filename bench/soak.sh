#!/usr/bin/env bash
# `make soak`: the join request under abuse, on the release binary and a fresh SQLite database.
# Four runs of SOAK_SECONDS (default 60) of wrk at 256 connections on the join request
# (`GET /api/v1.0/rooms/{slug}/`, a public room, a token minted each time):
#   1. alone;
#   2. while one logged-in user floods room creation and a visitor floods
#      `/api/v1.0/authenticate/` (one wrk each, 32 connections);
#   3. while 2,000 slow clients send request headers a byte at a time.
# For each: requests/s, p50, p99, errors (socket errors and non-2xx answers), and Meet's RSS
# before and after. The join should keep 0 errors and a p99 under 50 ms (the budget in
# ARCHITECTURE.md); the script fails when the join sees an error, and reports the latencies.
#
# Usage: bench/soak.sh BINARY SITE_ROOT   (env: SOAK_SECONDS, default 60)
set -euo pipefail
binary=$(realpath "${1:?usage: soak.sh BINARY SITE_ROOT}")
site=$(realpath "${2:?usage: soak.sh BINARY SITE_ROOT}")
seconds=${SOAK_SECONDS:-60}
cd "$(dirname "$0")/.."
. bench/lib.sh
command -v wrk >/dev/null || { echo "soak: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

start_provider
start_meet "$binary" "$site" "sqlite://$LIB_DATA/meet.db"
echo "==> meet (release) at $MEET_URL, SQLite in $LIB_DATA; $(nproc) cores, ${seconds} s per run"
cookie=$(node bench/login.mjs "$MEET_URL" alice)
node -e '
  fetch(process.argv[1], { method: "POST", headers: { cookie: process.argv[2], "content-type": "application/json" },
    body: JSON.stringify({ name: "soak-room", access_level: "public" }) }).then((r) => process.exit(r.status === 201 ? 0 : 1))' \
  "$MEET_URL/api/v1.0/rooms/" "$cookie"
flooder=$(node bench/login.mjs "$MEET_URL" mallory)
join="$MEET_URL/api/v1.0/rooms/soak-room/"
wrk -t2 -c64 -d3s "$join" >/dev/null # warm-up

failed=0
printf '\n%-44s %9s %9s %9s %8s %12s %12s\n' run 'req/s' p50 p99 errors 'RSS before' 'RSS after'
# measure NAME: the join for $seconds, while whatever was started runs
measure() {
  local name=$1 before after output rate p50 p99 socket non2xx errors
  before=$(rss_of "$MEET_PID")
  output=$(wrk -t2 -c256 -d"${seconds}s" --timeout 10s --latency "$join")
  after=$(rss_of "$MEET_PID")
  rate=$(awk '/Requests\/sec/ { print $2 }' <<<"$output")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$output")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$output")
  socket=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$output")
  non2xx=$(awk '/Non-2xx/ { print $5 }' <<<"$output")
  errors=$(( ${socket:-0} + ${non2xx:-0} ))
  printf '%-44s %9s %9s %9s %8s %12s %12s\n' "$name" "$rate" "$p50" "$p99" "$errors" "$before" "$after"
  [ "$errors" -eq 0 ] || failed=1
}

measure "join alone"

COOKIE="$flooder" wrk -t1 -c32 -d"$((seconds + 2))s" -s bench/create-rooms.lua "$MEET_URL" >"$LIB_DATA/create.out" &
create_pid=$!
wrk -t1 -c32 -d"$((seconds + 2))s" "$MEET_URL/api/v1.0/authenticate/?returnTo=/" >"$LIB_DATA/authenticate.out" &
authenticate_pid=$!
sleep 1
measure "join, while a user floods creation + login"
wait "$create_pid" "$authenticate_pid"
count() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$LIB_DATA/meet.db" "$1"; }
created=$(count "SELECT COUNT(*) FROM rooms")
sessions=$(count "SELECT COUNT(*) FROM sessions")
echo "  creation flood: $(awk '/Requests\/sec/ { print $2 }' "$LIB_DATA/create.out") req/s answered; rooms now: $created"
echo "  login flood: $(awk '/Requests\/sec/ { print $2 }' "$LIB_DATA/authenticate.out") req/s answered; sessions stored: $sessions"

python3 bench/slow-clients.py 127.0.0.1 "${MEET_URL##*:}" 2000 "$((seconds + 2))" >"$LIB_DATA/slow.out" &
slow_pid=$!
sleep 2
measure "join, while 2,000 slow clients hold headers"
wait "$slow_pid"
echo "  $(cat "$LIB_DATA/slow.out")"
sleep 1
echo "RSS after the runs: $(rss_of "$MEET_PID")"
if [ "$failed" -ne 0 ]; then
  echo "soak: the join request saw errors" >&2
  exit 1
fi
