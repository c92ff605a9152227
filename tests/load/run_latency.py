#!/usr/bin/env python3
"""How long one county comparison takes through `anjian serve` (not in make check): POST /api/runs
with the server's default replicates and years, poll until done, N times one after another; prints
each wall time and the median. The issue's goal is at most 3 s.

    build/anjian serve --port 8090 &
    /usr/bin/python3 tests/load/run_latency.py --port 8090 --runs 5 [--county problem_formalism]
"""

import argparse
import http.client
import json
import statistics
import time


def call(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, body=json.dumps(body) if body is not None else None)
    res = conn.getresponse()
    data = json.loads(res.read())
    conn.close()
    return res.status, data


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--county", default="county_baseline")
    args = parser.parse_args()
    _, levers = call(args.port, "GET", "/api/levers")
    limits = levers["limits"]
    times = []
    for k in range(args.runs):
        start = time.perf_counter()
        status, body = call(args.port, "POST", "/api/runs",
                            {"county": args.county, "levers": {"media.activity": 0.1 + 0.05 * k}})
        assert status == 202, body
        while True:
            _, s = call(args.port, "GET", f"/api/runs/{body['id']}")
            if s["state"] not in ("queued", "running"):
                break
            time.sleep(0.05)
        assert s["state"] == "done", s
        times.append(time.perf_counter() - start)
        print(f"run {k + 1}: {times[-1]:.2f} s")
    print(f"{args.county}, {limits['default_replicates']} replicates x {limits['default_years']} years "
          f"(+{limits['burn_in_years']} burn-in) x 2 scenarios: median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}) over {len(times)} runs")


if __name__ == "__main__":
    main()
