"""Comparing scenarios with common random numbers and paired statistics.

Every scenario runs with the same seed and the same replicates, so replicate r of each sees the
same random streams (keyed by seed, replicate, stream, entity, step): the per-replicate
difference alternative - base removes most of the noise the scenarios share. For each outcome
the effect is the mean of those paired differences with a Student t interval over replicates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .results import DAYS_PER_YEAR, Results

# Outcomes compared by default: flows are rates per simulated year, stocks are end-of-run values.
DEFAULT_OUTCOMES = ("deaths_true", "deaths_reported", "accidents_true", "accidents_reported", "injuries_true",
                    "accidents_concealed", "accidents_larger_or_worse", "inspections", "inspections_formal",
                    "budget_spent", "fines", "turnover", "latent_hazards", "enterprises_unregistered")


def outcome_rates(results: Results, outcomes) -> tuple[pd.DataFrame, dict]:
    """Per replicate: flows per simulated year over the run, stocks at its end; and their units."""
    years = results.day[-1] / DAYS_PER_YEAR
    totals = results.totals(outcomes)
    units = {}
    for outcome in totals.columns:
        unit = results.units[outcome]
        if results.metrics.at[outcome, "kind"] == "flow":
            totals[outcome] = totals[outcome] / years
            unit += "/year"
        units[outcome] = unit
    return totals, units


def paired_effects(base: pd.DataFrame, alternative: pd.DataFrame, units: dict, confidence: float) -> pd.DataFrame:
    """One row per outcome: means, the mean paired difference, its t interval, relative change, p."""
    rows = []
    for outcome in base.columns:
        difference = (alternative[outcome] - base[outcome]).to_numpy()
        n = len(difference)
        mean = difference.mean()
        se = difference.std(ddof=1) / np.sqrt(n) if n > 1 else np.nan
        half = stats.t.ppf((1 + confidence) / 2, n - 1) * se if n > 1 else np.nan
        p_value = 2 * stats.t.sf(abs(mean / se), n - 1) if n > 1 and se > 0 else (1.0 if mean == 0 else 0.0)
        base_mean = base[outcome].mean()
        rows.append({"outcome": outcome, "unit": units[outcome], "base": base_mean,
                     "alternative": alternative[outcome].mean(), "difference": mean, "se": se,
                     "ci_low": mean - half, "ci_high": mean + half,
                     "relative": mean / base_mean if base_mean else np.nan, "p_value": p_value, "replicates": n})
    return pd.DataFrame(rows)


class Comparison:
    """The result of :func:`compare`: ``table`` (one row per alternative and outcome),
    ``results`` (name -> Results) and ``plot``."""

    def __init__(self, base: str, results: dict, table: pd.DataFrame, confidence: float):
        self.base = base
        self.results = results
        self.table = table
        self.confidence = confidence

    def effect(self, outcome: str) -> pd.DataFrame:
        """The rows of one outcome, indexed by scenario."""
        rows = self.table[self.table["outcome"] == outcome]
        if rows.empty:
            raise KeyError(f"no outcome '{outcome}'; compared: {', '.join(self.table['outcome'].unique())}")
        return rows.set_index("scenario")

    def plot(self, outcome: str = "deaths_true", cost: str = "budget_spent", ax=None):
        """Effect on `outcome` against the change in `cost`, each with its interval."""
        import matplotlib.pyplot as plt

        effect, spend = self.effect(outcome), self.effect(cost)
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.5))
        for name in effect.index:
            e, c = effect.loc[name], spend.loc[name]
            ax.errorbar(c["difference"], e["difference"], yerr=[[e["difference"] - e["ci_low"]], [e["ci_high"] - e["difference"]]],
                        xerr=[[c["difference"] - c["ci_low"]], [c["ci_high"] - c["difference"]]], fmt="o", capsize=3)
            ax.annotate(name, (c["difference"], e["difference"]), textcoords="offset points", xytext=(5, 5), fontsize="small")
        ax.axhline(0, color="grey", lw=0.8)
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_xlabel(f"change in {cost} ({spend['unit'].iloc[0]}) vs {self.base}")
        ax.set_ylabel(f"change in {outcome} ({effect['unit'].iloc[0]})")
        ax.set_title(f"paired differences, {self.confidence:.0%} t intervals, {int(effect['replicates'].iloc[0])} replicates")
        return ax


def _unique_names(scenarios) -> list[str]:
    names, seen = [], {}
    for scenario in scenarios:
        count = seen.get(scenario.name, 0)
        seen[scenario.name] = count + 1
        names.append(scenario.name if count == 0 else f"{scenario.name}_{count + 1}")
    return names


def compare(base, *alternatives, replicates: int | None = None, seed: int | None = None, threads: int | None = None,
            outcomes=DEFAULT_OUTCOMES, confidence: float = 0.95, progress=False) -> Comparison:
    """Runs `base` and each alternative (Scenario or path) with common random numbers and returns
    the paired effects of each alternative against the base.

    replicates and seed default to the base scenario's run.replicates and run.seed and are used
    for every scenario, so replicate r of each shares its random streams.
    """
    from . import _as_scenario, run

    if not alternatives:
        raise ValueError("anjian.compare: give at least one alternative scenario after the base")
    if not 0 < confidence < 1:
        raise ValueError(f"anjian.compare: confidence must be between 0 and 1, got {confidence}")
    scenarios = [_as_scenario(s) for s in (base, *alternatives)]
    replicates = replicates if replicates is not None else scenarios[0]["run.replicates"]
    seed = seed if seed is not None else scenarios[0]["run.seed"]
    names = _unique_names(scenarios)
    results = {name: run(s, replicates=replicates, seed=seed, threads=threads, progress=progress)
               for name, s in zip(names, scenarios)}
    base_rates, units = outcome_rates(results[names[0]], list(outcomes))
    tables = []
    for name in names[1:]:
        rates, _ = outcome_rates(results[name], list(outcomes))
        tables.append(paired_effects(base_rates, rates, units, confidence).assign(scenario=name))
    table = pd.concat(tables, ignore_index=True)
    table = table[["scenario"] + [c for c in table.columns if c != "scenario"]]
    return Comparison(names[0], results, table, confidence)
