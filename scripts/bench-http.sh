#!/usr/bin/env bash
# make bench-http: load on the release binary with wrk — /healthz, the
# list_accounts server function, the Multi Account page and create_account — and,
# in the same run on the same database, the floor: a bare axum handler answering
# what list_accounts answers through the same core calls (server/examples/
# http_floor.rs). Prints requests per second, p50/p99 latency and the server's
# peak RSS. It never fails on time; it fails only when something answered wrongly.
#
# BENCH_SECONDS (default 10) per run, BENCH_CONNECTIONS (default 32),
# BENCH_ACCOUNTS (default 2000) created before the list is measured.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:?the release binary (make bench-http sets it)}
FLOOR=${FLOOR:?the floor binary (make bench-http sets it)}
SECONDS_EACH=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
ACCOUNTS=${BENCH_ACCOUNTS:-2000}
THREADS=2

work=$(mktemp -d)
server_pid=""
floor_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$floor_pid" ] && kill "$floor_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
peak_rss_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

db="sqlite://$work/bench.db?mode=rwc"
port=$(free_port)
origin="http://127.0.0.1:$port"
RUST_LOG=warn "$BIN" --database-url "$db" serve --demo --listen "127.0.0.1:$port" \
  --max-connections-per-client 100000 >"$work/server.log" 2>&1 &
server_pid=$!
wait_for "$origin/healthz"

# The demo organization, with room for every account the run creates.
parent=$("$BIN" --database-url "$db" operator list-organizations | awk '/Demo University/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { print $i; exit } }')
"$BIN" --database-url "$db" operator set-quota --partner-id "$parent" --accounts 10000000 >/dev/null
cookie=$(curl -fs -o /dev/null -D - -H "Origin: $origin" \
  --data-urlencode "email=admin@demo-university.example" --data-urlencode "password=umbrella-demo" \
  "$origin/api/sign_in" | awk -F'[ ;]' 'tolower($1) == "set-cookie:" && $2 ~ /^umbrella_session=/ { print $2 }')
[ -n "$cookie" ] || { echo "could not sign in" >&2; exit 1; }
export BENCH_COOKIE="$cookie" BENCH_ORIGIN="$origin"

# Accounts for the list to page through.
for i in $(seq 1 "$ACCOUNTS"); do
  printf 'admin_name=Seed+Owner&name=Seed+%s&admin_email=seed-%s%%40bench.example&admin_phone=%%2B1+555+0100&website_url=&reference_id=\n' "$i" "$i"
done | xargs -P 4 -I{} curl -fs -o /dev/null -H "Origin: $origin" -H "Cookie: $cookie" -H "Accept: application/json" \
  --data "{}" "$origin/api/create_account"

printf '\n%-28s %10s %10s %10s\n' "endpoint" "req/s" "p50 ms" "p99 ms"
# One wrk run; prints its line and remembers req/s in $last_rps.
measure() {
  local label=$1 url=$2 script=${3:-}
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency)
  [ -n "$script" ] && args+=(-s "scripts/bench/$script")
  local out
  out=$(wrk "${args[@]}" "$url" 2>"$work/wrk.err")
  if grep -q "Non-2xx" <<<"$out" || [ -s "$work/wrk.err" ]; then
    echo "$label: answers that were not 200:" >&2
    grep "Non-2xx" <<<"$out" >&2 || true
    cat "$work/wrk.err" >&2
    exit 1
  fi
  last_rps=$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")
  local p50 p99
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  printf '%-28s %10.0f %10s %10s\n' "$label" "$last_rps" "$(to_ms "$p50")" "$(to_ms "$p99")"
}
# wrk prints 950.00us, 1.20ms or 1.05s.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else print v }'
}

# The floor serves the same database beside the server (SQLite in WAL mode lets
# both read), so that both lists are measured on the same rows, one after the other.
floor_port=$(free_port)
"$FLOOR" "$db" "127.0.0.1:$floor_port" >"$work/floor.log" 2>&1 &
floor_pid=$!
wait_for "http://127.0.0.1:$floor_port/healthz"

measure "/healthz" "$origin/healthz"
measure "list_accounts" "$origin/api/list_accounts" list_accounts.lua
list_rps=$last_rps
BENCH_ORIGIN="http://127.0.0.1:$floor_port" measure "floor: list (bare axum)" "http://127.0.0.1:$floor_port/floor/list_accounts" list_accounts.lua
floor_rps=$last_rps
floor_rss=$(peak_rss_mib "$floor_pid")
kill "$floor_pid"; wait "$floor_pid" 2>/dev/null || true; floor_pid=""
measure "Multi Account page" "$origin/multi-account" page.lua
BENCH_TAG=run measure "create_account" "$origin/api/create_account" create_account.lua
server_rss=$(peak_rss_mib "$server_pid")

accounts=$(sqlite3 "$work/bench.db" 'SELECT COUNT(*) FROM accounts' 2>/dev/null || echo "?")
printf '\nlist_accounts: %.0f%% of the floor (target at least 50%%)\n' "$(awk -v a="$list_rps" -v b="$floor_rps" 'BEGIN { print 100 * a / b }')"
printf 'server peak RSS under the load: %s MiB (target at most 100); floor: %s MiB\n' "$server_rss" "$floor_rss"
printf '%s accounts in the database at the end; %d connections, %d threads, %ss each\n' "$accounts" "$CONNECTIONS" "$THREADS" "$SECONDS_EACH"
