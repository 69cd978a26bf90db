#!/usr/bin/env bash
# What a signed-in request costs: the session check (the account and its live session read in one
# statement, so a logged-out token stops at once) and, on pages, the menu's counts of what waits.
# Measures with wrk (2 threads, 16 connections, IPOC_BENCH_DURATION each, default 10 s) on the demo
# data, release build:
#   /health             no session at all (the floor)
#   /api/v1/rulebook    a Bearer token: the session check, then a small cached answer
#   /rulebook.json      the same answer to a page session (cookie)
#   /login              a page with no session: the rendering alone
#   /rulebook (member)  a page for a member: the session check, a menu with almost nothing to count
#   /rulebook           a page for cnipa: the session check, the menu's counts, the rendering
#   /home               cnipa's home: the same counts again in its waiting lists
# Usage: bench/session.sh [sqlite|postgres ...]   (default: both).
set -euo pipefail
cd "$(dirname "$0")/.."
BACKENDS=("$@")
[ $# -eq 0 ] && BACKENDS=(sqlite postgres)
DURATION="${IPOC_BENCH_DURATION:-10s}"
PORT=18182
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q
BIN="$PWD/target/release/ipoc"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

for backend in "${BACKENDS[@]}"; do
  dir="$WORK/$backend"; mkdir -p "$dir"
  if [ "$backend" = sqlite ]; then
    export IPOC_DATABASE_URL="sqlite://$dir/bench.db?mode=rwc"
  else
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS ipoc_session WITH (FORCE)" -c "CREATE DATABASE ipoc_session"
    export IPOC_DATABASE_URL="postgres://postgres@127.0.0.1:5432/ipoc_session"
  fi
  export IPOC_DATA_DIR="$dir" IPOC_NOW=2026-11-21T10:00:00+08:00 IPOC_LOG=warn \
    IPOC_BIND="127.0.0.1:$PORT" IPOC_LOGINS_PER_IP_PER_MINUTE=100000
  "$BIN" serve --demo > "$dir/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
  login() {
    curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
      -d "{\"email\":\"$1\",\"password\":\"ipoc-demo-2026\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'
  }
  token=$(login cnipa@demo.ipoc.cn)
  member=$(login member@demo.ipoc.cn)
  echo "== $backend"
  printf '%-18s %10s %9s %9s\n' route "req/s" p50 p99
  for label in /health /api/v1/rulebook /rulebook.json /login "/rulebook (member)" /rulebook /home; do
    route="${label% (member)}"
    case "$label" in
      /health|/login) header="X-Nothing: 0" ;;
      /api/*) header="Authorization: Bearer $token" ;;
      *member*) header="Cookie: ipoc_session=$member" ;;
      *) header="Cookie: ipoc_session=$token" ;;
    esac
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "http://127.0.0.1:$PORT$route")
    [ "$status" = 200 ] || { echo "$label answered $status"; exit 1; }
    out=$(wrk -t2 -c16 -d"$DURATION" --latency -H "$header" "http://127.0.0.1:$PORT$route")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    printf '%-18s %10s %9s %9s %s\n' "$label" "$rps" "$p50" "$p99" "${errors:+non-2xx: $errors}"
  done
  kill "$server"; wait "$server" 2>/dev/null || true
done
