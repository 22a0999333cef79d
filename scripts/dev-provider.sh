# Sourced by run.sh and dev.sh: starts the development identity provider (end2end/oidc) next to
# Meet and points Meet at it, unless a provider is already configured (OIDC_ISSUER_URL in the
# environment or in .env). Defines DEV_PROVIDER_PID (empty when none was started).

DEV_PROVIDER_PID=""

start_dev_provider() {
  if [ -n "${OIDC_ISSUER_URL:-}" ] || grep -qs '^OIDC_ISSUER_URL=' .env; then
    echo "==> login: using the configured identity provider"
    return 0
  fi
  local port=${DEV_OIDC_PORT:-8090}
  local listen=${MEET_LISTEN_ADDR:-127.0.0.1:8080}
  echo "==> login: starting the development identity provider on http://127.0.0.1:$port"
  DEV_OIDC_PORT=$port MEET_PUBLIC_URL=${MEET_PUBLIC_URL:-http://$listen} \
    node end2end/oidc/dev-provider.mjs &
  DEV_PROVIDER_PID=$!
  local tries=0
  local discovery="http://127.0.0.1:$port/.well-known/openid-configuration"
  until node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$discovery"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ] || ! kill -0 "$DEV_PROVIDER_PID" 2>/dev/null; then
      echo "dev provider did not start (is port $port free? run 'make tools' for its npm packages)" >&2
      return 1
    fi
    sleep 0.1
  done
  export OIDC_ISSUER_URL="http://127.0.0.1:$port"
  export OIDC_RP_CLIENT_ID=meet-dev
  export OIDC_RP_CLIENT_SECRET=meet-dev-secret
  export OIDC_RP_SCOPES="openid email given_name usual_name"
  echo "==> login: type any name at the provider (alice and bob have full profiles), any password"
}

stop_dev_provider() {
  if [ -n "$DEV_PROVIDER_PID" ]; then
    kill "$DEV_PROVIDER_PID" 2>/dev/null
    wait "$DEV_PROVIDER_PID" 2>/dev/null
    DEV_PROVIDER_PID=""
  fi
}
