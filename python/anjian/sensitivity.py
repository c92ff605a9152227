"""Global sensitivity analysis of sweep results: Morris screening and Sobol indices.

    sw = anjian.open_sweep("results/morris.h5")               # method: morris
    table = anjian.sensitivity.morris(sw, "deaths_true")      # mu, mu_star, sigma per factor
    anjian.sensitivity.plot_morris(table)
    sw = anjian.open_sweep("results/sobol.h5")                # method: sobol
    anjian.sensitivity.sobol(sw, "deaths_true")               # S1, ST with bootstrap intervals

The estimators work on plain arrays too (``morris_effects``, ``sobol_indices``), with the samplers
``morris_sample`` and ``saltelli_sample`` that lay rows out as ``anjian sweep`` does:

- Morris (1991), as in Campolongo et al. (2007): elementary effects along one-at-a-time
  trajectories, each the change in the outcome per unit change of one factor scaled to [0, 1];
  mu* is the mean absolute effect (overall influence), sigma their standard deviation
  (interactions and non-linearity).
- Sobol' indices from Saltelli's scheme (rows A, AB_1..AB_k, B per base sample): first-order
  S_i by Saltelli et al. (2010) with f_B centred on the mean output, total-order ST_i by Jansen
  (1999), with percentile bootstrap intervals over base samples.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["saltelli_sample", "sobol_indices", "sobol", "morris_sample", "morris_effects", "morris",
           "plot_sobol", "plot_morris"]


def _bounds(bounds) -> np.ndarray:
    b = np.asarray(bounds, dtype=float)
    if b.ndim != 2 or b.shape[1] != 2 or np.any(b[:, 0] >= b[:, 1]):
        raise ValueError("anjian: bounds must be a list of [low, high] pairs with low < high")
    return b


def saltelli_sample(bounds, n: int) -> np.ndarray:
    """n * (k + 2) rows in Saltelli's order (A_j, AB_j^1..AB_j^k, B_j per base sample j) from a
    2k-dimensional Sobol' sequence without its first point (scipy's directions; ``anjian sweep``
    uses Boost's, the same Joe-Kuo numbers), scaled to bounds [[low, high], ...]."""
    from scipy.stats import qmc

    b = _bounds(bounds)
    k = len(b)
    m = int(np.ceil(np.log2(n + 1)))
    base = qmc.Sobol(d=2 * k, scramble=False).random_base2(m)[1:n + 1]
    rows = []
    for a, bb in zip(base[:, :k], base[:, k:]):
        rows.append(a)
        for i in range(k):
            ab = a.copy()
            ab[i] = bb[i]
            rows.append(ab)
        rows.append(bb)
    unit = np.asarray(rows)
    return b[:, 0] + unit * (b[:, 1] - b[:, 0])


def _sobol_point(fa, fb, fab):
    variance = np.var(np.concatenate([fa, fb]), ddof=1)
    if variance == 0:  # an outcome that never varies (e.g. no deaths in a small county): no indices
        return np.full(fab.shape[1], np.nan), np.full(fab.shape[1], np.nan)
    # Centring f_B leaves the estimator's expectation as it is (E[f_AB - f_A] = 0) but removes the
    # noise a large mean brings (a county's cost is millions of yuan that vary by a few percent).
    centred = fb - np.mean(np.concatenate([fa, fb]))
    first = np.mean(centred[:, None] * (fab - fa[:, None]), axis=0) / variance
    total = 0.5 * np.mean((fa[:, None] - fab) ** 2, axis=0) / variance
    return first, total


