#!/usr/bin/env bash
# `make fuzz-api`: property-based fuzzing of the REST API with schemathesis (PyPI), against its own
# OpenAPI document (/api/v1.0/openapi.json), anonymous and logged in, on SQLite and (when
# reachable) PostgreSQL. Fails on any server error, any error Meet logs, and any answer that
# disagrees with the document (status codes, content types, bodies, input the document refuses
# but the server takes, or the other way round). Settings: scripts/schemathesis.toml.
#
# Usage: scripts/fuzz-api.sh BINARY SITE_ROOT
#   env: FUZZ_EXAMPLES (cases per operation and phase, default 40), FUZZ_SEED (default 1),
#        TEST_POSTGRES_URL (a role that may create databases; PostgreSQL is skipped without it)
set -euo pipefail
binary=$(realpath "${1:?usage: fuzz-api.sh BINARY SITE_ROOT}")
site=$(realpath "${2:?usage: fuzz-api.sh BINARY SITE_ROOT}")
examples=${FUZZ_EXAMPLES:-40}
seed=${FUZZ_SEED:-1}
cd "$(dirname "$0")/.."
. bench/lib.sh
st() { python3 -m schemathesis.cli "$@"; }
python3 -c 'import schemathesis' 2>/dev/null ||
  { echo "fuzz-api: schemathesis is not installed (make fuzz-api installs it)" >&2; exit 1; }

start_provider
# A LiveKit that nobody is connected to, for the moderation endpoints to reach: ListRooms
# answers no rooms (an empty protobuf message), every other call Twirp's not_found. (No real
# server here: the fuzzed requests must reach past LiveKit to Meet's answers.)
livekit_port=$(free_port)
node -e '
  require("http").createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      if (request.url.endsWith("/ListRooms")) {
        response.writeHead(200, { "content-type": "application/protobuf" });
        return response.end();
      }
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ code: "not_found", msg: "nobody is connected (fuzzing)" }));
    });
  }).listen(Number(process.argv[1]), "127.0.0.1");' "$livekit_port" &
LIB_PIDS+=($!)
export LIVEKIT_API_URL=http://127.0.0.1:$livekit_port
status=0
# fuzz NAME DATABASE_URL: one Meet on that database, fuzzed anonymous then logged in.
fuzz() {
  local name=$1 database=$2 log="$LIB_DATA/$1.log"
  export MAX_ROOMS_PER_USER=100000
  start_meet "$binary" "$site" "$database" "$log"
  local cookie config="$LIB_DATA/$name.toml"
  cookie=$(node bench/login.mjs "$MEET_URL" alice)
  # Things that exist, so that operations on one room, user or access reach past "not found".
  node scripts/fuzz-fixtures.mjs "$MEET_URL" scripts/schemathesis.toml "$cookie" \
    "$(node bench/login.mjs "$MEET_URL" bob)" "$(node bench/login.mjs "$MEET_URL" carol)" >"$config"
  # One worker: schemathesis' workers are threads, and CPython 3.11 (Debian 12's) can fail
  # ast.parse in concurrent threads ("AST constructor recursion depth mismatch",
  # python/cpython#106905), which hypothesis calls to describe strategies.
  for who in anonymous logged-in; do
    local auth=()
    [ "$who" = logged-in ] && auth=(-H "Cookie: $cookie")
    echo "==> schemathesis: $name, $who ($examples cases per operation and phase, seed $seed)"
    if ! st --config-file "$config" run "$MEET_URL/api/v1.0/openapi.json" "${auth[@]}" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection,positive_data_acceptance \
        --max-examples "$examples" --seed "$seed" --workers 1 --phases examples,coverage,fuzzing \
        --request-timeout 10 --max-redirects 0 --no-color --output-truncate true; then
      status=1
    fi
  done
  if grep -q "ERROR" "$log"; then
    echo "fuzz-api: Meet logged errors on $name:" >&2
    grep "ERROR" "$log" | head -20 >&2
    status=1
  fi
  kill "$MEET_PID" 2>/dev/null || true
}

fuzz sqlite "sqlite://$LIB_DATA/meet.db"
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  database="meet_fuzz_$$"
  psql "$TEST_POSTGRES_URL" -qc "CREATE DATABASE $database" >/dev/null
  fuzz postgres "${TEST_POSTGRES_URL%/*}/$database"
  kill "$MEET_PID" 2>/dev/null || true
  wait "$MEET_PID" 2>/dev/null || true
  psql "$TEST_POSTGRES_URL" -qc "DROP DATABASE $database WITH (FORCE)" >/dev/null || true
else
  echo "==> schemathesis: PostgreSQL skipped (set TEST_POSTGRES_URL)"
fi
[ "$status" -eq 0 ] && echo "fuzz-api: no server error, no disagreement with the document" \
  || echo "fuzz-api: failures above" >&2
exit "$status"
