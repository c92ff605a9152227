"""The `anjian` program as a user meets it: help, parameters, runs, and bad input."""

import csv
import filecmp
import io

import h5py
import numpy as np
import pytest

from conftest import SCENARIOS


def test_help_teaches_the_commands(run_cli):
    out = run_cli("--help", check=True).stdout
    for word in ("run", "validate", "params", "scenarios/county_baseline.yaml"):
        assert word in out
    run_help = run_cli("run", "--help", check=True).stdout
    assert "--replicates" in run_help and "--set" in run_help and "--threads" in run_help


def test_version(run_cli):
    assert run_cli("--version", check=True).stdout.startswith("anjian ")


def test_params_csv_lists_every_key_with_unit_and_range(run_cli):
    rows = list(csv.DictReader(io.StringIO(run_cli("params", "--format", "csv", check=True).stdout)))
    keys = {row["key"] for row in rows}
    assert {"departments.emergency_management_staff", "time.years", "sectors.mining.death_tail"} <= keys
    for row in rows:
        assert row["unit"] and row["meaning"]
        if row["type"] in ("real", "integer"):
            assert float(row["min"]) <= float(row["default"]) <= float(row["max"])
        if row["type"] == "choice":
            assert row["default"] in row["choices"].split("|")


def test_params_table_groups_by_section(run_cli):
    out = run_cli("params", check=True).stdout
    assert "inspectors:" in out and "inspectors.skill_mean" in out


def test_validate_ok_and_print(run_cli):
    assert run_cli("validate", SCENARIOS / "child.yaml", check=True).stdout.strip().endswith(")")
    printed = run_cli("validate", SCENARIOS / "child.yaml", "--print", "--set", "departments.emergency_management_staff=5",
                      check=True).stdout
    assert "emergency_management_staff: 5" in printed


BAD = {
    "bad_unknown_key.yaml": "did you mean 'departments.emergency_management_staff'",
    "bad_type.yaml": "time.years: expected real",
    "bad_range.yaml": "out of range",
    "bad_syntax.yaml": "bad_syntax.yaml:4:",
    "bad_missing_extends.yaml": "no_such_base.yaml",
    "bad_cycle_a.yaml": "cycle",
    "bad_empty.yaml": "empty",
    "bad_integer.yaml": "not a whole number",
    "bad_many.yaml": "4 errors:",
}


@pytest.mark.parametrize("name,message", sorted(BAD.items()))
def test_bad_scenario_is_refused_and_writes_nothing(run_cli, tmp_path, name, message):
    for command in ("validate", "run"):
        args = [command, SCENARIOS / name] + (["-o", "out.h5"] if command == "run" else [])
        result = run_cli(*args)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
        assert result.stderr.startswith("anjian: error: ")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("assignment,message", [
    ("departments.emergency_managment_staff=3", "did you mean 'departments.emergency_management_staff'"),
    ("departments.emergency_management_staff=many", "expected integer"),
    ("time.years=-1", "out of range"),
    ("novalue", "expected key=value"),
])
def test_bad_set_is_refused(run_cli, tmp_path, assignment, message):
    result = run_cli("run", SCENARIOS / "tiny.yaml", "--set", assignment, "-o", "out.h5")
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "out.h5").exists()


def test_missing_output_directory_fails_before_running(run_cli, tmp_path):
    result = run_cli("run", SCENARIOS / "tiny.yaml", "-o", "nowhere/out.h5")
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_failed_run_keeps_an_existing_result(run_cli, tmp_path):
    existing = tmp_path / "out.h5"
    existing.write_bytes(b"precious")
    assert run_cli("run", SCENARIOS / "bad_type.yaml", "-o", existing).returncode == 2
    assert existing.read_bytes() == b"precious"


