#!/usr/bin/env bash
# `make bench`: load test of the release binary with wrk (2 threads, 64 connections, after a
# warm-up), on a fresh SQLite database, with a logged-in session from the development provider.
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

echo "==> development identity provider and meet (release), SQLite in $LIB_DATA"
start_provider
start_meet "$binary" "$site" "sqlite://$LIB_DATA/meet.db"
meet=$MEET_URL
meet_pid=$MEET_PID

echo "==> logging in and creating a public room"
cookie=$(node bench/login.mjs "$meet" alice)
created=$(node -e '
  fetch(process.argv[1], { method: "POST", headers: { cookie: process.argv[2], "content-type": "application/json" },
    body: JSON.stringify({ name: "bench-room", access_level: "public" }) }).then((r) => r.text()).then(console.log)' \
  "$meet/api/v1.0/rooms/" "$cookie")
case "$created" in *'"slug":"bench-room"'*) ;; *) echo "bench: room not created: $created" >&2; exit 1 ;; esac

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$meet_pid/stat"; }

# run NAME PATH [HEADER]: warm up, measure, print one line of results
declare -A rps
run() {
  local name=$1 path=$2 header=${3:-}
  local args=(-t2 -c64 --latency)
  [ -n "$header" ] && args+=(-H "$header")
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
  printf '%-40s %10s %9s %9s %12s\n' "$name" "$rate" "$p50" "$p99" "$cpu_us"
}

echo
echo "wrk -t2 -c64, ${warmup} s warm-up, ${seconds} s measured, $(nproc) cores"
printf '%-40s %10s %9s %9s %12s\n' endpoint 'req/s' p50 p99 'CPU µs/req'
run "GET /healthz" /healthz
run "GET /api/v1.0/rooms/bench-room/ (token)" /api/v1.0/rooms/bench-room/
run "GET /api/v1.0/users/me/ (session)" /api/v1.0/users/me/ "Cookie: $cookie"
run "GET /api/v1.0/config/" /api/v1.0/config/
run "GET /abc-defg-hij page (SSR)" /abc-defg-hij
echo
echo "ratio of requests/s to GET /healthz (same run):"
for name in "GET /api/v1.0/rooms/bench-room/ (token)" "GET /api/v1.0/users/me/ (session)" "GET /api/v1.0/config/" "GET /abc-defg-hij page (SSR)"; do
  awk -v a="${rps[$name]}" -v b="${rps["GET /healthz"]}" -v n="$name" 'BEGIN { printf "  %-40s %.2f\n", n, a / b }'
done
echo "idle RSS after the run: $(awk '/VmRSS/ { print $2, $3 }' "/proc/$meet_pid/status")"
