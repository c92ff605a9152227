"""Scenarios in Python: load a YAML file, override parameters, print the resolved YAML.

Every check (unknown key, wrong type, out of range, relations between parameters) is done by the
same C++ code as `anjian validate`; a refused value raises :class:`anjian.ScenarioError` and
leaves the scenario unchanged.
"""

from __future__ import annotations

import numbers
import os

import numpy as np

from . import _core


def _yaml_text(key: str, value) -> str:
    """A Python value as the YAML scalar the scenario parser expects."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, str):
        kind = _param_types().get(key)
        if kind in ("integer", "real", "boolean"):  # "16" or "yes" would be read as YAML: refused, not guessed
            raise _core.ScenarioError(f"Scenario.set('{key}', {value!r}): expected {kind}, found the text {value!r}; "
                                      f"pass the value itself, e.g. {'True' if kind == 'boolean' else '16'}, not a string")
        return value
    raise TypeError(f"Scenario.set('{key}', {value!r}): expected a number, a bool or a word, "
                    f"not {type(value).__name__}")


_TYPES: dict[str, str] = {}


def _param_types() -> dict[str, str]:
    """key -> 'integer', 'real', 'boolean' or 'choice', from the C++ parameter table."""
    if not _TYPES:
        _TYPES.update({row["key"]: row["type"] for row in _core.params()})
    return _TYPES


# Keys of with_() that are not parameters but the scenario's own fields.
FIELDS = ("name", "description", "network")


class Scenario:
    """A fully resolved scenario: every parameter has a value.

    >>> s = Scenario.load("scenarios/county_baseline.yaml")
    >>> s.set("inspectors.skill_mean", 0.6)      # in place, returns the scenario
    >>> more = s.with_(**{"time.years": 2}, run__replicates=4)   # a changed copy
    >>> more["time.years"]
    2.0

    Keys are the dotted names of ``anjian.params()``; in ``with_`` a double underscore may stand
    for the dot (``inspectors__count=24``).
    """

    def __init__(self, native: _core.Scenario | None = None):
        self._native = _core.Scenario() if native is None else native

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Scenario":
        """Loads a YAML scenario file and its ``extends:`` chain."""
        return cls(_core.Scenario.load(os.fspath(path)))

    def set(self, key: str, value) -> "Scenario":
        """Sets one parameter in place and returns the scenario (so calls chain)."""
        self._native.set(key, _yaml_text(key, value))
        return self

    def with_(self, **overrides) -> "Scenario":
        """A copy with the given parameters changed; this scenario is left as it is. ``name``,
        ``description`` and ``network`` (the path of a GraphML county, docs/network-format.md)
        set the scenario's own fields."""
        copy = self.copy()
        for key, value in overrides.items():
            if key in FIELDS:
                setattr(copy, key, value)
            else:
                copy.set(key.replace("__", "."), value)
        return copy

    def with_schedule(self, *, year: int | None = None, day: int | None = None, **settings) -> "Scenario":
        """A copy that changes the given parameters at a date; this scenario is left as it is.

        ``year`` is a recorded year (from 1, the first year after the burn-in, as results count
        years); ``day`` a calendar day from 1 with the burn-in included (as ``Results.day``
        counts). The change acts from the start of that day; keys as in ``with_``::

            reform = base.with_schedule(year=3, **{"accountability.rule": "due_diligence"})
            cut = reform.with_schedule(year=5, policy__campaign_intensity=0.2)

        Refused like any value (unknown key, out of range, a date beyond the run, a key fixed
        when the county is built) with :class:`anjian.ScenarioError`.
        """
        if (year is None) == (day is None):
            raise _core.ScenarioError("Scenario.with_schedule: give the date as year=N (recorded year) "
                                      "or day=N (calendar day from 1, burn-in included), one of them")
        unit, at = ("year", year) if year is not None else ("day", day)
        if isinstance(at, (bool, np.bool_)) or not isinstance(at, numbers.Integral):
            raise _core.ScenarioError(f"Scenario.with_schedule({unit}={at!r}): expected a whole number from 1")
        if not settings:
            raise _core.ScenarioError(f"Scenario.with_schedule({unit}={at}): name the keys it changes, "
                                      f"e.g. with_schedule({unit}={at}, **{{'accountability.rule': 'due_diligence'}})")
        copy = self.copy()
        for key, value in settings.items():
            key = key.replace("__", ".")
            copy._native.add_schedule(unit, int(at), key, _yaml_text(key, value),
                                      f"Scenario.with_schedule({unit}={at}, {key}={value!r})")
        return copy

    def without_schedule(self) -> "Scenario":
        """A copy without dated changes."""
        copy = self.copy()
        copy._native.clear_schedule()
        return copy

    @property
    def schedule(self) -> list[dict]:
        """The dated changes as written: one dict per key, with ``year`` or ``day``, ``key`` and ``value``."""
        return self._native.schedule

    def get(self, key: str):
        """The value of one parameter: int, float, bool or, for a choice, its word."""
        return self._native.get(key)

    __getitem__ = get

    def __setitem__(self, key: str, value) -> None:
        self.set(key, value)

    def copy(self) -> "Scenario":
        return Scenario(_core.Scenario(self._native))

    def to_yaml(self) -> str:
        """Every parameter with its value, as YAML that ``Scenario.load`` reads back."""
        return self._native.to_yaml()

    @property
    def name(self) -> str:
        return self._native.name

    @name.setter
    def name(self, value: str) -> None:
        self._native.name = value

    @property
    def description(self) -> str:
        return self._native.description

    @description.setter
    def description(self, value: str) -> None:
        self._native.description = value

    @property
    def path(self) -> str:
        """The file it was loaded from ('' when built in Python)."""
        return self._native.path

    @property
    def network(self) -> str:
        """The GraphML county it names with ``network:`` ('' when the county is generated)."""
        return self._native.network

    @network.setter
    def network(self, path) -> None:
        """Runs the scenario on the GraphML county at `path` (relative to the working directory);
        '' goes back to a county generated from the parameters. The file is read and checked
        when the scenario runs."""
        self._native.network = os.fspath(path)

    def __repr__(self) -> str:
        return (f"Scenario({self.name!r}: {self['enterprises.count']} enterprises, "
                f"{self['time.years']:g} years, {self['run.replicates']} replicates, seed {self['run.seed']})")
