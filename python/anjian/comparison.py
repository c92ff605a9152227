"""Comparing scenarios with common random numbers and paired statistics, as `anjian compare` does.

Every scenario runs with the same seed and the same replicates, so replicate k of each sees the
same random streams (keyed by seed, replicate, stream, entity, step): the per-replicate
difference alternative - baseline removes most of the noise the scenarios share. The outcomes,
their units and the statistics (paired 95% t intervals, Welch intervals for reference, cost per
death averted) come from the C++ library (sim/run/outcomes.def, sim/run/compare.cpp), the same
code as the command.
"""

from __future__ import annotations

import os

import h5py
import pandas as pd

from . import _core
from .results import Results


def outcomes() -> pd.DataFrame:
    """The outcomes a comparison reports: outcome, label, unit, meaning."""
    return pd.DataFrame(_core.outcomes())


def comparison_file(path: str) -> bool:
    """True if `path` is an HDF5 file written by ``anjian compare``."""
    if not (os.path.isfile(path) and h5py.is_hdf5(path)):
        return False
    with h5py.File(path, "r") as f:
        return "meta" in f and f["meta"].attrs.get("kind") == "comparison"


def _differences(group: h5py.Group, prefix: str, index: int) -> dict:
    """One alternative's Difference columns of a comparison file, named as Comparison.table names them."""
    names = {"difference": "difference", "se": "paired_se", "ci_low": "paired_low", "ci_high": "paired_high",
             "unpaired_se": "unpaired_se", "unpaired_ci_low": "unpaired_low", "unpaired_ci_high": "unpaired_high"}
    return {ours: float(group[prefix + theirs][index]) for ours, theirs in names.items()}


def _raw_from_file(f: h5py.File) -> tuple[list[str], dict]:
    """A comparison file read into the shape compare_scenarios returns (docs/results-format.md)."""
    names = f["meta/scenarios"].asstr()[()].split("\n")
    keys = f["comparison"].attrs["outcomes"].split("\n")
    rows = []
    for s, name in enumerate(names[1:]):
        for key in keys:
            group = f["comparison"][key]
            rows.append({"scenario": name, "outcome": key, "label": group.attrs["label"], "unit": group.attrs["unit"],
                         "base": float(group["mean"][0]), "alternative": float(group["mean"][s + 1]),
                         **_differences(group, "", s)})
    group = f["comparison/cost_effectiveness"]
    verdicts = dict(item.split("=") for item in group["verdict"].attrs["codes"].split(","))
    cost_effectiveness = []
    for s, name in enumerate(names[1:]):
        cost, deaths = _differences(group, "cost_", s), _differences(group, "deaths_averted_", s)
        cost_effectiveness.append({
            "scenario": name, "cost": cost["difference"], "cost_ci_low": cost["ci_low"], "cost_ci_high": cost["ci_high"],
            "deaths_averted": deaths["difference"], "deaths_averted_ci_low": deaths["ci_low"],
            "deaths_averted_ci_high": deaths["ci_high"],
            "yuan_per_death_averted": float(group["yuan_per_death_averted"][s]),
            "verdict": verdicts[str(group["verdict"][s])]})
    values = [[f["comparison"][key]["values"][s].tolist() for key in keys] for s in range(len(names))]
    meta = f["meta"].attrs
    return names, {"rows": rows, "cost_effectiveness": cost_effectiveness, "values": values, "keys": keys,
                   "years": float(meta["years"]), "burn_in_years": float(meta["burn_in_years"])}


