#!/usr/bin/env bash
# Installs every tool the build and the tests need, idempotently: each step checks the
# version already present and does nothing when it is right, so a warm machine passes
# through in seconds. See ../shared/TOOLCHAIN.md for why each pin is what it is.
set -euo pipefail

cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
# Formats the `view!` blocks (make lint checks them); about a minute to build.
LEPTOSFMT_VERSION=0.1.33
# Must equal the wasm-bindgen version in Cargo.lock (pinned with `=` in Cargo.toml).
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
BINARYEN_VERSION=132
TOOLS_DIR="${UMBRELLA_TOOLS_DIR:-$HOME/.cache/umbrella/tools}"

log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

ensure_wasm_target() {
  if rustup target list --installed | grep -x wasm32-unknown-unknown >/dev/null; then
    log "wasm32-unknown-unknown target present"
  else
    log "adding wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_cargo_leptos() {
  if command -v cargo-leptos >/dev/null && cargo leptos --version 2>/dev/null | grep -q " ${CARGO_LEPTOS_VERSION}\$"; then
    log "cargo-leptos ${CARGO_LEPTOS_VERSION} present"
  else
    log "installing cargo-leptos ${CARGO_LEPTOS_VERSION} (about 20 minutes on 2 cores)"
    cargo install cargo-leptos --version "${CARGO_LEPTOS_VERSION}" --locked --features no_downloads
  fi
}

ensure_nextest() {
  # Machines of this kind come with it; install it only where it is missing.
  if cargo nextest --version >/dev/null 2>&1; then
    log "cargo-nextest present"
  else
    log "installing cargo-nextest"
    cargo install cargo-nextest --locked
  fi
}

ensure_leptosfmt() {
  if command -v leptosfmt >/dev/null && leptosfmt --version | grep -q " ${LEPTOSFMT_VERSION}\$"; then
    log "leptosfmt ${LEPTOSFMT_VERSION} present"
  else
    log "installing leptosfmt ${LEPTOSFMT_VERSION}"
    cargo install leptosfmt --version "${LEPTOSFMT_VERSION}" --locked
  fi
}

ensure_wasm_bindgen() {
  if [ -z "${WASM_BINDGEN_VERSION}" ]; then
    echo "setup: cannot read the wasm-bindgen version from Cargo.lock" >&2
    exit 1
  fi
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " ${WASM_BINDGEN_VERSION}\$"; then
    log "wasm-bindgen-cli ${WASM_BINDGEN_VERSION} present"
  else
    log "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION}"
    # Not --locked: its lock file names a webpki-roots the registry here lacks.
    cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}" --force
  fi
}

ensure_binaryen() {
  # Debian's binaryen 108 produces wasm that never hydrates; use npm's.
  local bin="${TOOLS_DIR}/binaryen/node_modules/.bin/wasm-opt"
  if [ -x "$bin" ] && "$bin" --version | grep -q "version ${BINARYEN_VERSION}"; then
    log "binaryen ${BINARYEN_VERSION} present"
  else
    log "installing binaryen ${BINARYEN_VERSION} from npm"
    mkdir -p "${TOOLS_DIR}/binaryen"
    npm install --prefix "${TOOLS_DIR}/binaryen" --no-audit --no-fund "binaryen@${BINARYEN_VERSION}"
  fi
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    log "chromium present"
  else
    log "installing chromium from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi
}

ensure_wrk() {
  # The HTTP load generator of `make bench-http`, and sqlite3 to count what it made.
  if command -v wrk >/dev/null && command -v sqlite3 >/dev/null; then
    log "wrk present"
  else
    log "installing wrk and sqlite3 from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk sqlite3
  fi
}

LIGHTHOUSE_VERSION=13.5.0
ensure_lighthouse() {
  # Page-speed scores for `make bench-web`, run against Debian's Chromium.
  local bin="${TOOLS_DIR}/lighthouse/node_modules/.bin/lighthouse"
  if [ -x "$bin" ] && [ "$("$bin" --version)" = "${LIGHTHOUSE_VERSION}" ]; then
    log "lighthouse ${LIGHTHOUSE_VERSION} present"
  else
    log "installing lighthouse ${LIGHTHOUSE_VERSION} from npm"
    mkdir -p "${TOOLS_DIR}/lighthouse"
    npm install --prefix "${TOOLS_DIR}/lighthouse" --no-audit --no-fund "lighthouse@${LIGHTHOUSE_VERSION}"
  fi
}

SCHEMATHESIS_VERSION=4.32.5
ensure_schemathesis() {
  # Tests the reseller API from outside against its own OpenAPI document (make test-api).
  local venv="${TOOLS_DIR}/schemathesis"
  if [ -x "$venv/bin/schemathesis" ] && "$venv/bin/pip" show schemathesis 2>/dev/null | grep -x "Version: ${SCHEMATHESIS_VERSION}" >/dev/null; then
    log "schemathesis ${SCHEMATHESIS_VERSION} present"
  else
    log "installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}"
  fi
}

ensure_end2end_packages() {
  local stamp=end2end/node_modules/.umbrella-lock-sha256
  local want
  want=$(sha256sum end2end/package-lock.json | cut -d' ' -f1)
  if [ -d end2end/node_modules/@playwright/test ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    log "end2end npm packages present"
  else
    log "installing end2end npm packages"
    (cd end2end && npm ci --no-audit --no-fund)
    echo "$want" > "$stamp"
  fi
}

ensure_postgres() {
  # The tests create and drop their own databases on this server.
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    log "PostgreSQL answers on 127.0.0.1:5432"
    return
  fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    log "installing PostgreSQL from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  log "starting PostgreSQL ${version}"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && return
    sleep 1
  done
  echo "setup: PostgreSQL did not start on 127.0.0.1:5432" >&2
  exit 1
}

case "${1:-all}" in
  build) ensure_wasm_target; ensure_cargo_leptos; ensure_wasm_bindgen; ensure_binaryen ;;
  e2e) ensure_chromium; ensure_end2end_packages ;;
  postgres) ensure_postgres ;;
  bench-http) ensure_wrk ;;
  api) ensure_schemathesis ;;
  lint) ensure_leptosfmt ;;
  bench-web) ensure_chromium; ensure_end2end_packages; ensure_lighthouse ;;
  all)
    ensure_nextest; ensure_leptosfmt; ensure_wasm_target; ensure_cargo_leptos; ensure_wasm_bindgen
    ensure_binaryen
    ensure_chromium; ensure_end2end_packages; ensure_postgres; ensure_schemathesis ;;
  *) echo "usage: $0 [build|e2e|postgres|bench-http|bench-web|api|lint|all]" >&2; exit 2 ;;
esac
