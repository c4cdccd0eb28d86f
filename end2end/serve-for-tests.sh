#!/usr/bin/env bash
# Starts the release binary for the end-to-end tests, alone in an empty directory
# with a fresh SQLite database: the demo organization plus one organization made
# with the operator command, whose administrator the tests sign in as.
set -euo pipefail
bin=$1
port=$2
# The tests run operator commands against the same database: they find it here.
dir=$3
rm -rf "$dir"
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT INT TERM
cp "$bin" "$dir/umbrella"
cd "$dir"
export DATABASE_URL="sqlite://$dir/e2e.db"
./umbrella demo
printf 'operator-made password\n' | ./umbrella operator create-organization \
  --name "Operator Org" --admin-name "Olive Operator" \
  --admin-email olive@operator-org.example --admin-phone "+1 555 0142" \
  --account-quota 4
# Organizations the tests change, so that the checks above stay independent of them.
printf 'actions-org password\n' | ./umbrella operator create-organization \
  --name "Actions Org" --admin-name "Ava Actions" \
  --admin-email ava@actions-org.example --admin-phone "+1 555 0143" \
  --account-quota 40
printf 'bulk-org password\n' | ./umbrella operator create-organization \
  --name "Bulk Org" --admin-name "Bo Bulk" \
  --admin-email bo@bulk-org.example --admin-phone "+1 555 0148" \
  --account-quota 40
printf 'upgrade-org password\n' | ./umbrella operator create-organization \
  --name "Upgrade Org" --admin-name "Uma Upgrade" \
  --admin-email uma@upgrade-org.example --admin-phone "+1 555 0149" \
  --account-quota 2
printf 'tiny-org password\n' | ./umbrella operator create-organization \
  --name "Tiny Org" --admin-name "Tim Tiny" \
  --admin-email tim@tiny-org.example --admin-phone "+1 555 0144" \
  --account-quota 1
printf 'template-org password\n' | ./umbrella operator create-organization \
  --name "Template Org" --admin-name "Tina Template" \
  --admin-email tina@template-org.example --admin-phone "+1 555 0145" \
  --account-quota 5
printf 'api-org password\n' | ./umbrella operator create-organization \
  --name "API Org" --admin-name "Abe Api" \
  --admin-email abe@api-org.example --admin-phone "+1 555 0147" \
  --account-quota 5
printf 'cms-org password\n' | ./umbrella operator create-organization \
  --name "CMS Org" --admin-name "Cora Cms" \
  --admin-email cora@cms-org.example --admin-phone "+1 555 0146" \
  --account-quota 5
# Every test signs in from 127.0.0.1: to this server the whole suite is one address
# with many people, so the per-address limit is raised (server/tests/http/security.rs
# tests it). The per-email limit stays as shipped.
./umbrella serve --listen "127.0.0.1:$port" --attempts-per-minute 1000
