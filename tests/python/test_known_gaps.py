"""Known wrong-direction responses, kept as strict expected failures.

Each test states what a practitioner expects of a lever, on the county baseline with common random
numbers and a fixed seed. While the model answers the other way the test is an expected failure
(xfail, strict): the day a mechanism fix makes it pass, the strict marker turns the pass into a
failure, so the marker must go and the test then guards the fix. Each reason names the document
that says what the gap is and what would close it.
"""

import pytest

import anjian
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


@pytest.mark.xfail(strict=True, reason=(
    "carrying out an order is a drawn rate, not the enterprise's choice: each refusal is fined again "
    "at the re-inspection and climbs the ladder, enterprises learn the fine per found hazard from "
    "what they pay, and a defiant county (rate 0.6) has about 3 fewer true injuries a year than the "
    "baseline's 0.9 (docs/calibration.md, \"A lever that goes the wrong way\")"))
def test_fewer_orders_carried_out_do_not_lower_harm():
    baseline = county()
    defiant = county({"enforcement.rectification_rate": 0.6})
    effect = anjian.compare(baseline, defiant, replicates=REPLICATES, seed=1, threads=2).effect("injuries_true").iloc[0]
    # Enterprises that carry out fewer orders keep more hazards: harm must not be lower beyond
    # the replicate noise (the paired 95% interval may not lie wholly below zero).
    assert effect.ci_high >= 0, (
        f"rectification rate 0.6 against the baseline's {baseline['enforcement.rectification_rate']}: "
        f"true injuries {effect.difference:+.2f} [{effect.ci_low:+.2f}, {effect.ci_high:+.2f}] a year")
