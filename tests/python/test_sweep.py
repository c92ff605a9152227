"""`anjian sweep`: design validation, the result file, common random numbers, failed runs,
interrupt and kill -9 with --resume, and the same file from 1 and 2 MPI ranks."""

import os
import shutil
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

from conftest import ROOT

SWEEPS = ROOT / "tests" / "data" / "sweeps"
TINY = ROOT / "tests" / "data" / "scenarios" / "tiny.yaml"


def write_design(tmp_path, text):
    path = tmp_path / "design.yaml"
    path.write_text(f"scenario: {TINY}\n" + text)
    return path


@pytest.mark.parametrize("text, where, message", [
    ("method: lhs\nsamples: 4\nfactorz: {}\n", ":4:1", "unknown design key 'factorz'"),
    ("method: lhs\nsamples: 4\nfactors:\n  inspectors.skil_mean: {range: [0, 1]}\n", ":5:3",
     "did you mean 'inspectors.skill_mean'"),
    ("method: lhs\nsamples: 4\nfactors:\n  inspectors.skill_mean: {range: [0.8, 0.2]}\n", ":5:34", "low < high"),
    ("method: lhs\nsamples: 4\nfactors:\n  inspectors.skill_mean: {range: [0.2, 1.5]}\n", ":5:40",
     "outside its range [0.0, 1.0]"),
    ("method: sobbol\n", ":2:9", "must be grid, lhs, sobol, morris or list"),
    ("method: morris\nsamples: 2\nlevels: 5\nfactors:\n  inspectors.skill_mean: {range: [0, 1]}\n", ":4:9",
     "even number"),
    ("method: lhs\nsamples: 4\nfactors:\n  inspectors.skill_mean: {range: [0, 1]}\n"
     "policies:\n  a: {set: {inspectors.skill_mean: 0.5}}\n", ":7:6", "varies as a factor"),
    ("method: lhs\nsamples: 4\nfactors:\n  inspectors.skill_mean: {range: [0, 1]}\noutcomes: [deaths]\n", ":6:12",
     "unknown name 'deaths'"),
])
def test_bad_designs_are_refused_with_their_place(run_cli, tmp_path, text, where, message):
    design = write_design(tmp_path, text)
    result = run_cli("sweep", design, "-o", tmp_path / "out.h5")
    assert result.returncode == 2, result.stderr
    assert f"{design}{where}" in result.stderr and message in result.stderr, result.stderr
    assert not (tmp_path / "out.h5").exists() and not (tmp_path / "out.h5.journal").exists()


def test_sweep_file_layout_and_common_random_numbers(run_cli, tmp_path):
    run_cli("sweep", SWEEPS / "tiny_lhs.yaml", "-o", "out.h5", "-q", check=True)
    with h5py.File(tmp_path / "out.h5") as f:
        assert f["meta"].attrs["kind"] == "sweep"
        assert f["design"].attrs["method"] == "lhs"
        points = f["design/points"][:]
        assert points.shape == (6, 2)
        # Latin hypercube: one point in each sixth of every factor's range.
        for col, (low, high) in enumerate([(0.2, 0.8), (2, 10)]):
            strata = np.floor((points[:, col] - low) / (high - low) * 6)
            assert sorted(strata) == list(range(6))
        assert f["design/policies"][()].decode().split("\n") == ["base", "twin", "strict_media"]
        assert (f["runs/status"][:] == 0).all()
        deaths = f["outcomes/accidents_true"][:]
        assert deaths.shape == (6, 3, 2)
        assert f["outcomes/accidents_true"].attrs["unit"] == "accidents/year"
        # Common random numbers: the twin of the baseline gives the same numbers, run for run.
        assert np.array_equal(deaths[:, 0], deaths[:, 1])
        # and the factors and levers do change them.
        assert not np.array_equal(deaths[:, 0], deaths[:, 2]) and len(np.unique(deaths[:, 0, 0])) > 1
        assert f["series/accidents_true"].shape == (6, 3, 2, 365)
        yearly = f["series/accidents_true"][:].sum(axis=3)
        assert np.allclose(yearly, deaths)  # one recorded year: the series sums to the yearly rate
    assert not (tmp_path / "out.h5.journal").exists()


def test_a_failed_run_is_recorded_and_the_sweep_goes_on(run_cli, tmp_path):
    result = run_cli("sweep", SWEEPS / "tiny_failing.yaml", "-o", "out.h5", "-q")
    assert result.returncode == 0, result.stderr
    assert "2 of 6 runs failed" in result.stderr
    with h5py.File(tmp_path / "out.h5") as f:
        assert f["runs/status"][:].ravel().tolist() == [0, 0, 0, 0, 1, 1]
        errors = f["runs/errors"][()].decode()
        assert errors.startswith("4\tsectors.mining.p_minor + ") and "must be at most 1" in errors
        deaths = f["outcomes/deaths_true"][:].ravel()
        assert np.isnan(deaths[4:]).all() and not np.isnan(deaths[:4]).any()


def journal_records(folder):
    return sum(p.stat().st_size for p in folder.glob("*.bin")) if folder.exists() else 0


