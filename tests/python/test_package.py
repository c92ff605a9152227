"""The Python package as an analyst meets it: parameters, scenarios, runs, files, errors."""

import io
import math
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time

import matplotlib
import numpy as np
import pandas as pd
import pytest

import anjian
from conftest import BUILD, ROOT, SCENARIOS

matplotlib.use("Agg")
TINY = str(SCENARIOS / "tiny.yaml")


@pytest.fixture(scope="module")
def tiny_results():
    """The tiny scenario, one year, run once for the read-only tests of this module."""
    return anjian.run(anjian.Scenario.load(TINY).set("time.years", 1), threads=2)


def test_import_and_version():
    assert anjian.__version__
    assert anjian.git_commit


def test_params_table_matches_the_program(run_cli):
    table = anjian.params()
    assert list(table.columns[:6]) == ["key", "type", "unit", "default", "range", "min"]
    assert "departments.emergency_management_staff" in set(table["key"])
    csv_lines = run_cli("params", "--format", "csv", check=True).stdout.strip().splitlines()
    assert len(table) == len(csv_lines) - 1
    years = table.set_index("key").loc["time.years"]
    assert years["type"] == "real" and years["unit"] and years["range"].startswith("[")


def test_every_parameter_round_trips_through_the_bindings():
    defaults = anjian.Scenario()
    table = anjian.params().set_index("key")
    for key, row in table.iterrows():
        value = defaults[key]
        assert str(value).lower() == row["default"].lower() or math.isclose(float(value), float(row["default"]))
        changed = anjian.Scenario().set(key, value)
        assert changed[key] == value, key
    # and through YAML: every value printed is read back unchanged
    loaded = anjian.Scenario.load(TINY).with_(**{"departments.emergency_management_staff": 7}, concealment__injury_propensity=0.25)
    assert loaded["departments.emergency_management_staff"] == 7 and loaded["concealment.injury_propensity"] == 0.25


CHOICES = [(row.key, word) for row in anjian.params().itertuples() if row.type == "choice" for word in row.choices]


@pytest.mark.parametrize("key,word", CHOICES, ids=[f"{k}={w}" for k, w in CHOICES])
def test_every_choice_of_every_lever_runs(key, word):
    scenario = anjian.Scenario.load(TINY).with_(**{"time.years": 0.1, key: word})
    assert scenario[key] == word
    assert anjian.run(scenario, replicates=1).array("inspections").sum() > 0


def test_to_yaml_loads_back_identically(tmp_path):
    scenario = anjian.Scenario.load(TINY).set("time.years", 1.5).set("output.agents", False)
    path = tmp_path / "resolved.yaml"
    path.write_text(scenario.to_yaml())
    again = anjian.Scenario.load(path)
    assert again.to_yaml() == scenario.to_yaml()
    assert again["time.years"] == 1.5 and again["output.agents"] is False


def test_with_leaves_the_original_alone():
    base = anjian.Scenario.load(TINY)
    more = base.with_(**{"enterprises.count": 900})
    assert base["enterprises.count"] == 400 and more["enterprises.count"] == 900
    assert "tiny" in repr(more) and "900 enterprises" in repr(more)


@pytest.mark.parametrize("key,value,message", [
    ("departments.emergency_managment_staff", 3, "did you mean 'departments.emergency_management_staff'"),
    ("departments.emergency_management_staff", "many", "expected integer"),
    ("time.years", -1, "out of range"),
    ("enterprises.count", 2.5, "not a whole number"),
])
def test_bad_values_raise_scenario_error_and_change_nothing(key, value, message):
    scenario = anjian.Scenario.load(TINY)
    before = scenario.to_yaml()
    with pytest.raises(anjian.ScenarioError, match=message) as caught:
        scenario.set(key, value)
    assert isinstance(caught.value, ValueError)
    assert f"Scenario.set('{key}'" in str(caught.value)
    assert scenario.to_yaml() == before


def test_unsupported_python_value_is_a_type_error():
    with pytest.raises(TypeError, match="expected a number, a bool or a word"):
        anjian.Scenario().set("time.years", [1, 2])


def test_bad_scenario_file_gives_the_programs_message(run_cli):
    with pytest.raises(anjian.ScenarioError) as caught:
        anjian.Scenario.load(SCENARIOS / "bad_syntax.yaml")
    program = run_cli("validate", SCENARIOS / "bad_syntax.yaml")
    assert program.stderr.strip() == f"anjian: error: {caught.value}"
    with pytest.raises(anjian.ScenarioError, match="unknown parameter"):
        anjian.Scenario().get("no.such_key")


