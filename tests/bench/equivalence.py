#!/usr/bin/python3
"""Statistical equivalence of the engine's sampling schemes (issue 6; docs/performance.md).

An optimisation that draws other random numbers (next-event sampling against the daily scheme;
the monthly decisions in single-precision lanes with their own uniforms) gives results that are
not byte-identical; they must be the same in distribution. This runs one small county many times
under each scheme -- the new build's next_event and daily schemes and, if given, an older build
in its default scheme -- and compares, per replicate and simulated year, the distributions of
true accidents, true deaths, reported accidents, hazards arisen, inspections, the mean
latent-hazard stock, mean safety quality and mean perceived inspection rate: means with standard
errors, the difference in standard errors, and a two-sample Kolmogorov-Smirnov test (scipy).

    /usr/bin/python3 tests/bench/equivalence.py --new build/anjian [--old /path/to/old/anjian]
        [--replicates 200] [--years 5] [--enterprises 1000]
"""

import argparse
import pathlib
import subprocess
import sys
import tempfile

import h5py
import numpy as np
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parents[2]
FLOWS = ["accidents_true", "deaths_true", "accidents_reported", "hazards_arrived", "inspections"]
STOCKS = ["latent_hazards", "safety_quality_mean", "perceived_inspection_rate_mean"]


def yearly(path: pathlib.Path, burn_in_years: int) -> dict:
    """Per replicate and year (after the burn-in): flows summed, stocks averaged."""
    out = {}
    with h5py.File(path) as f:
        for name in FLOWS + STOCKS:
            x = f["series"][name][:]  # replicates x days
            years = x.shape[1] // 365
            by_year = x[:, : years * 365].reshape(x.shape[0], years, 365)
            values = by_year.sum(axis=2) if name in FLOWS else by_year.mean(axis=2)
            out[name] = values[:, burn_in_years:].ravel()
    return out


def run(binary: str, label: str, args, workdir: pathlib.Path, extra=()) -> dict:
    path = workdir / f"{label}.h5"
    command = [binary, "run", str(ROOT / "scenarios" / "county_baseline.yaml"), "-q", "-o", str(path),
               "--replicates", str(args.replicates), "--seed", str(args.seed),
               "--set", f"time.years={args.years}", "--set", f"enterprises.count={args.enterprises}",
               "--set", "output.accident_events=false", "--set", "output.agents=false",
               "--set", "output.network=false", *extra]
    subprocess.run(command, check=True)
    return yearly(path, 1)


def compare(name: str, a: np.ndarray, b: np.ndarray) -> tuple:
    se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    z = (a.mean() - b.mean()) / se if se > 0 else 0.0
    ks = stats.ks_2samp(a, b, method="asymp")
    return z, ks.pvalue


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--new", default=str(ROOT / "build" / "anjian"), help="this build's anjian")
    parser.add_argument("--old", help="an older build's anjian, run in its default scheme (optional)")
    parser.add_argument("--replicates", type=int, default=200, help="replicates per scheme (default 200)")
    parser.add_argument("--years", type=int, default=5, help="simulated years; the first is burn-in (default 5)")
    parser.add_argument("--enterprises", type=int, default=1000, help="enterprises (default 1000)")
    parser.add_argument("--seed", type=int, default=7, help="base seed (default 7)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        schemes = {"next_event": run(args.new, "next_event", args, work, ["--set", "engine.sampling=next_event"]),
                   "daily": run(args.new, "daily", args, work, ["--set", "engine.sampling=daily"])}
        if args.old:
            schemes["old"] = run(args.old, "old", args, work)
    reference = "old" if args.old else "daily"
    n = len(schemes["next_event"][FLOWS[0]])
    print(f"{args.replicates} replicates x {args.years - 1} years after a burn-in year = {n} replicate-years per "
          f"scheme; county_baseline with {args.enterprises} enterprises; reference: {reference}")
    print(f"{'metric (per year)':28} " + " ".join(f"{s:>20}" for s in schemes) + "   z(vs ref)  KS p(vs ref)")
    worst = 0.0
    for name in FLOWS + STOCKS:
        cells = []
        for scheme, values in schemes.items():
            x = values[name]
            cells.append(f"{x.mean():10.4g} +- {x.std(ddof=1) / np.sqrt(len(x)):8.2g}")
        tests = []
        for scheme in schemes:
            if scheme == reference:
                continue
            z, p = compare(name, schemes[scheme][name], schemes[reference][name])
            tests.append(f"{scheme}: z={z:+5.2f} p={p:5.3f}")
            worst = max(worst, abs(z))
        print(f"{name:28} " + " ".join(f"{c:>20}" for c in cells) + "   " + "; ".join(tests))
    print(f"largest |z| = {worst:.2f} ({'within' if worst < 3 else 'BEYOND'} 3 standard errors)")
    return 0 if worst < 3 else 1


if __name__ == "__main__":
    sys.exit(main())
