#!/usr/bin/env python3
"""Writes docs/levers.md: what each row of docs/ODD.md's Seed map moves, measured on the model.

For every row of docs/levers.yaml it runs the county baseline, the row's weakness made worse and
the weakness remedied (better), all with common random numbers (replicate k of every scenario
shares its random streams), and reports for each outcome the row lists: the baseline mean, the
paired effects of worse and better against the baseline, and better - worse with its paired 95%
t interval, which decides whether the documented direction is met.

Verdicts: "met" (the interval of better - worse excludes zero on the expected side), "not met"
(it excludes zero on the other side), "not significant" (it holds zero).

Examples:
  make levers                                         # the whole table at the default size
  tools/levers.py --rows 1-4,29 --replicates 8 -o /tmp/levers.md
  tools/levers.py --rows "blind areas,R4" --years 3   # rows by number or by part of their name

Needs the anjian package: run it with PYTHONPATH=build/python (make levers does) or after
`cmake --install`. tests/python/test_levers.py asserts the same directions at the default size and seed.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import math
import os
import pathlib
import subprocess
import sys
import time

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
SPEC = ROOT / "docs" / "levers.yaml"
BASELINE = ROOT / "scenarios" / "county_baseline.yaml"
OUTPUT = ROOT / "docs" / "levers.md"
REPLICATES = 128  # default size: 128 replicates of 5 recorded years, about 6 min on 2 cores for all rows
YEARS = 5.0
DIRECTIONS = ("up", "down")
KINDS = ("problem", "cause", "reform")
HARM = {"deaths_true", "deaths_per_100k_workers", "accidents_true", "accidents_fatal", "accidents_serious",
        "accidents_minor", "accidents_larger_or_worse", "injuries_true"}  # harm outcomes a no_harm row must not list
ROWS_PER_BATCH = 9  # at most, in one engine call: the baseline once, up to 18 scenarios' series in memory


class SpecError(ValueError):
    """docs/levers.yaml says something the table cannot be built from."""


@dataclasses.dataclass(frozen=True)
class Row:
    number: int  # 1-based, in the file's (the Seed map's) order
    name: str
    zh: str
    kind: str
    worse: dict  # overrides on the baseline, or {"scenario": file}
    better: dict
    expect: dict  # outcome -> "up" | "down", from worse to better
    why: str
    no_harm: str | None
    open: dict  # outcome -> why the model does not yet move it as expected (a known gap, tracked)

    @property
    def label(self) -> str:
        return f"{self.number}. {self.name}"


def load_rows(path: pathlib.Path = SPEC, outcomes: set[str] | None = None) -> list[Row]:
    """The rows of the lever spec, each checked; outcomes (if given) are the known outcome keys."""
    try:
        doc = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise SpecError(f"{path}: cannot read the lever spec: {error}") from error
    if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
        raise SpecError(f"{path}: expected a mapping with a list under 'rows:'")
    return [_row(path, number, entry, outcomes) for number, entry in enumerate(doc["rows"], start=1)]


def _row(path, number: int, entry, outcomes) -> Row:
    where = f"{path}: row {number}"
    if not isinstance(entry, dict):
        raise SpecError(f"{where}: expected a mapping with row, kind, worse, better, expect, why")
    missing = [k for k in ("row", "kind", "worse", "better", "expect", "why") if k not in entry]
    if missing:
        raise SpecError(f"{where}: missing {', '.join(missing)}")
    where = f"{path}: row {number} ({entry['row']})"
    if entry["kind"] not in KINDS:
        raise SpecError(f"{where}: kind must be one of {', '.join(KINDS)}, not {entry['kind']!r}")
    for side in ("worse", "better"):
        if not isinstance(entry[side], dict):
            raise SpecError(f"{where}: {side} must be a mapping of overrides or {{scenario: FILE}}")
        if "scenario" in entry[side] and len(entry[side]) != 1:
            raise SpecError(f"{where}: {side} names a scenario file; give overrides in that file, not beside it")
    expect = entry["expect"]
    if not isinstance(expect, dict) or not expect:
        raise SpecError(f"{where}: expect must map at least one outcome to up or down")
    for outcome, direction in expect.items():
        if direction not in DIRECTIONS:
            raise SpecError(f"{where}: expect.{outcome} must be up or down, not {direction!r}")
        if outcomes is not None and outcome not in outcomes:
            raise SpecError(f"{where}: unknown outcome {outcome!r}; anjian.outcomes() lists them")
    if entry.get("no_harm") and any(o in HARM for o in expect):
        raise SpecError(f"{where}: a row with no_harm expects no harm outcome; drop {sorted(set(expect) & HARM)}")
    gaps = entry.get("open", {})
    if not isinstance(gaps, dict) or any(o not in expect or not str(why).strip() for o, why in gaps.items()):
        raise SpecError(f"{where}: open must map expected outcomes to why the model does not move them yet")
    return Row(number, str(entry["row"]), str(entry.get("zh", "")), entry["kind"], entry["worse"], entry["better"],
               dict(expect), str(entry["why"]), entry.get("no_harm"), {o: str(w) for o, w in gaps.items()})


def select_rows(rows: list[Row], selection: str | None) -> list[Row]:
    """Rows by number ("1,5,29-33") or by part of their name ("blind,R4"), in the file's order."""
    if not selection:
        return rows
    chosen = set()
    for item in (part.strip() for part in selection.split(",") if part.strip()):
        first, dash, last = item.partition("-")
        if first.isdigit() and (not dash or last.isdigit()):
            span = range(int(first), int(last or first) + 1)
            bad = [n for n in span if not 1 <= n <= len(rows)]
            if bad:
                raise SpecError(f"--rows: {item} is outside 1-{len(rows)}")
            chosen.update(span)
            continue
        named = [r.number for r in rows if item.lower() in r.name.lower()]
        if not named:
            raise SpecError(f"--rows: no row's name contains {item!r}; `tools/levers.py --list` shows them")
        chosen.update(named)
    return [r for r in rows if r.number in chosen]


