#!/usr/bin/env bash
# Checks the crate boundaries from the dependency graph, without building anything:
#   - the server side (meet-server, meet-domain) pulls in no browser-only code: not the wasm
#     entry crate, not Leptos's `hydrate` feature, not the browser panic hook;
#   - the browser bundle (meet-frontend for wasm32) pulls in no server code: no database, no
#     async runtime or networking, no LiveKit server SDK, no HTTP server, no meet-domain.
set -euo pipefail

status=0
packages_of() { cargo tree "$@" -e normal --prefix none -f '{p}' | awk '{ print $1 }' | sort -u; }
refuse() { # refuse LABEL PATTERN PACKAGES...
  local label=$1 pattern=$2; shift 2
  local found
  found=$(printf '%s\n' "$@" | grep -E "^($pattern)$" || true)
  if [ -n "$found" ]; then
    echo "boundaries: $label pulls in: $(echo $found)" >&2
    status=1
  fi
}

for crate in meet-server meet-domain; do
  mapfile -t deps < <(packages_of -p "$crate")
  refuse "$crate" 'meet-frontend|console_error_panic_hook' "${deps[@]}"
  if cargo tree -p "$crate" -e features --prefix none | grep -qE '^leptos feature "hydrate"'; then
    echo "boundaries: $crate enables leptos/hydrate" >&2
    status=1
  fi
done

mapfile -t wasm_deps < <(packages_of -p meet-frontend --target wasm32-unknown-unknown)
refuse 'the wasm bundle (meet-frontend)' \
  'meet-domain|meet-server|sqlx.*|libsqlite3-sys|tokio.*|mio|socket2|hyper.*|axum.*|tower-http|livekit.*|openidconnect|oauth2|reqwest|tower-sessions.*|leptos_axum' \
  "${wasm_deps[@]}"
if cargo tree -p meet-frontend --target wasm32-unknown-unknown -e features --prefix none \
  | grep -qE '^leptos feature "ssr"'; then
  echo "boundaries: the wasm bundle enables leptos/ssr" >&2
  status=1
fi

[ "$status" -eq 0 ] && echo "boundaries: ok (server without browser code, wasm without server code)"
exit "$status"
