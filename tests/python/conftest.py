"""Shared fixtures: where the built program is, and the test scenarios."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("ANJIAN_BUILD", ROOT / "build"))
if not BUILD.is_absolute():
    BUILD = ROOT / BUILD
SCENARIOS = ROOT / "tests" / "data" / "scenarios"


@pytest.fixture(scope="session")
def anjian_bin():
    path = BUILD / "anjian"
    if not path.exists():
        pytest.fail(f"{path} not found: build first (make build)")
    return path


@pytest.fixture
def run_cli(anjian_bin, tmp_path):
    """Runs `anjian ARGS...` in tmp_path and returns the CompletedProcess (text mode)."""

    def run(*args, check=False):
        result = subprocess.run([str(anjian_bin), *map(str, args)], cwd=tmp_path,
                                capture_output=True, text=True, timeout=600)
        if check and result.returncode != 0:
            raise AssertionError(f"anjian {' '.join(map(str, args))} failed:\n{result.stderr}")
        return result

    return run
