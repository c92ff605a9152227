"""Carrying out rectification orders is the enterprise's choice (docs/ODD.md, "Rectification
orders"): defiance is what a weak ladder or strong private reasons buy, and it must not buy safety.

Before the choice, the share of orders carried out was a drawn rate, and a county whose
enterprises carried out fewer had about 3 fewer true injuries a year (every refusal was verified,
fined and counted as a sanction per hazard found). These tests guard the fix, on the county
baseline with common random numbers and a fixed seed.
"""

import numpy as np
import pytest

import anjian
from anjian import calibration as cal
from conftest import ROOT

BASELINE = ROOT / "scenarios" / "county_baseline.yaml"
REPLICATES = 16
YEARS = 4


def county(values=None):
    scenario = anjian.Scenario.load(BASELINE)
    scenario.set("time.years", YEARS)
    for key, value in (values or {}).items():
        scenario.set(key, value)
    return scenario


def refused_share(scenario):
    """Orders found refused at a re-inspection per hazard ordered, % (mean of 4 replicates)."""
    return float(np.mean(cal.STATISTICS["refused_share"].compute(anjian.run(scenario, replicates=4, seed=1, threads=2))))


@pytest.mark.parametrize("lever, value", [
    ("enterprises.compliance_noise", 20000),        # strong private reasons to refuse (cash, schedules)
    ("enforcement.repeat_fine_multiplier", 1.0),    # no continuing fines for refusing (art. 112)
])
def test_enterprises_that_carry_out_fewer_orders_are_not_safer(lever, value):
    baseline = county()
    defiant = county({lever: value})
    # The lever makes enterprises refuse more...
    assert refused_share(defiant) > refused_share(baseline) + 10, lever
    # ...and refusing keeps hazards: harm must not be lower beyond the replicate noise (the
    # paired 95% interval may not lie wholly below zero).
    effect = anjian.compare(baseline, defiant, replicates=REPLICATES, seed=1, threads=2).effect("injuries_true").iloc[0]
    assert effect.ci_high >= 0, (
        f"{lever} {value}: true injuries {effect.difference:+.2f} [{effect.ci_low:+.2f}, {effect.ci_high:+.2f}] a year")