class Comparison:
    """The result of :func:`compare`.

    - ``table``: one row per alternative and outcome: scenario, outcome, label, unit, base,
      alternative, difference (alternative - base, mean of the paired differences), se, ci_low,
      ci_high (paired 95% t interval), unpaired_se, unpaired_ci_low, unpaired_ci_high (Welch).
    - ``cost_effectiveness``: per alternative, the change in government cost and the deaths
      averted with their intervals, yuan per death averted and the verdict.
    - ``values``: tidy per-replicate outcome values (scenario, outcome, replicate, value).
    - ``results``: name -> :class:`Results` of each scenario (baseline first).
    """

    def __init__(self, names: list[str], raw: dict, results: dict):
        self.base = names[0]
        self.scenarios = names
        self.years = raw["years"]
        self.burn_in_years = raw["burn_in_years"]
        self.results = results
        columns = ["scenario", "outcome", "label", "unit", "base", "alternative", "difference", "se", "ci_low",
                   "ci_high", "unpaired_se", "unpaired_ci_low", "unpaired_ci_high"]
        self.table = pd.DataFrame(raw["rows"], columns=columns)
        self.cost_effectiveness = pd.DataFrame(raw["cost_effectiveness"]).set_index("scenario")
        keys = raw.get("keys") or [row["outcome"] for row in _core.outcomes()]
        self.values = pd.DataFrame(
            [(name, key, replicate, value)
             for name, per_outcome in zip(names, raw["values"])
             for key, per_replicate in zip(keys, per_outcome)
             for replicate, value in enumerate(per_replicate)],
            columns=["scenario", "outcome", "replicate", "value"])

    @classmethod
    def from_file(cls, path: str) -> "Comparison":
        """Reads a comparison file of ``anjian compare``; each scenario's Results reads its group."""
        f = h5py.File(path, "r")
        names, raw = _raw_from_file(f)
        return cls(names, raw, {name: Results(f["scenarios"][name], f"{os.path.basename(path)}: {name}") for name in names})

    @property
    def replicates(self) -> int:
        return self.results[self.base].replicates

    def effect(self, outcome: str) -> pd.DataFrame:
        """The rows of one outcome, indexed by scenario."""
        rows = self.table[self.table["outcome"] == outcome]
        if rows.empty:
            raise KeyError(f"no outcome '{outcome}'; anjian.outcomes() lists them")
        return rows.set_index("scenario")

    def plot(self, outcome: str = "deaths_true", cost: str = "cost", ax=None):
        """Change in `outcome` against change in `cost`, each with its paired 95% interval."""
        import matplotlib.pyplot as plt

        effect, spend = self.effect(outcome), self.effect(cost)
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.5))
        for name in effect.index:
            e, c = effect.loc[name], spend.loc[name]
            ax.errorbar(c["difference"], e["difference"],
                        yerr=[[e["difference"] - e["ci_low"]], [e["ci_high"] - e["difference"]]],
                        xerr=[[c["difference"] - c["ci_low"]], [c["ci_high"] - c["difference"]]], fmt="o", capsize=3)
            ax.annotate(name, (c["difference"], e["difference"]), textcoords="offset points", xytext=(5, 5),
                        fontsize="small")
        ax.axhline(0, color="grey", lw=0.8)
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_xlabel(f"change in {spend['label'].iloc[0]} ({spend['unit'].iloc[0]}) vs {self.base}")
        ax.set_ylabel(f"change in {effect['label'].iloc[0]} ({effect['unit'].iloc[0]})")
        ax.set_title(f"paired differences, 95% t intervals, {self.replicates} replicates", fontsize="medium")
        return ax

    def __repr__(self) -> str:
        return (f"<anjian.Comparison {len(self.scenarios) - 1} alternative(s) against {self.base!r}: "
                f"{self.replicates} replicates x {self.years:g} recorded years>")


def _unique_names(scenarios) -> list[str]:
    names, seen = [], {}
    for scenario in scenarios:
        count = seen.get(scenario.name, 0)
        seen[scenario.name] = count + 1
        names.append(scenario.name if count == 0 else f"{scenario.name}_{count + 1}")
    return names


def compare(base, *alternatives, replicates: int | None = None, seed: int | None = None, threads: int | None = None,
            progress=False) -> Comparison:
    """Runs `base` and each alternative (Scenario or path) with common random numbers and returns
    the paired effects of each alternative against the base (the statistics of `anjian compare`).

    replicates and seed default to the base scenario's run.replicates and run.seed and are used
    for every scenario, so replicate k of each shares its random streams. Scenarios must record
    the same period (time.years, time.step_days). Repeated names get a suffix (_2, _3, ...).
    """
    from . import _as_scenario, _progress_callback, _whole_number

    if not alternatives:
        raise ValueError("anjian.compare: give at least one alternative scenario after the base")
    scenarios = [_as_scenario(s).copy() for s in (base, *alternatives)]
    replicates = scenarios[0]["run.replicates"] if replicates is None else _whole_number("replicates", replicates, 1)
    seed = scenarios[0]["run.seed"] if seed is None else _whole_number("seed", seed, 0)
    names = _unique_names(scenarios)
    for scenario, name in zip(scenarios, names):
        scenario.set("run.replicates", replicates).set("run.seed", seed)
        scenario.name = name
    threads = 0 if threads is None else _whole_number("threads", threads, 1)
    raw = _core.compare_scenarios([s._native for s in scenarios], threads, _progress_callback(progress))
    results = {name: Results.from_image(image, f"compare: {name}") for name, image in zip(names, raw["images"])}
    return Comparison(names, raw, results)