def baseline(anjian, years: float, path: pathlib.Path = BASELINE):
    """The county baseline recording `years` after its burn-in, writing no agents or events."""
    scenario = anjian.Scenario.load(path)
    scenario.set("time.years", years)
    for key in ("output.agents", "output.accident_events", "output.inspection_events", "output.network"):
        scenario.set(key, False)
    return scenario


def side_scenario(anjian, base, row: Row, side: str):
    """The scenario of one side of a row, or None when it is the baseline itself."""
    spec = getattr(row, side)
    if not spec:
        return None
    try:
        if "scenario" in spec:
            scenario = anjian.Scenario.load(ROOT / "scenarios" / str(spec["scenario"]))
            for key in ("time.years", "time.burn_in_years", "time.step_days", "output.agents",
                        "output.accident_events", "output.inspection_events", "output.network"):
                scenario.set(key, base[key])
        else:
            scenario = base.copy()
            for key, value in spec.items():
                scenario.set(key, value)
    except (anjian.ScenarioError, OSError) as error:
        raise SpecError(f"lever spec, row {row.label}, {side}: {error}") from error
    scenario.name = f"row{row.number}_{side}"
    return scenario


@dataclasses.dataclass(frozen=True)
class Paired:
    """Mean of paired differences and its 95% t interval (as `anjian compare` computes it)."""
    difference: float
    low: float
    high: float

    def verdict(self, direction: str) -> str:
        if self.low > 0 or self.high < 0:
            return "met" if (self.low > 0) == (direction == "up") else "not met"
        return "not significant"


def paired(a, b) -> Paired:
    """b - a per replicate (common random numbers), mean and 95% t interval over replicates."""
    from scipy import stats

    d = [y - x for x, y in zip(a, b, strict=True)]
    n = len(d)
    mean = sum(d) / n
    if n < 2:
        return Paired(mean, -math.inf, math.inf)
    sd = math.sqrt(sum((x - mean) ** 2 for x in d) / (n - 1))
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return Paired(mean, mean - half, mean + half)


@dataclasses.dataclass
class Measured:
    """One row's measurements: per outcome, replicate values of baseline, worse and better."""
    row: Row
    values: dict  # side ("baseline", "worse", "better") -> outcome -> list of replicate values

    def effect(self, outcome: str, of: str, against: str) -> Paired:
        return paired(self.values[against][outcome], self.values[of][outcome])

    def verdict(self, outcome: str) -> str:
        return self.effect(outcome, "better", "worse").verdict(self.row.expect[outcome])

    def passed(self) -> bool:
        return all(self.verdict(o) == "met" for o in self.row.expect)


