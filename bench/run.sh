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

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
meet_port=$(free_port)
oidc_port=$(free_port)
data=$(mktemp -d "${TMPDIR:-/tmp}/meet-bench.XXXXXX")
meet="http://127.0.0.1:$meet_port"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

wait_for() { # wait_for URL
  for _ in $(seq 1 200); do
    node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1" && return 0
    sleep 0.1
  done
  echo "bench: $1 did not answer" >&2
  return 1
}

echo "==> development identity provider on :$oidc_port"
DEV_OIDC_PORT=$oidc_port MEET_PUBLIC_URL=$meet node end2end/oidc/dev-provider.mjs >/dev/null &
pids+=($!)
wait_for "http://127.0.0.1:$oidc_port/.well-known/openid-configuration"

echo "==> meet (release) on :$meet_port, SQLite in $data"
MEET_LISTEN_ADDR=127.0.0.1:$meet_port DATABASE_URL="sqlite://$data/meet.db" MEET_SITE_ROOT=$site \
  OIDC_ISSUER_URL=http://127.0.0.1:$oidc_port OIDC_RP_CLIENT_ID=meet-dev OIDC_RP_CLIENT_SECRET=meet-dev-secret \
  OIDC_RP_SCOPES="openid email given_name usual_name" RUST_LOG=warn "$binary" &
meet_pid=$!
pids+=($meet_pid)
wait_for "$meet/readyz"

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