def test_run_prints_summary_and_writes_the_file(run_cli, tmp_path):
    result = run_cli("run", SCENARIOS / "tiny.yaml", "-o", "tiny.h5", "--stats", check=True)
    assert "deaths (true/reported)" in result.stdout
    assert "results: tiny.h5" in result.stdout
    assert "enterprise-days/s" in result.stdout
    # --stats also says where the time went, phase by phase, with shares summing to 100%.
    phases = result.stdout.split("time by phase")[1].splitlines()[1:]
    shares = {line[:28].strip(): float(line.split()[-1].rstrip("%")) for line in phases if line.endswith("%")}
    assert {"building the world", "enterprise events", "inspections", "enterprise decisions"} <= set(shares)
    assert abs(sum(shares.values()) - 100.0) < 1.0
    assert [p.name for p in tmp_path.iterdir()] == ["tiny.h5"]
    with h5py.File(tmp_path / "tiny.h5") as f:
        assert f["series/deaths_true"].shape == (2, 730)
        assert f["series/deaths_true"].attrs["unit"] in ("deaths", b"deaths")


def test_same_seed_same_bytes_for_any_thread_count(run_cli, tmp_path):
    args = ["run", SCENARIOS / "tiny.yaml", "--set", "enterprises.count=9000", "-q"]
    for threads in (1, 2, 8):
        run_cli(*args, "--threads", threads, "-o", f"t{threads}.h5", check=True)
    assert filecmp.cmp(tmp_path / "t1.h5", tmp_path / "t2.h5", shallow=False)
    assert filecmp.cmp(tmp_path / "t1.h5", tmp_path / "t8.h5", shallow=False)


def test_seed_changes_results(run_cli, tmp_path):
    run_cli("run", SCENARIOS / "tiny.yaml", "-q", "-o", "a.h5", check=True)
    run_cli("run", SCENARIOS / "tiny.yaml", "-q", "-o", "b.h5", "--seed", "99", check=True)
    with h5py.File(tmp_path / "a.h5") as a, h5py.File(tmp_path / "b.h5") as b:
        assert not np.array_equal(a["series/latent_hazards"][:], b["series/latent_hazards"][:])


def test_scenario_on_a_graphml_county_runs_and_keeps_its_structure(run_cli, tmp_path):
    scenario = SCENARIOS.parents[2] / "scenarios" / "county_from_graphml.yaml"
    run_cli("run", scenario, "--set", "time.years=0.2", "--set", "run.replicates=1", "-q", "-o", "g.h5",
            check=True)
    with h5py.File(tmp_path / "g.h5") as f:
        assert f["agents/enterprises/workers"].shape == (1, 120)
        graphml = f["network/graphml"][()]
        assert b"located_in" in (graphml if isinstance(graphml, bytes) else graphml.encode())
        assert f["series_by/township/deaths_true"].shape[2] == 3


def test_bad_network_is_refused_before_running(run_cli, tmp_path):
    broken = tmp_path / "broken.graphml"
    broken.write_text((SCENARIOS.parent / "networks" / "minimal.graphml").read_text().replace(">mining<", ">fishing<"))
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"extends: {SCENARIOS / 'tiny.yaml'}\nnetwork: broken.graphml\n")
    result = run_cli("run", scenario, "-o", "out.h5")
    assert result.returncode == 2
    assert "unknown sector 'fishing'" in result.stderr and "broken.graphml" in result.stderr
    assert not (tmp_path / "out.h5").exists()
    missing = tmp_path / "m.yaml"
    missing.write_text(f"extends: {SCENARIOS / 'tiny.yaml'}\nnetwork: nowhere.graphml\n")
    result = run_cli("validate", missing)
    assert result.returncode == 2 and "nowhere.graphml" in result.stderr


def test_run_takes_years_and_burn_in_like_compare(run_cli, tmp_path):
    run_cli("run", SCENARIOS / "tiny.yaml", "--years", "0.5", "--burn-in", "0", "-q", "-o", "half.h5", check=True)
    run_cli("run", SCENARIOS / "tiny.yaml", "--years", "1", "--burn-in", "0", "-q", "-o", "one.h5", check=True)
    with h5py.File(tmp_path / "half.h5") as half, h5py.File(tmp_path / "one.h5") as one:
        assert 2 * len(half["series/day"]) == pytest.approx(len(one["series/day"]), abs=1)
        assert one["series/day"][-1] == pytest.approx(365, abs=1)
        assert "years: 0.5" in half["meta/scenario"].asstr()[()]
    assert "--years" in run_cli("run", "--help", check=True).stdout