def measure(anjian, rows: list[Row], base, replicates: int, seed: int, threads: int | None = None,
            progress=False) -> list[Measured]:
    """Runs the rows' sides against the baseline in one engine call (common random numbers)."""
    names, scenarios = [], [base]
    for row in rows:
        for side in ("worse", "better"):
            scenario = side_scenario(anjian, base, row, side)
            if scenario is not None:
                scenarios.append(scenario)
                names.append((row.number, side))
    if len(scenarios) == 1:  # every side is the baseline: nothing can differ
        scenarios.append(base.copy())
    cmp = anjian.compare(*scenarios, replicates=replicates, seed=seed, threads=threads, progress=progress)
    keys = {o for r in rows for o in r.expect}
    values = cmp.values[cmp.values["outcome"].isin(keys)].sort_values("replicate")
    by_scenario = {name: {o: g["value"].tolist() for o, g in group.groupby("outcome")}
                   for name, group in values.groupby("scenario")}
    base_values = by_scenario[cmp.base]
    result = []
    for row in rows:
        sides = {"baseline": base_values}
        for side in ("worse", "better"):
            name = f"row{row.number}_{side}"
            sides[side] = by_scenario.get(name, base_values)
        result.append(Measured(row, sides))
    return result


# ---- the document ---------------------------------------------------------------------------

def number(x: float) -> str:
    """A figure to three significant digits, thousands separated; no exponent for large values."""
    if not math.isfinite(x):
        return str(x)
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if x == 0:
        return "0"
    digits = max(0, 2 - int(math.floor(math.log10(abs(x)))))
    return f"{x:.{digits}f}"


def interval(p: Paired) -> str:
    return f"{number(p.difference)} [{number(p.low)}, {number(p.high)}]"


def side_text(spec: dict) -> str:
    if not spec:
        return "the baseline"
    if "scenario" in spec:
        return f"`scenarios/{spec['scenario']}`"
    return ", ".join(f"`{k}` = {yaml.safe_dump(v, default_flow_style=True).strip().removesuffix('...').strip()}"
                     for k, v in spec.items())


ARROW = {"up": "↑", "down": "↓"}


def render(measured: list[Measured], units: dict, labels: dict, header: dict) -> str:
    met = sum(m.passed() for m in measured)
    lines = [
        "# Lever effects: what each Seed-map row moves",
        "",
        "<!-- Generated by tools/levers.py (make levers) from docs/levers.yaml; do not edit by hand. -->",
        "",
        "Every row of docs/ODD.md's Seed map is run with its weakness made worse and remedied (better), "
        "each against the county baseline with common random numbers: replicate k of every scenario shares "
        "its random streams, so per-replicate differences are paired. For each outcome the row should move "
        "(docs/levers.yaml, which also says why), the table gives the baseline mean, the effect of each side "
        "against the baseline, and better - worse with its paired 95% t interval over replicates. "
        "The expected direction is from worse to better, set as a practitioner and the study would expect it, "
        "not from what the model does. **met**: the interval excludes zero on the expected side; "
        "**not met**: it excludes zero on the other side; **not significant**: it holds zero. "
        "An effect of 0 [0, 0] means every replicate gave exactly the baseline's value: that side's lever "
        "values changed nothing the outcome sees. "
        "`tests/python/test_levers.py` asserts the same directions at the same size and seed (its better - worse "
        "values are this table's, replicate for replicate), so a row that is not **all met** here fails there.",
        "",
        "Harm is measured by true injuries (injuries_true): a county has about 1.2 true deaths a year, too few "
        "for these replicates to resolve a change in deaths; injuries come from the same accidents. "
        "Concealment is the reported share of true accidents (reported_share).",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in header.items()],
        "",
        f"**{met} of {len(measured)} rows** move every listed outcome in the expected direction.",
        "",
        "| # | row | kind | expected (worse → better) | verdicts |",
        "|---|---|---|---|---|",
    ]
    for m in measured:
        expected = ", ".join(f"{o} {ARROW[d]}" for o, d in m.row.expect.items())
        verdicts = ", ".join(f"{o}: {m.verdict(o)}" for o in m.row.expect)
        lines.append(f"| {m.row.number} | {m.row.name} | {m.row.kind} | {expected} | "
                     f"{'**all met**' if m.passed() else verdicts} |")
    for m in measured:
        row = m.row
        title = f"{row.number}. {row.name}" + (f" ({row.zh})" if row.zh else "")
        lines += ["", f"### {title}", "", f"{row.kind}: {row.why}.", ""]
        if row.no_harm:
            lines += [f"Should not move harm: {row.no_harm}", ""]
        for outcome, why in row.open.items():
            lines += [f"Open: {outcome} is not yet moved as expected: {why}", ""]
        lines += [f"- worse: {side_text(row.worse)}", f"- better: {side_text(row.better)}", "",
                  "| outcome | unit | baseline | worse - baseline | better - baseline | better - worse [95% CI] "
                  "| expected | verdict |",
                  "|---|---|---|---|---|---|---|---|"]
        for outcome, direction in row.expect.items():
            base_values = m.values["baseline"][outcome]
            cells = [labels.get(outcome, outcome), units.get(outcome, ""), number(sum(base_values) / len(base_values))]
            for side in ("worse", "better"):
                cells.append(interval(m.effect(outcome, side, "baseline")) if getattr(row, side) else "(baseline)")
            cells += [interval(m.effect(outcome, "better", "worse")), ARROW[direction], m.verdict(outcome)]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def provenance() -> str:
    """The commit the table was made from, marked when the working tree differs from it."""
    def git(*args):
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown (not a git checkout)"
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "sim", "python", "docs/levers.yaml",
                "scenarios", "tools/levers.py")
    return commit + (" with uncommitted changes" if dirty else "")


