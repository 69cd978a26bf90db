#!/usr/bin/env bash
# National-scale benchmark of ipoc: seeds 1,000 centers / 50,000 organizations / 100,000
# memberships / 1,000,000 deals / 30,000 projects, then measures with wrk (2 threads, 32
# connections) GET …/metrics, GET /api/v1/centers?per_page=50 and GET /api/v1/dashboard (four
# reviewers' views, the first request after start-up timed on its own: it computes the whole
# dashboard), and the import of a
# 100,000-row deals .xlsx (wall time and the server's peak resident memory).
# Usage: bench/run.sh [sqlite|postgres ...]   (default: both). Needs wrk, python3 + openpyxl.
# IPOC_BENCH_MODES="dashboard" measures only those routes, cached, without the import (a quick rerun).
set -euo pipefail
cd "$(dirname "$0")/.."
BACKENDS=("${@:-sqlite postgres}")
[ $# -eq 0 ] && BACKENDS=(sqlite postgres)
DURATION="${IPOC_BENCH_DURATION:-20s}"
PORT=18181
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
python3 -c "import openpyxl" 2>/dev/null || pip install -q openpyxl
cargo build --release -q
BIN="$PWD/target/release/ipoc"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
[ -f "$WORK/deals.xlsx" ] || python3 bench/make_deals_xlsx.py "$WORK/deals.xlsx" 100000

start_server() {
  "$BIN" serve > "$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && return; sleep 0.2; done
  echo "server did not start"; cat "$WORK/server.log"; exit 1
}

login() {
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'
}

for backend in "${BACKENDS[@]}"; do
  dir="$WORK/$backend"; mkdir -p "$dir"
  if [ "$backend" = sqlite ]; then
    export IPOC_DATABASE_URL="sqlite://$dir/bench.db?mode=rwc"
  else
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS ipoc_bench WITH (FORCE)" -c "CREATE DATABASE ipoc_bench"
    export IPOC_DATABASE_URL="postgres://postgres@127.0.0.1:5432/ipoc_bench"
  fi
  # pool sizes measured best on two shared cores: SQLite 8 (its connections are threads of this
  # process), PostgreSQL 4 (each connection is a server process competing for the same cores)
  pool=8; [ "$backend" = postgres ] && pool=4
  export IPOC_DATA_DIR="$dir" IPOC_NOW=2026-11-21 IPOC_LOG=warn IPOC_BIND="127.0.0.1:$PORT" \
    IPOC_LOGINS_PER_IP_PER_MINUTE=100000 IPOC_DB_MAX_CONNECTIONS="${IPOC_BENCH_POOL:-$pool}"
  echo "== $backend: seeding"
  seed_start=$(date +%s.%N)
  "$BIN" seed --scale national
  seed_secs=$(echo "$(date +%s.%N) - $seed_start" | bc)
  [ "$backend" = postgres ] && psql -q -h 127.0.0.1 -U postgres -d ipoc_bench -c "VACUUM ANALYZE"
  [ "$backend" = sqlite ] && sqlite3 "$dir/bench.db" "ANALYZE" 2>/dev/null || true
  # "cached": the default figures cache; "uncached": IPOC_FIGURES_CACHE_ENTRIES=0, every request
  # computes its figures (what the first reader of a center after a change gets)
  rounds="cached uncached"; [ -n "${IPOC_BENCH_MODES:-}" ] && rounds=cached
  for cache in $rounds; do
    if [ "$cache" = uncached ]; then export IPOC_FIGURES_CACHE_ENTRIES=0; else unset IPOC_FIGURES_CACHE_ENTRIES; fi
    start_server
    export IPOC_BENCH_TOKEN="$(login bench-cnipa@ipoc.local ipoc-bench-2026)"
    modes="metrics list"
    if [ "$cache" = cached ]; then
      cold=$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $IPOC_BENCH_TOKEN" "http://127.0.0.1:$PORT/api/v1/dashboard?per_page=50")
      echo "$backend dashboard first_request_seconds=$cold" | tee -a "$WORK/results.txt"
      modes="metrics list dashboard"
    fi
    modes="${IPOC_BENCH_MODES:-$modes}"
    for mode in $modes; do
      export IPOC_BENCH_MODE=$mode
      wrk -t2 -c32 -d5s -s bench/random_center.lua "http://127.0.0.1:$PORT" >/dev/null   # warm-up
      result=$(wrk -t2 -c32 -d"$DURATION" --latency -s bench/random_center.lua "http://127.0.0.1:$PORT" | grep RESULT)
      echo "$backend $mode $cache $result" | tee -a "$WORK/results.txt"
    done
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  done
  unset IPOC_FIGURES_CACHE_ENTRIES

  [ -n "${IPOC_BENCH_MODES:-}" ] && continue
  # the import, on a freshly started server so its peak memory is the import's
  start_server
  IPOC_NEW_USER_PASSWORD=ipoc-bench-2026 "$BIN" create-user --email "importer-$backend@ipoc.local" --role center >/dev/null
  staff="$(login "importer-$backend@ipoc.local" ipoc-bench-2026)"
  host=$(curl -fs "http://127.0.0.1:$PORT/api/v1/organizations?q=9&per_page=1" -H "Authorization: Bearer $IPOC_BENCH_TOKEN" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["uscc"])')
  center=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/centers" -H "Authorization: Bearer $staff" -H 'content-type: application/json' \
    -d "{\"name\":\"导入基准中心\",\"level\":\"provincial\",\"industry\":\"新材料\",\"region_code\":\"320505\",\"host_uscc\":\"$host\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')
  rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
  timing=$(curl -s -o "$WORK/import.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $staff" \
    -F "file=@$WORK/deals.xlsx" "http://127.0.0.1:$PORT/api/v1/centers/$center/imports/transactions")
  peak=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
  echo "$backend import status_and_seconds=$timing rss_before_kb=$rss_before peak_rss_kb=$peak rows=$(python3 -c "import json; print(json.load(open('$WORK/import.json')).get('rows'))")" | tee -a "$WORK/results.txt"
  echo "$backend seed seconds=$seed_secs" | tee -a "$WORK/results.txt"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
done
echo "== results"; cat "$WORK/results.txt"
