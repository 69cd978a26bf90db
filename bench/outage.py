"""A database fault under 4 clients writing deals, measured from outside (standard library only).

    python3 bench/outage.py --base URL --token TOKEN --center ID \
        --inject CMD --clear CMD --stored CMD [--before 5] [--during 10] [--after 10]

The clients post deals (each with its own contract number) and /health is polled every 100 ms.
After `--before` seconds the shell command `--inject` causes the fault (stops PostgreSQL, fills
the disk), after `--during` more `--clear` ends it, and `--after` seconds later the clients stop.
`--stored` prints the contract numbers in the database, one per line (run after the server is
killed). Prints the answers during the fault (statuses, answer times p50/p99/max), the time from
the end of the fault to the first 201 and to a healthy /health, and whether every 201 is stored;
exits 1 when a 201 is missing or a refused write is not 503 `unavailable` with Retry-After.
"""
import argparse
import http.client
import json
import statistics
import subprocess
import threading
import time
import urllib.parse


def uscc(body):
    """A unified social credit code completed with its check character."""
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(charset.index(c) * w for c, w in zip(body, weights))
    return body + charset[(31 - total % 31) % 31]


COUNTERPARTY = uscc("91320500000999999")


def post_deal(conn, path, token, contract_no):
    body = json.dumps({"kind": "license", "amount": "1000.00", "contract_date": "2026-01-05",
                       "patent_numbers": ["201710601862.3"],
                       "counterparty_uscc": [COUNTERPARTY], "contract_no": contract_no})
    started = time.monotonic()
    try:
        conn.request("POST", path, body, {"Content-Type": "application/json",
                                          "Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        data = response.read()
        status, retry = response.status, response.getheader("Retry-After")
    except (OSError, http.client.HTTPException):
        return started, time.monotonic(), 0, None, None, True
    try:
        code = json.loads(data)["error"]["code"] if status >= 400 else None
    except (ValueError, KeyError, TypeError):
        code = None
    return started, time.monotonic(), status, code, retry, False


def writer(base, token, center, n, stop, out):
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    path = f"/api/v1/centers/{center}/transactions"
    i = 0
    while not stop.is_set():
        contract = f"W{n}-{i}"
        started, ended, status, code, retry, broken = post_deal(conn, path, token, contract)
        out.append((started, ended, status, code, retry, contract))
        if broken:
            conn.close()
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        i += 1


def health_poller(base, stop, out):
    url = urllib.parse.urlparse(base)
    while not stop.is_set():
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            conn.request("GET", "/health")
            response = conn.getresponse()
            body = response.read().decode()
            out.append((started, time.monotonic(), response.status, body))
            conn.close()
        except OSError:
            out.append((started, time.monotonic(), 0, ""))
        time.sleep(0.1)


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    args = argparse.ArgumentParser()
    for name in ("base", "token", "center", "inject", "clear", "stored"):
        args.add_argument(f"--{name}", required=True)
    for name, default in (("before", 5.0), ("during", 10.0), ("after", 10.0)):
        args.add_argument(f"--{name}", type=float, default=default)
    args.add_argument("--label", default="fault")
    a = args.parse_args()

    stop, writes, health = threading.Event(), [], []
    threads = [threading.Thread(target=writer, args=(a.base, a.token, a.center, n, stop, writes))
               for n in range(4)]
    threads.append(threading.Thread(target=health_poller, args=(a.base, stop, health)))
    for t in threads:
        t.start()
    time.sleep(a.before)
    injected = time.monotonic()
    subprocess.run(a.inject, shell=True, check=True)
    time.sleep(a.during)
    clearing = time.monotonic()
    subprocess.run(a.clear, shell=True, check=True)
    cleared = time.monotonic()
    time.sleep(a.after)
    stop.set()
    for t in threads:
        t.join()

    during = [w for w in writes if injected <= w[0] < clearing]
    refused = [w for w in writes if w[2] != 201]
    bad = [w for w in refused if not (w[2] == 503 and w[3] == "unavailable" and w[4])]
    took = [(w[1] - w[0]) * 1000 for w in during]
    first_201 = min((w[1] for w in writes if w[2] == 201 and w[0] >= cleared), default=None)
    healthy = min((h[1] for h in health if h[0] >= cleared and h[2] == 200), default=None)
    health_during = [h for h in health if injected + 1 <= h[0] < clearing]
    health_took = [(h[1] - h[0]) * 1000 for h in health_during]
    statuses = {}
    for w in during:
        statuses[w[2]] = statuses.get(w[2], 0) + 1
    # the clients' deals (the demo center has deals of its own)
    stored = {c for c in subprocess.run(a.stored, shell=True, check=True, capture_output=True,
                                        text=True).stdout.split() if c.startswith("W")}
    acknowledged = {w[5] for w in writes if w[2] == 201}
    lost = acknowledged - stored
    fmt = lambda v: "-" if v is None else f"{v:.1f}"
    print(f"{a.label}: {len(writes)} writes, {len(acknowledged)} acknowledged (201), "
          f"{len(refused)} refused; during the fault: statuses {statuses}, answer ms "
          f"p50 {fmt(percentile(took, 50))} p99 {fmt(percentile(took, 99))} max {fmt(max(took, default=None))}; "
          f"/health during: {sorted({h[2] for h in health_during})} "
          f"(ms p99 {fmt(percentile(health_took, 99))} max {fmt(max(health_took, default=None))}); "
          f"after the fault: first 201 in {fmt(None if first_201 is None else (first_201 - cleared) * 1000)} ms, "
          f"/health 200 in {fmt(None if healthy is None else (healthy - cleared) * 1000)} ms; "
          f"stored {len(stored)}, acknowledged but lost {len(lost)}, refused not 503+Retry-After {len(bad)}")
    unacknowledged = stored - acknowledged
    if unacknowledged:
        answered = {w[5]: w for w in writes}
        shown = []
        for contract in sorted(unacknowledged)[:10]:
            w = answered.get(contract)
            if w:
                shown.append(f"{contract} {w[2]} at {w[0] - injected:+.3f}s")
        print(f"{a.label}: stored though not acknowledged: {len(unacknowledged)} "
              f"(a COMMIT whose outcome was unknown to the client), e.g. {shown}")
    if lost or bad:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
