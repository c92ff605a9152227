#!/usr/bin/python3
"""Does an optimisation change any number? (issue 6; docs/performance.md)

An optimisation that keeps every random draw must leave the result files identical. This runs
the same cases with two builds of `anjian` and compares every dataset of the two HDF5 files
byte for byte, apart from /meta/git_commit. The cases cover every scenario of scenarios/ and the
engine's other paths: pooled teams, the daily scheme, no accident list, 1 and 8 threads, the
parallel planning and inspections of a city with both targeting rules, and a province year.

    /usr/bin/python3 tests/bench/same_results.py --old /path/to/old/anjian --new build/anjian
        [--quick]   # five cases instead of all (about a minute)

Build the old binary from the commit before the change, e.g.
    git worktree add /tmp/base <commit> && cmake -S /tmp/base -B /tmp/base/build -G Ninja \\
      -DCMAKE_BUILD_TYPE=Release -DANJIAN_BUILD_TESTS=OFF -DANJIAN_BUILD_PYTHON=OFF && \\
    cmake --build /tmp/base/build --target anjian

Prints one line per case (SAME, or the datasets that differ) and exits 1 if any case differs
or fails to run.
"""

import argparse
import pathlib
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
IGNORED = {"meta/git_commit"}  # the only dataset that names the build


def library_cases() -> list:
    """Every scenario of scenarios/ (3 replicates, 4 years, 2 threads) and the county scale."""
    files = sorted((ROOT / "scenarios").glob("*.yaml")) + [ROOT / "scenarios/scale/county.yaml"]
    return [(f.stem, [str(f), "-r", "3", "-t", "2", "--set", "time.years=4"]) for f in files]


def path_cases() -> list:
    """The engine's other paths, each on a scenario where it matters."""
    s = ROOT / "scenarios"
    return [
        ("pooled_teams", [f"{s}/county_baseline.yaml", "-r", "3", "--set", "time.years=3",
                          "--set", "planning.pooled_teams=true"]),
        ("daily_scheme", [f"{s}/county_baseline.yaml", "-r", "2", "--set", "time.years=2",
                          "--set", "engine.sampling=daily"]),
        ("no_accident_list", [f"{s}/problem_over_accountability.yaml", "-r", "3", "--set", "time.years=3",
                              "--set", "output.accident_events=false"]),
        ("eight_threads", [f"{s}/reform_all.yaml", "-r", "3", "-t", "8", "--set", "time.years=3"]),
        ("one_thread", [f"{s}/problem_blind_spots.yaml", "-r", "3", "-t", "1", "--set", "time.years=3"]),
        ("city_random", [f"{s}/scale/city.yaml", "-t", "2", "--set", "time.years=2"]),
        ("city_risk_based", [f"{s}/scale/city.yaml", "-t", "1", "--set", "time.years=1",
                             "--set", "planning.targeting=risk_based"]),
        ("province_year", [f"{s}/scale/province.yaml", "-t", "2", "--set", "time.years=1"]),
    ]


QUICK = {"county_baseline", "reform_all", "no_accident_list", "city_random", "province_year"}


def datasets(path: pathlib.Path) -> dict:
    out = {}
    with h5py.File(path) as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and name not in IGNORED:
                value = obj[()]
                out[name] = value.tobytes() if isinstance(value, np.ndarray) else value
        f.visititems(visit)
    return out


def differences(a: pathlib.Path, b: pathlib.Path) -> list:
    x, y = datasets(a), datasets(b)
    names = sorted(set(x) | set(y))
    return [n for n in names if n not in x or n not in y or x[n] != y[n]]


def run(binary: str, args: list, out: pathlib.Path) -> str:
    """Runs one case; returns an error message, or '' on success."""
    proc = subprocess.run([binary, "run", *args, "-q", "-o", str(out)], capture_output=True, text=True)
    return "" if proc.returncode == 0 else f"{binary} exited {proc.returncode}: {proc.stderr.strip()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", required=True, help="anjian built before the change")
    parser.add_argument("--new", required=True, help="anjian built after the change")
    parser.add_argument("--quick", action="store_true", help="five cases instead of all")
    args = parser.parse_args()
    for binary in (args.old, args.new):
        if not pathlib.Path(binary).is_file():
            parser.error(f"{binary}: no such file (build it first; see --help)")

    cases = library_cases() + path_cases()
    if args.quick:
        cases = [c for c in cases if c[0] in QUICK]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, case_args in cases:
            old, new = pathlib.Path(tmp, f"{name}.old.h5"), pathlib.Path(tmp, f"{name}.new.h5")
            error = run(args.old, case_args, old) or run(args.new, case_args, new)
            if error:
                print(f"{name}: FAILED TO RUN: {error}", flush=True)
                failed += 1
                continue
            diff = differences(old, new)
            print(f"{name}: " + ("SAME" if not diff else "DIFFER in " + ", ".join(diff[:8])), flush=True)
            failed += bool(diff)
    print(f"{len(cases) - failed} of {len(cases)} cases the same")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
