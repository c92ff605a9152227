"""A county's structure from pandas tables, written as the GraphML that scenarios read with
``network:`` (docs/network-format.md).

    anjian.write_county_graphml("my_county.graphml", townships, departments, enterprises)

The file is written by networkx's ``write_graphml``, the tool most analysts already use, so that
what the program reads is what networkx writes.
"""

from __future__ import annotations

import os

import pandas as pd

COUNTY_KINDS = ("emergency_management", "construction", "natural_resources", "market_supervision")
SKIPPED = {"id", "township", "department", "second_department"}


def _attributes(row: pd.Series) -> dict:
    """The row's values other than the structural columns, without the missing ones, as plain
    Python values (networkx writes numpy integers badly)."""
    values = {}
    for key, value in row.items():
        if key in SKIPPED or value is None or (not isinstance(value, str) and pd.isna(value)):
            continue
        values[key] = value.item() if hasattr(value, "item") else value
    return values


def _require(table: pd.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"write_county_graphml: the {name} table lacks the column(s) {', '.join(missing)} "
                         f"(docs/network-format.md lists what each table needs)")
    if table["id"].duplicated().any():
        raise ValueError(f"write_county_graphml: {name} ids repeat: {sorted(set(table['id'][table['id'].duplicated()]))}")


def county_graph(townships: pd.DataFrame, departments: pd.DataFrame, enterprises: pd.DataFrame):
    """The county as a networkx DiGraph with the node and edge attributes of docs/network-format.md.

    townships: ``id`` (and optionally ``name``, ``growth_priority``).
    departments: ``id``, ``department_kind``, ``staff`` (optionally ``name``, ``attention``,
    ``can_enforce``); a ``township_office`` names its township in ``township``.
    enterprises: ``id``, ``township``, ``sector``, ``workers`` (optionally ``name``, ``registered``,
    ``department`` = the responsible county department's id, ``second_department``).
    """
    import networkx as nx

    _require(townships, "townships", ("id",))
    _require(departments, "departments", ("id", "department_kind", "staff"))
    _require(enterprises, "enterprises", ("id", "township", "sector", "workers"))
    graph = nx.DiGraph()
    for _, row in townships.iterrows():
        graph.add_node(str(row["id"]), kind="township", **_attributes(row))
    for _, row in departments.iterrows():
        graph.add_node(str(row["id"]), kind="department", **_attributes(row))
        if row["department_kind"] == "township_office":
            graph.add_edge(str(row["id"]), str(row["township"]), relation="reports_to")
    for _, row in enterprises.iterrows():
        node = str(row["id"])
        graph.add_node(node, kind="enterprise", **_attributes(row))
        graph.add_edge(node, str(row["township"]), relation="located_in")
        for column, primary in (("department", True), ("second_department", False)):
            department = row.get(column)
            if department is not None and not pd.isna(department):
                graph.add_edge(str(department), node, relation="supervises", primary=primary)
    return graph


def write_county_graphml(path: str | os.PathLike, townships: pd.DataFrame, departments: pd.DataFrame,
                         enterprises: pd.DataFrame):
    """Writes the county of the three tables (see :func:`county_graph`) as GraphML to `path` and
    returns the networkx graph. ``anjian validate`` or ``anjian.run`` then check every rule."""
    import networkx as nx

    graph = county_graph(townships, departments, enterprises)
    nx.write_graphml(graph, os.fspath(path))
    return graph