def sobol_indices(y, k: int, names=None, bootstrap: int = 1000, confidence: float = 0.95,
                  seed: int = 0) -> pd.DataFrame:
    """First- and total-order Sobol' indices of outputs y laid out by :func:`saltelli_sample`
    (n * (k + 2) values), with percentile bootstrap intervals over the n base samples.

    Returns a DataFrame indexed by factor: S1, S1_low, S1_high, ST, ST_low, ST_high."""
    y = np.asarray(y, dtype=float).ravel()
    if y.size % (k + 2) != 0:
        raise ValueError(f"anjian: {y.size} outputs is not a multiple of k + 2 = {k + 2} (Saltelli's layout)")
    if np.isnan(y).any():
        raise ValueError("anjian: the outputs hold NaN (failed runs); Sobol' indices need every run")
    rows = y.reshape(-1, k + 2)
    fa, fab, fb = rows[:, 0], rows[:, 1:k + 1], rows[:, k + 1]
    first, total = _sobol_point(fa, fb, fab)
    rng = np.random.default_rng(seed)
    n = len(fa)
    draws_first, draws_total = [], []
    for _ in range(bootstrap):
        pick = rng.integers(0, n, n)
        f, t = _sobol_point(fa[pick], fb[pick], fab[pick])
        draws_first.append(f)
        draws_total.append(t)
    tail = 100 * (1 - confidence) / 2
    table = pd.DataFrame({"S1": first, "ST": total}, index=pd.Index(names or [f"x{i + 1}" for i in range(k)],
                                                                      name="factor"))
    if bootstrap:
        table["S1_low"], table["S1_high"] = np.nanpercentile(draws_first, [tail, 100 - tail], axis=0)
        table["ST_low"], table["ST_high"] = np.nanpercentile(draws_total, [tail, 100 - tail], axis=0)
    return table[[c for c in ["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"] if c in table]]


def morris_sample(bounds, trajectories: int, levels: int = 4, seed: int = 0) -> np.ndarray:
    """Morris trajectories of k + 1 rows each, as ``anjian sweep`` lays them out: a random start on
    the grid of `levels` levels, then each factor in random order moves by delta = p / (2 (p - 1)),
    up from the grid's lower half and down from its upper half."""
    b = _bounds(bounds)
    k, p = len(b), levels
    if p % 2:
        raise ValueError("anjian: Morris needs an even number of levels")
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(trajectories):
        level = rng.integers(0, p, k)
        rows.append(level.copy())
        for f in rng.permutation(k):
            level[f] = level[f] + p // 2 if level[f] < p // 2 else level[f] - p // 2
            rows.append(level.copy())
    unit = np.asarray(rows, dtype=float) / (p - 1)
    return b[:, 0] + unit * (b[:, 1] - b[:, 0])


