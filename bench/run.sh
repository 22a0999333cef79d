#!/usr/bin/env bash
# `make bench`: load test of the release binary with wrk (2 threads, 64 connections, after a
# warm-up), on a fresh SQLite database and, when TEST_POSTGRES_URL names a server, a fresh
# PostgreSQL database, with a logged-in session from the development provider.
#
# For each endpoint it prints requests/s, p50 and p99 latency, the ratio of its requests/s to
# GET /healthz measured in the same run, and the server's CPU time per request (user + system
# time of the `meet` process from /proc/<pid>/stat before and after, divided by the requests):
# a number that stays meaningful when the machine is busy.
#
# Usage: bench/run.sh BINARY SITE_ROOT   (env: BENCH_SECONDS, default 10; BENCH_WARMUP, 3)
set -euo pipefail
binary=$(realpath "${1:?usage: run.sh BINARY SITE_ROOT}")
site=$(realpath "${2:?usage: run.sh BINARY SITE_ROOT}")
seconds=${BENCH_SECONDS:-10}
warmup=${BENCH_WARMUP:-3}
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  echo "bench: wrk is not installed (apt-get install wrk)" >&2
  exit 1
fi

. bench/lib.sh

ticks=$(getconf CLK_TCK)

# bench_on BACKEND DATABASE_URL: start meet on the database, measure every endpoint
bench_on() {
  local backend=$1 database_url=$2
  echo
  echo "==> $backend: meet (release) with the development identity provider"
  start_meet "$binary" "$site" "$database_url" "$LIB_DATA/meet-$backend.log"
  local meet=$MEET_URL meet_pid=$MEET_PID

  echo "==> logging in; creating a public room and 19 more (a page of the room list)"
  local cookie created
  cookie=$(node bench/login.mjs "$meet" alice)
  created=$(node -e '
    const [url, cookie] = process.argv.slice(1);
    const create = (name) => fetch(url, { method: "POST", headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ name, access_level: "public" }) }).then((r) => r.text());
    (async () => {
      const first = await create("bench-room");
      for (let i = 1; i < 20; i++) await create(`bench room ${i}`);
      console.log(first);
    })();' "$meet/api/v1.0/rooms/" "$cookie")
  case "$created" in *'"slug":"bench-room"'*) ;; *) echo "bench: room not created: $created" >&2; exit 1 ;; esac

  cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$meet_pid/stat"; }
  declare -A rps
  # run NAME PATH [HEADER [SCRIPT]]: warm up, measure, print one line of results
  run() {
    local name=$1 path=$2 header=${3:-} script=${4:-}
    local args=(-t2 -c64 --latency)
    [ -n "$header" ] && args+=(-H "$header")
    [ -n "$script" ] && args+=(-s "$script")
    wrk "${args[@]}" -d"${warmup}s" "$meet$path" >/dev/null
    local before after output
    before=$(cpu_ticks)
    output=$(wrk "${args[@]}" -d"${seconds}s" "$meet$path")
    after=$(cpu_ticks)
    local requests rate p50 p99 non2xx
    requests=$(awk '/requests in/ { print $1 }' <<<"$output")
    rate=$(awk '/Requests\/sec/ { print $2 }' <<<"$output")
    p50=$(awk '$1 == "50%" { print $2 }' <<<"$output")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$output")
    non2xx=$(awk '/Non-2xx/ { print $5 }' <<<"$output")
    if [ -n "$non2xx" ]; then
      echo "bench: $name answered $non2xx non-2xx responses" >&2
      exit 1
    fi
    rps[$name]=$rate
    local cpu_us
    cpu_us=$(awk -v t="$((after - before))" -v hz="$ticks" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
    printf '%-44s %10s %9s %9s %12s\n' "$name" "$rate" "$p50" "$p99" "$cpu_us"
  }

  echo
  echo "$backend: wrk -t2 -c64, ${warmup} s warm-up, ${seconds} s measured, $(nproc) cores"
  printf '%-44s %10s %9s %9s %12s\n' endpoint 'req/s' p50 p99 'CPU µs/req'
  local names=(
    "GET /api/v1.0/rooms/bench-room/ (token)"
    "GET /api/v1.0/rooms/abc-defg-hij/ (unreg.)"
    "GET /api/v1.0/users/me/ (session)"
    "GET /api/v1.0/rooms/ (20 rooms, session)"
    "GET /api/v1.0/config/"
    "GET /abc-defg-hij page (SSR)"
    "GET /abc-defg-hij page (SSR, compressed)"
    "GET /<new code> page (SSR, rendered)"
    "GET /bench-room meeting page (SSR, session)"
  )
  run "GET /healthz" /healthz
  run "${names[0]}" /api/v1.0/rooms/bench-room/
  run "${names[1]}" /api/v1.0/rooms/abc-defg-hij/
  run "${names[2]}" /api/v1.0/users/me/ "Cookie: $cookie"
  run "${names[3]}" /api/v1.0/rooms/ "Cookie: $cookie"
  run "${names[4]}" /api/v1.0/config/
  run "${names[5]}" /abc-defg-hij
  run "${names[6]}" /abc-defg-hij "Accept-Encoding: gzip, deflate, br, zstd"
  run "${names[7]}" / "" bench/new-meeting-codes.lua
  run "${names[8]}" /bench-room "Cookie: $cookie"
  echo
  echo "$backend: ratio of requests/s to GET /healthz (same run):"
  for name in "${names[@]}"; do
    awk -v a="${rps[$name]}" -v b="${rps["GET /healthz"]}" -v n="$name" 'BEGIN { printf "  %-44s %.2f\n", n, a / b }'
  done
  echo "$backend: idle RSS after the run: $(rss_of "$meet_pid")"
  kill "$meet_pid"
  wait "$meet_pid" 2>/dev/null || true
}

# gzip_size BUNDLE…: the gzip size, in bytes, of the site's bundles by name (as browsers get them)
gzip_size() {
  local total=0 name file size
  for name in "$@"; do
    file=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1]))[process.argv[2]])' \
      "$site/pkg/manifest.json" "$name")
    size=$(gzip -9c "$site/pkg/$file" | wc -c)
    total=$((total + size))
  done
  echo "$total"
}
home_bytes=$(gzip_size meet.js meet.wasm meet.css)
meeting_bytes=$(gzip_size meeting.js meeting.wasm meeting-split.js meet.css livekit-bridge.js)
conference_bytes=$(gzip_size meeting-conference.wasm)
echo "==> payload, gzip -9: home page $((home_bytes / 1000)) KB (wasm + JS + CSS; budget 200 KB)," \
  "meeting page $((meeting_bytes / 1000)) KB (+ livekit bundle; budget 400 KB), then the call's" \
  "module, fetched in the background: $((conference_bytes / 1000)) KB"
for name in meet.wasm meet.js meeting.wasm meeting.js meeting-split.js meeting-conference.wasm \
  meet.css livekit-bridge.js; do
  printf '    %-20s %7d B gzip\n' "$name" "$(gzip_size "$name")"
done

start_provider
bench_on SQLite "sqlite://$LIB_DATA/meet.db"
if [ -n "${TEST_POSTGRES_URL:-}" ] && command -v psql >/dev/null; then
  database=meet_bench_$$
  psql "$TEST_POSTGRES_URL" -qc "CREATE DATABASE $database" >/dev/null
  drop_database() { psql "$TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null || true; lib_cleanup; }
  trap drop_database EXIT
  bench_on PostgreSQL "${TEST_POSTGRES_URL%/*}/$database"
else
  echo
  echo "PostgreSQL skipped: TEST_POSTGRES_URL is not set"
fi
