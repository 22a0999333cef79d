#!/usr/bin/env bash
# `make bench` (its analytics part): the cost of product analytics to requests, on SQLite. The
# same release binary runs four times: analytics off; into the database; into a PostHog endpoint
# that never answers (hanging); into a PostHog endpoint nobody listens on (down). Each time, wrk
# measures the join request (`GET /api/v1.0/rooms/abc-defg-hij/`, which mints a token and emits
# nothing) and browsers' event batches (`POST /api/v1.0/analytics/events/`, one event each, from
# 20,000 guests), and the events written and dropped are read from /metrics. Prints requests/s
# and the ratio to analytics off, measured in the same run.
#
# Usage: bench/analytics.sh BINARY SITE_ROOT   (env: BENCH_SECONDS, default 10; BENCH_WARMUP, 3)
set -euo pipefail
binary=$(realpath "${1:?usage: analytics.sh BINARY SITE_ROOT}")
site=$(realpath "${2:?usage: analytics.sh BINARY SITE_ROOT}")
seconds=${BENCH_SECONDS:-10}
warmup=${BENCH_WARMUP:-3}
cd "$(dirname "$0")/.."
. bench/lib.sh

# An endpoint that takes connections and never answers, and a port nobody listens on.
hanging_port=$(free_port)
node -e 'require("http").createServer(() => {}).listen(+process.argv[1], "127.0.0.1")' "$hanging_port" &
LIB_PIDS+=($!)
down_port=$(free_port)

declare -A join events
# rate WRK_OUTPUT: requests/s, or a failure when anything but 2xx was answered
rate() {
  if grep -q Non-2xx <<<"$1"; then
    echo "bench: non-2xx answers: $(grep Non-2xx <<<"$1")" >&2
    exit 1
  fi
  awk '/Requests\/sec/ { print $2 }' <<<"$1"
}

measure() { # measure MODE [VARIABLE=VALUE…]
  local mode=$1 setting
  shift
  for setting in "$@"; do export "${setting?}"; done
  start_meet "$binary" "$site" "sqlite://$LIB_DATA/analytics-$mode.db" "$LIB_DATA/analytics-$mode.log"
  for setting in "$@"; do unset "${setting%%=*}"; done
  local meet=$MEET_URL pid=$MEET_PID
  node -e '
    const [url, count] = [process.argv[1], +process.argv[2]];
    (async () => {
      const tokens = [];
      while (tokens.length < count) {
        const batch = await Promise.all(Array.from({ length: 200 }, () =>
          fetch(url).then((r) => r.json()).then((room) => room.livekit.token)));
        tokens.push(...batch);
      }
      console.log(tokens.join("\n"));
    })();' "$meet/api/v1.0/rooms/abc-defg-hij/" 20000 >"$LIB_DATA/tokens-$mode"
  wrk -t2 -c64 -d"${warmup}s" "$meet/api/v1.0/rooms/abc-defg-hij/" >/dev/null
  join[$mode]=$(rate "$(wrk -t2 -c64 -d"${seconds}s" "$meet/api/v1.0/rooms/abc-defg-hij/")")
  events[$mode]=$(rate "$(TOKENS="$LIB_DATA/tokens-$mode" wrk -t2 -c64 -d"${seconds}s" -s bench/analytics-events.lua "$meet")")
  local metrics
  metrics=$(curl -sf -H "Authorization: Bearer bench-metrics" "$meet/metrics")
  printf '%-16s %14s %16s   %s\n' "$mode" "${join[$mode]}" "${events[$mode]}" \
    "$(grep -E '^meet_analytics_events_(written|dropped)_total' <<<"$metrics" | sed 's/meet_analytics_events_//' | tr '\n' ' ')"
  kill "$pid"
}

export METRICS_TOKEN=bench-metrics ANALYTICS_SECRET=bench-analytics-secret-of-32-chars-or-more \
  ANALYTICS_POSTHOG_KEY=phc_bench
start_provider

echo
echo "==> analytics: wrk -t2 -c64, ${warmup} s warm-up (join), ${seconds} s measured, SQLite, $(nproc) cores"
printf '%-16s %14s %16s   %s\n' analytics 'join req/s' 'events req/s' 'events written / dropped'
measure off
measure db ANALYTICS_BACKEND=db
measure posthog-hanging ANALYTICS_BACKEND=posthog ANALYTICS_POSTHOG_HOST="http://127.0.0.1:$hanging_port"
measure posthog-down ANALYTICS_BACKEND=posthog ANALYTICS_POSTHOG_HOST="http://127.0.0.1:$down_port"
echo
echo "analytics: ratio of requests/s to analytics off (same run):"
for mode in db posthog-hanging posthog-down; do
  awk -v j="${join[$mode]}" -v jo="${join[off]}" -v e="${events[$mode]}" -v eo="${events[off]}" -v m="$mode" \
    'BEGIN { printf "  %-16s join %.2f   events %.2f\n", m, j / jo, e / eo }'
done
