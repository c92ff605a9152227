"""Faults that lose nothing: full disks, unwritable or odd output paths, signals, kill -9 and
damaged result files. Each fault must end in a clear message and a non-zero exit (or a
ResultsError), leave no file under the final name and no temporary file, and keep what was
already there (docs/reliability.md)."""

import contextlib
import os
import pathlib
import resource
import signal
import subprocess
import sys
import time

import h5py
import pytest

from conftest import BUILD, SCENARIOS

TINY = SCENARIOS / "tiny.yaml"
# Long enough (about 20 s on an idle machine; 5,000 enterprises took only 2 s there) that a signal
# sent after 1.5 s always lands inside the simulation, not in the writing after it; the run stops
# at the next step.
LONG = ("--years", "200", "--replicates", "1", "--threads", "1", "--set", "enterprises.count=50000")


def entries(directory):
    return sorted(p.name for p in pathlib.Path(directory).iterdir())


@contextlib.contextmanager
def small_filesystem(path, size="64k", read_only=False):
    """A tmpfs of `size` at `path` (root only); skips the test where mounting is not allowed."""
    path.mkdir()
    options = f"size={size}" + (",ro" if read_only else "")
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                                           capture_output=True).returncode != 0:
        pytest.skip("needs root and permission to mount a tmpfs")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=True)


def limit_file_size(limit_bytes):
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, resource.RLIM_INFINITY))


