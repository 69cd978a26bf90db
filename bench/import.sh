#!/usr/bin/env bash
# Inventory import at scale (see bench/import.py): a fresh demo database per backend, a server
# allowed large files, 100,000 rows (IPOC_BENCH_ROWS) imported while another member writes.
# Usage: bench/import.sh [sqlite|postgres ...]   (default: both).
set -euo pipefail
cd "$(dirname "$0")/.."
BACKENDS=("$@"); [ $# -eq 0 ] && BACKENDS=(sqlite postgres)
ROWS="${IPOC_BENCH_ROWS:-100000}"
PORT=18291
cargo build --release -q
BIN="$PWD/target/release/ipoc"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
for backend in "${BACKENDS[@]}"; do
  dir="$WORK/$backend"; mkdir -p "$dir"
  if [ "$backend" = sqlite ]; then
    export IPOC_DATABASE_URL="sqlite://$dir/bench.db?mode=rwc"
  else
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS ipoc_bench_import WITH (FORCE)" -c "CREATE DATABASE ipoc_bench_import"
    export IPOC_DATABASE_URL="postgres://postgres@127.0.0.1:5432/ipoc_bench_import"
  fi
  export IPOC_DATA_DIR="$dir" IPOC_NOW=2026-11-21 IPOC_LOG=warn IPOC_BIND="127.0.0.1:$PORT" \
    IPOC_IMPORT_MAX_MB=256 IPOC_IMPORT_MAX_TEXT_MB=512 IPOC_IMPORT_MAX_CELLS=5000000 \
    IPOC_IMPORT_MAX_ROWS=1000000 IPOC_LOGINS_PER_IP_PER_MINUTE=100000
  "$BIN" serve --demo > "$WORK/server-$backend.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
  echo "== $backend"
  python3 bench/import.py "$PORT" "$SERVER" "$ROWS"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
done
