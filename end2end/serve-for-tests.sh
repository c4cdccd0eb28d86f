#!/usr/bin/env bash
# Starts the release binary for the end-to-end tests, alone in an empty directory
# with a fresh SQLite database: the demo organization plus one organization made
# with the operator command, whose administrator the tests sign in as.
set -euo pipefail
bin=$1
port=$2
dir=$(mktemp -d -t umbrella-e2e-XXXXXX)
trap 'rm -rf "$dir"' EXIT INT TERM
cp "$bin" "$dir/umbrella"
cd "$dir"
export DATABASE_URL="sqlite://$dir/e2e.db"
./umbrella demo
printf 'operator-made password\n' | ./umbrella operator create-organization \
  --name "Operator Org" --admin-name "Olive Operator" \
  --admin-email olive@operator-org.example --admin-phone "+1 555 0142" \
  --account-quota 4
./umbrella serve --listen "127.0.0.1:$port"
