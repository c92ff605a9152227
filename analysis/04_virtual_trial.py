# A randomised inspection trial inside the model, analysed as a field experiment.
# Run it as a script (python3 analysis/04_virtual_trial.py) or open 04_virtual_trial.ipynb; the
# notebook is built from this file by make_notebooks.py.

# %% [markdown]
# # A virtual field trial: do extra inspections lower injury rates?
#
# `scenarios/trial_extra_inspections.yaml` randomises half of the county's townships to an
# outside team that makes `experiment.extra_inspections_per_year` extra substantive inspections
# of each of their enterprises; the other townships are the control arm. Randomising townships
# rather than enterprises keeps control enterprises from learning deterrence from treated
# neighbours, so the analysis is a **cluster-randomised trial**: the unit of analysis is the
# township.
#
# We analyse it as an evaluator in the field would, with the data a field team could collect
# (reported injuries), then use what only a model can give: the true injuries, and the same
# county *without* the trial (same seed, so the same random streams), to see how far the field
# estimate is from the truth.
#
# Shortened to 4 recorded years (the scenario's 8 replicates: each is one independent repetition of
# the trial).

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

from common import SCENARIOS, anjian, save

trial = anjian.Scenario.load(SCENARIOS / "trial_extra_inspections.yaml").with_(**{"time.years": 4})
print(trial, "-", trial.description)
print("treatment:", trial["experiment.treatment"], "by", trial["experiment.unit"],
      f"share {trial['experiment.share']}, {trial['experiment.extra_inspections_per_year']} extra inspections/year")

# %%
results = anjian.run(trial)
no_trial = anjian.run(trial.with_(**{"experiment.treatment": "none"}))

# %% [markdown]
# ## The data a field team would have
# Per township and replicate: enterprises and workers of each arm (from `results.agents`), and
# injuries in accidents (from `results.accidents`), reported and true.

# %%
years = results.years  # the recorded period, after the burn-in


def township_rates(res: anjian.Results, treated_from: anjian.Results) -> pd.DataFrame:
    """Injuries per 1,000 workers per year, by replicate and township, reported and true."""
    enterprises = res.agents["enterprises"].reset_index()
    arms = treated_from.agents["townships"]["treated"]  # the trial's assignment
    accidents = res.accidents
    injuries = accidents.groupby(["replicate", "township"]).agg(
        injuries_true=("injuries", "sum"),
        injuries_reported=("injuries", lambda s: s[accidents.loc[s.index, "reported"]].sum()))
    table = enterprises.groupby(["replicate", "township"]).agg(workers=("workers", "sum"))
    table = table.join(injuries).fillna(0)
    table["treated"] = arms.reindex(table.index.rename(["replicate", "id"])).to_numpy()
    for kind in ("true", "reported"):
        table[f"rate_{kind}"] = table[f"injuries_{kind}"] / table["workers"] / years * 1000
    return table


trial_rates = township_rates(results, results)
trial_rates.head()

# %% [markdown]
# ## The field estimate
# Difference in mean township injury rate, treated minus control, with a Welch t interval over
# townships: once per replicate (as if the trial had been run eight times) and pooled.

# %%
def welch(treated: np.ndarray, control: np.ndarray) -> tuple[float, float, float]:
    """Difference of means with its 95% Welch interval."""
    difference = treated.mean() - control.mean()
    va, vb = treated.var(ddof=1) / len(treated), control.var(ddof=1) / len(control)
    dof = (va + vb) ** 2 / (va ** 2 / (len(treated) - 1) + vb ** 2 / (len(control) - 1))
    half = stats.t.ppf(0.975, dof) * np.sqrt(va + vb)
    return difference, difference - half, difference + half


def estimates(rates: pd.DataFrame, column: str) -> pd.DataFrame:
    rows = {}
    for replicate, group in rates.groupby("replicate"):
        rows[f"replicate {replicate}"] = welch(group.loc[group.treated == 1, column].to_numpy(),
                                               group.loc[group.treated == 0, column].to_numpy())
    rows["pooled"] = welch(rates.loc[rates.treated == 1, column].to_numpy(), rates.loc[rates.treated == 0, column].to_numpy())
    return pd.DataFrame(rows, index=["difference", "ci_low", "ci_high"]).T


field = estimates(trial_rates, "rate_reported")
print("reported injuries per 1,000 workers per year, treated - control (95% CI):")
field.round(3)

# %% [markdown]
# ## What only the model knows
# *True* injuries, and the causal effect on the treated townships: their injuries in the trial
# minus their injuries in the same county without it (common random numbers pair them).

# %%
truth = estimates(trial_rates, "rate_true")
counterfactual = township_rates(no_trial, results)  # same townships, no extra inspections
treated = trial_rates["treated"] == 1
effect = (trial_rates.loc[treated, "rate_true"] - counterfactual.loc[treated, "rate_true"]).groupby("replicate").mean()
n = len(effect)
half = stats.t.ppf(0.975, n - 1) * effect.std(ddof=1) / np.sqrt(n)
print(f"causal effect on the treated (true injuries): {effect.mean():.3f} "
      f"[{effect.mean() - half:.3f}, {effect.mean() + half:.3f}] injuries/1,000 workers/year")
truth.round(3)

# %%
figure, axis = plt.subplots(figsize=(8, 4.5))
rows = [("field: reported", field), ("model: true", truth)]
for offset, (label, table) in zip((-0.15, 0.15), rows):
    y = np.arange(len(table)) + offset
    axis.errorbar(table["difference"], y, xerr=[table["difference"] - table["ci_low"], table["ci_high"] - table["difference"]],
                  fmt="o", capsize=3, label=label)
axis.axvspan(effect.mean() - half, effect.mean() + half, color="grey", alpha=0.2, label="causal effect on the treated")
axis.axvline(0, color="black", lw=0.8)
axis.set_yticks(np.arange(len(field)), field.index)
axis.invert_yaxis()
axis.set_xlabel("treated - control, injuries per 1,000 workers per year (95% CI)")
axis.set_title("virtual cluster-randomised trial of extra inspections")
axis.legend(fontsize="small")
save(figure, "04_trial_effect")

# %% [markdown]
# ## Reading
# Each replicate alone is a small trial of 20 townships with a wide interval; pooling the
# replicates narrows it. Reported injuries miss the concealed ones, so the field team measures the
# effect on what is reported, not on all harm. The numbers of this run:

# %%
def verdict(row) -> str:
    if row["ci_high"] < 0:
        return "fewer injuries in treated townships (interval below 0)"
    if row["ci_low"] > 0:
        return "more injuries in treated townships (interval above 0)"
    return "no clear difference (interval contains 0)"


for label, table in rows:
    pooled = table.loc["pooled"]
    clear = sum(table.drop("pooled")["ci_high"] < 0)
    print(f"{label:16s} pooled {pooled['difference']:+.3f} [{pooled['ci_low']:+.3f}, {pooled['ci_high']:+.3f}] "
          f"injuries/1,000 workers/year: {verdict(pooled)}; {clear} of {len(table) - 1} single trials clear")
base_rate = counterfactual.loc[treated, "rate_true"].mean()
print(f"causal effect on the treated: {effect.mean() / base_rate:+.0%} of their true injury rate without the trial "
      f"({base_rate:.2f} injuries/1,000 workers/year)")

# %% [markdown]
# Try `experiment.unit: enterprise` to see spill-over between treated and control neighbours
# change the measured effect, or raise `experiment.extra_inspections_per_year` to look for
# diminishing returns.