def test_run_arguments_are_checked():
    with pytest.raises(ValueError, match="replicates must be a whole number >= 1, got 0"):
        anjian.run(TINY, replicates=0)
    with pytest.raises(ValueError, match="threads must be a whole number >= 1"):
        anjian.run(TINY, threads=-2)
    with pytest.raises(TypeError, match="expected an anjian.Scenario or the path"):
        anjian.run(42)


def test_python_and_command_line_write_identical_bytes(run_cli, tmp_path):
    run_cli("run", TINY, "--set", "time.years=1", "--seed", "11", "-q", "-o", "cli.h5", check=True)
    results = anjian.run(anjian.Scenario.load(TINY).set("time.years", 1), seed=11, threads=1)
    assert results.image == (tmp_path / "cli.h5").read_bytes()


def test_results_do_not_depend_on_threads():
    scenario = anjian.Scenario.load(TINY).with_(**{"time.years": 0.5, "enterprises.count": 5000})
    assert anjian.run(scenario, threads=1).image == anjian.run(scenario, threads=2).image


def test_open_reads_what_run_writes(tiny_results, tmp_path):
    path = tmp_path / "saved.h5"
    tiny_results.save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["saved.h5"]
    with anjian.open(path) as opened:
        assert opened.image is None and opened.meta == tiny_results.meta
        pd.testing.assert_frame_equal(opened.series, tiny_results.series)
        pd.testing.assert_frame_equal(opened.accidents, tiny_results.accidents)
        for table in ("enterprises", "inspectors", "departments", "townships"):
            pd.testing.assert_frame_equal(opened.agents[table], tiny_results.agents[table])
        assert opened.graphml == tiny_results.graphml


def test_save_refuses_a_missing_directory(tiny_results, tmp_path):
    with pytest.raises(anjian.ResultsError, match="does not exist"):
        tiny_results.save(tmp_path / "nowhere" / "x.h5")


def test_open_errors_are_the_programs(tmp_path):
    with pytest.raises(anjian.ResultsError, match="does not exist") as caught:
        anjian.open(tmp_path / "missing.h5")
    assert isinstance(caught.value, OSError)
    (tmp_path / "text.h5").write_text("not hdf5")
    with pytest.raises(anjian.ResultsError, match="not an HDF5 file"):
        anjian.open(tmp_path / "text.h5")


def test_series_is_tidy_and_agrees_with_the_arrays(tiny_results):
    series = tiny_results.series
    assert list(series.columns) == ["metric", "unit", "replicate", "day", "year", "value"]
    steps = len(tiny_results.day)
    assert len(series) == len(tiny_results.metrics) * tiny_results.replicates * steps
    deaths = series[series["metric"] == "deaths_true"]
    assert set(deaths["unit"]) == {"deaths"}
    np.testing.assert_array_equal(deaths["value"].to_numpy().reshape(tiny_results.replicates, steps),
                                  tiny_results.array("deaths_true"))
    assert tiny_results.metrics.at["latent_hazards", "kind"] == "stock"
    assert tiny_results.metrics.at["deaths_true", "kind"] == "flow"


def test_to_xarray_has_metric_replicate_time(tiny_results):
    array = tiny_results.to_xarray()
    assert array.dims == ("metric", "replicate", "time")
    assert str(array.sel(metric="inspections")["unit"].item()) == "inspections"
    np.testing.assert_array_equal(array.sel(metric="inspections").values, tiny_results.array("inspections"))
    assert int(array["day"][-1]) == tiny_results.day[-1]


def test_yearly_and_totals_sum_flows_and_keep_stocks(tiny_results):
    yearly = tiny_results.yearly(["deaths_true", "latent_hazards"])
    totals = tiny_results.totals(["deaths_true", "latent_hazards"])
    np.testing.assert_allclose(yearly["deaths_true"].groupby("replicate").sum(), totals["deaths_true"])
    np.testing.assert_array_equal(totals["latent_hazards"], tiny_results.array("latent_hazards")[:, -1])
    assert yearly.attrs["units"]["deaths_true"] == "deaths"


@pytest.mark.parametrize("grouping", ["township", "sector", "department"])
def test_series_by_group_adds_up_to_the_series(tiny_results, grouping):
    by_group = tiny_results.series_by(grouping)
    injuries = by_group[by_group["metric"] == "injuries_true"]
    totals = tiny_results.totals("injuries_true")["injuries_true"]
    assert totals.min() > 0
    np.testing.assert_array_equal(injuries.groupby("replicate")["value"].sum(), totals)
    if grouping == "sector":
        assert "mining" in set(injuries["group"])
    if grouping == "department":
        assert injuries["group"].iloc[-1] == "none"
    with pytest.raises(ValueError, match="grouping must be one of"):
        tiny_results.series_by("province")


