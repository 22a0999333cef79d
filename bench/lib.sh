# Sourced by the benchmark and fuzzing scripts: start the development identity provider and a
# `meet` binary on free loopback ports with a fresh database, and stop them on exit.
#
#   . bench/lib.sh
#   start_provider                      # sets OIDC_PORT
#   start_meet BINARY SITE DATABASE_URL # sets MEET_URL and MEET_PID; extra env may be exported
#   rss_of PID                          # resident memory, e.g. "27512 kB"

LIB_DATA=$(mktemp -d "${TMPDIR:-/tmp}/meet-bench.XXXXXX")
LIB_PIDS=()
lib_cleanup() {
  for pid in "${LIB_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$LIB_DATA"
}
trap lib_cleanup EXIT

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

wait_for() { # wait_for URL
  for _ in $(seq 1 200); do
    node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1" && return 0
    sleep 0.1
  done
  echo "$1 did not answer" >&2
  return 1
}

start_provider() {
  OIDC_PORT=$(free_port)
  DEV_OIDC_PORT=$OIDC_PORT node end2end/oidc/dev-provider.mjs >/dev/null &
  LIB_PIDS+=($!)
  wait_for "http://127.0.0.1:$OIDC_PORT/.well-known/openid-configuration"
}

start_meet() { # start_meet BINARY SITE DATABASE_URL [LOG]
  local port log=${4:-$LIB_DATA/meet.log}
  port=$(free_port)
  MEET_URL="http://127.0.0.1:$port"
  MEET_LISTEN_ADDR=127.0.0.1:$port DATABASE_URL="$3" MEET_SITE_ROOT=$2 \
    OIDC_ISSUER_URL=http://127.0.0.1:$OIDC_PORT OIDC_RP_CLIENT_ID=meet-dev \
    OIDC_RP_CLIENT_SECRET=meet-dev-secret OIDC_RP_SCOPES="openid email given_name usual_name" \
    RUST_LOG=${RUST_LOG:-warn} "$1" >"$log" 2>&1 &
  MEET_PID=$!
  LIB_PIDS+=($MEET_PID)
  wait_for "$MEET_URL/readyz"
}

rss_of() { awk '/VmRSS/ { print $2, $3 }' "/proc/$1/status"; }
