# Umbrella's one task runner. `make run` and `make test` are the README's promise:
# on a fresh machine they install what is missing, then build, then run or test.

SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Build cache outside the clone: a fresh CI clone reuses what the previous run
# compiled. It is only a cache; an empty one makes the first run slower, no more.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/umbrella/target
export UMBRELLA_TOOLS_DIR ?= $(HOME)/.cache/umbrella/tools
# npm's binaryen first: Debian's wasm-opt produces WASM that never hydrates.
export PATH := $(UMBRELLA_TOOLS_DIR)/binaryen/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

BIN := $(CARGO_TARGET_DIR)/release/umbrella
DEMO_DATABASE_URL ?= sqlite://umbrella-demo.db
LISTEN ?= 127.0.0.1:3000

.PHONY: help setup build run test lint test-rust test-e2e test-api fuzz bench bench-api bench-copy bench-audit bench-csv bench-http bench-web clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

setup: ## Install every missing tool (idempotent, version-checked)
	@scripts/setup.sh all

build: ## Build the release binary with the site embedded
	@scripts/setup.sh build
	# The front end first: the server embeds what it built (see server/build.rs).
	cargo leptos build --release --frontend-only --split
	cargo leptos build --release --server-only
	@ls -l $(BIN)

run: build ## Build, then serve the demo on SQLite at http://$(LISTEN)
	$(BIN) --database-url "$(DEMO_DATABASE_URL)" serve --demo --listen "$(LISTEN)"

test: ## Everything: format, lints, core and HTTP tests on both databases, end-to-end
	@scripts/setup.sh all
	$(MAKE) lint test-rust build test-e2e test-api

lint: ## rustfmt, leptosfmt (the view! blocks) and clippy (server and WASM), warnings are errors
	@scripts/setup.sh lint
	cargo fmt --all --check
	leptosfmt --check app/src frontend/src
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

test-rust: ## Core tests (SQLite and PostgreSQL) and HTTP tests of the router
	# Not --workspace: with the WASM crate in the same build, feature unification would
	# give the server app both `ssr` and `hydrate`, which Leptos does not support.
	cargo nextest run
	# The examples in the core's docs, including the ones that must not compile (a
	# change service called without the audit's `Change`).
	cargo test --doc -p umbrella

test-e2e: ## Playwright in Chromium against the release binary (run `make build` first)
	cd end2end && UMBRELLA_BIN="$(BIN)" npx playwright test

test-api: ## schemathesis over every operation of /api/v1 on the release binary (run `make build` first): API_EXAMPLES per operation (default 30), API_SEED
	@scripts/setup.sh api
	BIN="$(BIN)" scripts/test-api.sh

fuzz: ## Every server function with generated bad input, long: FUZZ_CASES (default 20000), FUZZ_SEED to replay
	UMBRELLA_FUZZ_CASES=$${FUZZ_CASES:-20000} UMBRELLA_FUZZ_SEED=$${FUZZ_SEED:-} \
		cargo nextest run --profile long --no-capture -E 'binary(http) & test(/fuzz/)'

bench: ## Time the template copy at its limits, the Audit tab (1,000,000 entries), the accounts list (1,000,000 accounts) and a bulk block of 10,000 accounts on SQLite and PostgreSQL
	@scripts/setup.sh postgres
	cargo bench --bench template_copy
	cargo bench --bench audit_log
	cargo bench --bench accounts_list
	cargo bench --bench bulk_actions
	cargo bench -p umbrella-server --bench api_list

bench-http: build ## Load with wrk on /healthz, list_accounts, the Multi Account page and create_account, next to a bare-axum floor; req/s, p50/p99, RSS
	@scripts/setup.sh bench-http
	cargo build --release -p umbrella-server --example http_floor
	BIN="$(BIN)" FLOOR="$(CARGO_TARGET_DIR)/release/examples/http_floor" scripts/bench-http.sh

bench-csv: build ## Export CSV of 1,000,000 accounts (BENCH_CSV_ACCOUNTS) through the release binary on SQLite: seconds and the server's peak RSS
	cargo build --release -p umbrella-server --example seed_accounts
	BIN="$(BIN)" SEED="$(CARGO_TARGET_DIR)/release/examples/seed_accounts" scripts/bench-csv.sh

bench-web: build ## Page speed in Chromium: bytes, first paint and hydrated per screen (cold, warm), and Lighthouse scores
	@scripts/setup.sh bench-web
	BIN="$(BIN)" LIGHTHOUSE="$(UMBRELLA_TOOLS_DIR)/lighthouse/node_modules/.bin/lighthouse" scripts/bench-web.sh

bench-audit: ## Only the Audit tab benchmark (a few minutes, most of it seeding)
	@scripts/setup.sh postgres
	cargo bench --bench audit_log

bench-api: ## Only the reseller API's list and search next to the core's (1,000,000 accounts, a few minutes)
	@scripts/setup.sh postgres
	cargo bench -p umbrella-server --bench api_list

bench-copy: ## Only the template copy benchmark (a minute, not the list's half hour)
	@scripts/setup.sh postgres
	cargo bench --bench template_copy

clean: ## Remove the build cache
	rm -rf "$(CARGO_TARGET_DIR)"
