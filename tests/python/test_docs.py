"""docs/ODD.md keeps its promise: every Seed-map row of docs/ODD.md names lever keys that exist."""

import csv
import io
import re

from conftest import ROOT

SEED_ROWS = 33  # rows of the Seed map in docs/ODD.md


def seed_map_rows():
    text = (ROOT / "docs" / "ODD.md").read_text()
    table = text[text.index("## Seed map"):]
    return [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| seed item")]


def test_every_seed_row_names_existing_lever_keys(run_cli):
    keys = {row["key"] for row in csv.DictReader(io.StringIO(run_cli("params", "--format", "csv", check=True).stdout))}
    rows = seed_map_rows()
    assert len(rows) == SEED_ROWS
    for row in rows:
        named = [k for k in re.findall(r"`([^`]+)`", row) if "." in k]
        assert named, f"no lever key in: {row}"
        for key in named:
            assert key in keys, f"{key} (in: {row[:60]}...) is not a parameter"
