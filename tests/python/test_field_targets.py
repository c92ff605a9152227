"""The fast subset of `make validate` (docs/validation.md, docs/calibration.md): every target of
scenarios/calibration/targets.yaml at the library county's size and calibrated point, with fewer
replicates (8 instead of 32) and a fixed seed. Each target must lie in its band: |z| <= 2, or,
for a one-sided target, the model's 95% interval on the field's side of the value. The bands
widen with fewer replicates (z divides by sqrt(uncertainty^2 + se^2)); the full report is the
stricter check.

Pattern 8 (docs/ODD.md, "The inspection game's simple limit") is asserted on its own as well: in
the game's simple limit compliance cycles, and re-inspecting refused orders damps the cycle, each
by more than twice its standard error across replicates.
"""

import math
import pathlib

import numpy as np
import pytest

from anjian import calibration as cal

ROOT = pathlib.Path(__file__).resolve().parents[2]
TARGETS = ROOT / "scenarios" / "calibration" / "targets.yaml"
REPLICATES = 8


@pytest.fixture(scope="module")
def evaluation():
    return cal.evaluate(cal.load_targets(TARGETS), size="validation", replicates=REPLICATES, seed=1)


def test_every_field_target_lies_in_its_band(evaluation):
    table = evaluation.table.set_index("target")
    assert (table["status"] != cal.NOT_COMPUTABLE).all(), "every target is computable: the report says so"
    missed = table[~table["met"].astype(bool)]
    assert missed.empty, missed[["value", "model", "ci_low", "ci_high", "z"]].to_string()


def _mean_and_se(values):
    values = np.asarray(values, float)
    assert np.isfinite(values).all(), "every replicate of the game is 40 years long: the score is defined"
    return values.mean(), values.std(ddof=1) / math.sqrt(len(values))


def test_compliance_oscillates_in_the_inspection_games_simple_limit(evaluation):
    # Red noise of the same length and persistence scores 0 on average (oscillation_score).
    mean, se = _mean_and_se(evaluation.values["inspection_game_oscillation"])
    assert mean > 2 * se and mean > 0.5, (mean, se)


def test_re_inspecting_refused_orders_damps_the_cycle(evaluation):
    # Paired: the same replicates and random streams with and without follow-up inspections.
    mean, se = _mean_and_se(evaluation.values["inspection_game_damped_by_follow_up"])
    assert mean > 2 * se and mean > 0.5, (mean, se)
