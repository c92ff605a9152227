"""anjian compare: tables in three formats, one HDF5 file, the plot, and bad input refused (exit 2)."""

import csv
import io
import json
import os

import h5py
import numpy as np
import pytest

from conftest import ROOT, SCENARIOS

FAST = ("--replicates", "3", "--years", "0.25", "--burn-in", "0")


@pytest.fixture
def alternative(tmp_path):
    """The tiny county with twice the emergency bureau's inspectors."""
    path = tmp_path / "more_inspectors.yaml"
    path.write_text(f"extends: {SCENARIOS / 'tiny.yaml'}\nname: more_inspectors\n"
                    "departments:\n  emergency_management_staff: 8\n")
    return path


def test_table_names_every_scenario_with_units_and_intervals(run_cli, alternative, tmp_path):
    result = run_cli("compare", SCENARIOS / "tiny.yaml", alternative, *FAST, "-o", tmp_path / "c.h5", check=True)
    out = result.stdout
    for text in ("deaths (true) [deaths/year]", "formal inspections [% of inspections]", "95% CI paired",
                 "government cost [yuan/year]", "Cost per death averted", "tiny", "more_inspectors"):
        assert text in out, text
    assert "results:" in result.stderr


def test_file_holds_every_scenario_and_the_comparison(run_cli, alternative, tmp_path):
    out = tmp_path / "c.h5"
    run_cli("compare", SCENARIOS / "tiny.yaml", alternative, *FAST, "-o", out, check=True)
    with h5py.File(out) as f:
        assert f["meta"].attrs["kind"] == "comparison"
        names = f["meta/scenarios"][()].decode().split("\n")
        assert names == ["tiny", "more_inspectors"]
        for name in names:
            assert f[f"scenarios/{name}/series/inspections"].shape[0] == 3
        values = f["comparison/inspections/values"][:]
        assert values.shape == (2, 3)
        paired = f["comparison/inspections/difference"][0]
        assert paired == pytest.approx(np.mean(values[1] - values[0]))
        assert f["comparison/inspections"].attrs["unit"] == "inspections/year"
        assert f["comparison/inspections/paired_low"][0] <= paired <= f["comparison/inspections/paired_high"][0]
        assert f["comparison/cost_effectiveness/verdict"].shape == (1,)


def test_json_and_csv_carry_the_same_numbers(run_cli, alternative, tmp_path):
    args = ("compare", SCENARIOS / "tiny.yaml", alternative, *FAST, "-o", tmp_path / "c.h5")
    doc = json.loads(run_cli(*args, "--format", "json", check=True).stdout)
    rows = list(csv.DictReader(io.StringIO(run_cli(*args, "--format", "csv", check=True).stdout)))
    assert doc["scenarios"] == ["tiny", "more_inspectors"]
    by_key = {o["key"]: o for o in doc["outcomes"]}
    csv_row = next(r for r in rows if r["outcome"] == "inspections" and r["scenario"] == "more_inspectors")
    assert float(csv_row["difference"]) == pytest.approx(by_key["inspections"]["differences"][0]["difference"])
    assert csv_row["unit"] == "inspections/year"
    assert doc["cost_effectiveness"][0]["verdict"] in (
        "cost_per_death_averted", "saves_money_and_lives", "no_clear_deaths_averted")


def test_outcomes_option_selects_rows_and_refuses_unknown_keys(run_cli, alternative, tmp_path):
    args = ("compare", SCENARIOS / "tiny.yaml", alternative, *FAST, "-o", tmp_path / "c.h5")
    out = run_cli(*args, "--outcomes", "deaths_true,cost", check=True).stdout
    assert "deaths (true)" in out and "latent hazards" not in out
    bad = run_cli("compare", SCENARIOS / "tiny.yaml", alternative, *FAST, "-o", tmp_path / "bad.h5",
                  "--outcomes", "deaths")
    assert bad.returncode == 2 and "deaths_true" in bad.stderr
    assert not (tmp_path / "bad.h5").exists()


def test_same_bytes_for_any_thread_count(run_cli, alternative, tmp_path):
    for threads in ("1", "2"):
        run_cli("compare", SCENARIOS / "tiny.yaml", alternative, *FAST, "-t", threads, "-q",
                "-o", tmp_path / f"t{threads}.h5", check=True)
    assert (tmp_path / "t1.h5").read_bytes() == (tmp_path / "t2.h5").read_bytes()


@pytest.mark.parametrize("args, message", [
    (("compare", SCENARIOS / "tiny.yaml"), "at least one alternative"),
    (("compare", SCENARIOS / "tiny.yaml", SCENARIOS / "bad_type.yaml"), "bad_type.yaml"),
    (("compare", SCENARIOS / "tiny.yaml", SCENARIOS / "tiny.yaml"), "also the name of"),
    (("compare", SCENARIOS / "tiny.yaml", SCENARIOS / "child.yaml", "--format", "xml"), "xml"),
    (("compare", SCENARIOS / "tiny.yaml", SCENARIOS / "child.yaml", "-o", "nowhere/c.h5"), "does not exist"),
    (("compare", SCENARIOS / "tiny.yaml", SCENARIOS / "child.yaml", "--plot", "nowhere/c.png"), "does not exist"),
])
def test_bad_input_is_refused_before_running(run_cli, args, message):
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr


def test_failed_compare_keeps_an_existing_file(run_cli, tmp_path):
    existing = tmp_path / "c.h5"
    existing.write_bytes(b"keep me")
    assert run_cli("compare", SCENARIOS / "tiny.yaml", SCENARIOS / "bad_type.yaml", "-o", existing).returncode == 2
    assert existing.read_bytes() == b"keep me"


def test_plot_draws_a_png(run_cli, alternative, tmp_path):
    png = tmp_path / "c.png"
    run_cli("compare", SCENARIOS / "tiny.yaml", alternative, *FAST, "-o", tmp_path / "c.h5", "--plot", png,
            check=True)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_without_a_usable_python_is_refused_before_running(anjian_bin, alternative, tmp_path):
    import subprocess

    env = dict(os.environ, ANJIAN_PYTHON=str(tmp_path / "no-python"))
    result = subprocess.run([str(anjian_bin), "compare", str(SCENARIOS / "tiny.yaml"), str(alternative), *FAST,
                             "-o", str(tmp_path / "c.h5"), "--plot", str(tmp_path / "c.png")],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 2
    assert "matplotlib" in result.stderr and "ANJIAN_PYTHON" in result.stderr
    assert not (tmp_path / "c.h5").exists()


def test_plot_comparison_returns_a_figure(run_cli, alternative, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from anjian.compare_plot import plot_comparison

    out = tmp_path / "c.h5"
    run_cli("compare", SCENARIOS / "tiny.yaml", alternative, *FAST, "-o", out, check=True)
    fig = plot_comparison(str(out))
    assert len(fig.axes) == 8
    with h5py.File(out) as f:
        assert len(plot_comparison(f).axes[0].lines) == 2


def test_every_library_scenario_validates(run_cli):
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        result = run_cli("validate", path)
        assert result.returncode == 0, result.stderr
