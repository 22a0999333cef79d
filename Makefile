# Meet — the commands a newcomer uses. `make help` lists them; each prints what it does.
#
#   make run     release build, then start Meet on SQLite at http://127.0.0.1:8080/
#   make test    everything CI runs: format, lints, boundaries, Rust tests (SQLite + PostgreSQL),
#                and the Playwright suite

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

TARGET_DIR := $(if $(CARGO_TARGET_DIR),$(CARGO_TARGET_DIR),target)
SITE_ROOT ?= target/site
DEV_SITE_ROOT ?= target/site-debug
# wasm-split (the meeting bundle's split, scripts/build-site.sh): the CLI of wasm_split_cli_support,
# the crate that goes with the wasm_split_helpers in Cargo.lock.
WASM_SPLIT_VERSION = 0.2.4
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
# PostgreSQL for the store tests: set TEST_POSTGRES_URL, or `make test` uses this one when it
# answers (`make postgres` creates it).
LOCAL_POSTGRES_URL := postgres://meet:meet@127.0.0.1:5432/meet
SCHEMATHESIS_VERSION := 4.32.5
export CHROMIUM ?= /usr/bin/chromium

.PHONY: help
help: ## List the commands
	@awk 'BEGIN { FS = ":.*## " } /^[a-z-]+:.*## / { printf "  make %-12s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

.PHONY: run
run: build ## Build for release, then start Meet on SQLite (http://127.0.0.1:8080/) with the dev login
	scripts/run.sh $(TARGET_DIR)/release/meet $(SITE_ROOT)

.PHONY: dev
dev: tools ## Debug build, start, rebuild and restart on every source change
	@echo "==> watch mode: rebuilds and restarts Meet when a source file changes"
	DEV_SITE_ROOT=$(DEV_SITE_ROOT) scripts/dev.sh

.PHONY: build
build: tools ## Release build: wasm bundle (wasm-opt -Oz) and the meet binary
	SITE_ROOT=$(SITE_ROOT) RUSTFLAGS= scripts/build-site.sh release
	@echo "==> server: cargo build --release -p meet-server"
	# With .cargo/config.toml's flags (`erase_components`), as the wasm is built: the HTML the
	# server renders must be the HTML the wasm hydrates, hydration markers included.
	RUSTFLAGS="--cfg erase_components" cargo build --release -p meet-server

.PHONY: build-dev
build-dev: ## Debug build: wasm bundle and the meet binary
	SITE_ROOT=$(DEV_SITE_ROOT) scripts/build-site.sh debug
	@echo "==> server: cargo build -p meet-server"
	cargo build -p meet-server

.PHONY: test
test: fmt-check lint test-rust e2e fuzz-api ## Everything CI runs
	@echo "==> make test: all passed"

.PHONY: test-rust
test-rust: tools ## Rust unit and integration tests, on SQLite and (when reachable) PostgreSQL
	@url="$${TEST_POSTGRES_URL:-}"; \
	if [ -z "$$url" ] && psql "$(LOCAL_POSTGRES_URL)" -Atqc 'select 1' >/dev/null 2>&1; then \
	  url="$(LOCAL_POSTGRES_URL)"; fi; \
	if [ -n "$$url" ]; then echo "==> cargo test (SQLite and PostgreSQL at $${url%%@*}@…)"; \
	else echo "==> cargo test (SQLite only: no PostgreSQL; set TEST_POSTGRES_URL or run make postgres)"; fi; \
	TEST_POSTGRES_URL="$$url" cargo test --workspace --exclude meet-frontend

.PHONY: e2e
e2e: tools build-dev ## Playwright suite against the real server (Debian Chromium)
	cargo build -p meet-livekit-standin --bin meet-livekit-standin
	@echo "==> playwright test (server: $(TARGET_DIR)/debug/meet, site: $(DEV_SITE_ROOT))"
	@rm -rf end2end/test-results
	@rc=0; \
	MEET_BIN=$(abspath $(TARGET_DIR)/debug/meet) MEET_SITE_ROOT=$(abspath $(DEV_SITE_ROOT)) \
	MEET_STANDIN_BIN=$(abspath $(TARGET_DIR)/debug/meet-livekit-standin) \
	  npx playwright test --config end2end/playwright.config.ts || rc=$$?; \
	node end2end/summary.mjs end2end/test-results/results.json || true; \
	exit $$rc

