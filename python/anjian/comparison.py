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
import warnings

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
    try:
        with h5py.File(path, "r") as f:
            return "meta" in f and f["meta"].attrs.get("kind") == "comparison"
    except OSError:
        _core.check_results_file(path)  # raises ResultsError with the program's message (truncated, ...)
        raise


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
        self.posterior_draws: list = []  # row of the posterior each replicate ran (compare(posterior=...))
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

    @property
    def meta(self) -> dict:
        """Provenance, as ``anjian info`` prints it: version, git_commit (``-dirty`` marks a build
        with uncommitted changes), baseline, scenarios, seed, replicates, years, burn_in_years and
        each scenario's scenario_sha256 (the SHA-256 of its resolved YAML, /meta/scenario)."""
        base = self.results[self.base].meta
        return {"program": "anjian", "kind": "comparison", "version": base["version"],
                "git_commit": base["git_commit"], "baseline": self.base, "scenarios": list(self.scenarios),
                "seed": int(base["seed"]), "replicates": self.replicates, "years": self.years,
                "burn_in_years": self.burn_in_years,
                "scenario_sha256": {name: r.meta.get("scenario_sha256", "") for name, r in self.results.items()}}

    def citation(self) -> str:
        """One line that names this comparison exactly (README, "How to cite")."""
        m = self.meta
        scenarios = ", ".join(f"{n} (scenario sha256 {h[:12]})" for n, h in m["scenario_sha256"].items())
        return (f"anjian {m['version']} (commit {m['git_commit']}), comparison of {scenarios}, seed {m['seed']}, "
                f"{m['replicates']} replicates, {m['years']:g} recorded years after {m['burn_in_years']:g} burn-in")

    def replicates_needed(self, outcome: str, effect: float, power: float = 0.8, alpha: float = 0.05) -> pd.Series:
        """Replicates each alternative needs for its paired 95% interval to exclude 0 with
        probability `power` when the true change in `outcome` is `effect` (its unit), from the
        spread of the paired differences seen here (see :func:`power`)."""
        values = self.values[self.values["outcome"] == outcome]
        if values.empty:
            raise KeyError(f"no outcome '{outcome}'; anjian.outcomes() lists them")
        wide = values.pivot(index="replicate", columns="scenario", values="value")
        return pd.Series({name: power_replicates((wide[name] - wide[self.base]).std(ddof=1), effect, power, alpha)
                          for name in self.scenarios[1:]}, name="replicates")

    def effect(self, outcome: str) -> pd.DataFrame:
        """The rows of one outcome, indexed by scenario."""
        rows = self.table[self.table["outcome"] == outcome]
        if rows.empty:
            raise KeyError(f"no outcome '{outcome}'; anjian.outcomes() lists them")
        return rows.set_index("scenario")

    def _scaled(self, outcome: str, units: dict | None):
        """The rows of `outcome` and its unit, divided as `units` asks (e.g. {'yuan': 'M yuan'})."""
        rows = self.effect(outcome).copy()
        unit = rows["unit"].iloc[0]
        for money, factor in YUAN_SCALES.items():
            if units and unit.startswith("yuan") and units.get("yuan") == money:
                rows[["difference", "ci_low", "ci_high"]] /= factor
                unit = money + unit[len("yuan"):]
        return rows, unit

    def plot(self, outcome: str = "deaths_true", cost: str = "cost", ax=None, labels: dict | None = None,
             units: dict | None = None):
        """Change in `outcome` against change in `cost`, each with its paired 95% interval.

        labels: display names of the scenarios ({'reform_assessment': 'Assessment reform'});
        units: {'yuan': '10k yuan'} or {'yuan': 'M yuan'} scales money. Names stay inside the axes
        and the numbers carry no offset, so the figure goes into a paper as it is."""
        import matplotlib.pyplot as plt

        effect, effect_unit = self._scaled(outcome, units)
        spend, spend_unit = self._scaled(cost, units)
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.5))
        for name in effect.index:
            e, c = effect.loc[name], spend.loc[name]
            ax.errorbar(c["difference"], e["difference"],
                        yerr=[[e["difference"] - e["ci_low"]], [e["ci_high"] - e["difference"]]],
                        xerr=[[c["difference"] - c["ci_low"]], [c["ci_high"] - c["difference"]]], fmt="o", capsize=3)
            ax.annotate((labels or {}).get(name, name), (c["difference"], e["difference"]), textcoords="offset points",
                        xytext=(4, 4), fontsize="small", annotation_clip=True)
        ax.axhline(0, color="grey", lw=0.8)
        ax.axvline(0, color="grey", lw=0.8)
        _plain_numbers(ax)
        ax.margins(x=0.25, y=0.15)  # room for the names inside the axes
        base = (labels or {}).get(self.base, self.base)
        ax.set_xlabel(f"change in {spend['label'].iloc[0]} ({spend_unit}) vs {base}")
        ax.set_ylabel(f"change in {effect['label'].iloc[0]} ({effect_unit})")
        ax.set_title(f"paired differences, 95% t intervals, {self.replicates} replicates", fontsize="medium")
        return ax

    def plot_effects(self, outcomes=("deaths_true", "accidents_true", "formal_share", "cost"), labels: dict | None = None,
                     units: dict | None = None, ncols: int = 2, axes=None):
        """A multi-outcome panel: one axes per outcome, each alternative's paired difference with
        its 95% interval as a point and bar, scenario names (or `labels`) on the y axis. Returns
        the axes. `units` scales money as in :meth:`plot`."""
        import matplotlib.pyplot as plt

        outcomes = [outcomes] if isinstance(outcomes, str) else list(outcomes)
        nrows = -(-len(outcomes) // ncols)
        if axes is None:
            _, grid = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 0.5 + (0.45 * len(self.scenarios) + 0.9) * nrows),
                                   squeeze=False, sharey=True, constrained_layout=True)
            axes = list(grid.ravel())
            for extra in axes[len(outcomes):]:
                extra.set_visible(False)
        names = self.scenarios[1:]
        shown = [(labels or {}).get(n, n) for n in names]
        for axis, outcome in zip(axes, outcomes):
            rows, unit = self._scaled(outcome, units)
            y = range(len(names))
            mid = rows.loc[names, "difference"].to_numpy()
            axis.errorbar(mid, y, xerr=[mid - rows.loc[names, "ci_low"].to_numpy(), rows.loc[names, "ci_high"].to_numpy() - mid],
                          fmt="o", capsize=3)
            axis.axvline(0, color="grey", lw=0.8)
            axis.set_yticks(list(y), shown)
            if axis is axes[0]:  # shared: inverting once puts the first alternative on top of every panel
                axis.invert_yaxis()
            axis.set_title(rows["label"].iloc[0], fontsize="medium")
            axis.set_xlabel(f"change ({unit})", fontsize="small")
            _plain_numbers(axis)
        return axes

    def __repr__(self) -> str:
        return (f"<anjian.Comparison {len(self.scenarios) - 1} alternative(s) against {self.base!r}: "
                f"{self.replicates} replicates x {self.years:g} recorded years>")


