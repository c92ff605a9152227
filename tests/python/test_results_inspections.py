"""Results.inspections: one row per inspection (/events/inspections), when the run kept them."""

import numpy as np
import pandas as pd
import pytest

import anjian
from conftest import SCENARIOS

TINY = str(SCENARIOS / "tiny.yaml")
COLUMNS = ["replicate", "day", "year", "enterprise", "sector", "township", "department", "inspector", "mode",
           "kind", "hazards_present", "hazards_found", "major_hazards_found", "hazards_refused", "hazards_rectified",
           "action", "fine",
           "suspended", "referred_to_court", "follow_up_queued", "published"]


@pytest.fixture(scope="module")
def kept():
    """The tiny scenario with a burn-in, the records kept and some cases published."""
    scenario = (anjian.Scenario.load(TINY).set("time.years", 1).set("time.burn_in_years", 0.5)
                .set("output.inspection_events", True).set("enforcement.case_publicity", 0.5))
    return anjian.run(scenario, threads=2)


def test_columns_types_and_codes(kept):
    table = kept.inspections
    assert list(table.columns) == COLUMNS
    assert set(table["mode"].cat.categories) == {"formal", "substantive"}
    assert list(table["kind"].cat.categories) == ["routine", "complaint", "follow_up", "experimental"]
    assert list(table["action"].cat.categories) == ["none", "rectification_order", "referral"]
    for flag in ("published", "suspended", "referred_to_court", "follow_up_queued"):
        assert table[flag].dtype == bool, flag
    assert (table["major_hazards_found"] <= table["hazards_found"]).all()
    assert table["fine"].dtype == np.float64
    assert (table["year"] == 1).all()  # one recorded year after the half-year burn-in
    none = table["action"] == "none"
    assert (table.loc[none, "hazards_found"] + table.loc[none, "hazards_refused"] == 0).all()
    # A refused order verified is not found anew; what is rectified was found or refused.
    assert (table["hazards_found"] + table["hazards_refused"] <= table["hazards_present"]).all()
    assert (table["hazards_rectified"] <= table["hazards_found"] + table["hazards_refused"]).all()
    published = table[table["published"]]
    assert ((published["fine"] > 0) | published["suspended"] | published["referred_to_court"]).all()
    group = kept._file["events/inspections"]
    for name in COLUMNS:
        if name != "year":
            assert group[name].attrs["unit"] and group[name].attrs["description"], name
    assert group["fine"].attrs["unit"] == "yuan"


def test_rows_agree_with_the_series(kept):
    table = kept.inspections
    per_replicate = table.groupby("replicate").size().to_numpy()
    np.testing.assert_array_equal(per_replicate, kept.totals("inspections")["inspections"])
    for column in ("hazards_found", "hazards_refused", "hazards_rectified"):
        np.testing.assert_array_equal(table.groupby("replicate")[column].sum().to_numpy(),
                                      kept.totals(column)[column])
    formal = (table["mode"] == "formal").groupby(table["replicate"]).sum().to_numpy()
    np.testing.assert_array_equal(formal, kept.totals("inspections_formal")["inspections_formal"])
    np.testing.assert_allclose(table.groupby("replicate")["fine"].sum().to_numpy(),
                               kept.totals("fines")["fines"], rtol=1e-9)
    published = table.groupby("replicate")["published"].sum().to_numpy()
    np.testing.assert_array_equal(published, kept.totals("cases_published")["cases_published"])


def test_saved_and_opened_files_read_the_same(kept, tmp_path):
    path = tmp_path / "kept.h5"
    kept.save(path)
    with anjian.open(path) as opened:
        pd.testing.assert_frame_equal(opened.inspections, kept.inspections)


def test_a_file_without_them_says_how_to_turn_them_on():
    plain = anjian.run(anjian.Scenario.load(TINY).set("time.years", 0.1), threads=2)
    with pytest.raises(LookupError, match=r"output\.inspection_events: true.*--set output\.inspection_events=true"):
        plain.inspections
    assert "events/accidents" in plain._file  # the accident records stay as they were