def morris_effects(x, y, bounds, names=None, bootstrap: int = 1000, confidence: float = 0.95,
                   seed: int = 0) -> pd.DataFrame:
    """Morris's statistics from trajectories x (rows of k + 1 points, each step moving one factor)
    and outputs y: per factor mu (mean elementary effect), mu_star (mean absolute effect) with a
    bootstrap interval over trajectories, and sigma (standard deviation of the effects).
    Effects are per unit change of the factor scaled to [0, 1] by bounds, so factors with other
    units compare. Sorted by mu_star, largest first."""
    b = _bounds(bounds)
    k = len(b)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    if x.shape[0] != y.size or x.shape[0] % (k + 1) or x.shape[1] != k:
        raise ValueError(f"anjian: x must hold trajectories of k + 1 = {k + 1} rows of {k} factors, one y per row")
    unit = (x - b[:, 0]) / (b[:, 1] - b[:, 0])
    effects = np.full((x.shape[0] // (k + 1), k), np.nan)
    for t in range(effects.shape[0]):
        u, v = unit[t * (k + 1):(t + 1) * (k + 1)], y[t * (k + 1):(t + 1) * (k + 1)]
        for step in range(k):
            moved = np.flatnonzero(u[step + 1] != u[step])
            if len(moved) != 1:
                raise ValueError(f"anjian: step {step} of trajectory {t} moves {len(moved)} factors, not one")
            f = moved[0]
            effects[t, f] = (v[step + 1] - v[step]) / (u[step + 1, f] - u[step, f])
    mu_star = np.nanmean(np.abs(effects), axis=0)
    table = pd.DataFrame({"mu": np.nanmean(effects, axis=0), "mu_star": mu_star,
                          "sigma": np.nanstd(effects, axis=0, ddof=1) if len(effects) > 1 else np.zeros(k)},
                         index=pd.Index(names or [f"x{i + 1}" for i in range(k)], name="factor"))
    if bootstrap and len(effects) > 1:
        rng = np.random.default_rng(seed)
        draws = [np.nanmean(np.abs(effects[rng.integers(0, len(effects), len(effects))]), axis=0)
                 for _ in range(bootstrap)]
        tail = 100 * (1 - confidence) / 2
        table["mu_star_low"], table["mu_star_high"] = np.percentile(draws, [tail, 100 - tail], axis=0)
    return table.sort_values("mu_star", ascending=False)


def _one_policy_mean(sweep, outcome: str, policy) -> np.ndarray:
    values = sweep.outcome(outcome, policy)     # [point, replicate]
    return values.mean(axis=1)


def morris(sweep, outcome: str, policy=0, **kwargs) -> pd.DataFrame:
    """Morris statistics of one outcome of a ``method: morris`` sweep (replicates averaged)."""
    if sweep.method != "morris":
        raise ValueError(f"anjian: {sweep.name} is a {sweep.method} sweep; Morris screening needs method: morris")
    bounds = np.column_stack([sweep.lower, sweep.upper])
    return morris_effects(sweep.points.to_numpy(), _one_policy_mean(sweep, outcome, policy), bounds,
                          names=list(sweep.factors), **kwargs)


def sobol(sweep, outcome: str, policy=0, **kwargs) -> pd.DataFrame:
    """Sobol' indices of one outcome of a ``method: sobol`` sweep (replicates averaged)."""
    if sweep.method != "sobol":
        raise ValueError(f"anjian: {sweep.name} is a {sweep.method} sweep; Sobol' indices need method: sobol")
    return sobol_indices(_one_policy_mean(sweep, outcome, policy), len(sweep.factors), names=list(sweep.factors),
                         **kwargs)


def plot_morris(table: pd.DataFrame, ax=None, title: str | None = None, label_top: int = 8):
    """mu* against sigma, one point per factor, the most influential labelled (Morris's chart)."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(6, 4.5))[1]
    ax.scatter(table["mu_star"], table["sigma"], color="tab:blue")
    for name, row in table.head(label_top).iterrows():
        ax.annotate(name, (row["mu_star"], row["sigma"]), fontsize=7, xytext=(3, 3), textcoords="offset points")
    top = max(table["mu_star"].max(), table["sigma"].max()) * 1.05 or 1
    ax.plot([0, top], [0, top], color="grey", lw=0.8, ls="--", label="sigma = mu*")
    ax.ticklabel_format(style="sci", scilimits=(-3, 4))
    ax.set_xlabel("mu* (mean |elementary effect|, outcome units per factor range)")
    ax.set_ylabel("sigma (spread of the effects)")
    ax.legend(loc="upper left", fontsize=7)
    if title:
        ax.set_title(title)
    return ax


def plot_sobol(table: pd.DataFrame, ax=None, title: str | None = None):
    """First- and total-order indices per factor as bars with their bootstrap intervals."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(6, 0.4 * len(table) + 1.5))[1]
    y = np.arange(len(table))
    for offset, key, color in [(-0.2, "S1", "tab:blue"), (0.2, "ST", "tab:orange")]:
        err = None
        if f"{key}_low" in table:
            err = np.vstack([table[key] - table[f"{key}_low"], table[f"{key}_high"] - table[key]]).clip(min=0)
        ax.barh(y + offset, table[key], height=0.4, xerr=err, color=color,
                label={"S1": "first order S1", "ST": "total order ST"}[key])
    ax.set_yticks(y, table.index, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("share of the outcome's variance (Sobol' index)")
    ax.legend(fontsize=7)
    if title:
        ax.set_title(title)
    return ax