def write_atomically(path: pathlib.Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="tools/levers.py", description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicates", type=int, default=REPLICATES,
                        help=f"replicates per scenario (default {REPLICATES})")
    parser.add_argument("--years", type=float, default=YEARS,
                        help=f"recorded years per replicate, after the baseline's burn-in (default {YEARS:g})")
    parser.add_argument("--rows", help="a subset: numbers and ranges (1,5,29-33) or parts of names; default all")
    parser.add_argument("--seed", type=int, help="seed of the common random numbers (default the baseline's run.seed)")
    parser.add_argument("--threads", type=int, help="worker threads (default all cores; results do not depend on it)")
    parser.add_argument("--spec", type=pathlib.Path, default=SPEC, help="the lever spec (default docs/levers.yaml)")
    parser.add_argument("-o", "--output", type=pathlib.Path, default=OUTPUT, help="where to write (default docs/levers.md)")
    parser.add_argument("--list", action="store_true", help="list the rows with their numbers and stop")
    args = parser.parse_args(argv)
    if args.replicates < 2:
        parser.error("--replicates must be at least 2 (a paired interval needs two replicates)")
    if not 0 < args.years <= 200:
        parser.error("--years must be in (0, 200] (recorded years after the burn-in)")
    if args.threads is not None and args.threads < 1:
        parser.error("--threads must be at least 1")
    if not args.output.parent.is_dir():
        parser.error(f"--output: directory {args.output.parent} does not exist")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        import anjian
    except ImportError as error:
        print(f"levers: cannot import anjian ({error}); build first (make build) and run with "
              "PYTHONPATH=build/python, or use `make levers`", file=sys.stderr)
        return 2
    outcomes = anjian.outcomes().set_index("outcome")
    try:
        rows = load_rows(args.spec, set(outcomes.index))
        if args.list:
            print("\n".join(f"{r.number:2d}  {r.kind:7s}  {r.name}" for r in rows))
            return 0
        rows = select_rows(rows, args.rows)
        base = baseline(anjian, args.years)
        seed = base["run.seed"] if args.seed is None else args.seed
        for row in rows:  # every key and file checked before any run starts
            for side in ("worse", "better"):
                side_scenario(anjian, base, row, side)
        started = time.monotonic()
        measured = []
        batches = math.ceil(len(rows) / ROWS_PER_BATCH)
        for b in range(batches):
            batch = rows[b * len(rows) // batches:(b + 1) * len(rows) // batches]
            print(f"levers: rows {', '.join(str(r.number) for r in batch)} ({rows.index(batch[-1]) + 1} of {len(rows)}), "
                  f"{time.monotonic() - started:.0f} s so far", file=sys.stderr, flush=True)
            measured += measure(anjian, batch, base, args.replicates, seed, args.threads, progress=True)
    except SpecError as error:
        print(f"levers: {error}", file=sys.stderr)
        return 2
    elapsed = time.monotonic() - started
    command = "make levers" if argv is None and os.environ.get("MAKELEVEL") else \
        "tools/levers.py " + " ".join(sys.argv[1:] if argv is None else argv)
    header = {
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": provenance(),
        "command": f"`{command.strip()}`",
        "baseline": f"`scenarios/{BASELINE.name}` (burn-in {base['time.burn_in_years']:g} year, not recorded)",
        "size": f"{args.replicates} replicates x {args.years:g} recorded year(s) per scenario, seed {seed}",
        "rows": f"{len(rows)} of {len(load_rows(args.spec))}" + (f" (--rows {args.rows})" if args.rows else ""),
        "wall time": f"{elapsed:.0f} s",
    }
    text = render(measured, outcomes["unit"].to_dict(), outcomes["label"].to_dict(), header)
    write_atomically(args.output, text)
    met = sum(m.passed() for m in measured)
    print(f"levers: {met} of {len(measured)} rows met every expectation; wrote {args.output} in {elapsed:.0f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
