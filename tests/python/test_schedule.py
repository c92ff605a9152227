"""Dated changes from Python and the command line: Scenario.with_schedule, --schedule, the
`schedule:` key, and /schedule in the result file (docs/experiments.md, "Dated changes")."""

import h5py
import numpy as np
import pytest

import anjian

from conftest import SCENARIOS

TINY = SCENARIOS / "tiny.yaml"


def tiny(**overrides):
    return anjian.Scenario.load(TINY).with_(**{"run.replicates": 1, **overrides})


def test_with_schedule_returns_a_changed_copy():
    base = tiny()
    reform = base.with_schedule(year=2, **{"accountability.rule": "due_diligence"}, hotline__reward=50)
    assert base.schedule == []
    assert reform.schedule == [{"year": 2, "key": "accountability.rule", "value": "due_diligence"},
                               {"year": 2, "key": "hotline.reward", "value": 50.0}]
    assert reform.without_schedule().schedule == []
    assert "schedule:" in reform.to_yaml() and "schedule:" not in base.to_yaml()


def test_with_schedule_refuses_bad_input_naming_the_fix():
    base = tiny()
    cases = [
        (dict(hotline__reward=1), "give the date as year=N"),
        (dict(year=1, day=3, hotline__reward=1), "give the date as year=N"),
        (dict(year=1.5, hotline__reward=1), "expected a whole number from 1"),
        (dict(year=0, hotline__reward=1), "expected a whole number of years from 1"),
        (dict(year=1), "name the keys it changes"),
        (dict(year=3, hotline__reward=1), "year 3 is beyond the run, which records years 1 to 2"),
        (dict(day=10, hotline__rewad=1), "did you mean 'hotline.reward'"),
        (dict(day=10, hotline__handling_quality=2.0), "out of range"),
        (dict(day=10, **{"accountability.rule": "lenient"}), "expected one of strict"),
        (dict(day=10, enterprises__count=10), "enterprises.count cannot change during a run"),
        (dict(day=10, departments__emergency_management_staff=1), "not abolish them"),
    ]
    for kwargs, message in cases:
        with pytest.raises(anjian.ScenarioError, match=message.replace("(", r"\(").replace(")", r"\)")):
            base.with_schedule(**kwargs)
    assert base.schedule == []


def test_a_schedule_acts_from_its_day_and_is_marked_in_the_results():
    base = tiny(**{"time.burn_in_years": 1})
    cut = base.with_schedule(year=2, inspectors__inspections_per_month=0)
    before, after = anjian.run(base), anjian.run(cut)
    year = after.year
    inspections = after.array("inspections")[0]
    assert inspections[year == 1].sum() > 0
    assert inspections[year == 2].sum() == 0
    np.testing.assert_array_equal(before.array("inspections")[0][year == 1], inspections[year == 1])
    table = after.schedule
    assert table.to_dict("records") == [
        {"day": 731, "year": 2, "key": "inspectors.inspections_per_month", "value": "0.0"}]
    assert after.day[year == 2][0] == 731
    assert len(before.schedule) == 0


def series_bytes(path):
    with h5py.File(path) as f:
        return {name: f["series"][name][()].tobytes() for name in f["series"]}


def test_the_command_line_schedules_and_refuses(run_cli, tmp_path):
    scenario = tmp_path / "cut.yaml"
    scenario.write_text(f"extends: {TINY}\nname: cut\nschedule:\n  - day: 200\n    set: {{hotline.reward: 0.0}}\n")
    run_cli("run", scenario, "--schedule", "year=2:accountability.rule=due_diligence", "-o", "cut.h5", "-q",
            check=True)
    with h5py.File(tmp_path / "cut.h5") as f:
        assert f["schedule/day"][()].tolist() == [200, 366]
        assert f["schedule/key"].asstr()[()].split("\n") == ["hotline.reward", "accountability.rule"]
        assert f["schedule/value"].asstr()[()].split("\n") == ["0.0", "due_diligence"]
        assert "schedule:" in f["meta/scenario"].asstr()[()]

    bad = run_cli("run", scenario, "--schedule", "year=3:hotline.reward=5", "-o", "bad.h5")
    assert bad.returncode == 2
    assert "--schedule year=3:hotline.reward=5" in bad.stderr and "lengthen time.years" in bad.stderr
    assert not (tmp_path / "bad.h5").exists()
    bad = run_cli("validate", scenario, "--schedule", "3:hotline.reward=5")
    assert bad.returncode == 2 and "expected WHEN:KEY=VALUE" in bad.stderr
    assert run_cli("validate", scenario, "--schedule", "year=2:hotline.reward=5").returncode == 0


def test_a_schedule_to_the_value_in_effect_gives_the_same_bytes(run_cli, tmp_path):
    reward = anjian.Scenario.load(TINY)["hotline.reward"]
    run_cli("run", TINY, "-o", "plain.h5", "-q", "-t", "1", check=True)
    run_cli("run", TINY, "-o", "same.h5", "-q", "-t", "2", "--schedule", f"day=100:hotline.reward={reward!r}",
            "--schedule", "year=2:accountability.rule=strict", check=True)
    assert series_bytes(tmp_path / "plain.h5") == series_bytes(tmp_path / "same.h5")
    with h5py.File(tmp_path / "plain.h5") as a, h5py.File(tmp_path / "same.h5") as b:
        for table in a["agents"]:
            for column in a["agents"][table]:
                assert a["agents"][table][column][()].tobytes() == b["agents"][table][column][()].tobytes()


def test_with_longer_steps_a_change_acts_from_the_step_that_holds_its_day():
    weekly = tiny(**{"time.step_days": 7, "time.burn_in_years": 1})
    run = anjian.run(weekly.with_schedule(year=2, inspectors__inspections_per_month=0))
    # Year 2 begins on day 731, inside the step of days 729 to 735, which counts for year 2.
    assert run.schedule[["day", "year"]].to_dict("records") == [{"day": 729, "year": 2}]
    inspections = run.array("inspections")[0]
    assert inspections[run.year == 2].sum() == 0 and inspections[run.year == 1].sum() > 0
    assert run.day[run.year == 2][0] == 735
