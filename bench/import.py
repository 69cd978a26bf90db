#!/usr/bin/env python3
"""Inventory import at scale: a CSV of N patents (default 100,000) uploaded by a member to a
running ipoc (demo data), timed from the upload to the import's `done` (rows per second), the
server's peak resident memory (VmHWM) before and after (and, after, how much of the resident
memory is the process's own and how much file pages: SQLite's memory-mapped database), and — while it runs — another member's
single listings written every 100 ms (their latency: the import must not hold them up).
Usage: bench/import.py PORT SERVER_PID [ROWS]"""
import json, sys, threading, time, urllib.request, uuid

port, pid = sys.argv[1], sys.argv[2]
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
base = f"http://127.0.0.1:{port}"

def call(path, body=None, token=None, method=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None, method=method,
                                 headers={"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(req) as r:
        return r.status, json.load(r)

def number(year, kind, seq):
    body = f"{year}{kind}{seq:07d}"
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    check = sum(int(d) * w for d, w in zip(body, weights)) % 11
    return f"{body}.{'X' if check == 10 else check}"

def status_kb(key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key):
            return int(line.split()[1])

def peak_kb():
    return status_kb("VmHWM")

owner = call("/api/v1/auth/login", {"email": "member@demo.ipoc.cn", "password": "ipoc-demo-2026"})[1]["token"]
other = call("/api/v1/auth/login", {"email": "center@demo.ipoc.cn", "password": "ipoc-demo-2026"})[1]["token"]

def uscc(first17):
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    check = 31 - sum(chars.index(c) * w for c, w in zip(first17, weights)) % 31
    return first17 + chars[0 if check == 31 else check]

university = uscc("12320000466000001")  # 苏州大学, of the demo center's alliance
words = ["石墨烯", "锂离子电池", "涂层", "传感器", "减速器", "光伏组件", "催化剂", "膜材料", "芯片封装", "机器人"]
lines = ["申请号,专利名称,摘要,IPC分类号,所属产业,法律状态,授权日,年费缴至,技术成熟度,转化方式,报价(元),联系人,联系电话"]
for n in range(rows):
    w = words[n % len(words)]
    lines.append(f"{number(2015 + n % 9, 1, 1_000_000 + n)},一种{w}的制备方法及其应用{n},本发明公开了一种{w}的制备方法，"
                 f"工艺简单、成本低，适合规模化生产，产品性能稳定。,C09D 5/0{n % 8},新材料,有效,2021-03-0{1 + n % 9},2027-03-01,{1 + n % 9},转让；许可,{100000 + n},张老师,0512-6588{n % 10000:04d}")
data = ("\n".join(lines) + "\n").encode()
boundary = uuid.uuid4().hex
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"inventory-{rows}.csv\"\r\n"
        f"Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
before = peak_kb()

latencies, stop = [], threading.Event()
def writer():
    n = 0
    while not stop.is_set():
        listing = {"application_number": number(2024, 1, 5_000_000 + n), "title": f"单件登记测试{n}", "abstract": "导入期间的单件登记。",
                   "ipc": ["H01M 4/36"], "industry": "新材料", "legal_status": "pending", "offered_modes": ["license"],
                   "owner_uscc": university}
        t = time.perf_counter()
        status, _ = call("/api/v1/patents", listing, other)
        latencies.append((time.perf_counter() - t) * 1000)
        assert status == 201
        n += 1
        time.sleep(0.1)

thread = threading.Thread(target=writer)
start = time.perf_counter()
thread.start()
req = urllib.request.Request(base + "/api/v1/patents/imports", data=body, method="POST",
                             headers={"authorization": f"Bearer {owner}", "content-type": f"multipart/form-data; boundary={boundary}"})
with urllib.request.urlopen(req) as r:
    answer = json.load(r)
job = answer.get("import_id") or answer.get("id")
while True:
    _, seen = call(f"/api/v1/imports/{job}", token=owner)
    if seen["state"] != "running":
        break
    time.sleep(0.2)
took = time.perf_counter() - start
stop.set(); thread.join()
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(f"import rows={rows} file_mb={len(data) / 2**20:.1f} state={seen['state']} created={seen['created']} seconds={took:.1f} "
      f"rows_per_s={rows / took:.0f} peak_rss_kb_before={before} peak_rss_kb_after={peak_kb()} "
      f"now_anon_kb={status_kb('RssAnon')} now_file_kb={status_kb('RssFile')}")
print(f"writes_during_import n={len(latencies)} p50_ms={p(0.5):.0f} p99_ms={p(0.99):.0f} max_ms={latencies[-1]:.0f}")
