#!/usr/bin/python3
"""The yardstick of issue 6: a minimal vectorised numpy loop over enterprises and days that only
draws hazard arrivals, hazard removals and accidents (the three daily draws of the reference
scheme, hazards.cpp and accidents.cpp, with county-baseline rates) and nothing else. The engine's
throughput, which includes every other mechanism, is compared with this loop's.

    /usr/bin/python3 tests/bench/numpy_yardstick.py --enterprises 1000000 --days 365

prints one line: `numpy yardstick: <enterprise-days/s> enterprise-days/s (<N> enterprises,
<D> days, <s> s)`.
"""

import argparse
import time

import numpy as np


def run(enterprises: int, days: int, seed: int = 1) -> float:
    rng = np.random.default_rng(seed)
    dt = 1.0 / 365.0
    quality = rng.beta(0.6 * 10, 0.4 * 10, enterprises)            # q, as build_world draws it
    size = np.ones(enterprises)                                       # reference enterprises
    arrival = 12.0 * size * (1.0 - quality) * dt                      # manufacturing lambda
    removal = -np.expm1(-(0.5 + 2.5 * quality) * dt)                  # self-removal per hazard
    hazards = rng.poisson(arrival / dt / (0.5 + 2.5 * quality))      # near the steady state
    accidents = 0
    start = time.perf_counter()
    for _ in range(days):
        hazards += rng.poisson(arrival) - rng.binomial(hazards, removal)
        p_accident = -np.expm1(-(0.06 + 0.12 * hazards) * size * dt)
        accidents += int(np.count_nonzero(rng.random(enterprises) < p_accident))
    seconds = time.perf_counter() - start
    assert accidents > 0
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enterprises", type=int, default=1_000_000, help="enterprises (default 1,000,000)")
    parser.add_argument("--days", type=int, default=365, help="days (default 365)")
    args = parser.parse_args()
    seconds = run(args.enterprises, args.days)
    rate = args.enterprises * args.days / seconds
    print(f"numpy yardstick: {rate:.4g} enterprise-days/s ({args.enterprises} enterprises, {args.days} days, "
          f"{seconds:.2f} s)")


if __name__ == "__main__":
    main()
