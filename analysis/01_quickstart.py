# Quickstart: the county baseline, true against reported harm, and the accident pyramid.
# Run it as a script (python3 analysis/01_quickstart.py) or open 01_quickstart.ipynb; the
# notebook is built from this file by make_notebooks.py.

# %% [markdown]
# # Quickstart: the county baseline
#
# This notebook runs the flagship scenario, a typical county before reform
# (`scenarios/county_baseline.yaml`), inside this Python process, and looks at three things:
#
# 1. the yearly summary (means over replicates, with units);
# 2. **true against reported** deaths and accidents: what happened and what the government sees;
# 3. the **accident pyramid**: many near-misses and minor injuries, few serious and fatal accidents.
#
# To keep it under a minute the run is shortened to 5 years and 4 replicates with overrides,
# exactly what `anjian run ... --set time.years=5 --replicates 4` would do.

# %%
import matplotlib.pyplot as plt
import numpy as np

from common import SCENARIOS, anjian, save

baseline = anjian.Scenario.load(SCENARIOS / "county_baseline.yaml").with_(**{"time.years": 5})
baseline

# %% [markdown]
# Every parameter, its unit, default, range and meaning is in `anjian.params()`; here the ones
# about concealment of accidents:

# %%
table = anjian.params()
table[table["key"].str.startswith("concealment.")][["key", "unit", "default", "range", "meaning"]]

# %% [markdown]
# ## Run
# `anjian.run` releases the GIL and can be stopped with the stop button (Ctrl-C). The result is
# the same HDF5 content the command would write, in memory.

# %%
results = anjian.run(baseline, replicates=4, seed=20260101)
results

# %%
summary = results.summary()
print("units:", summary.attrs["units"])
summary.round(2)

# %% [markdown]
# ## True against reported
# Townships are assessed against a ceiling of reported deaths with a one-vote veto; enterprises and
# local governments conceal some accidents. The gap between the lines is concealment. The band
# is the range over replicates.

# %%
figure, axes = plt.subplots(1, 2, figsize=(11, 3.8))
results.plot(["deaths_true", "deaths_reported"], ax=axes[0])
results.plot(["accidents_true", "accidents_reported"], ax=axes[1])
axes[0].set_title("deaths per year")
axes[1].set_title("accidents with injury or death per year")
for axis in axes:
    axis.set_xlabel("simulated year")
save(figure, "01_true_vs_reported")

# %%
totals = results.totals(["deaths_true", "deaths_reported", "accidents_true", "accidents_reported"])
reported_share = (totals["accidents_reported"] / totals["accidents_true"]).mean()
print(f"reported: {reported_share:.0%} of accidents with injury or death, "
      f"{(totals['deaths_reported'] / totals['deaths_true']).mean():.0%} of deaths (mean over replicates)")

# %% [markdown]
# ## The accident pyramid
# One row per accident is in `results.accidents` (near-misses included), with severity and
# grade decoded. Counts per replicate and year on a logarithmic axis; the share reported grows
# with severity because a death is harder to hide than a cut finger.

# %%
accidents = results.accidents
years = results.years  # the recorded period, after the burn-in
per_year = accidents.groupby("severity").size() / results.replicates / years
reported = accidents.groupby("severity")["reported"].mean()
pyramid = per_year.to_frame("accidents/year").assign(reported_share=reported)
pyramid

# %%
figure, axis = plt.subplots(figsize=(7, 3.5))
levels = list(per_year.index)[::-1]
axis.barh(levels, per_year[levels], color="tab:red", alpha=0.75, label="all accidents")
axis.barh(levels, (per_year * reported.fillna(0))[levels], color="tab:blue", alpha=0.75, label="reported")
axis.set_xscale("log")
axis.set_xlabel("accidents/year (mean over replicates, log scale)")
axis.set_title("accident pyramid: county baseline")
axis.legend()
save(figure, "01_accident_pyramid")

# %% [markdown]
# By Decree 493 grade (deaths and serious injuries per accident), nearly all accidents are
# *general*, yet the rare larger and major ones carry a visible share of deaths:

# %%
by_grade = accidents[accidents["severity"] != "near_miss"].groupby("grade").agg(
    accidents=("deaths", "size"), deaths=("deaths", "sum"))
by_grade["share_of_deaths"] = by_grade["deaths"] / max(by_grade["deaths"].sum(), 1)
by_grade

# %% [markdown]
# The same results as a tidy table (one row per metric, replicate and day) and as an xarray:

# %%
results.series.head()

# %%
array = results.to_xarray()
deaths_by_year = array.sel(metric="deaths_true").groupby("year").sum().mean("replicate")
print("true deaths per year, mean over replicates:", np.round(deaths_by_year.values, 2), "deaths")
