"""Calibration targets as data, the statistics that compute them from runs, calibration by Optuna
with an ABC posterior, and the validation report (docs/calibration.md).

    targets = anjian.calibration.load_targets("scenarios/calibration/targets.yaml")
    ev = anjian.calibration.evaluate(targets)                 # every computable target at default parameters
    ev.table                                                  # field value, model mean, 95% interval, z, met
    fit = anjian.calibrate(targets, n_trials=200, n_jobs=2)   # Optuna search, then ABC rejection
    fit.best, fit.posterior                                   # the calibrated point, a weighted sample

A target names a *statistic* (``STATISTICS``: a function of one run's Results giving one value
per replicate) of a *run*: ``base`` (the calibrated scenario) or a virtual experiment declared in
the targets file (the base with a few keys set, e.g. the randomised inspection trial). Each
target carries its field value, a one-sd uncertainty, a weight and its source. The distance of a
parameter set is sqrt(sum_i w_i z_i^2 / sum_i w_i), z_i = (model mean - field value) /
sqrt(uncertainty^2 + se^2), on a log scale where the target says ``scale: log``.

Command line: ``python3 -m anjian.calibration`` (``make calibrate``) runs it end to end;
``python3 -m anjian.validation`` (``make validate``) writes docs/validation.md.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
from typing import Callable

import numpy as np
import pandas as pd
import yaml

from .scenario import Scenario

NOT_COMPUTABLE = "not computable yet"


class TargetsError(ValueError):
    """A targets file or calibration argument that cannot be used; the message names the place and the fix."""


# ---- Statistics --------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Statistic:
    name: str
    unit: str
    meaning: str
    compute: Callable  # Results -> np.ndarray, one value per replicate (NaN where undefined)


def _ratio(num, den):
    num, den = np.asarray(num, float), np.asarray(den, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _totals(res, *metrics):
    t = res.totals(list(metrics))
    return [t[m].to_numpy(float) for m in metrics]


def _deaths_per_100k(res):
    deaths = _totals(res, "deaths_true")[0] / res.years
    workers = res.array("workers").mean(axis=1)
    return _ratio(deaths * 1e5, workers)


def _larger_share_of_fatal(res):
    larger, fatal = _totals(res, "accidents_larger_or_worse", "accidents_fatal")
    return 100 * _ratio(larger, fatal)


def _general_share_of_deaths(res):
    events = res.accidents
    events = events[events["deaths"] > 0]
    out = np.full(res.replicates, np.nan)
    for r, group in events.groupby("replicate"):
        total = group["deaths"].sum()
        if total > 0:
            out[int(r)] = 100 * group.loc[group["grade"].astype(str) == "general", "deaths"].sum() / total
    return out


def _deaths_per_fatal(res):
    deaths, fatal = _totals(res, "deaths_true", "accidents_fatal")
    return _ratio(deaths, fatal)


def _minor_per_serious_or_fatal(res):
    minor, serious, fatal = _totals(res, "accidents_minor", "accidents_serious", "accidents_fatal")
    return _ratio(minor, serious + fatal)


def _near_miss_per_serious_or_fatal(res):
    near, serious, fatal = _totals(res, "accidents_near_miss", "accidents_serious", "accidents_fatal")
    return _ratio(near, serious + fatal)


def _hazards_per_inspection(res):
    found, inspections = _totals(res, "hazards_found", "inspections")
    return _ratio(found, inspections)


def _major_hazards_per_inspection(res):
    major, inspections = _totals(res, "major_hazards_found", "inspections")
    return _ratio(major, inspections)


def _planned_share(res):
    unplanned, inspections = _totals(res, "inspections_complaint", "inspections")
    return 100 * (1 - _ratio(unplanned, inspections))


def _rectified_share(res):
    # Found hazards that end up removed under an order (by the deadline, or after a follow-up found
    # the order refused) over distinct hazards found, whoever found them: a township office's
    # referral the county never takes up, or a captured inspector's finding, is found and never
    # ordered. A refused order verified again is in hazards_refused, not found anew.
    rectified, found = _totals(res, "hazards_rectified", "hazards_found")
    return 100 * _ratio(rectified, found)


def _order_closure_share(res):
    # The closure rate of rectification orders, as enforcement statistics count it: ordered hazards
    # removed by the deadline or after a re-inspection, over hazards ordered. Both are flows of the
    # recorded years: an order of the burn-in closed in the first recorded year counts above the
    # line only, one of the last year still open at the end below it only, so over a record of a
    # few years the rate may pass 100 a little.
    rectified, ordered = _totals(res, "hazards_rectified", "hazards_ordered")
    return 100 * _ratio(rectified, ordered)


def _refused_share(res):
    # Orders not carried out by their deadline, as re-inspections find them, per hazard ordered.
    refused, ordered = _totals(res, "hazards_refused", "hazards_ordered")
    return 100 * _ratio(refused, ordered)


def _inspections_per_enterprise(res):
    inspections = _totals(res, "inspections")[0] / res.years
    firms = res.agents["enterprises"]
    registered = firms.groupby(level="replicate")["registered"].sum().to_numpy(float)
    return _ratio(inspections, registered)


def _accident_trend(res):
    """Least-squares slope of yearly true accidents over the recorded years, % of their mean per year."""
    yearly = res.yearly(["accidents_true"])["accidents_true"].unstack("year")
    years = yearly.columns.to_numpy(float)
    out = np.full(res.replicates, np.nan)
    if len(years) < 2:
        return out
    for r, row in enumerate(yearly.to_numpy(float)):
        mean = row.mean()
        if mean > 0:
            out[r] = 100 * np.polyfit(years, row, 1)[0] / mean
    return out


def _trial_effect(res):
    """Injuries (and deaths) per worker-year in treated enterprises relative to controls, minus 1, in %
    (Levine et al. 2012's injury-claims rate), over the recorded years."""
    panel = res.panel("enterprise")
    # Controls are the enterprises that could have been treated: eligible when the units were drawn
    # (files before the column: registered at the end, which counts late-registered workshops as controls).
    eligible = "trial_eligible" if "trial_eligible" in panel else "registered"
    panel = panel[panel[eligible].astype(bool)]
    harm = panel["injuries_true"] + panel["deaths_true"]
    panel = panel.assign(harm=harm)
    out = np.full(res.replicates, np.nan)
    for r, group in panel.groupby("replicate"):
        t, c = group[group["treated"].astype(bool)], group[~group["treated"].astype(bool)]
        if len(t) and len(c) and c["workers"].sum() > 0 and t["workers"].sum() > 0:
            rate_t = t["harm"].sum() / t["workers"].sum()
            rate_c = c["harm"].sum() / c["workers"].sum()
            if rate_c > 0:
                out[int(r)] = 100 * (rate_t / rate_c - 1)
    return out


def _first_inspection_sequences(res) -> pd.DataFrame | None:
    """Hazards found at the routine inspections, by staff with enforcement authority, of enterprises
    first inspected during the record (their inspections in the record are all they ever had,
    burn-in included), the first of them planned: columns replicate, enterprise, n (0 = the first
    such inspection, 1 = the next routine one, ...), hazards_found. None without inspection records.

    The field's sequences are a regulator's own inspections and the violations it cited (US OSHA):
    a township office without enforcement authority cites nothing (it refers what it finds), so its
    visits are left out, as the visits of other bodies are left out of OSHA's records."""
    try:
        visits = res.inspections
    except LookupError:
        return None
    key = ["replicate", "enterprise"]
    recorded = visits.groupby(key).size()
    ever = res.agents["enterprises"]["inspections"].rename_axis(key)  # a copy: Results' tables stay as read
    never_before = recorded.index[recorded.to_numpy() == ever.reindex(recorded.index).to_numpy()]
    visits = visits.set_index(key).loc[never_before].reset_index()  # keeps each enterprise's visits in day order
    can_enforce = res.agents["departments"]["can_enforce"].astype(bool).rename_axis(["replicate", "department"])
    visits = visits[can_enforce.reindex(pd.MultiIndex.from_frame(visits[["replicate", "department"]]),
                                        fill_value=False).to_numpy()]
    routine = visits["kind"].astype(str) == "routine"
    first_routine = visits.groupby(key)["kind"].transform("first").astype(str) == "routine"
    visits = visits[routine & first_routine]
    return visits.assign(n=visits.groupby(key).cumcount())[key + ["n", "hazards_found"]]


def _inspection_sequence_drop(later: int):
    """Per replicate: the fall in hazards found from enterprises' first inspection ever to their
    routine inspection number `later` (1 = the second), in % of the first, over the enterprises
    that had that many (Ko, Mendeloff & Gray 2010; Gray & Jones 1991)."""
    def compute(res):
        out = np.full(res.replicates, np.nan)
        sequences = _first_inspection_sequences(res)
        if sequences is None:
            return out
        reached = sequences.groupby(["replicate", "enterprise"])["n"].transform("max") >= later
        found = sequences[reached].groupby(["replicate", "n"])["hazards_found"].sum().unstack("n")
        if later not in found:
            return out
        for r, row in found.iterrows():
            if row[0] > 0:
                out[int(r)] = 100 * (1 - row[later] / row[0])
        return out
    return compute


OSCILLATION_SURROGATES = 400     # red-noise series per replicate
OSCILLATION_MIN_YEARS = 20       # shorter records leave the statistic undefined


def _detrended_acf(x: np.ndarray, lags) -> np.ndarray:
    """Autocorrelations of x at `lags` after removing its least-squares line (rows: series)."""
    x = np.atleast_2d(np.asarray(x, float))
    t = np.arange(x.shape[1], dtype=float)
    slope, intercept = np.polyfit(t, x.T, 1)
    x = x - (np.outer(slope, t) + intercept[:, None])
    x = x - x.mean(axis=1, keepdims=True)
    var = (x * x).sum(axis=1)
    return np.stack([(x[:, :-lag] * x[:, lag:]).sum(axis=1) / var for lag in lags], axis=1)


def _red_noise(phi: float, n: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` AR(1) series of length n with coefficient phi (after a burn-in of 50)."""
    burn = 50
    noise = rng.standard_normal((count, n + burn))
    red = np.empty_like(noise)
    red[:, 0] = noise[:, 0]
    for t in range(1, n + burn):
        red[:, t] = phi * red[:, t - 1] + noise[:, t]
    return red[:, burn:]


def oscillation_z(series, rng: np.random.Generator, surrogates: int = OSCILLATION_SURROGATES) -> float:
    """How much deeper the trough of a series' autocorrelation lies than red noise gives: the
    deepest detrended autocorrelation at lags 2 to n/3, against the same for AR(1) series of the
    same length, in standard deviations of theirs (positive: a cycle). The AR(1) coefficient is the
    one whose series show the observed lag-1 autocorrelation once detrended (a short detrended
    series understates it; taken as measured, red noise itself would score about +0.3)."""
    x = np.asarray(series, float)
    n = len(x)
    lags = range(2, max(3, n // 3 + 1))
    observed = _detrended_acf(x, lags).min()
    measured = float(_detrended_acf(x, [1])[0, 0])
    phi = measured
    for _ in range(3):  # the coefficient whose detrended series measure `measured` on average
        seen = _detrended_acf(_red_noise(phi, n, surrogates // 2, rng), [1]).mean()
        phi = float(np.clip(phi + (measured - seen), -0.95, 0.95))
    troughs = _detrended_acf(_red_noise(phi, n, surrogates, rng), lags).min(axis=1)
    return float((troughs.mean() - observed) / troughs.std(ddof=1))


def _oscillation_score(res):
    """Per replicate: oscillation_z of the yearly mean safety quality (enterprises' compliance)."""
    quality = res.yearly(["safety_quality_mean"])["safety_quality_mean"].unstack("year")
    out = np.full(res.replicates, np.nan)
    if quality.shape[1] < OSCILLATION_MIN_YEARS:
        return out
    for r, row in quality.iterrows():
        rng = np.random.default_rng([20261203, int(r)])  # the same surrogates for every trial
        out[int(r)] = oscillation_z(row.to_numpy(float), rng)
    return out


def _ceiling_bunching(res):
    """Township-years reporting exactly their own death ceiling c against those reporting c + 1,
    divided by the same ratio of true deaths (counts + 0.5): above 1 when reported deaths bunch at
    the ceilings. c is the township's share of the county's figure (``death_ceiling`` of the
    township table); files written before the figure was broken down to townships have no such
    column, and there the figure was every township's ceiling: c = floor(assessment.death_target)."""
    out = np.full(res.replicates, np.nan)
    target = _scenario_value(res, "assessment.death_target")
    if not target or target <= 0:  # no death target: nothing to bunch at
        return out
    try:
        panel = res.panel("township")
    except LookupError:  # no agent tables, so no ceilings (calibration runs write them)
        return out
    if "death_ceiling" in panel:
        ceiling = panel["death_ceiling"].to_numpy(float)
    else:
        ceiling = np.full(len(panel), math.floor(target))
    rep, true = panel["deaths_reported"].round().to_numpy(), panel["deaths_true"].round().to_numpy()
    replicate = panel["replicate"].to_numpy()
    for r in np.unique(replicate):
        mine = replicate == r
        c = ceiling[mine]
        at_rep, above_rep = (rep[mine] == c).sum() + 0.5, (rep[mine] == c + 1).sum() + 0.5
        at_true, above_true = (true[mine] == c).sum() + 0.5, (true[mine] == c + 1).sum() + 0.5
        out[int(r)] = (at_rep / above_rep) / (at_true / above_true)
    return out


def _scenario_value(res, key):
    doc = yaml.safe_load(res.scenario_yaml)
    node = doc
    for part in key.split("."):
        node = node[part]
    return float(node)


STATISTICS: dict[str, Statistic] = {s.name: s for s in [
    Statistic("deaths_per_100k_workers", "deaths/100k workers/year",
              "true deaths per year per 100,000 workers (mean workforce of the period)", _deaths_per_100k),
    Statistic("larger_or_worse_share_of_fatal", "% of fatal accidents",
              "accidents of grade larger or worse (Decree 493) as a share of fatal accidents", _larger_share_of_fatal),
    Statistic("general_share_of_deaths", "% of deaths",
              "deaths in accidents of grade general as a share of all deaths (accident events)", _general_share_of_deaths),
    Statistic("deaths_per_fatal_accident", "deaths/accident", "true deaths per fatal accident", _deaths_per_fatal),
    Statistic("minor_per_serious_or_fatal", "accidents/accident",
              "minor-injury accidents per serious-injury or fatal accident (the pyramid's second tier)",
              _minor_per_serious_or_fatal),
    Statistic("near_miss_per_serious_or_fatal", "accidents/accident",
              "near-misses per serious-injury or fatal accident (the pyramid's base)", _near_miss_per_serious_or_fatal),
    Statistic("hazards_per_inspection", "hazards/inspection", "hazards found per on-site inspection",
              _hazards_per_inspection),
    Statistic("major_hazards_per_inspection", "hazards/inspection",
              "major hazards (重大事故隐患) found per on-site inspection", _major_hazards_per_inspection),
    Statistic("planned_share", "% of inspections",
              "inspections the departments planned (routine and experimental visits) per inspection; the "
              "unplanned ones answer confirmed public reports or verify refused orders", _planned_share),
    Statistic("rectified_share", "% of found hazards",
              "found hazards removed under a rectification order, by its deadline or after a follow-up, per distinct "
              "hazard found by anyone (township referrals never ordered and captured findings included)",
              _rectified_share),
    Statistic("order_closure_share", "% of ordered hazards",
              "ordered hazards removed by the deadline or after a re-inspection, per hazard ordered (the closure rate "
              "of rectification orders)", _order_closure_share),
    Statistic("refused_share", "% of ordered hazards",
              "ordered hazards a re-inspection found not removed by the deadline (refusals), per hazard ordered",
              _refused_share),
    Statistic("inspections_per_enterprise", "inspections/enterprise/year",
              "on-site inspections per registered enterprise (end of run) and year", _inspections_per_enterprise),
    Statistic("accident_trend", "% of mean/year",
              "least-squares slope of yearly true accidents over the recorded years, relative to their mean",
              _accident_trend),
    Statistic("trial_injury_effect", "% change",
              "injuries and deaths per worker-year of treated against control enterprises, minus 1 (a randomised trial's run)",
              _trial_effect),
    Statistic("first_to_second_inspection_drop", "% of first",
              "fall in hazards found from an enterprise's first inspection ever by staff with enforcement authority "
              "(a planned one, during the record) to their next planned one, per hazard found at the first; needs "
              "output.inspection_events",
              _inspection_sequence_drop(1)),
    Statistic("first_to_fourth_inspection_drop", "% of first",
              "the same fall from the first inspection ever by staff with authority to their fourth planned one; "
              "needs output.inspection_events",
              _inspection_sequence_drop(3)),
    Statistic("oscillation_score", "sd",
              "how much deeper the trough of the detrended yearly mean safety quality's autocorrelation (lags 2 "
              "to a third of the record) lies than that of red noise (AR(1) series of the same length and lag-1 "
              "correlation), in their standard deviations; undefined under 20 recorded years",
              _oscillation_score),
    Statistic("ceiling_bunching", "ratio",
              "(township-years reporting c deaths / reporting c+1) over the same for true deaths; c = the township's "
              "death ceiling (its share of the county's assessment.death_target)",
              _ceiling_bunching),
]}


def statistics() -> pd.DataFrame:
    """The statistics a target may name: statistic, unit, meaning."""
    return pd.DataFrame([(s.name, s.unit, s.meaning) for s in STATISTICS.values()],
                        columns=["statistic", "unit", "meaning"])


# ---- Targets -----------------------------------------------------------------------------------

@dataclasses.dataclass
class Target:
    name: str
    source: str
    status: str = "computable"          # or NOT_COMPUTABLE
    why: str = ""                       # why not computable yet
    statistic: str | None = None
    run: str = "base"
    paired_with: str = ""               # a run whose statistic is subtracted, replicate by replicate
    value: float | None = None
    uncertainty: float | None = None    # one sd, in the statistic's unit (on the natural-log scale if scale: log)
    weight: float = 1.0
    scale: str = "linear"               # linear or log
    direction: str = "equal"            # equal, or above (the field says: greater than value)
    field: str = ""                     # the field figure as the source states it
    reference: str = ""                 # key of docs/references.md

    @property
    def computable(self) -> bool:
        return self.status != NOT_COMPUTABLE


@dataclasses.dataclass
class Prior:
    low: float
    high: float
    log: bool = False
    integer: bool = False


@dataclasses.dataclass
class Targets:
    path: str
    scenario: str                         # path of the calibrated scenario
    parameters: dict                      # key -> Prior
    experiments: dict                     # run name -> {key: value}
    targets: list
    calibration_run: dict                 # replicates, seed, set
    validation_run: dict

    def computable(self) -> list:
        return [t for t in self.targets if t.computable]

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([dataclasses.asdict(t) for t in self.targets])


_TARGET_KEYS = {"name", "source", "status", "why", "statistic", "run", "paired_with", "value", "uncertainty",
                "weight", "scale", "direction", "field", "reference"}
_TOP_KEYS = {"scenario", "parameters", "experiments", "targets", "calibration_run", "validation_run", "description"}


_PARAMS = None


def _params_table():
    global _PARAMS
    if _PARAMS is None:
        from . import params
        _PARAMS = params().set_index("key")
    return _PARAMS


def _check_parameters(spec: dict, where: str) -> dict:
    table = _params_table()
    out = {}
    for key, entry in (spec or {}).items():
        place = f"{where}: parameters: {key}"
        if key not in table.index:
            close = [k for k in table.index if key.split(".")[-1] in k][:3]
            raise TargetsError(f"{place}: unknown parameter" + (f"; did you mean {', '.join(close)}?" if close else "")
                               + " (anjian.params() lists every key)")
        row = table.loc[key]
        if row["type"] not in ("real", "integer"):
            raise TargetsError(f"{place}: a {row['type']} parameter cannot be calibrated; name a real or integer one")
        entry = entry or {}
        if not isinstance(entry, dict):
            raise TargetsError(f"{place}: expected a mapping such as {{prior: [low, high], log: false}}, got {entry!r}")
        unknown = set(entry) - {"prior", "log", "allow_source"}
        if unknown:
            raise TargetsError(f"{place}: unknown field(s) {sorted(unknown)}; use prior, log, allow_source")
        source = row["source"]
        if source not in ("assumed", "calibrated") and entry.get("allow_source") != source:
            raise TargetsError(f"{place}: its source is '{source}', not assumed or calibrated; calibrate only assumed "
                               f"parameters, or add `allow_source: {source}` to say you mean it")
        low, high = entry.get("prior", [row["min"], row["max"]])
        low, high = float(low), float(high)
        if not (row["min"] <= low < high <= row["max"]):
            raise TargetsError(f"{place}: prior [{low:g}, {high:g}] must lie inside the declared range "
                               f"[{row['min']:g}, {row['max']:g}] with low < high")
        log = bool(entry.get("log", False))
        if log and low <= 0:
            raise TargetsError(f"{place}: a log prior needs low > 0, got {low:g}")
        if not math.isfinite(high - low) or high - low > 1e6:
            raise TargetsError(f"{place}: the declared range [{low:g}, {high:g}] is too wide for a prior; "
                               f"give prior: [low, high]")
        out[key] = Prior(low, high, log, row["type"] == "integer")
    return out


def _check_target(entry, index: int, where: str, runs: set) -> Target:
    place = f"{where}: targets[{index}]"
    if not isinstance(entry, dict):
        raise TargetsError(f"{place}: expected a mapping with name, source, statistic, value, uncertainty, weight")
    name = entry.get("name")
    if not name:
        raise TargetsError(f"{place}: a target needs a name")
    place = f"{where}: target '{name}'"
    unknown = set(entry) - _TARGET_KEYS
    if unknown:
        raise TargetsError(f"{place}: unknown field(s) {sorted(unknown)}; known: {sorted(_TARGET_KEYS)}")
    if not entry.get("source"):
        raise TargetsError(f"{place}: give its source (a citation; docs/references.md)")
    target = Target(**entry)
    if target.status not in ("computable", NOT_COMPUTABLE):
        raise TargetsError(f"{place}: status must be 'computable' or '{NOT_COMPUTABLE}', got {target.status!r}")
    if not target.computable:
        if not target.why:
            raise TargetsError(f"{place}: a target that is {NOT_COMPUTABLE} must say why (why: ...)")
        return target
    if target.statistic not in STATISTICS:
        raise TargetsError(f"{place}: unknown statistic {target.statistic!r}; known: {', '.join(STATISTICS)} "
                           f"(or set status: {NOT_COMPUTABLE} and why:)")
    if target.run not in runs:
        raise TargetsError(f"{place}: run {target.run!r} is neither 'base' nor an experiment of this file "
                           f"({', '.join(sorted(runs - {'base'})) or 'none declared'})")
    if target.paired_with and (not isinstance(target.paired_with, str) or target.paired_with not in runs
                               or target.paired_with == target.run):
        raise TargetsError(f"{place}: paired_with {target.paired_with!r} must be another run of this file "
                           f"(base or one of: {', '.join(sorted(runs - {'base'})) or 'none declared'}), not {target.run!r}")
    for field in ("value", "uncertainty", "weight"):
        value = getattr(target, field)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise TargetsError(f"{place}: {field} must be a finite number, got {value!r}")
    if target.uncertainty <= 0 or target.weight < 0:
        raise TargetsError(f"{place}: uncertainty must be > 0 and weight >= 0")
    if target.scale not in ("linear", "log"):
        raise TargetsError(f"{place}: scale must be linear or log, got {target.scale!r}")
    if target.scale == "log" and target.paired_with:
        raise TargetsError(f"{place}: a paired difference (paired_with) can be negative: use scale: linear")
    if target.scale == "log" and target.value <= 0:
        raise TargetsError(f"{place}: a log-scale target needs value > 0")
    if target.direction not in ("equal", "above"):
        raise TargetsError(f"{place}: direction must be equal or above, got {target.direction!r}")
    return target


def load_targets(path: str | os.PathLike) -> Targets:
    """Reads and checks a targets file (docs/calibration.md); TargetsError names the place and the fix."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except FileNotFoundError:
        raise TargetsError(f"{path}: no such targets file (scenarios/calibration/targets.yaml is the project's)") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        raise TargetsError(f"{where}: YAML syntax error: {getattr(e, 'problem', e)}") from None
    return targets_from_dict(doc, path)


def targets_from_dict(doc, path: str = "<targets>") -> Targets:
    """A Targets from the mapping a targets file holds; relative scenario paths are read against `path`'s folder."""
    if not isinstance(doc, dict):
        raise TargetsError(f"{path}: a targets file is a mapping with scenario, parameters, experiments, targets")
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise TargetsError(f"{path}: unknown key(s) {sorted(unknown)}; known: {sorted(_TOP_KEYS)}")
    scenario = doc.get("scenario")
    if not scenario:
        raise TargetsError(f"{path}: name the calibrated scenario (scenario: ../county_baseline.yaml)")
    if not os.path.isabs(scenario):
        scenario = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), scenario))
    if not os.path.isfile(scenario):
        raise TargetsError(f"{path}: scenario: {doc['scenario']} does not exist ({scenario})")
    experiments = doc.get("experiments") or {}
    if not isinstance(experiments, dict) or "base" in experiments:
        raise TargetsError(f"{path}: experiments: a mapping name -> {{set: {{key: value}}}}, not named 'base'")
    checked = {}
    base = Scenario.load(scenario)
    for name, spec in experiments.items():
        sets = (spec or {}).get("set") or {}
        trial = base.copy()
        for key, value in sets.items():
            try:
                trial.set(key, value)
            except Exception as e:  # ScenarioError: unknown key or bad value
                raise TargetsError(f"{path}: experiments: {name}: {e}") from None
        checked[name] = dict(sets)
    runs = {"base", *checked}
    targets = [_check_target(t, i, path, runs) for i, t in enumerate(doc.get("targets") or [])]
    if not targets:
        raise TargetsError(f"{path}: no targets")
    names = [t.name for t in targets]
    if len(set(names)) != len(names):
        raise TargetsError(f"{path}: target names repeat: {sorted({n for n in names if names.count(n) > 1})}")
    parameters = _check_parameters(doc.get("parameters"), path)
    runs_spec = {}
    for key in ("calibration_run", "validation_run"):
        spec = dict(doc.get(key) or {})
        bad = set(spec) - {"replicates", "seed", "set"}
        if bad:
            raise TargetsError(f"{path}: {key}: unknown field(s) {sorted(bad)}; use replicates, seed, set")
        for k, v in (spec.get("set") or {}).items():
            try:
                base.copy().set(k, v)
            except Exception as e:
                raise TargetsError(f"{path}: {key}: set: {e}") from None
        runs_spec[key] = spec
    return Targets(path, scenario, parameters, checked, targets, runs_spec["calibration_run"],
                   runs_spec["validation_run"])


def _as_targets(targets) -> Targets:
    if isinstance(targets, Targets):
        return targets
    if isinstance(targets, dict):
        return targets_from_dict(targets)
    return load_targets(targets)


# ---- Evaluation --------------------------------------------------------------------------------

def _t95(n: int) -> float:
    from scipy import stats
    return float(stats.t.ppf(0.975, n - 1)) if n > 1 else float("nan")


@dataclasses.dataclass
class Evaluation:
    """Every target's model value at one parameter set: ``table`` (one row per target) and ``distance``."""
    table: pd.DataFrame
    distance: float
    values: dict          # target name -> per-replicate values
    parameters: dict


def scenario_for(targets: Targets, values: dict | None = None, size: str = "calibration") -> Scenario:
    """The calibrated scenario with `values` set and the run size of the targets file
    (``calibration_run`` or ``validation_run``: its ``set``)."""
    s = Scenario.load(targets.scenario)
    spec = targets.calibration_run if size == "calibration" else targets.validation_run
    for key, value in (spec.get("set") or {}).items():
        s.set(key, value)
    types = _params_table()["type"]
    for key, value in (values or {}).items():
        if key not in types.index:
            raise TargetsError(f"parameter values: unknown parameter '{key}' (anjian.params() lists every key)")
        s.set(key, int(round(value)) if types[key] == "integer" else float(value))
    s.set("output.accident_events", True).set("output.agents", True)
    return s


def _experiment(base: Scenario, sets: dict) -> Scenario:
    s = base.copy()
    if "experiment.start_day" not in sets:  # the treatment starts with the recorded period
        s.set("experiment.start_day", int(round(365 * s["time.burn_in_years"])))
    for key, value in sets.items():
        s.set(key, value)
    return s


def _statistic(target: Target, results: dict) -> np.ndarray:
    """The target's statistic per replicate; with paired_with, minus the other run's, replicate by
    replicate: every run has the same seed, so replicate k of both shares its random streams and the
    difference removes what they share (in a trial, the chance imbalance of one assignment)."""
    compute = STATISTICS[target.statistic].compute
    v = np.asarray(compute(results[target.run]), float)
    if target.paired_with:
        v = v - np.asarray(compute(results[target.paired_with]), float)
    return v


def _z(target: Target, mean: float, se: float) -> float:
    if not math.isfinite(mean):
        return float("nan")
    if target.scale == "log":
        if mean <= 0:
            return float("nan")
        rel_se = se / mean if math.isfinite(se) else 0.0
        diff, scale = math.log(mean) - math.log(target.value), math.hypot(target.uncertainty, rel_se)
    else:
        diff, scale = mean - target.value, math.hypot(target.uncertainty, se if math.isfinite(se) else 0.0)
    if target.direction == "above":
        diff = min(diff, 0.0)
    return diff / scale


# z of an undefined statistic (no fatal accident in a small run, ...): a large but finite penalty
UNDEFINED_Z = 10.0


def combine(rows: list[dict], targets: list) -> float:
    weights = {t.name: t.weight for t in targets}
    total = sum(weights[r["target"]] for r in rows)
    if total <= 0:
        return float("nan")
    s = sum(weights[r["target"]] * (r["z"] if math.isfinite(r["z"]) else UNDEFINED_Z) ** 2 for r in rows)
    return math.sqrt(s / total)


def evaluate(targets, values: dict | None = None, size: str = "calibration", replicates: int | None = None,
             seed: int | None = None, threads: int | None = None, sets: dict | None = None) -> Evaluation:
    """Runs the calibrated scenario (and each experiment a target needs) at parameter `values`
    (default: the scenario's own) and computes every computable target: model mean over
    replicates, its standard error and 95% t interval, z and whether the field value is met
    (|z| <= 2; for direction: above, the model's interval lies above the value)."""
    from . import run
    targets = _as_targets(targets)
    spec = targets.calibration_run if size == "calibration" else targets.validation_run
    replicates = replicates or int(spec.get("replicates", 4))
    seed = int(spec.get("seed", 1)) if seed is None else seed
    base = scenario_for(targets, values, size)
    for key, value in (sets or {}).items():
        base.set(key, value)
    needed = {run for t in targets.computable() for run in (t.run, t.paired_with) if run}
    results = {}
    for name in sorted(needed):
        scenario = base if name == "base" else _experiment(base, targets.experiments[name])
        results[name] = run(scenario, replicates=replicates, seed=seed, threads=threads)
    rows, per_replicate = [], {}
    for t in targets.targets:
        row = {"target": t.name, "statistic": t.statistic, "run": t.run, "paired_with": t.paired_with,
               "field": t.field, "value": t.value,
               "uncertainty": t.uncertainty, "weight": t.weight, "source": t.source, "status": t.status,
               "why": t.why, "unit": STATISTICS[t.statistic].unit if t.statistic in STATISTICS else ""}
        if t.computable:
            v = _statistic(t, results)
            per_replicate[t.name] = v
            finite = v[np.isfinite(v)]
            n = len(finite)
            mean = float(finite.mean()) if n else float("nan")
            se = float(finite.std(ddof=1) / math.sqrt(n)) if n > 1 else float("nan")
            half = _t95(n) * se if n > 1 else float("nan")
            z = _z(t, mean, se if n > 1 else 0.0)
            if t.direction == "above":
                met = bool(n > 1 and mean - half > t.value)
            else:
                met = bool(math.isfinite(z) and abs(z) <= 2)
            row.update(model=mean, se=se, ci_low=mean - half, ci_high=mean + half, replicates_defined=n, z=z, met=met)
        rows.append(row)
    table = pd.DataFrame(rows)
    distance = combine([r for r in rows if "z" in r], targets.computable())
    return Evaluation(table, distance, per_replicate, dict(values or {}))


def distance(targets, values: dict | None = None, **kwargs) -> float:
    """The distance of parameter set `values` to the targets (see the module's docstring)."""
    return evaluate(targets, values, **kwargs).distance


# ---- Calibration -------------------------------------------------------------------------------

@dataclasses.dataclass
class Calibration:
    """The result of :func:`calibrate`.

    - ``best``: the parameter set of least distance found (every trial, prior draws and search);
    - ``best_distance``;
    - ``posterior``: DataFrame of the accepted prior draws: one column per parameter, ``weight``
      (sums to 1), ``_distance``, ``_trial``;
    - ``trials``: every finished trial (parameters, distance, phase);
    - ``tolerance``: the ABC tolerance (the `quantile` of the prior draws' distances);
    - ``study``: the Optuna study (in `storage`, resumable).
    """
    best: dict
    best_distance: float
    posterior: pd.DataFrame
    trials: pd.DataFrame
    tolerance: float
    study: object
    parameters: dict

    def interval(self, level: float = 0.9) -> pd.DataFrame:
        """Per parameter: the posterior's weighted mean and central `level` interval, the prior and the best value."""
        rows = []
        lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
        for key, prior in self.parameters.items():
            x, w = self.posterior[key].to_numpy(float), self.posterior["weight"].to_numpy(float)
            rows.append({"parameter": key, "prior_low": prior.low, "prior_high": prior.high,
                         "best": self.best.get(key), "mean": float(np.average(x, weights=w)),
                         "low": weighted_quantile(x, w, lo_q), "high": weighted_quantile(x, w, hi_q)})
        return pd.DataFrame(rows).set_index("parameter")


def weighted_quantile(x, w, q: float) -> float:
    """The q-quantile of a weighted sample (inverse of the weighted empirical distribution, midpoints)."""
    x, w = np.asarray(x, float), np.asarray(w, float)
    order = np.argsort(x)
    x, w = x[order], w[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cum, x))


def _prior_points(parameters: dict, n: int, seed: int) -> list[dict]:
    """n independent draws from the priors (uniform, or log-uniform where log: true); draw i comes
    from its own stream (seed, i), so asking for more draws later keeps the first ones."""
    points = []
    for i in range(n):
        rng = np.random.default_rng([seed, i])
        point = {}
        for key, prior in parameters.items():
            u = rng.random()
            if prior.log:
                x = math.exp(math.log(prior.low) + u * (math.log(prior.high) - math.log(prior.low)))
            else:
                x = prior.low + u * (prior.high - prior.low)
            point[key] = int(round(x)) if prior.integer else float(x)
        points.append(point)
    return points


def _suggest(trial, parameters: dict) -> dict:
    out = {}
    for key, prior in parameters.items():
        if prior.integer:
            out[key] = trial.suggest_int(key, int(math.ceil(prior.low)), int(math.floor(prior.high)), log=prior.log)
        else:
            out[key] = trial.suggest_float(key, prior.low, prior.high, log=prior.log)
    return out


def abc_posterior(trials: pd.DataFrame, parameters: dict, quantile: float = 0.1) -> tuple[pd.DataFrame, float]:
    """ABC rejection on draws from the prior: keep those whose distance is within the `quantile`
    of all their distances (the tolerance eps) and weight them by the Epanechnikov kernel
    1 - (d / eps)^2 (eps just above the largest kept distance, so each kept draw has weight > 0).
    Returns the weighted sample (weights sum to 1) and eps."""
    if not 0 < quantile <= 1:
        raise TargetsError(f"calibrate: quantile must be in (0, 1], got {quantile!r}")
    prior = trials[(trials["phase"] == "prior") & np.isfinite(trials["distance"])]
    if prior.empty:
        raise TargetsError("calibrate: no finished prior draw to build a posterior from; run more trials (n_prior)")
    eps = float(np.quantile(prior["distance"], quantile))
    kept = prior[prior["distance"] <= eps].copy()
    eps_kernel = eps * (1 + 1e-9) if eps > 0 else 1.0
    kept["weight"] = 1 - (kept["distance"] / eps_kernel) ** 2 if eps > 0 else 1.0
    kept["weight"] /= kept["weight"].sum()
    out = kept[["weight", *parameters]].copy()
    out["_distance"] = kept["distance"]
    out["_trial"] = kept["trial"]
    return out.reset_index(drop=True), eps


def _trials_table(study, parameters: dict) -> pd.DataFrame:
    import optuna
    rows = []
    for t in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,)):
        if not all(k in t.params for k in parameters):
            continue
        rows.append({"trial": t.number, "phase": t.user_attrs.get("phase", "search"), "distance": t.value,
                     **{k: t.params[k] for k in parameters}})
    return pd.DataFrame(rows, columns=["trial", "phase", "distance", *parameters])


def _fingerprint(targets: Targets, chosen: dict, replicates) -> str:
    """SHA-256 of what a trial's distance depends on: the targets, priors, run size, experiments and
    the resolved scenario, so a resumed study never mixes distances of different definitions."""
    import hashlib
    import json

    doc = {"targets": [dataclasses.asdict(t) for t in targets.computable()],
           "priors": {k: dataclasses.asdict(p) for k, p in chosen.items()},
           "run": targets.calibration_run, "replicates": replicates, "experiments": targets.experiments,
           "scenario": scenario_for(targets, None, "calibration").to_yaml()}
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def calibrate(targets, parameters=None, n_trials: int = 100, n_prior: int | None = None, quantile: float = 0.1,
              storage: str | None = None, study_name: str = "anjian-calibration", n_jobs: int = 1,
              replicates: int | None = None, seed: int = 1, threads: int | None = None,
              output_dir: str | None = None, progress: bool = False) -> Calibration:
    """Calibrates the free parameters to the targets, then builds an ABC posterior.

    targets: a Targets, a targets file's path or its mapping. parameters: keys to calibrate (a
    subset of the file's ``parameters``; default all of them), or a mapping key -> (low, high)
    that overrides the priors. Two phases share one Optuna study (``storage``, e.g.
    ``sqlite:///calibration.db``; in memory if None):

    1. ``n_prior`` independent draws from the priors (default n_trials // 2), draw i from the
       random stream (seed, i): the same seed gives the same draws however many jobs run them,
       and a resumed study with a larger n_prior keeps the draws it has;
    2. ``n_trials - n_prior`` trials of Optuna's TPE sampler (seed `seed`) that look for the
       least distance.

    Rerunning with the same storage and study_name resumes: finished trials are kept and only the
    missing ones run. n_jobs trials run at once (threads; the engine releases the GIL; each run
    then uses one thread unless `threads` says otherwise). Every trial runs with the same random
    numbers (seed of calibration_run), so differences between trials come from the parameters.
    progress: a line on stderr every 20 trials (the command line's default).

    The posterior is ABC rejection on the prior draws (:func:`abc_posterior`, tolerance = the
    `quantile` of their distances); the best point is the least distance over all trials. With
    output_dir, writes ``posterior.csv`` (weight, parameters, _distance, _trial: what
    ``anjian compare --posterior`` reads) and ``calibrated.yaml`` (the best point, which the
    calibrated scenario inherits) there.
    """
    import optuna

    targets = _as_targets(targets)
    chosen = dict(targets.parameters)
    if parameters is not None:
        if isinstance(parameters, str):
            parameters = [parameters]
        if isinstance(parameters, dict):
            extra = _check_parameters({k: {"prior": list(v)} if v is not None else {} for k, v in parameters.items()},
                                      "calibrate(parameters=...)")
            chosen = {k: extra[k] for k in parameters}
        else:
            missing = [k for k in parameters if k not in chosen]
            if missing:
                raise TargetsError(f"calibrate: parameters {missing} are not among the targets file's parameters "
                                   f"({', '.join(chosen) or 'none'}); add them under parameters: or pass "
                                   f"{{key: (low, high)}}")
            chosen = {k: chosen[k] for k in parameters}
    if not chosen:
        raise TargetsError(f"{targets.path}: no free parameter: list some under parameters: or pass parameters=")
    if not targets.computable():
        raise TargetsError(f"{targets.path}: no computable target")
    if n_trials < 1:
        raise TargetsError(f"calibrate: n_trials must be >= 1, got {n_trials}")
    n_prior = n_trials // 2 if n_prior is None else n_prior
    if not 0 < n_prior <= n_trials:
        raise TargetsError(f"calibrate: need 0 < n_prior <= n_trials, got n_prior={n_prior}, n_trials={n_trials}")
    run_threads = threads if threads is not None else (1 if n_jobs > 1 else None)

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=0)
    study = optuna.create_study(study_name=study_name, storage=storage, direction="minimize", sampler=sampler,
                                load_if_exists=True)
    stored = study.user_attrs.get("parameters")
    if stored is not None and stored != list(chosen):
        raise TargetsError(f"calibrate: study '{study_name}' in {storage} calibrates {stored}, not {list(chosen)}; "
                           f"give another study_name or storage")
    fingerprint = _fingerprint(targets, chosen, replicates)
    stored_fingerprint = study.user_attrs.get("fingerprint")
    if stored_fingerprint is not None and stored_fingerprint != fingerprint and study.trials:
        raise TargetsError(f"calibrate: study '{study_name}' in {storage} was run for other targets, priors, run size "
                           f"or scenario; its distances would not compare with these. Give another study_name "
                           f"(--study) or storage, or delete the old one")
    study.set_user_attr("fingerprint", fingerprint)
    study.set_user_attr("parameters", list(chosen))
    study.set_user_attr("targets", os.path.abspath(targets.path) if os.path.exists(targets.path) else targets.path)

    def objective(trial):
        values = _suggest(trial, chosen)
        try:
            ev = evaluate(targets, values, replicates=replicates, threads=run_threads)
        except (ValueError, LookupError) as e:  # a parameter set the model refuses (relations between keys)
            trial.set_user_attr("error", str(e))
            raise optuna.TrialPruned(str(e)) from None
        for _, row in ev.table[ev.table["status"] != NOT_COMPUTABLE].iterrows():
            trial.set_user_attr(f"model:{row['target']}", None if not math.isfinite(row["model"]) else row["model"])
        return ev.distance if math.isfinite(ev.distance) else 1e9

    # Phase 1: prior draws, evaluated n_jobs at a time and recorded in draw order from this thread
    # (no enqueued trials: parallel workers popping them from SQLite can race). Resumable: draws
    # already in the study are skipped.
    from concurrent.futures import ThreadPoolExecutor

    distributions = {
        k: (optuna.distributions.IntDistribution(int(math.ceil(p.low)), int(math.floor(p.high)), log=p.log)
            if p.integer else optuna.distributions.FloatDistribution(p.low, p.high, log=p.log))
        for k, p in chosen.items()}
    points = _prior_points(chosen, n_prior, seed)
    done = {t.user_attrs["prior_index"] for t in study.get_trials(deepcopy=False) if "prior_index" in t.user_attrs}
    todo = [i for i in range(n_prior) if i not in done]

    def draw(i):
        try:
            ev = evaluate(targets, points[i], replicates=replicates, threads=run_threads)
        except (ValueError, LookupError) as e:  # a parameter set the model refuses
            return i, None, {}, str(e)
        models = {f"model:{r['target']}": (None if not math.isfinite(r["model"]) else r["model"])
                  for _, r in ev.table[ev.table["status"] != NOT_COMPUTABLE].iterrows()}
        return i, (ev.distance if math.isfinite(ev.distance) else 1e9), models, None

    best_seen = [math.inf]

    def report(phase: str, done_count: int, total: int, value):
        # One line every 20 trials and at the end of a phase, on stderr (progress=True).
        if value is not None:
            best_seen[0] = min(best_seen[0], value)
        if progress and (done_count % 20 == 0 or done_count == total):
            print(f"calibrate: {phase} {done_count} of {total} trials; least distance so far {best_seen[0]:.4g}",
                  file=sys.stderr, flush=True)

    with ThreadPoolExecutor(max_workers=max(1, n_jobs)) as pool:
        for k, (i, value, models, error) in enumerate(pool.map(draw, todo), start=n_prior - len(todo) + 1):
            attrs = {"phase": "prior", "prior_index": i, **models, **({"error": error} if error else {})}
            study.add_trial(optuna.trial.create_trial(
                params=points[i], distributions=distributions, user_attrs=attrs, value=value,
                state=optuna.trial.TrialState.COMPLETE if error is None else optuna.trial.TrialState.FAIL))
            report("prior draws:", k, n_prior, value)
    # Phase 2: TPE search for the least distance.
    searched = sum(1 for t in study.get_trials(deepcopy=False) if t.user_attrs.get("phase") != "prior"
                   and t.state != optuna.trial.TrialState.RUNNING)
    remaining = n_trials - n_prior - searched
    if remaining > 0:
        def search(trial):
            trial.set_user_attr("phase", "search")
            return objective(trial)
        searched_now = [0]

        def searched_one(study_, trial):
            searched_now[0] += 1
            report("search:", searched + searched_now[0], n_trials - n_prior, trial.value)

        study.optimize(search, n_trials=remaining, n_jobs=n_jobs, callbacks=[searched_one])

    trials = _trials_table(study, chosen)
    if trials.empty:
        raise TargetsError("calibrate: every trial failed; see study.trials' user_attrs['error']")
    posterior, eps = abc_posterior(trials, chosen, quantile)
    best_row = trials.loc[trials["distance"].idxmin()]
    best = {k: (int(best_row[k]) if chosen[k].integer else float(best_row[k])) for k in chosen}
    result = Calibration(best, float(best_row["distance"]), posterior, trials, eps, study, chosen)
    if output_dir:
        write_outputs(result, targets, output_dir)
    return result


def write_posterior(posterior: pd.DataFrame, path: str) -> None:
    """Writes a posterior as CSV: weight, one column per parameter, then _distance and _trial
    (columns starting with '_' are ignored by ``anjian compare --posterior``)."""
    keys = [c for c in posterior.columns if c != "weight" and not c.startswith("_")]
    posterior[["weight", *keys, *[c for c in posterior.columns if c.startswith("_")]]].to_csv(
        path, index=False, float_format="%.10g")


def read_posterior(path: str) -> pd.DataFrame:
    """Reads a posterior CSV (weight, parameters, ...); the weights are normalised to sum to 1."""
    table = pd.read_csv(path, comment="#")
    if "weight" not in table.columns:
        raise TargetsError(f"{path}: a posterior needs a `weight` column (weight,KEY,KEY... as anjian.calibrate writes)")
    if (table["weight"] < 0).any() or not table["weight"].sum() > 0:
        raise TargetsError(f"{path}: weights must be >= 0 and not all 0")
    table["weight"] = table["weight"] / table["weight"].sum()
    return table


def write_outputs(result: Calibration, targets: Targets, output_dir: str) -> tuple[str, str]:
    """posterior.csv and calibrated.yaml in output_dir. calibrated.yaml sets only the free
    parameters, at the best point, and extends nothing: the calibrated scenario inherits it (the
    library's county_baseline.yaml does, and every library scenario through it), so a file that
    extended the calibrated scenario would be circular."""
    os.makedirs(output_dir, exist_ok=True)
    posterior_path = os.path.join(output_dir, "posterior.csv")
    write_posterior(result.posterior, posterior_path)
    scenario_path = os.path.join(output_dir, "calibrated.yaml")
    nested: dict = {}
    for key, value in result.best.items():
        node = nested
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    intervals = result.interval(0.9)
    lines = [
        "# The calibrated point: the least distance to the targets found by `make calibrate`",
        f"# (anjian.calibrate, {len(result.trials)} trials, distance {result.best_distance:.4g}). Generated: edit",
        f"# {os.path.relpath(targets.path, os.path.abspath(output_dir))} and run `make calibrate` again rather than",
        "# editing this file. Posterior 90% intervals (ABC rejection, posterior.csv beside this file):",
    ]
    for key, row in intervals.iterrows():
        lines.append(f"#   {key}: {row['low']:.4g} .. {row['high']:.4g} (prior {row['prior_low']:g} .. {row['prior_high']:g})")
    scenario = os.path.relpath(targets.scenario, os.path.abspath(output_dir))
    lines += [f"# Only the free parameters: {scenario} inherits this file (extends: calibration/calibrated.yaml),",
              "# and so does every scenario that extends it; the engine's defaults fill the rest.",
              "name: calibrated", "description: The free parameters at the calibrated point (the calibrated scenario extends this file)",
              ""]
    text = "\n".join(lines) + yaml.safe_dump(nested, sort_keys=False)
    with open(scenario_path, "w", encoding="utf-8") as f:
        f.write(text)
    Scenario.load(scenario_path)  # it must load as a scenario
    return posterior_path, scenario_path


# ---- Command line: python3 -m anjian.calibration (make calibrate) ------------------------------

DEFAULT_TARGETS = os.path.join("scenarios", "calibration", "targets.yaml")


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python3 -m anjian.calibration",
        description="Calibrates the free parameters of a targets file (Optuna search, then an ABC posterior) and "
                    "writes calibrated.yaml and posterior.csv beside it (docs/calibration.md).")
    parser.add_argument("targets", nargs="?", default=DEFAULT_TARGETS, help=f"targets file (default {DEFAULT_TARGETS})")
    parser.add_argument("--trials", type=int, default=200, help="trials in all (default 200)")
    parser.add_argument("--prior-trials", type=int, default=None,
                        help="of which draws from the prior, for the posterior (default half)")
    parser.add_argument("--quantile", type=float, default=0.1, help="ABC tolerance: quantile of the prior draws' "
                        "distances kept (default 0.1)")
    parser.add_argument("--jobs", type=int, default=1, help="trials run at once (threads; default 1)")
    parser.add_argument("--storage", default="sqlite:///results/calibration.db",
                        help="Optuna storage (default sqlite:///results/calibration.db); rerun to resume")
    parser.add_argument("--study", default="anjian-calibration", help="study name in the storage")
    parser.add_argument("--parameters", default=None, help="comma-separated subset of the file's parameters")
    parser.add_argument("--replicates", type=int, default=None, help="replicates per trial (default calibration_run's)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the prior draws and the sampler (default 1)")
    parser.add_argument("--output-dir", default=None, help="where calibrated.yaml and posterior.csv go "
                        "(default the targets file's folder)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr (one every 20 trials)")
    args = parser.parse_args(argv)
    try:
        targets = load_targets(args.targets)
        if args.storage.startswith("sqlite:///"):
            folder = os.path.dirname(args.storage[len("sqlite:///"):])
            if folder:
                os.makedirs(folder, exist_ok=True)
        fit = calibrate(targets, parameters=args.parameters.split(",") if args.parameters else None,
                        n_trials=args.trials, n_prior=args.prior_trials, quantile=args.quantile, storage=args.storage,
                        study_name=args.study, n_jobs=args.jobs, replicates=args.replicates, seed=args.seed,
                        output_dir=args.output_dir or os.path.dirname(os.path.abspath(args.targets)),
                        progress=not args.quiet)
    except (TargetsError, ValueError) as e:
        print(f"anjian calibration: error: {e}", file=sys.stderr)
        return 2
    out = args.output_dir or os.path.dirname(args.targets)
    print(f"{len(fit.trials)} trials; best distance {fit.best_distance:.4g}; ABC tolerance {fit.tolerance:.4g} "
          f"({len(fit.posterior)} prior draws kept)")
    print(fit.interval(0.9).to_string(float_format=lambda x: f"{x:.4g}"))
    print(f"wrote {os.path.join(out, 'calibrated.yaml')} and {os.path.join(out, 'posterior.csv')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
