#!/usr/bin/env bash
# make bench-csv: "Export CSV" of a very large organization through the release
# binary on SQLite — BENCH_CSV_ACCOUNTS accounts (default 1,000,000), every status,
# one download as a browser makes it. Prints the time, the file's size and rows,
# and the server's peak RSS. It never fails on time; it fails only when the file
# is not whole.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:?the release binary (make bench-csv sets it)}
SEED=${SEED:?the seeding example (make bench-csv sets it)}
ACCOUNTS=${BENCH_CSV_ACCOUNTS:-1000000}

work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
calc() { awk "BEGIN { print $1 }"; }
rss_mib() { awk -v key="$2:" '$1 == key { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

db="sqlite://$work/csv.db?mode=rwc"
echo "seeding $ACCOUNTS accounts…"
seeding_started=$(date +%s.%N)
"$SEED" "$db" "$ACCOUNTS"
printf 'seeded in %.0f s\n' "$(calc "$(date +%s.%N) - $seeding_started")"

port=$(free_port)
origin="http://127.0.0.1:$port"
RUST_LOG=warn "$BIN" --database-url "$db" serve --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
wait_for "$origin/healthz"
cookie=$(curl -fs -o /dev/null -D - -H "Origin: $origin" \
  --data-urlencode "email=bench@huge.example" --data-urlencode "password=bench password" \
  "$origin/api/sign_in" | awk -F'[ ;]' 'tolower($1) == "set-cookie:" && $2 ~ /^umbrella_session=/ { print $2 }')
[ -n "$cookie" ] || { echo "could not sign in" >&2; exit 1; }
rss_before=$(rss_mib "$server_pid" VmRSS)

started=$(date +%s.%N)
curl -fsS -H "Cookie: $cookie" -o "$work/accounts.csv" "$origin/multi-account/export.csv?status=all"
seconds=$(calc "$(date +%s.%N) - $started")
peak=$(rss_mib "$server_pid" VmHWM)

# The header, every seeded account and the parent, one CRLF line each.
lines=$(wc -l <"$work/accounts.csv")
if [ "$lines" -ne $((ACCOUNTS + 2)) ]; then
  echo "the file has $lines lines, not $((ACCOUNTS + 2))" >&2
  tail -n 20 "$work/server.log" >&2
  exit 1
fi
bytes=$(stat -c %s "$work/accounts.csv")
printf '\n%-34s %12s\n' "Export CSV, SQLite" ""
printf '%-34s %12d\n' "accounts" "$ACCOUNTS"
printf '%-34s %12.1f\n' "seconds" "$seconds"
printf '%-34s %12.0f\n' "accounts per second" "$(calc "$ACCOUNTS / $seconds")"
printf '%-34s %12.1f\n' "file MB" "$(calc "$bytes / 1000000")"
printf '%-34s %12s\n' "server RSS before, MiB" "$rss_before"
printf '%-34s %12s\n' "server peak RSS (VmHWM), MiB" "$peak"
