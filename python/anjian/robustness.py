"""Robustness of policies across uncertain worlds (EMA's uncertainties x levers).

A sweep with several policies runs every design point (a "world": one set of values of the
uncertain factors) under every policy with common random numbers. Lower is better for every
outcome unless ``higher_is_better`` says otherwise.

    sw = anjian.open_sweep("results/robust.h5")
    anjian.robustness.wins(sw, ["deaths_true", "cost"])   # share of worlds each policy beats the baseline
    anjian.robustness.regret(sw, "deaths_true")           # how far from the best policy of each world
    box = anjian.robustness.prim(sw.points, fails)        # PRIM: where the factors make a reform fail
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["wins", "regret", "prim", "failures", "plot_wins", "plot_regret", "plot_prim"]

HIGHER_IS_BETTER = {"reported_share", "hazards_found", "inspections", "inspector_morale", "inspector_skill",
                    "safety_quality", "unregistered_found", "concealment_exposed"}


def _world_means(sweep, outcome: str) -> np.ndarray:
    """[point, policy]: the outcome averaged over replicates, sign set so that lower is better."""
    values = np.nanmean(sweep.outcome(outcome), axis=2)
    return -values if outcome in HIGHER_IS_BETTER else values


def wins(sweep, outcomes, baseline=0) -> pd.DataFrame:
    """Per policy (rows) and outcome (columns): the share of worlds in which it does better than
    the baseline (replicates averaged; ties count as not better)."""
    outcomes = [outcomes] if isinstance(outcomes, str) else list(outcomes)
    b = sweep.policy_index(baseline)
    table = {}
    for outcome in outcomes:
        v = _world_means(sweep, outcome)
        table[outcome] = (v < v[:, [b]]).mean(axis=0)
    frame = pd.DataFrame(table, index=pd.Index(sweep.policies, name="policy"))
    return frame.drop(index=sweep.policies[b])


def failures(sweep, outcome: str, policy, baseline=0) -> np.ndarray:
    """Per world: True where the policy does not beat the baseline on the outcome."""
    v = _world_means(sweep, outcome)
    return ~(v[:, sweep.policy_index(policy)] < v[:, sweep.policy_index(baseline)])


def regret(sweep, outcome: str) -> pd.DataFrame:
    """Per policy: the regret of choosing it in each world (how much worse than that world's best
    policy, in the outcome's unit), summarised as mean, 90th percentile and maximum over worlds,
    and the share of worlds in which it is the best. Sorted by maximum regret (the minimax choice first)."""
    v = _world_means(sweep, outcome)
    r = v - v.min(axis=1, keepdims=True)
    best = v.argmin(axis=1)
    frame = pd.DataFrame({"mean_regret": r.mean(axis=0), "p90_regret": np.percentile(r, 90, axis=0),
                          "max_regret": r.max(axis=0),
                          "best_share": [(best == p).mean() for p in range(v.shape[1])]},
                         index=pd.Index(sweep.policies, name="policy"))
    frame.attrs["unit"] = sweep.units.get(outcome, "")
    return frame.sort_values("max_regret")


def prim(x: pd.DataFrame, interesting, peel: float = 0.05, min_support: float = 0.05,
         threshold: float = 0.8) -> dict:
    """Friedman and Fisher's PRIM (1999) peeling, as EMA's scenario discovery uses it: starting from
    the whole sample, repeatedly cut the `peel` share of points off the low or high end of the one
    factor whose cut raises most the share of interesting points in the box, until the box holds
    fewer than `min_support` of all points.

    Returns {"box": DataFrame factor x (low, high) of the chosen box, "coverage", "density",
    "trajectory": DataFrame of every box (coverage = share of all interesting points inside,
    density = share of the box's points that are interesting, support = share of all points),
    "restricted": the factors the box limits}. The chosen box is the one with the highest coverage
    among those whose density reaches `threshold`, else the densest."""
    x = pd.DataFrame(x).reset_index(drop=True)
    y = np.asarray(interesting, dtype=bool)
    if len(x) != len(y):
        raise ValueError("anjian: one interesting flag per point")
    if not y.any():
        raise ValueError("anjian: no point is interesting; nothing to find")
    inside = np.ones(len(y), dtype=bool)
    limits = {c: [x[c].min(), x[c].max()] for c in x.columns}
    boxes = []

    def record():
        boxes.append({"coverage": y[inside].sum() / y.sum(), "density": y[inside].mean(),
                      "support": inside.mean(), "limits": {c: tuple(v) for c, v in limits.items()}})

    record()
    while inside.mean() > min_support:
        best = None
        for c in x.columns:
            values = x[c][inside]
            for side, cut in (("low", values.quantile(peel)), ("high", values.quantile(1 - peel))):
                keep = inside & ((x[c] > cut) if side == "low" else (x[c] < cut))
                if keep.sum() == 0 or keep.sum() == inside.sum():
                    continue
                density = y[keep].mean()
                if best is None or density > best[0]:
                    best = (density, c, side, cut, keep)
        if best is None:
            break
        _, c, side, cut, keep = best
        inside = keep.to_numpy() if hasattr(keep, "to_numpy") else keep
        limits[c][0 if side == "low" else 1] = cut
        record()
    trajectory = pd.DataFrame([{k: b[k] for k in ("coverage", "density", "support")} for b in boxes])
    good = trajectory.index[trajectory["density"] >= threshold]
    pick = trajectory.loc[good, "coverage"].idxmax() if len(good) else trajectory["density"].idxmax()
    chosen = boxes[pick]
    box = pd.DataFrame(chosen["limits"], index=["low", "high"]).T
    box.index.name = "factor"
    full = pd.DataFrame({c: (x[c].min(), x[c].max()) for c in x.columns}, index=["low", "high"]).T
    restricted = [c for c in x.columns if not np.allclose(box.loc[c].to_numpy(), full.loc[c].to_numpy())]
    return {"box": box, "coverage": chosen["coverage"], "density": chosen["density"], "support": chosen["support"],
            "trajectory": trajectory, "chosen": int(pick), "restricted": restricted}


def plot_wins(table: pd.DataFrame, ax=None, title: str | None = None):
    """Heat map: share of worlds in which each policy beats the baseline, per outcome."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(1.1 * len(table.columns) + 2.5, 0.45 * len(table) + 1.2))[1]
    image = ax.imshow(table.to_numpy(), vmin=0, vmax=1, cmap="RdYlGn", aspect="auto")
    ax.set_xticks(range(len(table.columns)), table.columns, rotation=30, ha="right", fontsize=7)
    ax.set_yticks(range(len(table)), table.index, fontsize=7)
    for (i, j), v in np.ndenumerate(table.to_numpy()):
        ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=7)
    ax.figure.colorbar(image, ax=ax, label="share of worlds better than the baseline")
    if title:
        ax.set_title(title)
    return ax


def plot_regret(table: pd.DataFrame, ax=None, title: str | None = None):
    """Mean and maximum regret per policy (bars), in the outcome's unit."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(6, 0.4 * len(table) + 1.5))[1]
    y = np.arange(len(table))
    ax.barh(y - 0.2, table["mean_regret"], height=0.4, label="mean regret", color="tab:blue")
    ax.barh(y + 0.2, table["max_regret"], height=0.4, label="maximum regret", color="tab:red")
    ax.set_yticks(y, table.index, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(f"regret ({table.attrs.get('unit', 'outcome units')} above the best policy of each world)")
    ax.legend(fontsize=7)
    if title:
        ax.set_title(title)
    return ax


def plot_prim(result: dict, ax=None, title: str | None = None):
    """PRIM's peeling trajectory: density against coverage, the chosen box marked."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(5, 4))[1]
    t = result["trajectory"]
    points = ax.scatter(t["coverage"], t["density"], c=t["support"], cmap="viridis", s=14)
    ax.figure.colorbar(points, ax=ax, label="support (share of worlds in the box)")
    ax.scatter([result["coverage"]], [result["density"]], s=90, facecolors="none", edgecolors="red",
               label="chosen box: " + (", ".join(result["restricted"]) or "no restriction"))
    ax.set_xlabel("coverage (share of failures inside the box)")
    ax.set_ylabel("density (share of the box that fails)")
    ax.legend(fontsize=6, loc="lower left")
    if title:
        ax.set_title(title)
    return ax
