# Which reform is robust to what we do not know? The five reforms across uncertain assumptions.
# Run it as a script (python3 analysis/06_robust_reforms.py) or open 06_robust_reforms.ipynb; the
# notebook is built from this file by make_notebooks.py.

# %% [markdown]
# # Robust reforms
#
# `02_reform_tradeoffs` compares the five reforms of the study in one world: the baseline
# county with its assumed behaviour. But the assumptions are uncertain. Here each reform runs in
# many **worlds**, a Latin hypercube over assumptions the outcomes are sensitive to (how skilled
# inspectors are, how fast enterprises learn from inspections, how often accidents are hidden,
# how active the media are, ...), every world under the baseline and every reform with common
# random numbers (EMA's uncertainties x levers). Then, per reform:
#
# - the **share of worlds** in which it beats the baseline on each outcome;
# - its **regret**: how far it falls behind the best reform of each world;
# - **scenario discovery** (PRIM): the region of the assumptions where it fails to reduce injuries.
#
# With `ANJIAN_QUICK=1` (the tests) the county is small and the worlds few.

# %%
import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np
import yaml

from common import SCENARIOS, anjian, save

QUICK = os.environ.get("ANJIAN_QUICK") == "1"
BASE = {"time.years": 3, "output.agents": False}  # after the baseline's burn-in: the county at rest
if QUICK:
    BASE.update({"time.years": 1, "time.burn_in_years": 1, "enterprises.count": 600, "county.townships": 4})
WORLDS = 10 if QUICK else 48
OUTCOMES = ["deaths_true", "injuries_true", "accidents_reported", "cost"]
UNCERTAIN = {
    "inspectors.skill_mean": [0.25, 0.6],
    "deterrence.learning_rate": [0.1, 0.4],
    "enterprises.safety_quality_mean": [0.45, 0.75],
    "hazards.removal_per_quality": [1.25, 5.0],
    "concealment.injury_propensity": [0.15, 0.45],
    "citizens.retaliation_fear": [0.3, 0.9],
    "media.activity": [0.02, 0.1],
}
reforms = sorted(p.stem for p in SCENARIOS.glob("reform_*.yaml") if p.stem != "reform_all")
design = {
    "name": "robust_reforms", "scenario": str(SCENARIOS / "county_baseline.yaml"), "set": BASE,
    "method": "lhs", "samples": WORLDS, "seed": 17,
    "factors": {key: {"range": bounds} for key, bounds in UNCERTAIN.items()},
    "policies": {"baseline": {}, **{name: {"scenario": str(SCENARIOS / f"{name}.yaml")} for name in reforms}},
    "outcomes": OUTCOMES,
}
path = os.path.join(tempfile.mkdtemp(prefix="anjian-06-"), "robust.yaml")
with open(path, "w") as out:
    yaml.safe_dump(design, out, sort_keys=False)
worlds = anjian.sweep(path)
print(worlds)

# %% [markdown]
# ## How often does each reform beat the baseline?
# Share of worlds (replicates averaged) in which the reform does better; for every outcome here
# lower is better (fewer deaths, injuries, reported accidents, lower cost).

# %%
wins = anjian.robustness.wins(worlds, OUTCOMES, baseline="baseline")
figure, axis = plt.subplots(figsize=(8, 3.6), layout="constrained")
anjian.robustness.plot_wins(wins, ax=axis, title="share of worlds in which each reform beats the baseline")
save(figure, "06_wins")
wins.round(2)

# %% [markdown]
# True deaths are rare in one county (about one a year), so in a single world over a few years
# most policies tie at zero or one death and "beating the baseline" on deaths is mostly luck
# (ties count as not better). Injuries are about thirty times as frequent: regret and scenario
# discovery below use them.
#
# ## Regret
# In each world the best choice is the policy with the fewest true injuries; a policy's regret is
# how many more injuries a year it leaves. A robust reform has a small maximum regret (minimax).

# %%
TARGET = "injuries_true"
regret = anjian.robustness.regret(worlds, TARGET)
figure, axis = plt.subplots(figsize=(7, 3.4), layout="constrained")
anjian.robustness.plot_regret(regret, ax=axis, title="regret on true injuries")
save(figure, "06_regret")
regret.round(3)

# %% [markdown]
# ## Where does each reform fail? (PRIM)
# For each reform, the worlds in which it does not reduce true injuries below the baseline's, and
# the box of assumptions that holds most of them.

# %%
boxes = {}
for name in reforms:
    fails = anjian.robustness.failures(worlds, TARGET, name, baseline="baseline")
    if fails.sum() < 2:
        print(f"{name}: reduces injuries in {1 - fails.mean():.0%} of the worlds; no failure region to find")
        continue
    boxes[name] = anjian.robustness.prim(worlds.points, fails, threshold=0.8)
    box = boxes[name]
    limits = ", ".join(f"{k} in [{box['box'].loc[k, 'low']:.3g}, {box['box'].loc[k, 'high']:.3g}]"
                       for k in box["restricted"]) or "anywhere"
    print(f"{name}: fails in {fails.mean():.0%} of the worlds; box {limits} "
          f"(coverage {box['coverage']:.0%}, density {box['density']:.0%})")

# %%
shown = list(boxes)[:3] or []
figure, axes = plt.subplots(1, max(len(shown), 1), figsize=(5 * max(len(shown), 1), 4), layout="constrained",
                            squeeze=False)
for axis, name in zip(axes[0], shown):
    anjian.robustness.plot_prim(boxes[name], ax=axis, title=f"PRIM: where {name} fails")
if not shown:
    axes[0][0].text(0.5, 0.5, "no reform fails in more than one world", ha="center")
    axes[0][0].set_axis_off()
save(figure, "06_prim")

# %% [markdown]
# ## Injuries per world
# The worlds sorted by the baseline's true injuries, each policy's injuries in them.

# %%
injuries = worlds.outcome(TARGET).mean(axis=2)
figure, axis = plt.subplots(figsize=(7, 4), layout="constrained")
order = np.argsort(injuries[:, 0])
for p, name in enumerate(worlds.policies):
    axis.plot(injuries[order, p], marker="o", ms=3, lw=1 if p else 2.5, label=name)
axis.set_xlabel("world (sorted by the baseline's injuries)")
axis.set_ylabel(f"true injuries ({worlds.units[TARGET]})")
axis.legend(fontsize=7)
save(figure, "06_injuries_by_world")