def start_and_stop(anjian_bin, tmp_path, output, sig):
    """Starts the long sweep and sends `sig` once part of its runs are in the journal."""
    proc = subprocess.Popen([str(anjian_bin), "sweep", str(SWEEPS / "tiny_long.yaml"), "-o", output, "-q",
                             "-t", "1"], cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    folder = tmp_path / (output + ".journal")
    deadline = time.time() + 120
    while journal_records(folder) < 2000 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    proc.send_signal(sig)
    proc.wait(timeout=120)
    return proc


@pytest.mark.parametrize("sig, code", [(signal.SIGKILL, -9), (signal.SIGINT, 130)])
def test_resume_after_a_stop_gives_the_uninterrupted_file(anjian_bin, run_cli, tmp_path, sig, code):
    run_cli("sweep", SWEEPS / "tiny_long.yaml", "-o", "whole.h5", "-q", check=True)
    proc = start_and_stop(anjian_bin, tmp_path, "stopped.h5", sig)
    assert proc.returncode == code, proc.stderr.read()
    if sig == signal.SIGINT:
        assert "--resume" in proc.stderr.read()
    assert not (tmp_path / "stopped.h5").exists()
    kept = journal_records(tmp_path / "stopped.h5.journal")
    assert kept > 0
    # Starting again without --resume would lose the kept runs: refused.
    again = run_cli("sweep", SWEEPS / "tiny_long.yaml", "-o", "stopped.h5")
    assert again.returncode == 2 and "add --resume" in again.stderr
    run_cli("sweep", SWEEPS / "tiny_long.yaml", "-o", "stopped.h5", "--resume", "-q", check=True)
    assert (tmp_path / "stopped.h5").read_bytes() == (tmp_path / "whole.h5").read_bytes()
    assert not (tmp_path / "stopped.h5.journal").exists()


def test_resume_refuses_a_changed_design(run_cli, tmp_path):
    design = tmp_path / "long.yaml"
    shutil.copy(SWEEPS / "tiny_long.yaml", design)
    design.write_text(design.read_text().replace("../scenarios/tiny.yaml", str(TINY)))
    folder = tmp_path / "out.h5.journal"
    folder.mkdir()
    run_cli("sweep", design, "-o", "out.h5", "--resume", "--set", "time.years=1", "-t", "1", "-q", check=True)
    folder.mkdir()
    (folder / "rank-0.bin").write_bytes(b"ANJSWP01" + bytes(8))
    result = run_cli("sweep", design, "-o", "out.h5", "--resume")
    assert result.returncode == 2 and "belongs to another design" in result.stderr


def test_two_mpi_ranks_write_the_same_file_as_one_process(anjian_bin, run_cli, tmp_path):
    mpirun = shutil.which("mpirun")
    assert mpirun, "mpirun not found: tools/setup-deps.sh installs openmpi-bin"
    run_cli("sweep", SWEEPS / "tiny_lhs.yaml", "-o", "one.h5", "-q", check=True)
    result = subprocess.run([mpirun, "--allow-run-as-root", "--oversubscribe", "-n", "2", str(anjian_bin), "sweep",
                             str(SWEEPS / "tiny_lhs.yaml"), "-o", "two.h5", "-q"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=600, env={**os.environ, "OMPI_MCA_rmaps_base_oversubscribe": "1"})
    assert result.returncode == 0, result.stderr
    # Both ranks ran runs (the dynamic queue hands them out), and the file is the same, byte for byte.
    assert (tmp_path / "two.h5").read_bytes() == (tmp_path / "one.h5").read_bytes()


def test_python_sweep_runs_in_process_like_the_program(run_cli, tmp_path):
    import anjian
    from anjian import sensitivity

    sw = anjian.sweep(SWEEPS / "tiny_lhs.yaml", output=tmp_path / "py.h5", threads=2)
    run_cli("sweep", SWEEPS / "tiny_lhs.yaml", "-o", "cli.h5", "-q", check=True)
    assert (tmp_path / "py.h5").read_bytes() == (tmp_path / "cli.h5").read_bytes()
    assert sw.outcome("cost", "twin").shape == (6, 2)
    table = sw.table()
    assert len(table) == 36 and set(table["policy"]) == {"base", "twin", "strict_media"}
    assert isinstance(anjian.open(tmp_path / "py.h5"), anjian.Sweep)

    # The program's Saltelli design is the Python sampler's, row for row, so the estimators read it.
    long = anjian.sweep(SWEEPS / "tiny_long.yaml")
    assert np.array_equal(long.points.to_numpy(), sensitivity.saltelli_sample([[0.2, 0.8]], 50))
    indices = sensitivity.sobol(long, "accidents_true", bootstrap=50)
    # One factor and common random numbers: it explains all the variance.
    assert indices.loc["inspectors.skill_mean", "ST"] == pytest.approx(1.0, abs=0.25)


def test_the_library_designs_validate(run_cli):
    designs = sorted((ROOT / "scenarios" / "sweeps").glob("*.yaml"))
    assert designs
    for design in designs:
        result = run_cli("sweep", design, "--check", check=True)
        assert ": ok (" in result.stdout
    assert "= 22528 runs" in run_cli("sweep", ROOT / "scenarios/sweeps/county_sobol20.yaml", "--check").stdout
