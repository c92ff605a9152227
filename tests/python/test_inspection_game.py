"""Pattern 8 (docs/ODD.md): in the inspection game's simple limit (the experiment
`inspection_game` of scenarios/calibration/targets.yaml) compliance and supervision oscillate, and
supervision that follows non-compliance (re-inspecting refused orders) damps the cycle.

A statistical test at the county's full size: fixed seeds, 8 replicates of 40 years each, and
assertions that the effects exceed twice their standard error across replicates.
"""

import dataclasses
import math
import pathlib

import numpy as np
import pytest

from anjian import calibration as cal

ROOT = pathlib.Path(__file__).resolve().parents[2]
TARGETS = ROOT / "scenarios" / "calibration" / "targets.yaml"
PATTERN_8 = ("inspection_game_oscillation", "inspection_game_damped_by_follow_up")
REPLICATES = 8


@pytest.fixture(scope="module")
def pattern_8():
    targets = cal.load_targets(TARGETS)
    only = dataclasses.replace(targets, targets=[t for t in targets.targets if t.name in PATTERN_8])
    assert {t.name for t in only.targets} == set(PATTERN_8), "the targets file lost a pattern-8 target"
    return cal.evaluate(only, size="validation", replicates=REPLICATES, seed=1)


def _mean_and_se(values):
    values = np.asarray(values, float)
    assert np.isfinite(values).all(), "every replicate is 40 years long: the score is defined"
    return values.mean(), values.std(ddof=1) / math.sqrt(len(values))


def test_compliance_oscillates_in_the_inspection_games_simple_limit(pattern_8):
    # Red noise of the same length and persistence scores 0 on average (oscillation_score).
    mean, se = _mean_and_se(pattern_8.values["inspection_game_oscillation"])
    assert mean > 2 * se and mean > 0.5, (mean, se)


def test_re_inspecting_refused_orders_damps_the_cycle(pattern_8):
    # Paired: the same replicates and random streams with and without follow-up inspections.
    mean, se = _mean_and_se(pattern_8.values["inspection_game_damped_by_follow_up"])
    assert mean > 2 * se and mean > 0.5, (mean, se)
