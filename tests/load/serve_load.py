#!/usr/bin/env python3
"""Load test of `anjian serve` (not in make check): N concurrent clients for T seconds against a
server on the loopback, each doing what a classroom's browsers do: load the page and the tables,
move levers (budget), start runs and poll them. Prints every status code seen and latency
percentiles per kind of request; the goal is no 5xx (429 is the queue's answer when full).

    build/anjian serve --port 8090 --sessions /tmp/load.sqlite &
    /usr/bin/python3 tests/load/serve_load.py --port 8090 --clients 50 --seconds 60
"""

import argparse
import collections
import http.client
import json
import random
import statistics
import threading
import time


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] if values else float("nan")


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = collections.defaultdict(list)  # kind -> seconds
        self.status = collections.Counter()           # (kind, status) -> count
        self.failures = collections.Counter()         # exception text -> count

    def add(self, kind, status, seconds):
        with self.lock:
            self.latency[kind].append(seconds)
            self.status[(kind, status)] += 1


def request(port, tally, kind, method, path, body=None):
    start = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers={"Content-Type": "application/json"})
        res = conn.getresponse()
        payload = res.read()
        conn.close()
    except Exception as e:  # a refused or dropped connection counts as an error, not a status
        with tally.lock:
            tally.failures[type(e).__name__ + ": " + str(e)[:80]] += 1
        return None, None
    tally.add(kind, res.status, time.perf_counter() - start)
    return res.status, payload


def client(port, tally, stop, rng):
    levers = ["media.activity", "hotline.protection", "policy.fidelity", "discipline.audit_rate"]
    run_id = None
    while not stop.is_set():
        roll = rng.random()
        if run_id and roll < 0.4:
            status, payload = request(port, tally, "poll run", "GET", f"/api/runs/{run_id}")
            if status == 200 and json.loads(payload)["state"] not in ("queued", "running"):
                run_id = None
        elif roll < 0.5:
            request(port, tally, "page", "GET", "/")
        elif roll < 0.6:
            request(port, tally, "tables", "GET", rng.choice(["/api/levers", "/api/library"]))
        elif roll < 0.9:
            request(port, tally, "budget", "POST", "/api/budget",
                    {"levers": {"departments.emergency_management_staff": rng.randint(4, 20)}})
        elif not run_id:
            status, payload = request(port, tally, "start run", "POST", "/api/runs",
                                      {"levers": {rng.choice(levers): round(rng.random(), 2)}})
            if status == 202:
                run_id = json.loads(payload)["id"]
        time.sleep(rng.uniform(0.05, 0.25))  # a person's pace between clicks, at its quickest


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()

    tally, stop = Tally(), threading.Event()
    threads = [threading.Thread(target=client, args=(args.port, tally, stop, random.Random(k)))
               for k in range(args.clients)]
    for t in threads:
        t.start()
    time.sleep(args.seconds)
    stop.set()
    for t in threads:
        t.join()

    total = sum(tally.status.values())
    server_errors = sum(n for (kind, status), n in tally.status.items() if status >= 500)
    print(f"{args.clients} clients, {args.seconds:.0f} s: {total} responses, {server_errors} with 5xx, "
          f"{sum(tally.failures.values())} connection failures")
    print(f"{'request':<10} {'count':>7} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}  statuses")
    for kind, values in sorted(tally.latency.items()):
        statuses = ", ".join(f"{status}: {n}" for (k, status), n in sorted(tally.status.items()) if k == kind)
        print(f"{kind:<10} {len(values):>7} {percentile(values, 50) * 1e3:>8.1f} {percentile(values, 90) * 1e3:>8.1f} "
              f"{percentile(values, 99) * 1e3:>8.1f} {max(values) * 1e3:>8.1f}  {statuses}")
    for failure, n in tally.failures.most_common():
        print(f"failure x{n}: {failure}")
    done = tally.latency.get("start run", [])
    if done:
        print(f"mean start-run latency {statistics.mean(done) * 1e3:.1f} ms")
    return 1 if server_errors or tally.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