def test_accidents_agree_with_the_series(tiny_results):
    accidents = tiny_results.accidents
    assert set(accidents["severity"].cat.categories) == {"near_miss", "minor", "serious", "fatal"}
    assert accidents["reported"].dtype == bool
    harmful = accidents[accidents["severity"] != "near_miss"]
    per_replicate = harmful.groupby("replicate").size()
    np.testing.assert_array_equal(per_replicate.to_numpy(), tiny_results.totals("accidents_true")["accidents_true"])
    assert accidents["deaths"].sum() == tiny_results.array("deaths_true").sum()


def test_agents_and_network(tiny_results):
    enterprises = tiny_results.agents["enterprises"]
    assert enterprises.index.names == ["replicate", "id"]
    assert len(enterprises) == tiny_results.replicates * 400
    assert "manufacturing" in set(enterprises["sector"].cat.categories)
    graph = tiny_results.network
    kinds = {data["kind"] for _, data in graph.nodes(data=True)}
    assert {"department", "township", "enterprise"} <= kinds


def test_summary_and_plot_carry_units(tiny_results):
    summary = tiny_results.summary()
    assert list(summary.index) == [1]
    assert summary.attrs["units"]["deaths_true"] == "deaths/year"
    assert summary.loc[1, "deaths_true"] == pytest.approx(tiny_results.totals("deaths_true")["deaths_true"].mean())
    axes = tiny_results.plot(["deaths_true", "deaths_reported", "inspections"])
    assert [a.get_ylabel() for a in axes] == ["deaths/year", "inspections/year"]
    assert tiny_results.plot("latent_hazards", by="day")[0].get_ylabel() == "hazards"


def test_the_gil_is_released_while_a_run_works():
    scenario = anjian.Scenario.load(TINY).with_(**{"time.years": 4, "enterprises.count": 6000})
    done = []
    worker = threading.Thread(target=lambda: done.append(anjian.run(scenario, threads=1)))
    ticks = 0
    worker.start()
    while worker.is_alive():
        ticks += 1  # Python code runs in this thread while the engine works in the other
        time.sleep(0.005)
    worker.join()
    assert done and ticks > 20


def test_progress_callback_and_cancel_from_python():
    seen = []

    def stop_after_first_report(done, total):
        seen.append((done, total))
        raise KeyboardInterrupt

    scenario = anjian.Scenario.load(TINY).with_(**{"time.years": 30, "enterprises.count": 20000})
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        anjian.run(scenario, threads=1, progress=stop_after_first_report)
    assert time.monotonic() - start < 20
    assert len(seen) == 1 and seen[0][1] == scenario["run.replicates"] * 30 * 365


@pytest.mark.xfail(os.environ.get("ANJIAN_SANITIZER") == "asan", strict=False,
                   reason="in the whole ASan suite (not alone, 16 of 16 times) the child once ignored SIGINT for "
                          "60 s and once ran to its end; cause not found yet. The release run asserts it.")
def test_ctrl_c_stops_a_run_cleanly():
    # 'started' comes from the run's first progress report, so that the signal falls inside the
    # run; the run is long enough (200 years) that it cannot have finished by then, even in a fast build.
    code = ("import anjian, sys\n"
            f"s = anjian.Scenario.load({TINY!r}).with_(**{{'time.years': 200, 'enterprises.count': 20000}})\n"
            "said = []\n"
            "def progress(done, total):\n"
            "    if not said:\n        said.append(1)\n        print('started', flush=True)\n"
            "try:\n    anjian.run(s, threads=1, progress=progress)\n    print('finished', flush=True)\n"
            "except KeyboardInterrupt:\n    print('interrupted', flush=True)\n")
    env = dict(os.environ, PYTHONPATH=str(BUILD / "python"))
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    assert process.stdout.readline().strip() == "started"
    time.sleep(0.5)
    start = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert "interrupted" in out and process.returncode == 0, (out, process.returncode, err[-2000:])
    assert time.monotonic() - start < 20


