#!/usr/bin/env bash
# Installs every tool the build and the tests need, idempotently: each step checks the
# version already present and does nothing when it is right, so a warm machine passes
# through in seconds. See ../shared/TOOLCHAIN.md for why each pin is what it is.
set -euo pipefail

cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
# Must equal the wasm-bindgen version in Cargo.lock (pinned with `=` in Cargo.toml).
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
BINARYEN_VERSION=132
TOOLS_DIR="${UMBRELLA_TOOLS_DIR:-$HOME/.cache/umbrella-tools}"

log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
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

ensure_end2end_packages() {
  if [ -d end2end/node_modules/@playwright/test ] && \
     cmp -s end2end/package-lock.json end2end/node_modules/.package-lock.json 2>/dev/null; then
    log "end2end npm packages present"
  else
    log "installing end2end npm packages"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
}

case "${1:-all}" in
  build) ensure_wasm_target; ensure_cargo_leptos; ensure_wasm_bindgen; ensure_binaryen ;;
  e2e) ensure_chromium; ensure_end2end_packages ;;
  all) ensure_wasm_target; ensure_cargo_leptos; ensure_wasm_bindgen; ensure_binaryen; ensure_chromium; ensure_end2end_packages ;;
  *) echo "usage: $0 [build|e2e|all]" >&2; exit 2 ;;
esac