# Money units a figure may use, and yuan per unit.
YUAN_SCALES = {"yuan": 1.0, "10k yuan": 1e4, "M yuan": 1e6}


def _plain_numbers(ax) -> None:
    """Tick labels without a shared offset or power of ten above the axis (the '1e6' a paper
    cannot use): scale the data with `units` instead."""
    for axis in (ax.xaxis, ax.yaxis):
        formatter = axis.get_major_formatter()
        if hasattr(formatter, "set_useOffset"):
            formatter.set_useOffset(False)
            formatter.set_scientific(False)


def power_replicates(sd: float, effect: float, power: float = 0.8, alpha: float = 0.05) -> int:
    """Replicates n for which a paired t test at level `alpha` detects a true mean difference
    `effect` with probability `power`, when paired differences have standard deviation `sd`:
    the smallest n >= 2 with P(|T| > t_{1-alpha/2, n-1}) >= power, T noncentral t with n - 1
    degrees of freedom and noncentrality effect / (sd / sqrt(n))."""
    from scipy import stats

    if not (sd > 0 and effect != 0 and 0 < power < 1 and 0 < alpha < 1):
        raise ValueError(f"anjian.power: need sd > 0, effect != 0, 0 < power < 1, 0 < alpha < 1; got sd={sd!r}, "
                         f"effect={effect!r}, power={power!r}, alpha={alpha!r}")
    for n in range(2, 10_000_001):
        critical = stats.t.ppf(1 - alpha / 2, n - 1)
        shift = abs(effect) / (sd / n ** 0.5)
        with warnings.catch_warnings():  # scipy's noncentral t warns where its tails underflow to 0
            warnings.simplefilter("ignore", RuntimeWarning)
            reached = stats.nct.sf(critical, n - 1, shift) + stats.nct.cdf(-critical, n - 1, shift)
        if reached >= power:
            return n
        if n > 64:  # past the small-sample region the normal approximation is exact enough to jump
            z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
            return max(n, int(-(-(z * sd / abs(effect)) ** 2 // 1)) + 1)
    raise ValueError("anjian.power: more than ten million replicates")


def power(sd: float, effect: float, power: float = 0.8, alpha: float = 0.05) -> int:
    """Replicates needed to detect a true paired difference `effect` (in the outcome's unit)
    with probability `power` at level `alpha`, when the paired differences between scenarios
    have standard deviation `sd` (from a pilot: ``Comparison.replicates_needed`` does this for
    you). For a rare outcome such as deaths, sd comes from the replicates' own Poisson noise:
    run a pilot of 8-16 replicates, then ask for the replicates the effect you care about needs."""
    return power_replicates(sd, effect, power, alpha)


def _unique_names(scenarios) -> list[str]:
    names, seen = [], {}
    for scenario in scenarios:
        count = seen.get(scenario.name, 0)
        seen[scenario.name] = count + 1
        names.append(scenario.name if count == 0 else f"{scenario.name}_{count + 1}")
    return names


def compare(base, *alternatives, replicates: int | None = None, seed: int | None = None, threads: int | None = None,
            progress=False, posterior=None) -> Comparison:
    """Runs `base` and each alternative (Scenario or path) with common random numbers and returns
    the paired effects of each alternative against the base (the statistics of `anjian compare`).

    replicates and seed default to the base scenario's run.replicates and run.seed and are used
    for every scenario, so replicate k of each shares its random streams. Scenarios must record
    the same period (time.years, time.step_days). Repeated names get a suffix (_2, _3, ...).

    posterior: the path of a posterior CSV (``anjian.calibrate`` writes it; weight,KEY,...), or a
    DataFrame with a ``weight`` column and one column per parameter. Replicate k of every
    scenario then runs parameter draw k (a weighted systematic resample with the seed, in C++ as
    ``anjian compare --posterior``), so the intervals hold parameter uncertainty as well as chance;
    pairs still share random numbers and parameters. A scenario that sets a posterior key
    otherwise than the base keeps its own value. ``Comparison.posterior_draws`` lists the row of
    the posterior each replicate ran.
    """
    from . import _as_scenario, _progress_callback, _whole_number

    if not alternatives:
        raise ValueError("anjian.compare: give at least one alternative scenario after the base")
    scenarios = [_as_scenario(s).copy() for s in (base, *alternatives)]
    replicates = scenarios[0]["run.replicates"] if replicates is None else _whole_number("replicates", replicates, 1)
    seed = scenarios[0]["run.seed"] if seed is None else _whole_number("seed", seed, 0)
    for scenario in scenarios[1:]:  # common random numbers need one period; say which setting differs
        for key in ("time.years", "time.burn_in_years", "time.step_days"):
            if scenario[key] != scenarios[0][key]:
                raise ValueError(f"anjian.compare: {scenario.name} records another period than {scenarios[0].name}: "
                                 f"{key}: {scenario[key]} vs {scenarios[0][key]}; set it equal, e.g. "
                                 f".with_(**{{'{key}': {scenarios[0][key]!r}}})")
    names = _unique_names(scenarios)
    for scenario, name in zip(scenarios, names):
        scenario.set("run.replicates", replicates).set("run.seed", seed)
        scenario.name = name
    threads = 0 if threads is None else _whole_number("threads", threads, 1)
    posterior_path, temporary = _posterior_path(posterior)
    try:
        raw = _core.compare_scenarios([s._native for s in scenarios], threads, _progress_callback(progress),
                                      posterior_path)
    finally:
        if temporary:
            os.unlink(posterior_path)
    results = {name: Results.from_image(image, f"compare: {name}") for name, image in zip(names, raw["images"])}
    comparison = Comparison(names, raw, results)
    comparison.posterior_draws = list(raw.get("posterior_draws", []))
    for name, kept in zip(names, raw.get("posterior_kept", [])):
        if kept:
            warnings.warn(f"anjian.compare: {name} sets {', '.join(kept)} itself and keeps its own value, "
                          f"not the posterior's draws", stacklevel=2)
    return comparison


def _posterior_path(posterior) -> tuple[str, bool]:
    """The CSV path the engine reads: the path given, or a temporary file holding a DataFrame."""
    if posterior is None:
        return "", False
    if isinstance(posterior, (str, os.PathLike)):
        return os.fspath(posterior), False
    if isinstance(posterior, pd.DataFrame):
        import tempfile
        if "weight" not in posterior.columns:
            raise ValueError("anjian.compare: a posterior DataFrame needs a 'weight' column and one column per parameter")
        handle, path = tempfile.mkstemp(suffix=".csv", prefix="anjian-posterior-")
        with os.fdopen(handle, "w") as f:
            keys = [c for c in posterior.columns if c != "weight" and not str(c).startswith("_")]
            posterior[["weight", *keys]].to_csv(f, index=False, float_format="%.17g")
        return path, True
    raise TypeError(f"anjian.compare: posterior must be a path or a DataFrame, got {type(posterior).__name__}")
