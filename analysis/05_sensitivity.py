# Which behavioural assumptions drive deaths, injuries and cost? Morris screening, then Sobol'.
# Run it as a script (python3 analysis/05_sensitivity.py) or open 05_sensitivity.ipynb; the
# notebook is built from this file by make_notebooks.py.

# %% [markdown]
# # Sensitivity: which assumptions matter
#
# Many behavioural parameters of anjian are marked **assumed** in `anjian params`: judgement,
# not measurement. Before trusting a policy comparison, a researcher asks which of them the
# outcomes depend on. Two steps, as in the EMA workbench and SALib:
#
# 1. **Morris screening** of every assumed behavioural parameter (each within half to one and a
#    half times its default, inside its allowed range): one-at-a-time trajectories, cheap in runs;
#    mu* ranks the influence of each assumption, sigma flags interactions and non-linearity.
# 2. **Sobol' indices** of the few that matter: the share of the variance of each outcome that
#    each explains alone (S1) and with its interactions (ST), with bootstrap intervals.
#
# Every run goes through `anjian.sweep`, the engine of `anjian sweep`, with common random numbers
# (every design point uses the same random streams), so differences come from the assumptions,
# not from noise. With `ANJIAN_QUICK=1` (the tests) the county is small and the designs short.

# %%
import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import yaml

from common import SCENARIOS, anjian, save

QUICK = os.environ.get("ANJIAN_QUICK") == "1"
BASE = {"time.years": 3, "output.agents": False}  # after the baseline's burn-in: the county at rest
if QUICK:
    BASE.update({"time.years": 1, "time.burn_in_years": 1, "enterprises.count": 600, "county.townships": 4})
TRAJECTORIES = 4 if QUICK else 12
SOBOL_SAMPLES = 16 if QUICK else 96
OUTCOMES = ["deaths_true", "injuries_true", "cost"]
folder = tempfile.mkdtemp(prefix="anjian-05-")


def write_design(name, design):
    """A design file for anjian.sweep, on the baseline county with BASE's settings."""
    path = os.path.join(folder, f"{name}.yaml")
    with open(path, "w") as out:
        yaml.safe_dump({"name": name, "scenario": str(SCENARIOS / "county_baseline.yaml"), "set": BASE,
                        "outcomes": OUTCOMES, "seed": 5, **design}, out, sort_keys=False)
    return path


# %% [markdown]
# ## The assumptions
# Every real-valued parameter whose source is "assumed" in the sections that describe behaviour
# (enterprises, deterrence, hazards, inspectors, staff, concealment, citizens, townships, media,
# accidents), leaving out prices that only enter the cost.

# %%
BEHAVIOUR = ["enterprises", "deterrence", "hazards", "inspectors", "staff", "concealment", "citizens", "townships",
             "media", "accidents"]
table = anjian.params()
table = table[table["type"] == "real"].astype({"default": float, "min": float, "max": float})
assumed = table[(table["source"] == "assumed")
                & table["key"].str.split(".").str[0].isin(BEHAVIOUR)
                & ~table["key"].str.contains("cost|salary|budget|loss")
                & (table["default"] != 0)].copy()
assumed["low"] = np.maximum(assumed["min"], 0.5 * assumed["default"])
assumed["high"] = np.minimum(assumed["max"], 1.5 * assumed["default"])
factors = {row.key: {"range": [float(row.low), float(row.high)]} for row in assumed.itertuples()}
print(f"{len(factors)} assumed behavioural parameters")
assumed[["key", "default", "low", "high", "unit"]].head(12)

# %% [markdown]
# ## Morris screening
# (k + 1) runs per trajectory: one per parameter plus the start.

# %%
morris_run = anjian.sweep(write_design("morris", {"method": "morris", "samples": TRAJECTORIES, "levels": 4,
                                                  "factors": factors}))
print(morris_run)
screens = {outcome: anjian.sensitivity.morris(morris_run, outcome) for outcome in OUTCOMES}
screens["deaths_true"].head(10).round(3)

# %%
figure, axes = plt.subplots(1, 3, figsize=(16, 4.8), layout="constrained")
for axis, outcome in zip(axes, OUTCOMES):
    anjian.sensitivity.plot_morris(screens[outcome], ax=axis, label_top=6,
                                   title=f"{outcome} ({morris_run.units[outcome]})")
save(figure, "05_morris")

# %% [markdown]
# ## Sobol' indices of the few that matter
# The parameters among the three most influential (largest mu*) for any outcome, with the
# same ranges, in Saltelli's scheme: N (k + 2) runs.

# %%
top = []
for outcome in OUTCOMES:
    for key in screens[outcome].index[:3]:
        if key not in top:
            top.append(key)
print("Sobol' factors:", top)
sobol_run = anjian.sweep(write_design("sobol", {"method": "sobol", "samples": SOBOL_SAMPLES,
                                                "factors": {key: factors[key] for key in top}}))
indices = {outcome: anjian.sensitivity.sobol(sobol_run, outcome, bootstrap=300) for outcome in OUTCOMES}
pd.concat({o: t[["S1", "ST"]] for o, t in indices.items()}, axis=1).round(2)

# %%
figure, axes = plt.subplots(1, 3, figsize=(16, 0.5 * len(top) + 2), layout="constrained", sharey=True)
for axis, outcome in zip(axes, OUTCOMES):
    anjian.sensitivity.plot_sobol(indices[outcome], ax=axis, title=outcome)
save(figure, "05_sobol")

# %% [markdown]
# ## What matters most
# The assumption ranked first by Morris's mu* for each outcome, and its total-order index.

# %%
for outcome in OUTCOMES:
    first = screens[outcome].index[0]
    st = indices[outcome]["ST"].get(first, float("nan"))
    print(f"{outcome}: most influential {first} (mu* {screens[outcome]['mu_star'].iloc[0]:.3g} "
          f"{morris_run.units[outcome]} per range; Sobol' ST {st:.2f})")
