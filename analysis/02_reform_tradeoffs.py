# The five reforms against the baseline: what each buys, with intervals, and what it costs.
# Run it as a script (python3 analysis/02_reform_tradeoffs.py) or open 02_reform_tradeoffs.ipynb;
# the notebook is built from this file by make_notebooks.py.

# %% [markdown]
# # Reform trade-offs
#
# The study behind anjian recommends five reforms (R1 a professional team, R2 a rebuilt system of
# responsibilities, R3 better assessment, R4 integrated resources, R5 a social environment of
# co-governance). Each is a scenario in `scenarios/reform_*.yaml` that changes levers of the
# baseline county, never an outcome.
#
# `anjian.compare` runs the baseline and every reform with **common random numbers**: replicate
# *k* of each scenario uses the same random streams, so the per-replicate differences are paired
# and their intervals are much narrower than comparing two independent ensembles. This is the
# statistics of `anjian compare`, from the same C++ code.
#
# Shortened to 3 recorded years (after the baseline's 4-year burn-in: the county at rest), with 4
# replicates.

# %%
import matplotlib.pyplot as plt
import numpy as np

from common import SCENARIOS, anjian, save

SHORT = {"time.years": 3}
baseline = anjian.Scenario.load(SCENARIOS / "county_baseline.yaml").with_(**SHORT)
reforms = [anjian.Scenario.load(path).with_(**SHORT) for path in sorted(SCENARIOS.glob("reform_*.yaml"))]
for reform in reforms:
    print(f"{reform.name}: {reform.description}")

# %%
comparison = anjian.compare(baseline, *reforms, replicates=4)
names = [r.name for r in reforms]

# %% [markdown]
# ## Effects with 95% intervals
# Differences reform - baseline, per year of the recorded period (or the period's mean for
# stocks and shares). An interval that excludes 0 is a difference larger than the replicate noise.

# %%
headline = ["deaths_true", "injuries_true", "accidents_reported", "reported_share", "formal_share", "cost"]
table = comparison.table[comparison.table["outcome"].isin(headline)]
table.pivot(index="scenario", columns="outcome", values="difference").loc[names, headline].round(2)

# %%
figure, axes = plt.subplots(1, len(headline), figsize=(3.1 * len(headline), 3.8), sharey=True, layout="constrained")
for axis, outcome in zip(axes, headline):
    rows = comparison.effect(outcome).loc[names]
    clear = (rows["ci_low"] > 0) | (rows["ci_high"] < 0)
    axis.errorbar(rows["difference"], np.arange(len(names)),
                  xerr=[rows["difference"] - rows["ci_low"], rows["ci_high"] - rows["difference"]],
                  fmt="none", ecolor="grey", capsize=3)
    axis.scatter(rows["difference"], np.arange(len(names)), c=np.where(clear, "tab:blue", "white"),
                 edgecolors="tab:blue", zorder=3)
    axis.axvline(0, color="black", lw=0.8)
    axis.set_title(outcome, fontsize="small")
    axis.set_xlabel(f"change ({rows['unit'].iloc[0]})", fontsize="small")
axes[0].set_yticks(np.arange(len(names)), names)
axes[0].invert_yaxis()
figure.suptitle("reform - baseline, paired 95% intervals (filled: interval excludes 0)")
save(figure, "02_reform_effects")

# %% [markdown]
# ## Effect against cost
# Government cost (wages of filled posts, inspection budget, rewards for confirmed reports, grid
# stipends) against harm averted, each with its interval. Lower right is cheaper and safer.

# %%
figure, axes = plt.subplots(1, 2, figsize=(12, 4.5), layout="constrained")
comparison.plot("injuries_true", "cost", ax=axes[0])
comparison.plot("deaths_true", "cost", ax=axes[1])
save(figure, "02_effect_against_cost")

# %% [markdown]
# ## Cost per death averted
# Only where the interval of deaths averted lies above zero is a ratio honest; otherwise the
# verdict says so. Deaths are rare in one county, so short runs seldom show a clear effect on
# them: raise `replicates` and `time.years` for a real study.

# %%
comparison.cost_effectiveness.round(1)
