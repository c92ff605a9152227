"""anjian (安监): an agent-based laboratory of grass-roots work-safety supervision, from Python.

The engine is the C++ library of the ``anjian`` program, reached through the compiled module
``anjian._core`` (no subprocess). A run releases the GIL, stops cleanly on Ctrl-C, and gives
back the same bytes ``anjian run`` writes, read by the same code as ``anjian.open``.

    import anjian
    base = anjian.Scenario.load("scenarios/county_baseline.yaml").with_(**{"time.years": 3})
    res = anjian.run(base, replicates=4, seed=1)
    res.summary()                      # yearly means with units in .attrs["units"]
    res.series                         # tidy DataFrame: metric, unit, replicate, day, year, value
    res.plot(["deaths_true", "deaths_reported"])
    anjian.open("results/county_baseline.h5")   # any file the program wrote
    anjian.params()                    # every parameter: key, type, unit, default, range, meaning

Errors carry the program's messages: :class:`ScenarioError` (a ValueError) for bad scenarios
and values, :class:`ResultsError` (an OSError) for result files.
"""

from __future__ import annotations

import os
import re
import sys

import h5py
import pandas as pd

from . import _core
from .comparison import Comparison, compare, comparison_file, outcomes, power
from .county import county_graph, write_county_graphml
from .results import Results, ResultsError
from .scenario import Scenario
from .sweeps import Sweep, open_sweep, sweep, sweep_file
from . import robustness, sensitivity  # noqa: E402 - analysis of sweeps



# anjian.calibration (targets, calibrate, validate; docs/calibration.md) loads on first use, so that
# `python3 -m anjian.calibration` runs a module the package has not imported already.
def __getattr__(name):
    if name == "calibration":
        import importlib
        return importlib.import_module(".calibration", __name__)
    raise AttributeError(f"module 'anjian' has no attribute {name!r}")


def calibrate(targets, parameters=None, **kwargs):
    """Calibrates the free parameters of a targets file; see :func:`anjian.calibration.calibrate`."""
    from .calibration import calibrate as run_calibration
    return run_calibration(targets, parameters, **kwargs)


def load_targets(path):
    """Reads and checks a targets file; see :func:`anjian.calibration.load_targets`."""
    from .calibration import load_targets as load
    return load(path)

__version__ = _core.__version__
git_commit = _core.git_commit  # ends with -dirty when the build had uncommitted changes
ScenarioError = _core.ScenarioError
ScenarioError.__module__ = "anjian"  # tracebacks name it as users import it

__all__ = ["Scenario", "Results", "Comparison", "Sweep", "sweep", "open_sweep", "sensitivity", "robustness",
           "ScenarioError", "ResultsError", "params", "outcomes", "run", "open", "compare", "power",
           "write_county_graphml", "county_graph", "calibration", "calibrate", "load_targets", "__version__",
           "git_commit"]


def params() -> pd.DataFrame:
    """Every scenario parameter: key, type, unit, default, range (text), min, max, choices, meaning,
    source (data, calibrated, assumed or setting) and reference (the figure and its [key] in
    docs/references.md, what it was calibrated to, or why)."""
    table = pd.DataFrame(_core.params(), columns=["key", "type", "unit", "default", "min", "max", "choices", "meaning",
                                                 "source", "reference"])

    def range_text(row):
        if row["type"] == "choice":
            return "|".join(row["choices"])
        if row["type"] == "boolean":
            return "true|false"
        return f"[{row['min']:g}, {row['max']:g}]"

    table.insert(4, "range", table.apply(range_text, axis=1))
    return table


def _whole_number(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"anjian: {name} must be a whole number >= {minimum}, got {value!r}")
    return value


def _as_scenario(scenario) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (str, os.PathLike)):
        return Scenario.load(scenario)
    raise TypeError(f"expected an anjian.Scenario or the path of a scenario file, got {type(scenario).__name__}")


def _text_progress(done: int, total: int) -> None:
    print(f"\ranjian: {done}/{total} replicate-steps ({100 * done / max(total, 1):.0f} %)", end="",
          file=sys.stderr, flush=True)
    if done >= total:
        print(file=sys.stderr)


def _progress_callback(progress):
    """True: a line on stderr; False/None: nothing; else a callable progress(done, total)."""
    if progress is True:
        return _text_progress
    if not progress:
        return None
    if not callable(progress):
        raise TypeError("anjian: progress must be True, False or a callable progress(done, total)")
    return progress


def run(scenario, replicates: int | None = None, seed: int | None = None, threads: int | None = None,
        progress=False) -> Results:
    """Runs a scenario's replicates in this process and returns its :class:`Results` in memory.

    scenario: an :class:`anjian.Scenario` or the path of a YAML file. replicates and seed override
    ``run.replicates`` and ``run.seed`` (as ``anjian run --replicates/--seed`` do); threads is the
    number of worker threads (default all cores; results do not depend on it). progress: True for
    a line on stderr, or a callable ``progress(steps_done, total_steps)``. Ctrl-C stops the run
    and raises KeyboardInterrupt. Same scenario and seed give the same bytes as ``anjian run``.
    """
    chosen = _as_scenario(scenario).copy()
    if replicates is not None:
        chosen.set("run.replicates", _whole_number("replicates", replicates, 1))
    if seed is not None:
        chosen.set("run.seed", _whole_number("seed", seed, 0))
    n_threads = 0 if threads is None else _whole_number("threads", threads, 1)
    image = _core.run_to_image(chosen._native, n_threads, _progress_callback(progress))
    return Results.from_image(image, f"run of {chosen.name}")


def open(path: str | os.PathLike):  # noqa: A001 - the package's verb, like h5py.File
    """Opens a file written by the program: a result file of ``anjian run`` (or ``Results.save``)
    as :class:`Results`, a comparison file of ``anjian compare`` as :class:`Comparison`, a sweep
    file of ``anjian sweep`` as :class:`Sweep`.

    Raises ResultsError with the program's message if the file is missing, not HDF5, not an
    anjian result, from a newer format, or damaged."""
    path = os.fspath(path)
    if re.search(r"\.tmp-\d+$", path):
        _core.check_results_file(path)  # a run's temporary file: ResultsError says what it is
    if os.path.isfile(path) and h5py.is_hdf5(path):
        try:
            _core.probe_hdf5_file(path)  # a damaged file raises ResultsError here instead of crashing h5py
        except ResultsError:
            _core.check_results_file(path)  # a truncated copy is named as such, with what to do
            raise
    if sweep_file(path):
        return Sweep(path)
    if comparison_file(path):
        return Comparison.from_file(path)
    _core.check_results_file(path)
    return Results.from_path(path)
