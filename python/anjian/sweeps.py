"""Sweeps: run an experiment design in this process and read its result file.

    sw = anjian.sweep("scenarios/sweeps/county_lhs.yaml")       # runs every point, policy, replicate
    sw.points                      # DataFrame: one row per design point, one column per factor
    sw.outcome("deaths_true")      # ndarray [point, policy, replicate]
    sw.table()                     # tidy DataFrame: point, factors..., policy, replicate, outcomes...
    anjian.open_sweep("results/county_lhs.h5")                   # a file `anjian sweep` wrote

The layout is docs/experiments.md's ("Result file").
"""

from __future__ import annotations

import os
import sys
import tempfile

import h5py
import numpy as np
import pandas as pd

from . import _core


def _lines(text) -> list[str]:
    text = text.decode() if isinstance(text, bytes) else str(text)
    return [line for line in text.split("\n") if line]


class Sweep:
    """The result of a sweep, read whole into memory.

    method: grid, lhs, sobol, morris or list. factors: parameter keys. lower, upper: the
    factors' ranges. points: DataFrame (point x factor). policies: names. outcomes: {key:
    ndarray [point, policy, replicate]}. units: {outcome: unit}. status: ndarray (0 finished,
    1 failed). errors: {run: message}. series: {metric: ndarray [point, policy, replicate, step]}
    when the design kept any, with series_day the step-end days.
    """

    def __init__(self, path: str | os.PathLike):
        path = os.fspath(path)
        with h5py.File(path, "r") as f:
            if f["meta"].attrs.get("kind") != "sweep":
                raise _core.ResultsError(f"{path}: not a sweep file (written by `anjian sweep`)")
            d = f["design"]
            self.name = str(d.attrs["name"])
            self.method = str(d.attrs["method"])
            self.samples = int(d.attrs["samples"])
            self.levels = int(d.attrs["levels"])
            self.seed = int(d.attrs["seed"])
            self.factors = _lines(d["factors"][()])
            self.lower = np.asarray(d["lower"][:])
            self.upper = np.asarray(d["upper"][:])
            self.points = pd.DataFrame(d["points"][:], columns=self.factors)
            self.points.index.name = "point"
            self.policies = _lines(d["policies"][()])
            self.outcomes = {key: np.asarray(ds[:]) for key, ds in f["outcomes"].items()}
            self.units = {key: str(ds.attrs["unit"]) for key, ds in f["outcomes"].items()}
            self.status = np.asarray(f["runs/status"][:])
            self.errors = {}
            for line in _lines(f["runs/errors"][()]):
                run, _, message = line.partition("\t")
                self.errors[int(run)] = message
            self.series = {}
            self.series_day = None
            if "series" in f:
                self.series_day = np.asarray(f["series/day"][:])
                self.series = {k: np.asarray(v[:]) for k, v in f["series"].items() if k != "day"}
            self.design_text = f["meta/design"][()].decode()
        self.path = path

    @property
    def replicates(self) -> int:
        return self.status.shape[2]

    def outcome(self, key: str, policy: str | int | None = None) -> np.ndarray:
        """An outcome's values [point, policy, replicate], or [point, replicate] for one policy."""
        if key not in self.outcomes:
            raise KeyError(f"anjian: outcome {key!r} is not in this sweep; it kept {sorted(self.outcomes)}")
        values = self.outcomes[key]
        if policy is None:
            return values
        return values[:, self.policy_index(policy), :]

    def policy_index(self, policy: str | int) -> int:
        if isinstance(policy, int):
            return policy
        if policy not in self.policies:
            raise KeyError(f"anjian: no policy {policy!r}; this sweep has {self.policies}")
        return self.policies.index(policy)

    def table(self) -> pd.DataFrame:
        """One row per run: point, the factors' values, policy, replicate, status, every outcome."""
        n_points, n_policies, n_reps = self.status.shape
        point, policy, rep = np.meshgrid(np.arange(n_points), np.arange(n_policies), np.arange(n_reps), indexing="ij")
        table = pd.DataFrame({"point": point.ravel()})
        table = table.join(self.points, on="point")
        table["policy"] = np.asarray(self.policies)[policy.ravel()]
        table["replicate"] = rep.ravel()
        table["status"] = np.where(self.status.ravel() == 0, "finished", "failed")
        for key, values in self.outcomes.items():
            table[key] = values.ravel()
        return table

    def __repr__(self) -> str:
        return (f"<anjian.Sweep {self.name}: {self.method}, {len(self.factors)} factors, {len(self.points)} points x "
                f"{len(self.policies)} policies x {self.replicates} replicates>")


def sweep_file(path: str) -> bool:
    """True if path is an HDF5 file written by ``anjian sweep``."""
    try:
        with h5py.File(path, "r") as f:
            return "meta" in f and f["meta"].attrs.get("kind") == "sweep"
    except OSError:
        return False


def open_sweep(path: str | os.PathLike) -> Sweep:
    """Reads a sweep file that ``anjian sweep`` (or :func:`sweep`) wrote."""
    return Sweep(path)


def sweep(design: str | os.PathLike, output: str | os.PathLike | None = None, sets: dict | None = None,
          threads: int | None = None, resume: bool = False, progress=False) -> Sweep:
    """Runs an experiment design in this process (as ``anjian sweep`` does) and returns the :class:`Sweep`.

    design: the design file. output: the HDF5 file to write (default: a temporary file, read and
    removed). sets: {key: value} overrides of the base scenario (``--set``). threads: worker
    threads (default all cores). resume: finish a stopped sweep whose runs are kept in
    OUTPUT.journal/. progress: True for a line on stderr or a callable progress(runs_done, runs).
    Ctrl-C stops it and raises KeyboardInterrupt; finished runs stay in the journal.
    """
    from . import _progress_callback

    if progress is True:
        shown = [-1]

        def progress(done, total):
            if done != shown[0]:
                shown[0] = done
                print(f"\ranjian: {done}/{total} runs ({100 * done / max(total, 1):.0f} %)",
                      end="\n" if done >= total else "", flush=True, file=sys.stderr)
    assignments = [f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in (sets or {}).items()]
    n_threads = 0 if threads is None else int(threads)
    if output is None:
        with tempfile.TemporaryDirectory(prefix="anjian-sweep-") as folder:
            target = os.path.join(folder, "sweep.h5")
            _core.sweep(os.fspath(design), assignments, target, False, n_threads, _progress_callback(progress))
            return Sweep(target)
    target = os.fspath(output)
    if not _core.sweep(os.fspath(design), assignments, target, resume, n_threads, _progress_callback(progress)):
        raise KeyboardInterrupt
    return Sweep(target)
