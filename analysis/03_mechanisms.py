# Why a reform works: the mechanisms behind the outcomes, over time.
# Run it as a script (python3 analysis/03_mechanisms.py) or open 03_mechanisms.ipynb; the
# notebook is built from this file by make_notebooks.py.

# %% [markdown]
# # Mechanisms: how levers change the supervision system, and then harm
#
# In anjian no lever touches accidents directly: a reform changes what inspectors, enterprises,
# townships and the public do, and accidents follow. This notebook pulls single levers of the
# reforms one at a time and watches four mechanisms of the supervision system over time:
#
# - **formalism**: the share of inspections done as box-ticking (formal) rather than substantively;
# - **turnover**: inspectors leaving their posts (over-accountability and low morale drive it);
# - **concealment**: the share of accidents with injury or death that are not reported;
# - **blind spots**: enterprises unknown to every regulator.
#
# All variants run with common random numbers (same seed, same replicates), so their differences
# are paired. Shortened to 4 recorded years (after the baseline's 4-year burn-in; recorded years
# are numbered from 1) and 4 replicates.

# %%
import matplotlib.pyplot as plt
import pandas as pd

from common import SCENARIOS, anjian, save

baseline = anjian.Scenario.load(SCENARIOS / "county_baseline.yaml").with_(**{"time.years": 4})
levers = {
    "due-diligence accountability": {"accountability.rule": "due_diligence"},
    "no death target, no veto": {"assessment.death_veto": False, "assessment.death_target": 0},
    "active media": {"media.activity": 0.4},
    "grid patrols": {"grid.members_per_township": 20},
}
variants = []
for label, overrides in levers.items():
    variant = baseline.with_(**overrides)
    variant.name = label
    variants.append(variant)
    print(f"{label}: {overrides}")

# %%
comparison = anjian.compare(baseline, *variants, replicates=4)
runs = comparison.results  # name -> Results, the baseline first

# %% [markdown]
# ## The mechanisms, year by year
# Ratios are computed from yearly totals of each replicate, then averaged over replicates.

# %%
def mechanisms(results: anjian.Results) -> pd.DataFrame:
    yearly = results.yearly(["inspections", "inspections_formal", "turnover", "inspectors_active",
                             "accidents_true", "accidents_concealed", "enterprises_unregistered", "injuries_true"])
    table = pd.DataFrame({
        "formal share (% of inspections)": 100 * yearly["inspections_formal"] / yearly["inspections"],
        "turnover (inspectors/year)": yearly["turnover"],
        "concealed (% of accidents with harm)": 100 * yearly["accidents_concealed"] / yearly["accidents_true"],
        "unregistered enterprises (end of year)": yearly["enterprises_unregistered"],
        "true injuries (injuries/year)": yearly["injuries_true"],
    })
    return table.groupby("year").mean()


panels = {name: mechanisms(results) for name, results in runs.items()}
panels[comparison.base].round(2)

# %%
columns = list(panels[comparison.base].columns)
figure, axes = plt.subplots(len(columns), 1, figsize=(8, 2.6 * len(columns)), sharex=True, layout="constrained")
for name, table in panels.items():
    style = {"color": "black", "lw": 2.2} if name == comparison.base else {"lw": 1.4}
    for axis, column in zip(axes, columns):
        axis.plot(table.index, table[column], label=name, **style)
for axis, column in zip(axes, columns):
    axis.set_ylabel(column.replace(" (", "\n("), fontsize="small")
axes[0].legend(fontsize="small", ncol=2)
axes[-1].set_xlabel("simulated year")
axes[-1].xaxis.set_major_locator(plt.MaxNLocator(integer=True))
figure.suptitle(f"mechanisms over time (mean of {runs[comparison.base].replicates} replicates)")
save(figure, "03_mechanisms_over_time")

# %% [markdown]
# ## Paired effects on mechanisms and harm
# Differences from the baseline over the whole run with 95% t intervals over replicates. A lever
# that works through a mechanism moves that mechanism clearly (interval away from 0) before it
# moves harm; harm, rarer and noisier, may need more replicates to show it.

# %%
outcomes = ["formal_share", "turnover", "reported_share", "unregistered_left", "injuries_true"]
anjian.outcomes().set_index("outcome").loc[outcomes]

# %%
effects = comparison.table[comparison.table["outcome"].isin(outcomes)]
effects.pivot(index="scenario", columns="outcome", values="difference").round(2)

# %%
figure, axes = plt.subplots(1, len(outcomes), figsize=(3.2 * len(outcomes), 3.6), sharey=True, layout="constrained")
names = list(runs)[1:]
for axis, outcome in zip(axes, outcomes):
    rows = comparison.effect(outcome).loc[names]
    axis.errorbar(rows["difference"], range(len(names)),
                  xerr=[rows["difference"] - rows["ci_low"], rows["ci_high"] - rows["difference"]], fmt="o", capsize=3)
    axis.axvline(0, color="grey", lw=0.8)
    axis.set_title(rows["label"].iloc[0], fontsize="small")
    axis.set_xlabel(f"change ({rows['unit'].iloc[0]})", fontsize="small")
axes[0].set_yticks(range(len(names)), names)
axes[0].invert_yaxis()
figure.suptitle("paired differences from the baseline, 95% intervals")
save(figure, "03_mechanism_effects")
