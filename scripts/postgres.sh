#!/usr/bin/env bash
# Starts the machine's PostgreSQL cluster (Debian's postgresql-common) if it is down, and creates
# the role and database the tests use: postgres://meet:meet@127.0.0.1:5432/meet, with CREATEDB so
# each test can make a database of its own. Idempotent. Needs root (or the postgres user).
set -euo pipefail

if ! command -v pg_lsclusters >/dev/null; then
  echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
read -r version cluster port pg_status _ < <(pg_lsclusters --no-header | head -n 1)
if [ -z "${version:-}" ]; then
  echo "postgres.sh: no PostgreSQL cluster (pg_createcluster --start 15 main)" >&2
  exit 1
fi
if [ "$pg_status" != online ]; then
  echo "==> pg_ctlcluster $version $cluster start"
  pg_ctlcluster "$version" "$cluster" start
fi
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }
as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -q <<'SQL'
SELECT 'CREATE ROLE meet LOGIN PASSWORD ''meet'' CREATEDB'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'meet') \gexec
SELECT 'CREATE DATABASE meet OWNER meet'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'meet') \gexec
SQL
echo "==> PostgreSQL $version ready: postgres://meet:meet@127.0.0.1:$port/meet"