def test_compare_with_common_random_numbers():
    base = anjian.Scenario.load(TINY).set("time.years", 1)
    more = base.with_(**{"inspectors.inspections_per_month": 40})
    comparison = anjian.compare(base, base.copy(), more, replicates=3, seed=5, threads=2)
    assert comparison.scenarios == ["tiny", "tiny_2", "tiny_3"]
    table = comparison.table
    assert set(table["outcome"]) == set(anjian.outcomes()["outcome"])
    same = table[table["scenario"] == "tiny_2"]
    # the same scenario with the same streams: no noise at all
    assert ((same["difference"] == 0) | same["difference"].isna()).all()
    assert (same.set_index("outcome").loc[["injuries_true", "inspections", "cost"], "difference"] == 0).all()
    effect = comparison.effect("inspections").loc["tiny_3"]
    assert effect["unit"] == "inspections/year"
    assert effect["ci_low"] <= effect["difference"] <= effect["ci_high"]
    assert effect["difference"] > 3 * effect["se"] > 0
    # the table's difference is the mean of the per-replicate paired differences
    values = comparison.values[comparison.values["outcome"] == "inspections"].pivot(
        index="replicate", columns="scenario", values="value")
    assert effect["difference"] == pytest.approx((values["tiny_3"] - values["tiny"]).mean())
    assert comparison.cost_effectiveness.loc["tiny_3", "verdict"]
    ax = comparison.plot("injuries_true", "cost")
    assert "yuan/year" in ax.get_xlabel()


def test_compare_runs_each_scenario_as_run_does():
    base = anjian.Scenario.load(TINY).set("time.years", 0.5)
    other = base.with_(**{"media.activity": 0.5})
    comparison = anjian.compare(base, other, replicates=2, seed=3)
    alone = anjian.run(other.with_(), replicates=2, seed=3)
    assert comparison.results["tiny_2"].array("deaths_true").tolist() == alone.array("deaths_true").tolist()
    np.testing.assert_array_equal(comparison.results["tiny_2"].array("inspections"), alone.array("inspections"))


def test_compare_gives_the_statistics_of_the_command(run_cli, tmp_path):
    base, alt = tmp_path / "base.yaml", tmp_path / "alt.yaml"
    base.write_text(f"extends: {TINY}\nname: base\ntime:\n  years: 0.5\n")
    alt.write_text("extends: base.yaml\nname: alt\nmedia:\n  activity: 0.5\n")
    out = run_cli("compare", base, alt, "-r", "3", "--seed", "4", "--format", "csv", "-q", "-o", "c.h5", check=True).stdout
    command = pd.read_csv(io.StringIO(out), float_precision="round_trip")
    command = command[(command["scenario"] == "alt") & command["outcome"].isin(anjian.outcomes()["outcome"])]
    command = command.set_index("outcome")
    assert len(command) == len(anjian.outcomes())
    comparison = anjian.compare(base, alt, replicates=3, seed=4)
    table = comparison.table.set_index("outcome")
    # One vocabulary: the command's CSV columns are named as the Python table's.
    for ours, theirs in [("alternative", "mean"), ("difference", "difference"), ("se", "se"), ("ci_low", "ci_low"),
                         ("ci_high", "ci_high"), ("unpaired_ci_low", "unpaired_ci_low")]:
        np.testing.assert_array_equal(table.loc[command.index, ours].to_numpy(), command[theirs].to_numpy())
    # and anjian.open reads the command's comparison file into the same Comparison
    opened = anjian.open(tmp_path / "c.h5")
    assert isinstance(opened, anjian.Comparison) and opened.scenarios == ["base", "alt"]
    pd.testing.assert_frame_equal(opened.table, comparison.table)
    pd.testing.assert_frame_equal(opened.cost_effectiveness, comparison.cost_effectiveness)
    pd.testing.assert_frame_equal(opened.values, comparison.values)
    pd.testing.assert_frame_equal(opened.results["alt"].series, comparison.results["alt"].series)


def test_compare_refuses_different_periods():
    base = anjian.Scenario.load(TINY).set("time.years", 0.5)
    with pytest.raises(ValueError, match="period"):
        anjian.compare(base, base.with_(**{"time.years": 1}), replicates=1)
    with pytest.raises(ValueError, match="at least one alternative"):
        anjian.compare(base)


def test_cmake_install_gives_program_and_package(tmp_path):
    prefix = tmp_path / "env"
    subprocess.run(["cmake", "--install", str(BUILD), "--prefix", str(prefix)], check=True, capture_output=True)
    assert subprocess.run([str(prefix / "bin" / "anjian"), "--version"], check=True, capture_output=True,
                          text=True).stdout.startswith("anjian ")
    site = next(prefix.glob("lib/python3*/site-packages"))
    env = dict(os.environ, PYTHONPATH=str(site))
    out = subprocess.run([sys.executable, "-c", "import anjian; print(anjian.__file__)"], env=env, check=True,
                         capture_output=True, text=True, cwd=tmp_path).stdout
    assert pathlib.Path(out.strip()).is_relative_to(prefix)
