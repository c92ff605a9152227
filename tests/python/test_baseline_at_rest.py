"""The county baseline is at rest when recording starts (docs/ODD.md, "Initialisation"): without a
policy change, yearly true accidents show no trend across the recorded years.

One run from day 0 (no burn-in) gives both sides: its first five years are the warm-up a run
without burn-in would record (a clear fall, so the statistic can see a trend), and the five years
after the baseline's `time.burn_in_years` are what the baseline records (a burnt-in run equals the
tail of a longer run to the bit: BurnIn.RecordsExactlyTheStepsAfterTheWarmUp).
"""

import pathlib

import numpy as np
import yaml

import anjian

ROOT = pathlib.Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "county_baseline.yaml"
RECORDED_YEARS = 5
REPLICATES = 16


def trend_percent_per_year(yearly: np.ndarray) -> tuple[float, float]:
    """Mean over replicates (rows) of the least-squares slope of each row over its years, in % of
    the row's mean per year, and the standard error of that mean."""
    years = np.arange(yearly.shape[1], dtype=float)
    slopes = [100 * np.polyfit(years, row, 1)[0] / row.mean() for row in yearly]
    return float(np.mean(slopes)), float(np.std(slopes, ddof=1) / np.sqrt(len(slopes)))


def test_the_county_baseline_records_a_county_at_rest():
    burn_in = int(yaml.safe_load(BASELINE.read_text())["time"]["burn_in_years"])
    scenario = anjian.Scenario.load(BASELINE)
    scenario.set("time.burn_in_years", 0)
    scenario.set("time.years", burn_in + RECORDED_YEARS)
    scenario.set("run.replicates", REPLICATES)
    scenario.set("output.agents", False)
    accidents = anjian.run(scenario).yearly(["accidents_true"])["accidents_true"].unstack("year").to_numpy(float)

    warm_up, warm_up_se = trend_percent_per_year(accidents[:, :RECORDED_YEARS])
    recorded, recorded_se = trend_percent_per_year(accidents[:, burn_in:])
    # The statistic sees a warm-up: from the built county accidents fall by well over 5 %/year.
    assert warm_up + 3 * warm_up_se < -5.0, (warm_up, warm_up_se)
    # What the baseline records has no trend: within 2.5 %/year of flat (16 replicates give a
    # standard error of about 0.7 %/year).
    assert abs(recorded) < 2.5, (recorded, recorded_se)
