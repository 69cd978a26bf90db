#!/usr/bin/env bash
# Search at national scale: seeds the national data set and the market (1,000,000 listings,
# 100,000 demands), times `ipoc search rebuild` (wall time, peak memory), then serves and measures
# library searches with wrk (2 threads, 32 connections): 3-word and 20-word queries, half with a
# filter; p50/p95/p99 and the server's resident memory with the index; then how long a listing
# created on one instance takes to be found on a second one.
# Usage: bench/search.sh [sqlite|postgres ...]   (default: both). Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKENDS=("$@"); [ $# -eq 0 ] && BACKENDS=(sqlite postgres)
DURATION="${IPOC_BENCH_DURATION:-20s}"
PORT=18191
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q
BIN="$PWD/target/release/ipoc"
WORK="${IPOC_BENCH_WORK:-$(mktemp -d)}"
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

wait_health() {
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$1/health" >/dev/null && return; sleep 0.2; done
  echo "server on $1 did not start"; exit 1
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
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS ipoc_bench_search WITH (FORCE)" -c "CREATE DATABASE ipoc_bench_search"
    export IPOC_DATABASE_URL="postgres://postgres@127.0.0.1:5432/ipoc_bench_search"
  fi
  export IPOC_DATA_DIR="$dir" IPOC_NOW=2026-11-21 IPOC_LOG=warn IPOC_BIND="127.0.0.1:$PORT" \
    IPOC_LOGINS_PER_IP_PER_MINUTE=100000 IPOC_SEARCH_THREADS=2 IPOC_SEARCH_MEMORY_MB=256
  echo "== $backend: seeding"
  "$BIN" seed --scale national
  start=$(date +%s.%N); "$BIN" seed --scale market
  echo "$backend market_seed seconds=$(echo "$(date +%s.%N) - $start" | bc)" | tee -a "$WORK/results.txt"
  [ "$backend" = postgres ] && psql -q -h 127.0.0.1 -U postgres -d ipoc_bench_search -c "VACUUM ANALYZE"
  /usr/bin/time -f "%e %M" -o "$WORK/rebuild.time" "$BIN" search rebuild | tee -a "$WORK/results.txt"
  read -r secs kb < "$WORK/rebuild.time"
  echo "$backend rebuild seconds=$secs peak_rss_kb=$kb index_mb=$(du -sm "$dir/search" | cut -f1)" | tee -a "$WORK/results.txt"

  "$BIN" serve > "$WORK/server.log" 2>&1 &
  SERVER=$!
  wait_health "$PORT"
  export IPOC_BENCH_TOKEN="$(login bench-cnipa@ipoc.local ipoc-bench-2026)"
  for words in 3 20; do
    export IPOC_BENCH_WORDS=$words
    wrk -t2 -c32 -d5s -s bench/search.lua "http://127.0.0.1:$PORT" >/dev/null   # warm-up
    result=$(wrk -t2 -c32 -d"$DURATION" --latency -s bench/search.lua "http://127.0.0.1:$PORT" | grep RESULT)
    echo "$backend search words=$words $result" | tee -a "$WORK/results.txt"
  done
  # resident memory: anonymous (the server's own) and file-backed (the mmapped SQLite file and
  # index: the kernel's page cache, given back under pressure)
  status="/proc/$SERVER/status"
  echo "$backend server rss_kb=$(awk '/VmRSS/ {print $2}' "$status") anon_kb=$(awk '/RssAnon/ {print $2}' "$status") file_kb=$(awk '/RssFile/ {print $2}' "$status") peak_rss_kb=$(awk '/VmHWM/ {print $2}' "$status")" | tee -a "$WORK/results.txt"

  # freshness: a listing created through this instance, found on a second one
  IPOC_BIND="127.0.0.1:$((PORT + 1))" IPOC_SEARCH_DIR="$dir/search-2" "$BIN" serve > "$WORK/server2.log" 2>&1 &
  SECOND=$!
  wait_health $((PORT + 1))
  until curl -fs "http://127.0.0.1:$((PORT + 1))/api/v1/patents?q=x" -H "Authorization: Bearer $IPOC_BENCH_TOKEN" >/dev/null; do sleep 1; done
  python3 - "$PORT" <<'PY' | tee -a "$WORK/results.txt"
import json, sys, time, urllib.parse, urllib.request
port = sys.argv[1]
def call(p, path, body=None, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{p}{path}", data=json.dumps(body).encode() if body else None,
                                 headers={"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})})
    return json.load(urllib.request.urlopen(req))
token = call(port, "/api/v1/auth/login", {"email": "bench-cnipa@ipoc.local", "password": "ipoc-bench-2026"})["token"]
times = []
for n in range(5):
    word = f"新鲜度测试词{n}号"
    # cnipa cannot list: a university member registers and lists its own patent (the check
    # characters of its code and of the number found by trying each)
    email = f"fresh{n}-{time.time_ns()}@bench.local"
    body = {"email": email, "password": "long-enough-pw", "name": "基准", "organization": {"uscc": f"12320000{(time.time_ns() // 1000) % 10**9:09d}", "name": f"基准大学{n}", "kind": "university", "region_code": "320505"}}
    for c in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        body["organization"]["uscc"] = body["organization"]["uscc"][:17] + c
        try:
            call(port, "/api/v1/auth/register", body); break
        except Exception:
            continue
    member = call(port, "/api/v1/auth/login", {"email": email, "password": "long-enough-pw"})["token"]
    listing = {"application_number": "", "title": word, "abstract": "新鲜度测试。", "ipc": ["H01M 4/36"], "industry": "新材料",
               "legal_status": "pending", "offered_modes": ["license"]}
    for c in "0123456789X":
        listing["application_number"] = f"20261{(time.time_ns() // 1000) % 10**7:07d}.{c}"
        try:
            start = time.monotonic(); call(port, "/api/v1/patents", listing, member); break
        except Exception:
            continue
    while True:
        found = call(int(port) + 1, "/api/v1/patents?q=" + urllib.parse.quote(word), token=token)
        if found["total"] > 0:
            times.append(time.monotonic() - start); break
        time.sleep(0.02)
print(f"freshness_seconds_on_second_instance={','.join(f'{t:.2f}' for t in times)} max={max(times):.2f}")
PY
  kill "$SERVER" "$SECOND"; wait 2>/dev/null || true
done
echo "== results"; cat "$WORK/results.txt"
