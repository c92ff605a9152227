"""Results of a run, read from a result file or from the bytes of an in-memory run.

One reader serves both: ``anjian.run`` hands back the bytes the C++ writer would have written to
disk, and they are read with h5py exactly as ``anjian.open`` reads a file. The layout is
docs/results-format.md.

Shapes, as pandas users expect them:

- ``Results.series``: tidy (long) DataFrame, one row per (metric, replicate, step), columns
  ``metric, unit, replicate, day, year, value``. Filter with ``series.query("metric == 'x'")``
  or pivot; ``Results.wide()`` and ``Results.yearly()`` give metric columns directly.
- ``Results.to_xarray()``: DataArray with dims ``(metric, replicate, time)`` and coordinates
  ``day`` and ``year`` along time, ``unit`` along metric.
- ``Results.accidents``: one row per accident, codes decoded to categories.
- ``Results.inspections``: one row per inspection (when the run kept them), codes decoded.
- ``Results.agents["enterprises"]`` (and inspectors, departments, townships): final state, one
  row per (replicate, agent).
"""

from __future__ import annotations

import functools
import io
import os
from xml.etree import ElementTree

import h5py
import numpy as np
import pandas as pd

from . import _core

# The error of every result-file problem, raised by the C++ reader with its own message (an
# OSError); defined once, here, and exported as anjian.ResultsError.
ResultsError = _core.ResultsError
ResultsError.__module__ = "anjian"  # tracebacks name it as users import it

DAYS_PER_YEAR = 365
AGENT_TABLES = ("enterprises", "inspectors", "departments", "townships")
SERIES_BY_GROUPINGS = ("township", "sector", "department")


def _parse_codes(text: str) -> list[str]:
    """'0=a,1=b' -> ['a', 'b'] (codes are 0..n-1 in order)."""
    return [item.split("=", 1)[1] for item in text.split(",")]


def _reads_stored_data(read):
    """A Results accessor whose reading of a damaged file (a bit flipped where HDF5 keeps no checksum)
    raises ResultsError with what to do, not h5py's or the decoder's raw error."""
    @functools.wraps(read)
    def checked(self, *args, **kwargs):
        try:
            return read(self, *args, **kwargs)
        except ResultsError:
            raise
        except (OSError, UnicodeDecodeError, ValueError, MemoryError) as error:
            # MemoryError: a dataset's stored shape damaged into an absurd size (numpy refuses to allocate it).
            what = read.__name__.lstrip("_")
            raise ResultsError(f"{self.name} is damaged: reading {what} failed ({error}); restore it from a "
                               f"copy or run the scenario again") from error
    return checked


def _decode_columns(group: h5py.Group, columns: dict) -> dict:
    """Code columns become categories with the group's `<column>_codes` names; flags become bool."""
    for name in list(columns):
        unit = group[name].attrs.get("unit", "")
        codes = group.attrs.get(f"{name}_codes")
        if unit == "flag":
            columns[name] = columns[name].astype(bool)
        elif codes is not None:
            categories = _parse_codes(codes)
            values = columns[name].astype(np.int64)
            if len(values) and (values.min() < 0 or values.max() >= len(categories)):
                raise _core.ResultsError(f"{group.file.filename} is damaged: {group.name}/{name} holds a code "
                                         f"outside 0..{len(categories) - 1}; restore it from a copy or run the "
                                         "scenario again")
            columns[name] = pd.Categorical.from_codes(values, categories)
    return columns


def year_of_day(day, burn_in_days: int = 0):
    """Recorded year (from 1, after the burn-in) of a step ending on calendar `day` (counted from
    1, burn-in included), docs/results-format.md."""
    return (np.asarray(day) - burn_in_days - 1) // DAYS_PER_YEAR + 1


