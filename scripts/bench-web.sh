#!/usr/bin/env bash
# make bench-web: page speed of the release binary in Debian's Chromium.
#  1. end2end/bench/web.mjs loads each main screen cold and warm (p50 of 10):
#     compressed bytes of JS + WASM and of everything, first paint, hydrated.
#  2. Lighthouse (npm, mobile preset, the same Chromium) scores the sign-in page
#     and the Multi Account tab: performance, accessibility, best practices.
# Prints figures; never fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:?the release binary (make bench-web sets it)}
LIGHTHOUSE=${LIGHTHOUSE:?the lighthouse CLI (make bench-web sets it)}
work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
RUST_LOG=warn "$BIN" --database-url "sqlite://$work/web.db?mode=rwc" serve --demo --listen "127.0.0.1:$port" \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

(cd end2end && BASE_URL="$base" node bench/web.mjs)

cookie=$(curl -fs -o /dev/null -D - -H "Origin: $base" \
  --data-urlencode "email=admin@demo-university.example" --data-urlencode "password=umbrella-demo" \
  "$base/api/sign_in" | awk -F'[ ;]' 'tolower($1) == "set-cookie:" && $2 ~ /^umbrella_session=/ { print $2 }')

echo
echo "Lighthouse $("$LIGHTHOUSE" --version) (mobile preset, simulated throttling)"
printf '%-20s %12s %14s %15s %10s %10s\n' "page" "performance" "accessibility" "best practices" "LCP ms" "TBT ms"
for page in login multi-account; do
  CHROME_PATH=${CHROMIUM:-/usr/bin/chromium} "$LIGHTHOUSE" "$base/$page" \
    --quiet --output=json --output-path="$work/$page.json" \
    --only-categories=performance,accessibility,best-practices \
    --extra-headers="{\"Cookie\": \"$cookie\"}" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>"$work/lighthouse.err" \
    || { cat "$work/lighthouse.err" >&2; exit 1; }
  python3 - "$work/$page.json" "/$page" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
score = lambda c: round(100 * (report["categories"][c]["score"] or 0))
metric = lambda m: report["audits"][m]["numericValue"]
print(f'{sys.argv[2]:<20} {score("performance"):>12} {score("accessibility"):>14} {score("best-practices"):>15} '
      f'{metric("largest-contentful-paint"):>10.0f} {metric("total-blocking-time"):>10.0f}')
for category in ("accessibility", "best-practices"):
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            print(f'    {category}: {audit["title"]}')
PY
done
