"""The trainer's exercises teach what the model bears out.

Each exercise of the browser app (web/src/exercises.json) ends in a reveal whose figures come from
the trainee's run and whose lesson is words. The words are listed as lessons: option k of the
exercise against its county as it is moves an outcome up or down, or does not lower (not_down) or
raise (not_up) it. Each lesson runs here as a paired comparison with common random numbers and a
fixed seed, at the app's longest run (5 years) and more replicates than a trainee would run, so
that a model change that turns a lesson false fails here instead of teaching officials the wrong
thing.
"""

import json
import math
import os

import pytest

import anjian
from conftest import ROOT

EXERCISES = json.loads((ROOT / "web" / "src" / "exercises.json").read_text(encoding="utf-8"))
# 64: the smallest lesson, the formal share under wider blame in an already strict county (about
# +0.4 points, through morale: +0.36 [0.19, 0.54] at 128 replicates), is two standard errors at 32.
REPLICATES = 64
YEARS = 5             # the app's max_years (serve's limits)
EXPECTATIONS = ("up", "down", "not_down", "not_up")
# As tests/python/test_levers.py: under the sanitizers each option runs at a small size and only
# the lessons' outcomes coming back finite is checked.
SMOKE = os.environ.get("ANJIAN_LEVERS_SMOKE", "") not in ("", "0")


def county(name, levers=None):
    scenario = anjian.Scenario.load(ROOT / "scenarios" / f"{name}.yaml")
    scenario.set("time.years", 0.25 if SMOKE else YEARS)
    if SMOKE:
        scenario.set("time.burn_in_years", 0.25)
    for key, value in (levers or {}).items():
        scenario.set(key, value)
    return scenario


def verdict(expect, effect):
    """Whether a paired effect bears out the expectation beyond the replicate noise."""
    return {"up": effect.ci_low > 0, "down": effect.ci_high < 0,
            "not_down": effect.ci_high >= 0, "not_up": effect.ci_low <= 0}[expect]


def test_every_exercise_lists_lessons_of_known_outcomes():
    outcomes = set(anjian.outcomes()["outcome"])
    for exercise in EXERCISES:
        assert exercise["lessons"], f"exercise {exercise['id']} teaches nothing the tests check"
        for lesson in exercise["lessons"]:
            assert lesson["expect"] in EXPECTATIONS, (exercise["id"], lesson)
            assert 0 <= lesson["option"] < len(exercise["options"]), (exercise["id"], lesson)
            assert lesson["outcome"] in outcomes, (exercise["id"], lesson)


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e["id"] for e in EXERCISES])
def test_lessons_hold(exercise):
    baseline = county(exercise["county"])
    failures = []
    for k, option in enumerate(exercise["options"]):
        lessons = [lesson for lesson in exercise["lessons"] if lesson["option"] == k]
        if not lessons:
            continue
        comparison = anjian.compare(baseline, county(exercise["county"], option["levers"]),
                                    replicates=2 if SMOKE else REPLICATES, seed=1, threads=2)
        for lesson in lessons:
            effect = comparison.effect(lesson["outcome"]).iloc[0]
            if SMOKE:
                assert math.isfinite(effect.difference), (exercise["id"], lesson)
            elif not verdict(lesson["expect"], effect):
                failures.append(f"option {k} ({option['label']['en']}): {lesson['outcome']} expected "
                                f"{lesson['expect']}, got {effect.difference:+.3g} "
                                f"[{effect.ci_low:+.3g}, {effect.ci_high:+.3g}]")
    assert not failures, f"exercise {exercise['id']}: " + "; ".join(failures)