def start(anjian_bin, tmp_path, *args):
    return subprocess.Popen([str(anjian_bin), *map(str, args)], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


# ---- The disk ---------------------------------------------------------------------------------

def test_file_size_limit_fails_cleanly_and_keeps_the_old_result(anjian_bin, tmp_path):
    existing = tmp_path / "out.h5"
    existing.write_bytes(b"results of last week")
    result = subprocess.run([str(anjian_bin), "run", TINY, "--years", "0.1", "-q", "-o", existing], cwd=tmp_path,
                            capture_output=True, text=True, preexec_fn=limit_file_size(4096), timeout=600)
    assert result.returncode == 1, result.stderr
    assert "File too large" in result.stderr and str(existing) in result.stderr
    assert existing.read_bytes() == b"results of last week"
    assert entries(tmp_path) == ["out.h5"]


@pytest.mark.parametrize("command", ["run", "compare"])
def test_full_disk_fails_cleanly(anjian_bin, tmp_path, command):
    with small_filesystem(tmp_path / "small") as disk:
        scenarios = [TINY] if command == "run" else [TINY, SCENARIOS / "child.yaml"]
        result = subprocess.run([str(anjian_bin), command, *scenarios, "--years", "0.1", "-q", "-o", disk / "out.h5"],
                                cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert result.returncode == 1, result.stderr
        assert "No space left on device" in result.stderr
        assert "warning: the result file" in result.stderr and "free" in result.stderr  # said before the run
        assert entries(disk) == []


def test_read_only_output_directory_is_refused(anjian_bin, tmp_path):
    target = tmp_path / "locked"
    if os.geteuid() == 0:
        context = small_filesystem(target, read_only=True)
    else:
        target.mkdir()
        target.chmod(0o555)
        context = contextlib.nullcontext(target)
    with context as locked:
        result = subprocess.run([str(anjian_bin), "run", TINY, "--years", "0.1", "-q", "-o", locked / "out.h5"],
                                cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert result.returncode != 0
        assert str(locked / "out.h5") in result.stderr
        assert "Read-only file system" in result.stderr or "Permission denied" in result.stderr
        assert entries(locked) == []


@pytest.mark.parametrize("command", ["run", "compare"])
def test_missing_directory_and_directory_as_output_are_refused_before_running(run_cli, tmp_path, command):
    scenarios = [TINY] if command == "run" else [TINY, SCENARIOS / "child.yaml"]
    (tmp_path / "a_directory").mkdir()
    for output, message in (("nowhere/out.h5", "does not exist"), ("a_directory", "is a directory")):
        result = run_cli(command, *scenarios, "-o", output)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and "ran" not in result.stderr
    assert entries(tmp_path) == ["a_directory"] and entries(tmp_path / "a_directory") == []


# ---- Signals ----------------------------------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("command", ["run", "compare"])
def test_signal_stops_cleanly_without_a_result(anjian_bin, tmp_path, command, sig):
    scenarios = [TINY] if command == "run" else [TINY, SCENARIOS / "child.yaml"]
    process = start(anjian_bin, tmp_path, command, *scenarios, *LONG, "-o", "out.h5")
    time.sleep(1.5)
    assert process.poll() is None, "the run ended before the signal: make LONG longer"
    process.send_signal(sig)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "interrupted; no result written" in err
    assert entries(tmp_path) == []


def test_kill_leaves_no_result_and_the_next_run_is_not_confused(anjian_bin, run_cli, tmp_path):
    process = start(anjian_bin, tmp_path, "run", TINY, *LONG, "-o", "out.h5")
    time.sleep(1.5)
    process.kill()
    process.wait(timeout=60)
    assert entries(tmp_path) == []
    # What a writer killed between creating and renaming its temporary file leaves behind.
    leftover = tmp_path / "out.h5.tmp-999999"
    leftover.write_bytes(b"\x89HDF\r\n\x1a\n half a file")
    result = run_cli("run", TINY, "--years", "0.1", "-q", "-o", "out.h5")
    assert result.returncode == 0, result.stderr
    assert "out.h5.tmp-999999" in result.stderr and "left" in result.stderr
    with h5py.File(tmp_path / "out.h5", "r") as f:
        assert f["meta"].attrs["program"] == "anjian"
    assert leftover.read_bytes().endswith(b"half a file"), "a file that is not ours was touched"


# ---- Damaged result files ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def good_file(anjian_bin, tmp_path_factory):
    path = tmp_path_factory.mktemp("good") / "good.h5"
    subprocess.run([str(anjian_bin), "run", TINY, "--years", "0.2", "--replicates", "1", "-q", "-o", path], check=True,
                   timeout=600)
    return path


def damaged_copies(good, directory):
    """Truncations at several lengths and single-bit flips spread over the whole file."""
    data = good.read_bytes()
    copies = []
    for fraction in (0.0, 0.001, 0.1, 0.5, 0.9, 0.999):
        path = directory / f"truncated_{fraction}.h5"
        path.write_bytes(data[: int(len(data) * fraction)])
        copies.append(path)
    step = max(1, len(data) // 40)
    for offset in range(0, len(data), step):
        flipped = bytearray(data)
        flipped[offset] ^= 1 << (offset % 8)
        path = directory / f"flipped_{offset}.h5"
        path.write_bytes(bytes(flipped))
        copies.append(path)
    return copies


# Opens each file and reads everything a notebook would; prints one line per file: ok, or
# ResultsError, or the unexpected exception. A crash ends the process (and fails the test).
READ_ALL = """
import sys, anjian
for path in sys.argv[1:]:
    try:
        with anjian.open(path) as r:
            r.series; r.accidents; r.agents; r.network
        print(path, "ok")
    except anjian.ResultsError as e:
        assert str(e), "an empty message"
        print(path, "ResultsError")
    except Exception as e:
        print(path, "UNEXPECTED", type(e).__name__, e)
"""


def test_damaged_result_files_raise_results_error_never_crash(good_file, tmp_path):
    copies = damaged_copies(good_file, tmp_path)
    env = dict(os.environ, PYTHONPATH=str(BUILD / "python"))
    result = subprocess.run([sys.executable, "-c", READ_ALL, *map(str, copies)], capture_output=True, text=True,
                            env=env, timeout=600)
    assert result.returncode == 0, f"the reader crashed (exit {result.returncode}):\n{result.stderr[-3000:]}"
    outcomes = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert len(outcomes) == len(copies)
    unexpected = {path: what for path, what in outcomes.items() if what.startswith("UNEXPECTED")}
    assert not unexpected, unexpected
    for path in copies[:6]:  # every truncation is refused
        assert outcomes[str(path)] == "ResultsError", path
    assert sum(what == "ResultsError" for what in outcomes.values()) > 6


def test_damaged_result_file_from_the_command_line(tmp_path, good_file):
    """python -m anjian.compare_plot is the command line that opens result files."""
    damaged = tmp_path / "damaged.h5"
    damaged.write_bytes(good_file.read_bytes()[:3000])
    env = dict(os.environ, PYTHONPATH=str(BUILD / "python"))
    result = subprocess.run([sys.executable, "-m", "anjian.compare_plot", damaged, tmp_path / "plot.png"],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode != 0 and result.returncode > 0
    assert "Traceback" not in result.stderr and str(damaged) in result.stderr
    assert not (tmp_path / "plot.png").exists()


# ---- Inputs that are not files ----------------------------------------------------------------

@pytest.mark.parametrize("name, message", [("extends_device.yaml", "/dev/zero: not a scenario file"),
                                           ("extends_directory.yaml", "not a scenario file")])
def test_extends_of_a_device_or_directory_is_refused(run_cli, name, message):
    """Regression inputs of the scenario fuzz target: /dev/zero was read forever."""
    result = run_cli("validate", SCENARIOS.parent / "fuzz" / "fuzz_scenario" / name)
    assert result.returncode == 2 and message in result.stderr, result.stderr


def test_a_result_file_on_which_hdf5_loops_is_refused_in_time():
    """An input the result-file fuzzer found: HDF5 1.10 never finishes reading its structure. The
    probe gives up after two children of 5 s each (the second rules out a lock caught by the
    fork) and says so, and its children do not outlive it."""
    env = dict(os.environ, PYTHONPATH=str(BUILD / "python"))
    loop = pathlib.Path(__file__).resolve().parents[1] / "data" / "fuzz" / "fuzz_results" / "hdf5_loop.h5"
    code = ("import sys, anjian\n"
            "try:\n    anjian.open(sys.argv[1])\nexcept anjian.ResultsError as e:\n    print(e)\n")
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-c", code, str(loop)], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "does not end" in result.stdout or "damaged" in result.stdout, result.stdout
    assert time.monotonic() - start < 60


def test_a_damaged_network_type_is_a_results_error(good_file, tmp_path):
    # A bit flip found by the sweep above: one key's attr.type "double" became "doubld", which
    # networkx answers with a raw KeyError. Damaged here on purpose, wherever the flips fall.
    import h5py
    damaged = tmp_path / "damaged_network.h5"
    damaged.write_bytes(good_file.read_bytes())
    with h5py.File(damaged, "r+") as f:
        text = f["network/graphml"].asstr()[()]
        assert 'attr.type="double"' in text
        del f["network/graphml"]
        f["network/graphml"] = text.replace('attr.type="double"', 'attr.type="doubld"', 1)
    env = dict(os.environ, PYTHONPATH=str(BUILD / "python"))
    result = subprocess.run([sys.executable, "-c", READ_ALL, str(damaged)], capture_output=True, text=True, env=env,
                            timeout=600)
    assert result.stdout.split(" ", 1)[1].strip() == "ResultsError", result.stdout + result.stderr
