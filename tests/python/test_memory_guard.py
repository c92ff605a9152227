"""The memory guard: a run that would not fit is refused before anything is built, with the
estimate, what the machine has and what to change; --stats shows the estimate beside the
measured peak, and the estimate stays near the peak (docs/reliability.md)."""

import os
import re
import time

import pytest

from conftest import ROOT, SCENARIOS

TINY = SCENARIOS / "tiny.yaml"
SCALE = ROOT / "scenarios" / "scale"
# The estimate may err high (a refused run that would have fitted costs a flag), not far low.
LOW, HIGH = 0.85, 1.5


@pytest.mark.parametrize("command", ["run", "compare"])
def test_a_run_too_large_for_the_machine_is_refused_before_it_starts(run_cli, tmp_path, command):
    scenarios = [ROOT / "scenarios" / "county_baseline.yaml"] + ([TINY] if command == "compare" else [])
    start = time.monotonic()
    result = run_cli(command, *scenarios, "--set", "enterprises.count=100000000", "-o", "out.h5")
    assert result.returncode == 2, result.stderr
    assert time.monotonic() - start < 30, "the refusal must come before the world is built"
    err = result.stderr
    assert re.search(r"would take about [\d.]+ [GT]iB of memory", err), err
    assert "this machine has available" in err and "--memory-limit" in err and "enterprises.count" in err
    assert "nothing was run" in err
    assert list(tmp_path.iterdir()) == []


def test_memory_limit_lowers_and_lifts_the_cap(run_cli, tmp_path):
    refused = run_cli("run", TINY, "--years", "0.1", "--memory-limit", "10", "-o", "out.h5")
    assert refused.returncode == 2 and "more than the --memory-limit of 10 MiB" in refused.stderr
    assert not (tmp_path / "out.h5").exists()
    assert run_cli("run", TINY, "--years", "0.1", "--memory-limit", "0", "-q", "-o", "out.h5").returncode == 0
    assert (tmp_path / "out.h5").exists()


@pytest.mark.skipif(bool(os.environ.get("ANJIAN_SANITIZER")), reason="a sanitizer's shadow memory is not the program's")
@pytest.mark.parametrize("scenario, years", [("county", "0.2"), ("city", "0.2"), ("province", "0.05")])
def test_estimate_stays_near_the_measured_peak(run_cli, scenario, years):
    out = run_cli("run", SCALE / f"{scenario}.yaml", "--years", years, "-q", "--stats", "-o", "out.h5",
                  check=True).stdout
    estimate, peak = map(float, re.search(r"memory estimated ([\d.]+) MiB, measured peak ([\d.]+) MiB", out).groups())
    assert LOW * peak <= estimate <= HIGH * peak, f"{scenario}: estimated {estimate} MiB, peak {peak} MiB"
