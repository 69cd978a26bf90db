#!/usr/bin/env bash
# The faults of issue 10, measured from outside with the release binary (figures in
# bench/RESULTS.md):
#   imports  each hostile file of bench/hostile_files.py (full scale: the 1 GiB zip bomb) and the
#            largest files the limits admit, each sent to a fresh server: status, answer time and
#            the server's peak resident memory (VmHWM)
#   outage   4 clients writing deals while the database fails for 10 s: PostgreSQL (a throwaway
#            cluster of its own, never the shared one) stopped and started, SQLite on a full
#            tmpfs; answers and /health during, time to recover, every 201 durable (bench/outage.py)
#   start    three instances started at once on an empty database, both backends: time until
#            all are healthy, and the schema, rulebook version 1 and demo data applied once
# Usage: bench/faults.sh [imports] [outage|outage-postgres|outage-sqlite] [start]   (default: all). Runs as root (the
# tmpfs, the throwaway cluster as user postgres); needs python3, curl, sqlite3 and PostgreSQL 15.
set -euo pipefail
cd "$(dirname "$0")/.."
PARTS=("${@:-imports outage start}")
[ $# -eq 0 ] && PARTS=(imports outage start)
PORT=18191
PGBIN=/usr/lib/postgresql/15/bin
cargo build --release -q
BIN="$PWD/target/release/ipoc"
WORK="$(mktemp -d)"; chmod 755 "$WORK"
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill -9 "$SERVER" 2>/dev/null || true
  [ -d "$WORK/pg/data" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true
  mountpoint -q "$WORK/disk" 2>/dev/null && umount -l "$WORK/disk" || true
}
trap cleanup EXIT

# starts `ipoc serve --demo` with the environment given, waits until /health answers
start_server() {
  env "$@" IPOC_BIND="127.0.0.1:$PORT" IPOC_NOW=2026-11-21 IPOC_LOG=warn "$BIN" serve --demo \
    > "$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && return; sleep 0.1; done
  echo "server did not start"; cat "$WORK/server.log"; exit 1
}
stop_server() { kill -9 "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; }
peak_mb() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER/status"; }
token() {
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"email":"center@demo.ipoc.cn","password":"ipoc-demo-2026"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'
}
center_id() {
  curl -fs -H "Authorization: Bearer $1" "http://127.0.0.1:$PORT/api/v1/me" | python3 -c 'import sys,json; print(json.load(sys.stdin)["center_id"])'
}

if [[ " ${PARTS[*]} " == *" imports "* ]]; then
  echo "== imports (SQLite; each file on a fresh server)"
  python3 -c "import openpyxl" 2>/dev/null || pip install -q openpyxl
  python3 bench/hostile_files.py "$WORK/files" --scale full
  python3 bench/make_deals_xlsx.py "$WORK/files/max_rows.xlsx" 200000
  python3 - "$WORK/files" <<'PY'
import sys, zipfile, csv, openpyxl
out = sys.argv[1]
# the same 200,000 deals as CSV
wb = openpyxl.load_workbook(f"{out}/max_rows.xlsx", read_only=True)
with open(f"{out}/max_rows.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    for row in wb.active.iter_rows(values_only=True):
        w.writerow(["" if v is None else v for v in row])
sys.path.insert(0, "bench")
import hostile_files as h
# 1,999,999 tiny shared strings (within the cell limit) and one 60 MB inline cell: both admitted
# by the archive check, read, then refused by what they hold
h.xlsx(f"{out}/strings_at_limit.xlsx", h.twenty_four_shared(lambda r, c: r), h.tiny_strings(1_990_000))
def inline_cell():
    yield (h.SHEET_HEAD + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>').encode()
    chunk = "专利".encode() * (1 << 16)
    for _ in range(60_000_000 // len(chunk)):
        yield chunk
    yield b"</t></is></c></row>" + h.SHEET_TAIL.encode()
h.xlsx(f"{out}/inline_60mb.xlsx", inline_cell())
PY
  for file in zero_cells.xlsx lying_sizes.xlsx corner_cells.xlsx shared_strings.xlsx many_strings.xlsx sparse_rows.xlsx \
              million_columns.csv long_cell.csv million_errors.csv strings_at_limit.xlsx inline_60mb.xlsx \
              max_rows.xlsx max_rows.csv; do
    rm -rf "$WORK/db"; mkdir -p "$WORK/db"
    start_server IPOC_DATA_DIR="$WORK/db" IPOC_DATABASE_URL="sqlite://$WORK/db/ipoc.db?mode=rwc"
    tok=$(token); id=$(center_id "$tok")
    base_mb=$(peak_mb)
    size=$(stat -c %s "$WORK/files/$file")
    result=$(curl -s -o "$WORK/answer.json" -w '%{http_code} %{time_total} %{size_download}' \
      -H "Authorization: Bearer $tok" -H 'accept-language: en' \
      -F "file=@$WORK/files/$file" "http://127.0.0.1:$PORT/api/v1/centers/$id/imports/transactions")
    alive=$(curl -fs -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health" || echo dead)
    what=$(python3 -c 'import sys,json
b=json.load(open(sys.argv[1]))
e=b.get("error")
print(("rows_total=%s: %s" % (e.get("rows_total"), (e.get("rows") or [{"message": e["message"]}])[0]["message"][:90])) if e else "imported rows=%s" % b.get("rows"))' "$WORK/answer.json")
    echo "import $file size_bytes=$size status,seconds,answer_bytes=$result peak_rss_mb=$(peak_mb) (at start $base_mb) health_after=$alive | $what" | tee -a "$WORK/results.txt"
    stop_server
  done
fi

if [[ " ${PARTS[*]} " == *" outage "* || " ${PARTS[*]} " == *" outage-postgres "* ]]; then
  echo "== outage: PostgreSQL stopped for 10 s under 4 writing clients (a throwaway cluster)"
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
  runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg/data" -A trust -U postgres >/dev/null
  pgctl() { runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -o "-p $PGPORT -k $WORK/pg" -l "$WORK/pg/log" -w "$@" >/dev/null; }
  pgctl start
  psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c "CREATE DATABASE ipoc_outage"
  url="postgres://postgres@127.0.0.1:$PGPORT/ipoc_outage"
  start_server IPOC_DATA_DIR="$WORK/pgdata" IPOC_DATABASE_URL="$url" IPOC_DB_MAX_CONNECTIONS=4
  tok=$(token); id=$(center_id "$tok")
  python3 bench/outage.py --label "PostgreSQL stopped" --base "http://127.0.0.1:$PORT" --token "$tok" --center "$id" \
    --inject "runuser -u postgres -- $PGBIN/pg_ctl -D $WORK/pg/data -m fast -w stop >/dev/null" \
    --clear "runuser -u postgres -- $PGBIN/pg_ctl -D $WORK/pg/data -o '-p $PGPORT -k $WORK/pg' -l $WORK/pg/log -w start >/dev/null" \
    --stored "kill -9 $SERVER; psql -At -h 127.0.0.1 -p $PGPORT -U postgres -d ipoc_outage -c 'SELECT contract_no FROM transactions WHERE center_id = $id'" \
    | tee -a "$WORK/results.txt"
  stop_server
fi

if [[ " ${PARTS[*]} " == *" outage "* || " ${PARTS[*]} " == *" outage-sqlite "* ]]; then
  echo "== outage: SQLite disk full for 10 s under 4 writing clients (a 32 MB tmpfs)"
  mkdir -p "$WORK/disk" && mount -t tmpfs -o size=32m tmpfs "$WORK/disk"
  start_server IPOC_DATA_DIR="$WORK/disk" IPOC_DATABASE_URL="sqlite://$WORK/disk/ipoc.db?mode=rwc" IPOC_DB_MAX_CONNECTIONS=4
  tok=$(token); id=$(center_id "$tok")
  python3 bench/outage.py --label "SQLite disk full" --after 15 --base "http://127.0.0.1:$PORT" --token "$tok" --center "$id" \
    --inject "cat /dev/zero > $WORK/disk/filler 2>/dev/null || true" --clear "rm -f $WORK/disk/filler" \
    --stored "kill -9 $SERVER; sqlite3 $WORK/disk/ipoc.db 'SELECT contract_no FROM transactions WHERE center_id = $id'" \
    | tee -a "$WORK/results.txt"
  stop_server
  umount -l "$WORK/disk"
fi

if [[ " ${PARTS[*]} " == *" start "* ]]; then
  for backend in sqlite postgres; do
    echo "== start: three instances at once on an empty $backend database"
    if [ "$backend" = sqlite ]; then
      rm -rf "$WORK/start"; mkdir -p "$WORK/start"
      url="sqlite://$WORK/start/ipoc.db?mode=rwc"; count() { sqlite3 "$WORK/start/ipoc.db" "$1"; }
    else
      psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS ipoc_start WITH (FORCE)" -c "CREATE DATABASE ipoc_start"
      url="postgres://postgres@127.0.0.1:5432/ipoc_start"; count() { psql -At -h 127.0.0.1 -U postgres -d ipoc_start -c "$1"; }
    fi
    began=$(date +%s.%N); pids=()
    for n in 1 2 3; do
      IPOC_BIND="127.0.0.1:$((PORT + n))" IPOC_DATABASE_URL="$url" IPOC_DATA_DIR="$WORK/start" IPOC_NOW=2026-11-21 \
        IPOC_LOG=warn IPOC_DB_MAX_CONNECTIONS=3 "$BIN" serve --demo > "$WORK/start-$n.log" 2>&1 &
      pids+=($!)
    done
    healthy=0
    for _ in $(seq 1 600); do
      healthy=0
      for n in 1 2 3; do curl -fs "http://127.0.0.1:$((PORT + n))/health" >/dev/null && healthy=$((healthy + 1)); done
      [ "$healthy" = 3 ] && break; sleep 0.1
    done
    secs=$(echo "$(date +%s.%N) - $began" | bc)
    running=0; for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=$((running + 1)); done
    echo "start $backend: healthy=$healthy/3 running=$running/3 in ${secs}s; migrations=$(count 'SELECT COUNT(*) FROM seaql_migrations')" \
      "distinct=$(count 'SELECT COUNT(DISTINCT version) FROM seaql_migrations') rulebook_versions=$(count 'SELECT COUNT(*) FROM rulebook_versions')" \
      "demo_accounts=$(count "SELECT COUNT(*) FROM users WHERE email LIKE '%@demo.ipoc.cn'") centers=$(count 'SELECT COUNT(*) FROM centers')" | tee -a "$WORK/results.txt"
    kill -9 "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true
  done
fi
echo "== results"; cat "$WORK/results.txt"