.PHONY: fuzz-api
fuzz-api: tools build-dev ## Fuzz the REST API against its OpenAPI document (schemathesis), SQLite and PostgreSQL
	@if [ "$$(python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" \
	    != "$(SCHEMATHESIS_VERSION)" ]; then \
	  echo "==> pip install schemathesis==$(SCHEMATHESIS_VERSION)"; \
	  python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$(SCHEMATHESIS_VERSION)"; fi
	@url="$${TEST_POSTGRES_URL:-}"; \
	if [ -z "$$url" ] && psql "$(LOCAL_POSTGRES_URL)" -Atqc 'select 1' >/dev/null 2>&1; then \
	  url="$(LOCAL_POSTGRES_URL)"; fi; \
	TEST_POSTGRES_URL="$$url" scripts/fuzz-api.sh $(TARGET_DIR)/debug/meet $(DEV_SITE_ROOT)

.PHONY: bench
bench: build ## Load test of the release binary with wrk: join request, users/me, config, healthz, analytics' cost
	bench/run.sh $(TARGET_DIR)/release/meet $(SITE_ROOT)
	bench/analytics.sh $(TARGET_DIR)/release/meet $(SITE_ROOT)

.PHONY: bench-lobby
bench-lobby: build ## The lobby's push: Admit to the guest's page knowing (1 and 2 instances), idle guests' memory
	bench/lobby.sh $(TARGET_DIR)/release/meet $(SITE_ROOT)

.PHONY: soak
soak: build ## The join request under abuse: 256 connections alone, with floods, with 2,000 slow clients
	bench/soak.sh $(TARGET_DIR)/release/meet $(SITE_ROOT)

.PHONY: lint
lint: ## Clippy on the server build and on the wasm build, then the crate boundaries
	@echo "==> clippy (server side, all targets)"
	cargo clippy --workspace --exclude meet-frontend --all-targets -- -D warnings
	@echo "==> clippy (wasm side: meet-frontend + meet-app with hydrate)"
	cargo clippy -p meet-frontend -p meet-app --target wasm32-unknown-unknown -- -D warnings
	@echo "==> crate boundaries"
	scripts/check-boundaries.sh

.PHONY: fmt
fmt: ## Format the Rust code
	cargo fmt --all

.PHONY: fmt-check
fmt-check: ## Check the Rust formatting
	@echo "==> cargo fmt --check"
	cargo fmt --all -- --check

.PHONY: tools
tools: ## Install what the build needs: wasm target, wasm-bindgen and wasm-split CLIs, npm packages
	@rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || \
	  { echo "==> rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "==> cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) (about 4 minutes, once)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi
	@if ! command -v wasm-split-cli >/dev/null || ! cargo install --list | grep -qx 'wasm_split_cli_support v$(WASM_SPLIT_VERSION):'; then \
	  echo "==> cargo install wasm_split_cli_support $(WASM_SPLIT_VERSION) (about 3 minutes, once)"; \
	  cargo install --locked wasm_split_cli_support --version $(WASM_SPLIT_VERSION) --features build-binary; fi
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  echo "==> npm ci (Playwright, oidc-provider for the dev login, binaryen's wasm-opt)"; \
	  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; fi

.PHONY: postgres
postgres: ## Start the local PostgreSQL 15 and create the test role (needs root)
	scripts/postgres.sh

.PHONY: boundaries
boundaries: ## Check that server and wasm builds keep out of each other's code
	scripts/check-boundaries.sh

.PHONY: clean
clean: ## Remove build output
	cargo clean
	rm -rf $(SITE_ROOT) $(DEV_SITE_ROOT) end2end/test-results