class Results:
    """The results of one ensemble: provenance, series, accidents, agents and network.

    Obtain one with ``anjian.run(...)`` or ``anjian.open(path)``. It keeps the HDF5 file open
    for lazy reading; use it as a context manager or call ``close()`` when reading files in a loop.
    """

    def __init__(self, root: h5py.Group, name: str, image: bytes | None = None):
        self._file = root  # a file's root, or one scenario's group in a comparison file
        self._image = image
        self.name = name
        self._provenance()

    @_reads_stored_data
    def _provenance(self) -> None:
        """Provenance, units and scenario text (/meta): read at opening, so that a damaged file
        is refused there with ResultsError."""
        meta = self._file["meta"]
        self.meta = {key: (value.item() if hasattr(value, "item") else value) for key, value in meta.attrs.items()}
        self.units = dict(meta["units"].attrs.items())
        self.scenario_yaml = meta["scenario"].asstr()[()]

    @classmethod
    def from_image(cls, image: bytes, name: str) -> "Results":
        return cls(h5py.File(io.BytesIO(image), "r"), name, image)

    @classmethod
    def from_path(cls, path: str) -> "Results":
        return cls(h5py.File(path, "r"), os.path.basename(path))

    # ---- provenance and shape -------------------------------------------------------------

    @property
    def scenario_name(self) -> str:
        return self.meta["scenario_name"]

    @property
    def replicates(self) -> int:
        return int(self.meta["replicates"])

    @property
    def seed(self) -> int:
        return int(self.meta["seed"])

    @functools.cached_property
    def day(self) -> np.ndarray:
        """Day (from 1) on which each step ends."""
        return self._file["series/day"][:]

    @property
    def burn_in_days(self) -> int:
        """Days simulated before the first recorded step (time.burn_in_years)."""
        return int(self.meta.get("burn_in_steps", 0)) * int(self.meta["step_days"])

    @property
    def years(self) -> float:
        """Length of the recorded period in (365-day) years, the burn-in left out."""
        return len(self.day) * int(self.meta["step_days"]) / DAYS_PER_YEAR

    @property
    def year(self) -> np.ndarray:
        """Recorded year (from 1, after the burn-in) of each step; ``day`` keeps the calendar day."""
        return year_of_day(self.day, self.burn_in_days)

    @functools.cached_property
    def metrics(self) -> pd.DataFrame:
        """The recorded metrics: name (index), unit, kind ('flow' or 'stock'), meaning."""
        rows = []
        for name, dataset in self._file["series"].items():
            if name == "day":
                continue
            description = dataset.attrs.get("description", "")
            kind = "stock" if description.startswith("stock") else "flow"
            rows.append((name, dataset.attrs.get("unit", ""), kind, description.removeprefix("stock: ")))
        return pd.DataFrame(rows, columns=["metric", "unit", "kind", "meaning"]).set_index("metric")

    def array(self, metric: str) -> np.ndarray:
        """One metric as a numpy array [replicates x steps]."""
        if metric not in self.metrics.index:
            raise KeyError(f"no metric '{metric}' in {self.name}; Results.metrics lists them")
        return self._file["series"][metric][:]

    # ---- series ----------------------------------------------------------------------------

    @functools.cached_property
    @_reads_stored_data
    def series(self) -> pd.DataFrame:
        """Every metric, tidy: columns metric, unit, replicate, day, year, value."""
        names = list(self.metrics.index)
        values = np.stack([self.array(m) for m in names])  # [metric, replicate, step]
        n_metrics, n_replicates, n_steps = values.shape
        per_metric = n_replicates * n_steps
        return pd.DataFrame({
            "metric": pd.Categorical.from_codes(np.repeat(np.arange(n_metrics), per_metric), names),
            "unit": pd.Categorical(np.repeat(self.metrics["unit"].to_numpy(), per_metric)),
            "replicate": np.tile(np.repeat(np.arange(n_replicates), n_steps), n_metrics),
            "day": np.tile(self.day, n_metrics * n_replicates),
            "year": np.tile(self.year, n_metrics * n_replicates),
            "value": values.reshape(-1),
        })

    def wide(self, metrics=None) -> pd.DataFrame:
        """Metrics as columns, indexed by (replicate, day)."""
        metrics = self._metric_list(metrics)
        index = pd.MultiIndex.from_product([range(self.replicates), self.day], names=["replicate", "day"])
        return pd.DataFrame({m: self.array(m).reshape(-1) for m in metrics}, index=index)

    def yearly(self, metrics=None) -> pd.DataFrame:
        """Per replicate and simulated year: flows summed over the year, stocks at its end."""
        metrics = self._metric_list(metrics)
        wide = self.wide(metrics)
        wide["year"] = np.tile(self.year, self.replicates)
        grouped = wide.groupby(["replicate", "year"])
        how = {m: ("last" if self.metrics.at[m, "kind"] == "stock" else "sum") for m in metrics}
        table = grouped.agg(how)
        table.attrs["units"] = {m: self.units[m] for m in metrics}
        return table

    def totals(self, metrics=None) -> pd.DataFrame:
        """Per replicate over the whole run: flows summed, stocks at the end."""
        metrics = self._metric_list(metrics)
        columns = {}
        for m in metrics:
            values = self.array(m)
            columns[m] = values[:, -1] if self.metrics.at[m, "kind"] == "stock" else values.sum(axis=1)
        table = pd.DataFrame(columns, index=pd.RangeIndex(self.replicates, name="replicate"))
        table.attrs["units"] = {m: self.units[m] for m in metrics}
        return table

    def to_xarray(self):
        """Every metric as an xarray.DataArray with dims (metric, replicate, time)."""
        import xarray as xr

        names = list(self.metrics.index)
        return xr.DataArray(
            np.stack([self.array(m) for m in names]),
            dims=("metric", "replicate", "time"),
            coords={"metric": names, "unit": ("metric", self.metrics["unit"].to_numpy()),
                    "replicate": np.arange(self.replicates), "day": ("time", self.day),
                    "year": ("time", self.year)},
            name="value",
            attrs={"scenario": self.scenario_name, "seed": self.seed, "time_unit": "day"},
        )

    def series_by(self, grouping: str) -> pd.DataFrame:
        """Monthly metrics by township, sector or department, tidy: metric, unit, replicate,
        month_end_day, group, value. Department groups end with 'none' (no responsible department)."""
        if grouping not in SERIES_BY_GROUPINGS:
            raise ValueError(f"series_by('{grouping}'): grouping must be one of {', '.join(SERIES_BY_GROUPINGS)}")
        group = self._file["series_by"][grouping]
        month_end_day = self._file["series_by/month_end_day"][:]
        frames = []
        for metric, dataset in group.items():
            values = dataset[:]  # [replicates x months x groups]
            r, months, groups = values.shape
            labels = self._group_labels(grouping, groups)
            frames.append(pd.DataFrame({
                "metric": metric, "unit": dataset.attrs.get("unit", ""),
                "replicate": np.repeat(np.arange(r), months * groups),
                "month_end_day": np.tile(np.repeat(month_end_day, groups), r),
                "group": np.tile(labels, r * months), "value": values.reshape(-1)}))
        return pd.concat(frames, ignore_index=True)

    def _group_labels(self, grouping: str, groups: int) -> np.ndarray:
        """Sector names; a GraphML county's township and department names; else 'township 3',
        'emergency_management', 'township_office 7' (department kind and id)."""
        if grouping == "sector":
            return np.array(_parse_codes(self._file["agents/enterprises"].attrs["sector_codes"]
                                         if "agents/enterprises" in self._file
                                         else self._file["events/accidents"].attrs["sector_codes"]))
        table = "townships" if grouping == "township" else "departments"
        labels = self._labels(table) if "agents" in self._file else None
        if labels is not None:
            names = list(labels["name"])
        elif grouping == "township":
            names = [f"township {g}" for g in range(groups)]
        elif "agents" in self._file:
            kinds = _parse_codes(self._file["agents/departments"].attrs["kind_codes"])
            codes = self._file["agents/departments/kind"][0]
            names = [kinds[k] if kinds[k] != "township_office" else f"township_office {d}" for d, k in enumerate(codes)]
        else:
            names = [f"department {g}" for g in range(groups)]
        if grouping == "department":
            names = names[:groups - 1] + ["none"]
        return np.array(names[:groups])

    def yearly_by(self, grouping: str, metrics=None) -> pd.DataFrame:
        """Per replicate, recorded year and township, sector or department (labelled): flows summed
        over the year, stocks (latent_hazards) at its end. Columns: replicate, year, last_day (the
        calendar day the year ends), the grouping, then one column per metric; units in
        ``.attrs['units']``."""
        monthly = self.series_by(grouping)
        if metrics is not None:
            metrics = [metrics] if isinstance(metrics, str) else list(metrics)
            unknown = sorted(set(metrics) - set(monthly["metric"]))
            if unknown:
                raise KeyError(f"yearly_by: no metric {unknown} by {grouping}; available: "
                               f"{', '.join(dict.fromkeys(monthly['metric']))}")
            monthly = monthly[monthly["metric"].isin(metrics)]
        monthly = monthly.assign(year=year_of_day(monthly["month_end_day"], self.burn_in_days))
        wide = monthly.pivot_table(index=["replicate", "year", "month_end_day", "group"], columns="metric",
                                   values="value", sort=False, observed=True).reset_index()
        stocks = [m for m in wide.columns if m == "latent_hazards"]
        flows = [m for m in wide.columns if m not in ("replicate", "year", "month_end_day", "group") + tuple(stocks)]
        keys = ["replicate", "year", "group"]
        table = wide.groupby(keys, sort=False).agg(
            {"month_end_day": "max", **{m: "sum" for m in flows}, **{m: "last" for m in stocks}}).reset_index()
        table = table.rename(columns={"month_end_day": "last_day", "group": grouping})
        table.columns.name = None
        units = dict(zip(monthly["metric"], monthly["unit"]))
        table.attrs["units"] = {m: units[m] + ("" if m in stocks else "/year") for m in flows + stocks}
        return table

    def panel(self, level: str = "township") -> pd.DataFrame:
        """A panel ready for a regression: one row per replicate, recorded year and township (or
        enterprise), with the treatment (``treated``: the township's own flag under township
        randomisation, else whether any of its enterprises is treated; ``treated_share``),
        ``enterprises``, ``workers``, ``death_ceiling`` (the township's share of the county's
        death figure; files written before it have none) and the true and reported outcomes.

        level='township': the outcomes of yearly_by('township') (accidents, deaths, injuries,
        inspections, hazards). level='enterprise': accidents_true, accidents_reported,
        deaths_true, deaths_reported, injuries_true, injuries_reported counted from the accident
        events, with sector and township; every enterprise-year appears, with zeros."""
        if level not in ("township", "enterprise"):
            raise ValueError(f"panel(level='{level}'): level must be 'township' or 'enterprise'")
        firms = self.agents["enterprises"].reset_index()
        years = np.unique(self.year)
        if level == "enterprise":
            return self._enterprise_panel(firms, years)
        towns = self.agents["townships"].reset_index()
        names = self._group_labels("township", len(towns) // max(self.replicates, 1))
        firms["treated_flag"] = firms["treated"].astype(float)
        per_town = firms.groupby(["replicate", "township"]).agg(
            enterprises=("id", "size"), workers=("workers", "sum"), treated_share=("treated_flag", "mean")).reset_index()
        towns = towns.rename(columns={"id": "township_id", "treated": "township_treated"})
        # The township's death ceiling (its share of the county's figure), in files that have it.
        ceiling = ["death_ceiling"] if "death_ceiling" in towns else []
        per_town = per_town.merge(towns[["replicate", "township_id", "township_treated"] + ceiling],
                                  left_on=["replicate", "township"], right_on=["replicate", "township_id"])
        per_town["treated"] = per_town["township_treated"] | (per_town["treated_share"] > 0)
        per_town["township"] = names[per_town["township"].to_numpy()]
        outcomes = self.yearly_by("township")
        table = outcomes.merge(per_town[["replicate", "township", "treated", "treated_share", "enterprises", "workers"]
                                        + ceiling], on=["replicate", "township"], how="left")
        front = ["replicate", "year", "last_day", "township", "treated", "treated_share", "enterprises", "workers"]
        front += ceiling
        table = table[front + [c for c in table.columns if c not in front]]
        table.attrs["units"] = {"workers": "workers", "enterprises": "enterprises",
                                **({"death_ceiling": "deaths/year"} if ceiling else {}), **outcomes.attrs["units"]}
        return table

    def _enterprise_panel(self, firms: pd.DataFrame, years: np.ndarray) -> pd.DataFrame:
        events = self.accidents
        harmful = events[events["severity"] != "near_miss"]
        counts = harmful.assign(
            accidents_true=1, accidents_reported=harmful["reported"].astype(int),
            deaths_reported=np.where(harmful["reported"], harmful["deaths"], 0),
            injuries_reported=np.where(harmful["reported"], harmful["injuries"], 0),
        ).rename(columns={"deaths": "deaths_true", "injuries": "injuries_true"}).groupby(
            ["replicate", "enterprise", "year"])[["accidents_true", "accidents_reported", "deaths_true",
                                                  "deaths_reported", "injuries_true", "injuries_reported"]].sum()
        grid = pd.MultiIndex.from_product([range(self.replicates), firms["id"].unique(), years],
                                          names=["replicate", "enterprise", "year"])
        table = counts.reindex(grid, fill_value=0).reset_index()
        columns = ["replicate", "id", "sector", "township", "workers", "treated", "trial_eligible", "registered"]
        columns += [c for c in ("node_id", "name") if c in firms.columns]
        table = table.merge(firms[[c for c in columns if c in firms.columns]].rename(columns={"id": "enterprise"}),
                            on=["replicate", "enterprise"])
        table.attrs["units"] = {m: m.split("_")[0] + "/year" for m in counts.columns}
        return table

    def _metric_list(self, metrics) -> list[str]:
        if metrics is None:
            return list(self.metrics.index)
        metrics = [metrics] if isinstance(metrics, str) else list(metrics)
        for m in metrics:
            if m not in self.metrics.index:
                raise KeyError(f"no metric '{m}' in {self.name}; Results.metrics lists them")
        return metrics

    # ---- events, agents, network -------------------------------------------------------------

    @functools.cached_property
    @_reads_stored_data
    def accidents(self) -> pd.DataFrame:
        """One row per accident (near-misses included) with sector, severity and grade as
        categories, reported/exposed as bool, and the simulated year."""
        if "events/accidents" not in self._file:
            raise LookupError(f"{self.name} has no accident events: the scenario set output.accident_events: false")
        group = self._file["events/accidents"]
        table = pd.DataFrame(_decode_columns(group, {name: column[:] for name, column in group.items()}))
        table["year"] = (table["day"] - self.burn_in_days) // DAYS_PER_YEAR + 1  # day counts from 0 here
        return table

    @functools.cached_property
    @_reads_stored_data
    def schedule(self) -> pd.DataFrame:
        """The scenario's dated changes, in the order the run applied them: ``day`` (calendar day
        from 1, burn-in included, as ``day`` counts: the change acted from its start), ``year``
        (recorded year of the first step under the new value, as ``year`` counts; 0 or less
        inside the burn-in), ``key`` and ``value`` (as YAML writes it). Empty for a run without
        a schedule."""
        columns = ["day", "year", "key", "value"]
        if "schedule" not in self._file:
            return pd.DataFrame({name: pd.Series(dtype="int64" if name in ("day", "year") else "object")
                                 for name in columns})
        group = self._file["schedule"]
        return pd.DataFrame({"day": group["day"][:], "year": group["year"][:],
                             "key": group["key"].asstr()[()].split("\n"),
                             "value": group["value"].asstr()[()].split("\n")})

    @functools.cached_property
    @_reads_stored_data
    def inspections(self) -> pd.DataFrame:
        """One row per inspection (docs/results-format.md, ``/events/inspections``), in the order
        of the file: by replicate, then day.

        Columns: ``replicate``; ``day`` (first day of the inspection's step, from 0, burn-in
        included) and ``year`` (recorded year, from 1); ``enterprise``, ``sector`` (category),
        ``township``; ``department`` (65535 = the experimental team) and ``inspector`` (4294967295
        = the experimental team); ``mode`` (formal, substantive), ``kind`` (routine, complaint,
        follow_up, experimental), ``action`` (none, rectification_order, referral) as categories;
        ``hazards_present``, ``hazards_found``, ``major_hazards_found``, ``hazards_refused``,
        ``hazards_rectified`` (hazards); ``fine`` (yuan); flags as bool: ``suspended`` (production suspended),
        ``referred_to_court`` (before any accident, 危险作业罪), ``follow_up_queued``, ``published``
        (the case was published, ``enforcement.case_publicity``).

        Files are written without them unless the scenario sets ``output.inspection_events: true``.
        """
        if "events/inspections" not in self._file:
            raise LookupError(f"{self.name} has no inspection records: they are written only when the scenario "
                              "sets output.inspection_events: true: run it again with that in the scenario file, with "
                              "anjian run --set output.inspection_events=true, or in Python with "
                              "scenario.set('output.inspection_events', True) before anjian.run(scenario)")
        group = self._file["events/inspections"]
        names = str(group.attrs.get("columns", "")).split(",")  # the table's order (HDF5 sorts by name)
        names = [n for n in names if n in group] + sorted(set(group) - set(names))
        table = pd.DataFrame(_decode_columns(group, {name: group[name][:] for name in names}))
        table.insert(2, "year", (table["day"] - self.burn_in_days) // DAYS_PER_YEAR + 1)  # day counts from 0 here
        return table

    @functools.cached_property
    @_reads_stored_data
    def agents(self) -> dict:
        """Final state of every agent: {'enterprises': DataFrame, ...}, one row per (replicate, id)."""
        if "agents" not in self._file:
            raise LookupError(f"{self.name} has no agent tables: the scenario set output.agents: false")
        tables = {}
        for table_name in AGENT_TABLES:
            group = self._file["agents"][table_name]
            columns = {name: column[:] for name, column in group.items()}
            replicates, agents = next(iter(columns.values())).shape if columns else (0, 0)
            flat = _decode_columns(group, {name: values.reshape(-1) for name, values in columns.items()})
            labels = self._labels(table_name)
            if labels is not None:  # a GraphML county: the file's own node ids and names
                flat["node_id"] = np.tile(labels["node_id"].to_numpy(), replicates)
                flat["name"] = np.tile(labels["name"].to_numpy(), replicates)
            index = pd.MultiIndex.from_product([range(replicates), range(agents)], names=["replicate", "id"])
            tables[table_name] = pd.DataFrame(flat, index=index)
        return tables

    def _labels(self, table_name: str) -> pd.DataFrame | None:
        """node_id and name of each agent of a GraphML county (None for a generated one)."""
        path = f"agents/labels/{table_name}"
        if path not in self._file:
            return None
        group = self._file[path]
        return pd.DataFrame({key: group[key].asstr()[()].split("\n") for key in ("node_id", "name")})

    @property
    @_reads_stored_data
    def graphml(self) -> str:
        """The governance network of replicate 0 at the end, as GraphML text."""
        if "network/graphml" not in self._file:
            raise LookupError(f"{self.name} has no network: the scenario set output.network: false")
        return self._file["network/graphml"].asstr()[()]

    @property
    def network(self):
        """The governance network as a networkx graph (needs networkx: apt install python3-networkx)."""
        try:
            import networkx as nx
        except ImportError as error:
            raise ImportError("Results.network needs networkx (Debian: python3-networkx); "
                              "Results.graphml gives the GraphML text without it") from error
        try:
            return nx.parse_graphml(self.graphml)
        # ValueError: a typed value damaged; KeyError: a key's attr.type damaged into no type networkx knows
        except (ElementTree.ParseError, nx.NetworkXError, ValueError, KeyError) as error:
            raise _core.ResultsError(f"{self.name} is damaged: its /network/graphml is not readable GraphML "
                                     f"({error}); restore it from a copy or run the scenario again") from error

    # ---- summaries and figures -------------------------------------------------------------------

    HEADLINE = ("accidents_true", "accidents_reported", "deaths_true", "deaths_reported", "injuries_true",
                "injuries_reported", "inspections", "inspections_formal", "latent_hazards", "workers")

    def summary(self) -> pd.DataFrame:
        """Mean over replicates per simulated year of the headline metrics (flows summed over the
        year, stocks at its end) and true deaths per 100,000 workers. Units: ``.attrs['units']``."""
        headline = [m for m in self.HEADLINE if m in self.metrics.index]
        table = self.yearly(headline).groupby("year").mean()
        days = pd.Series(self.day).groupby(self.year).size() * int(self.meta["step_days"])
        table.insert(0, "days", days.to_numpy())
        units = {"days": "day", **{m: self.units[m] + ("/year" if self.metrics.at[m, "kind"] == "flow" else "")
                                   for m in headline}}
        if {"deaths_true", "workers"} <= set(headline):
            table["deaths_per_100k_workers"] = table["deaths_true"] / table["workers"] * 1e5
            units["deaths_per_100k_workers"] = "deaths/100k workers/year"
        table.attrs["units"] = units
        return table

    def plot(self, metrics, by: str = "year", ax=None):
        """Mean over replicates (line) and the range of the replicates (band) of one or more
        metrics, per simulated year (flows summed) or per day. Metrics of one unit share an axes;
        each unit gets its own. Returns the list of axes."""
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        metrics = self._metric_list(metrics)
        if by not in ("year", "day"):
            raise ValueError(f"plot(by='{by}'): by must be 'year' or 'day'")
        units = list(dict.fromkeys(self.units[m] for m in metrics))
        if ax is None:
            _, axes = plt.subplots(len(units), 1, figsize=(7, 3 * len(units)), squeeze=False, sharex=True)
            axes = list(axes[:, 0])
        else:
            if len(units) > 1:
                raise ValueError(f"plot: metrics of several units ({', '.join(units)}) cannot share one axes; "
                                 "plot them separately or leave ax=None")
            axes = [ax]
        by_unit = dict(zip(units, axes))
        for m in metrics:
            if by == "year":
                table = self.yearly(m)[m].unstack("replicate")
                x = table.index.to_numpy()
            else:
                table = pd.DataFrame(self.array(m).T)
                x = self.day
            axis = by_unit[self.units[m]]
            line, = axis.plot(x, table.mean(axis=1), label=m)
            axis.fill_between(x, table.min(axis=1), table.max(axis=1), color=line.get_color(), alpha=0.2)
        for unit, axis in by_unit.items():
            per = "/year" if by == "year" and any(self.metrics.at[m, "kind"] == "flow" for m in metrics
                                                   if self.units[m] == unit) else ""
            axis.set_ylabel(f"{unit}{per}")
            axis.legend(title=f"mean, band = range of {self.replicates} replicates", fontsize="small")
        axes[-1].set_xlabel("year (recorded, after the burn-in)" if by == "year" else "calendar day")
        if by == "year":
            axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
        return axes

    # ---- saving and closing ----------------------------------------------------------------------

    def save(self, path: str | os.PathLike) -> None:
        """Writes the results of an in-memory run to `path` (the bytes `anjian run -o` would
        write), under a temporary name renamed when complete."""
        if self._image is None:
            raise ValueError(f"{self.name} was opened from a file; copy the file instead")
        path = os.fspath(path)
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise ResultsError(f"cannot write results to '{path}': directory '{directory}' does not exist; "
                                     "create it first")
        temp = f"{path}.tmp-{os.getpid()}"
        try:
            with open(temp, "wb") as out:
                out.write(self._image)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            if os.path.isfile(temp):
                os.unlink(temp)
            raise

    @property
    def image(self) -> bytes | None:
        """The bytes of the result file of an in-memory run (None when opened from a file)."""
        return self._image

    def close(self) -> None:
        """Closes the HDF5 file (for the scenarios of a comparison file: the whole file)."""
        self._file.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self) -> str:
        years = len(np.unique(self.year))
        return (f"<anjian.Results {self.name}: scenario {self.scenario_name!r}, {self.replicates} replicates x "
                f"{len(self.day)} steps ({years} years), seed {self.seed}>")
