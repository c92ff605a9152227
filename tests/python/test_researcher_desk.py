"""The researcher's desk (issue 21): GraphML counties from pandas and networkx, citable provenance,
parameter sources as data, township x year panels, paper-ready figures and errors that say what
to do."""

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess

import h5py
import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
import pytest

import anjian
from conftest import ROOT, SCENARIOS

matplotlib.use("Agg")
TINY = str(SCENARIOS / "tiny.yaml")


# ---- sources as data ---------------------------------------------------------------------------

def reference_keys() -> set[str]:
    text = (ROOT / "docs" / "references.md").read_text(encoding="utf-8")
    return set(re.findall(r"^### (\S+)$", text, flags=re.M))


def test_every_parameter_declares_a_source_and_its_references_resolve(run_cli):
    table = anjian.params()
    missing = table[~table["source"].isin(["data", "calibrated", "assumed", "setting"])]
    assert missing.empty, f"parameters without a source: {', '.join(missing['key'])}"
    keys = reference_keys()
    for _, row in table.iterrows():
        cited = re.findall(r"\[([^\]]+)\]", row["reference"])
        assert not (set(cited) - keys), f"{row['key']} cites {set(cited) - keys}, not in docs/references.md"
        if row["source"] == "data":
            assert cited, f"{row['key']} is data but cites nothing"
    # The program shows the same columns.
    rows = list(csv.DictReader(io.StringIO(run_cli("params", "--format", "csv", check=True).stdout)))
    by_key = {r["key"]: r for r in rows}
    assert by_key["deterrence.accident_fine"]["source"] == "data"
    assert "[work_safety_law_2021]" in by_key["deterrence.accident_fine"]["reference"]
    assert by_key["sectors.mining.death_tail"]["source"] == "calibrated"
    assert "source: data: [work_safety_law_2021]" in run_cli("params", check=True).stdout


def test_no_file_in_the_repository_points_outside_it_for_sources():
    for path in [*ROOT.glob("sim/scenario/*.def"), *ROOT.glob("scenarios/*.yaml"), ROOT / "docs" / "ODD.md"]:
        assert "DOMAIN" not in path.read_text(encoding="utf-8"), path


# ---- citable ------------------------------------------------------------------------------------

def stamp(source_dir, output):
    subprocess.run(["cmake", f"-DSOURCE_DIR={source_dir}", f"-DOUTPUT={output}", "-DPROJECT_VERSION=9.9",
                    "-P", str(ROOT / "cmake" / "git_stamp.cmake")], check=True, capture_output=True)
    return re.search(r'kGitCommit = "([^"]*)"', output.read_text()).group(1)


def test_commit_stamp_marks_a_dirty_tree_also_in_a_worktree(tmp_path):
    repo = tmp_path / "repo"
    (repo / "sim" / "core").mkdir(parents=True)
    shutil.copy(ROOT / "sim" / "core" / "version.hpp.in", repo / "sim" / "core")
    (repo / "notes.txt").write_text("a\n", encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repo)]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    head = subprocess.run([*git, "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert stamp(repo, tmp_path / "a.hpp") == head
    (repo / "notes.txt").write_text("b\n", encoding="utf-8")  # a tracked file changed
    assert stamp(repo, tmp_path / "b.hpp") == head + "-dirty"
    subprocess.run([*git, "worktree", "add", "-q", str(tmp_path / "wt")], check=True)  # .git is a file there
    assert stamp(tmp_path / "wt", tmp_path / "c.hpp") == head
    outside = tmp_path / "plain"
    shutil.copytree(repo / "sim", outside / "sim")
    assert stamp(outside, tmp_path / "d.hpp") == "unknown"


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("info") / "tiny.h5"
    anjian.run(anjian.Scenario.load(TINY).with_(**{"time.years": 1, "time.burn_in_years": 1}), threads=2).save(path)
    return path


def test_info_prints_provenance_contents_and_a_citation(run_cli, tiny_file):
    out = run_cli("info", tiny_file, check=True).stdout
    with anjian.open(tiny_file) as res:
        yaml_hash = hashlib.sha256(res.scenario_yaml.encode()).hexdigest()
        assert res.meta["scenario_sha256"] == yaml_hash
        assert res.meta["git_commit"] == anjian.git_commit
    assert f"sha256 {yaml_hash}" in out and "seed 7, 2 replicate(s)" in out
    assert "/series/" in out and "cite as:" in out and f"(sha256 {yaml_hash[:12]}), seed 7, 2 replicates" in out
    assert run_cli("info", ROOT / "README.md").returncode != 0


def test_comparison_meta_and_citation(tmp_path, run_cli):
    base = anjian.Scenario.load(TINY).with_(**{"time.years": 0.25})
    cmp = anjian.compare(base, base.with_(name="more", **{"departments.emergency_management_staff": 12}),
                         replicates=2, threads=2)
    meta = cmp.meta
    assert meta["baseline"] == "tiny" and meta["scenarios"] == ["tiny", "more"] and meta["seed"] == 7
    assert set(meta["scenario_sha256"]) == {"tiny", "more"}
    assert "comparison of tiny (scenario sha256" in cmp.citation()
    out_file = tmp_path / "c.h5"
    run_cli("compare", TINY, SCENARIOS / "child.yaml", "--years", "0.1", "--replicates", "2", "-o", out_file, "-q",
            check=True)
    info = run_cli("info", out_file, check=True).stdout
    assert "anjian comparison file" in info and "baseline tiny" in info and "/scenarios/child/series/" in info
    assert "cite as:" in info and "comparison of tiny (scenario sha256" in info
    assert anjian.open(out_file).meta["scenario_sha256"]["child"] in info


# ---- GraphML counties from tables -----------------------------------------------------------------

def county_tables(townships=3, per_township=20):
    rng = np.random.default_rng(1)
    towns = pd.DataFrame({"id": [f"T{t}" for t in range(townships)], "name": [f"镇{t}" for t in range(townships)]})
    departments = pd.DataFrame({
        "id": ["EMB", "HCB", "NRB", "MSB", *[f"O{t}" for t in range(townships)]],
        "department_kind": ["emergency_management", "construction", "natural_resources", "market_supervision",
                            *["township_office"] * townships],
        "staff": [4, 2, 1, 2, *[1] * townships],
        "township": [None] * 4 + list(towns["id"]),
        "can_enforce": [True] * 4 + [False] * townships})
    n = townships * per_township
    sectors = rng.choice(["manufacturing", "construction", "mining", "trade"], n, p=[0.5, 0.2, 0.05, 0.25])
    responsible = {"manufacturing": "EMB", "construction": "HCB", "mining": "NRB", "trade": "MSB"}
    firms = pd.DataFrame({"id": [f"E{i}" for i in range(n)], "township": np.repeat(towns["id"], per_township).to_numpy(),
                          "sector": sectors, "workers": rng.integers(3, 200, n),
                          "registered": rng.random(n) > 0.1})
    firms["department"] = [responsible[s] if r else None for s, r in zip(firms["sector"], firms["registered"])]
    return towns, departments, firms


def test_county_from_tables_round_trips_through_networkx_and_runs(tmp_path, run_cli):
    towns, departments, firms = county_tables()
    path = tmp_path / "county.graphml"
    anjian.write_county_graphml(path, towns, departments, firms)
    text = path.read_text(encoding="utf-8")
    assert 'attr.type="long"' in text and 'attr.type="boolean"' in text  # what networkx writes
    again = nx.read_graphml(path)
    assert again.nodes["E5"]["workers"] == int(firms.loc[5, "workers"])
    assert again.nodes["T1"]["name"] == "镇1"
    assert sum(1 for _, d in again.nodes(data=True) if d["kind"] == "enterprise") == len(firms)

    scenario = anjian.Scenario.load(TINY).with_(network=path, name="tables", **{"time.years": 1})
    res = anjian.run(scenario, replicates=2, threads=2)
    assert res.meta["network_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    with h5py.File(io.BytesIO(res.image)) as f:
        assert f["meta/network_graphml"].asstr()[()] == text  # the input itself, not the end state
    firms_out = res.agents["enterprises"].loc[0]
    assert list(firms_out["node_id"]) == list(firms["id"]) and len(firms_out) == len(firms)
    assert list(res.agents["townships"].loc[0]["name"]) == list(towns["name"])
    assert set(res.series_by("township")["group"]) == set(towns["name"])
    # The program's summary counts what was run, not the scenario's enterprises.count.
    yaml_path = tmp_path / "tables.yaml"
    yaml_path.write_text(f"extends: {TINY}\nname: tables\nnetwork: county.graphml\ntime:\n  years: 0.1\n", encoding="utf-8")
    out = run_cli("run", yaml_path, "-o", tmp_path / "t.h5", check=True).stdout
    assert f"tables: {len(firms)} enterprises" in out


def test_missing_departments_are_added_and_said(tmp_path, run_cli):
    towns, departments, firms = county_tables()
    firms.loc[firms["department"].isin(["NRB", "MSB"]), "department"] = "EMB"
    anjian.write_county_graphml(tmp_path / "c.graphml", towns, departments[~departments["id"].isin(["NRB", "MSB"])], firms)
    (tmp_path / "c.yaml").write_text(f"extends: {TINY}\nnetwork: c.graphml\n", encoding="utf-8")
    result = run_cli("validate", tmp_path / "c.yaml", check=True)
    assert "no natural_resources department in the file: added with 0 staff" in result.stderr
    assert f"({len(firms)} enterprises from" in result.stdout


def test_graphml_errors_name_the_files_own_ids(tmp_path):
    towns, departments, firms = county_tables()
    firms.loc[3, "department"] = "O1"  # a township office cannot supervise
    anjian.write_county_graphml(tmp_path / "bad.graphml", towns, departments, firms)
    with pytest.raises(anjian.ScenarioError, match=r"edge 'O1' -> 'E3': supervises must go from a county department"):
        anjian.run(anjian.Scenario.load(TINY).with_(network=tmp_path / "bad.graphml"), replicates=1)


# ---- panels and years ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def trial():
    """A township-randomised trial after a one-year burn-in."""
    scenario = anjian.Scenario.load(TINY).with_(**{
        "time.years": 2, "time.burn_in_years": 1, "experiment.treatment": "extra_inspections",
        "experiment.unit": "township", "county.townships": 6})
    return anjian.run(scenario, replicates=2, threads=2)


def test_recorded_years_count_from_one_after_the_burn_in(trial):
    assert list(np.unique(trial.year)) == [1, 2]
    assert trial.day[0] == 366  # the calendar day is kept
    assert list(trial.summary().index) == [1, 2]
    assert trial.accidents["year"].min() >= 1


def test_yearly_by_and_the_township_panel_add_up(trial):
    by = trial.yearly_by("township", ["accidents_true", "deaths_true"])
    assert list(by.columns) == ["replicate", "year", "township", "last_day", "accidents_true", "deaths_true"]
    assert by.attrs["units"]["deaths_true"] == "deaths/year"
    assert set(by["year"]) == {1, 2} and set(by["township"]) == {f"township {t}" for t in range(6)}
    panel = trial.panel()
    assert len(panel) == 2 * 2 * 6
    for column in ("treated", "treated_share", "workers", "enterprises", "accidents_true", "accidents_reported",
                   "deaths_true", "deaths_reported", "injuries_true"):
        assert column in panel.columns
    assert panel["treated"].sum() == 2 * 2 * 3  # half the townships, every replicate and year
    yearly = trial.yearly(["accidents_true"])["accidents_true"]
    totals = panel.groupby(["replicate", "year"])["accidents_true"].sum()
    assert np.allclose(totals.to_numpy(), yearly.to_numpy())
    firms = trial.panel("enterprise")
    assert len(firms) == 2 * 2 * 400
    events = trial.accidents[trial.accidents["severity"] != "near_miss"]
    assert firms["accidents_true"].sum() == len(events)
    assert firms["deaths_reported"].sum() == events.loc[events["reported"], "deaths"].sum()


# ---- paper-ready output ---------------------------------------------------------------------------

def test_comparison_figures_scale_money_map_labels_and_show_no_offset():
    base = anjian.Scenario.load(TINY).with_(**{"time.years": 0.5})
    cmp = anjian.compare(base, base.with_(name="more", **{"departments.emergency_management_staff": 12}),
                         replicates=3, threads=2)
    ax = cmp.plot("inspections", "cost", labels={"more": "More inspectors", "tiny": "Baseline"}, units={"yuan": "M yuan"})
    ax.figure.canvas.draw()
    assert "M yuan/year" in ax.get_xlabel() and "Baseline" in ax.get_xlabel()
    assert [t.get_text() for t in ax.texts] == ["More inspectors"]
    assert ax.xaxis.get_offset_text().get_text() == ""
    cost = cmp.effect("cost").loc["more", "difference"]
    assert abs(ax.lines[0].get_xdata()[0] - cost / 1e6) < 1e-9
    axes = cmp.plot_effects(["deaths_true", "inspections", "cost"], units={"yuan": "10k yuan"}, labels={"more": "More"})
    assert len([a for a in axes if a.get_visible()]) == 3 and "10k yuan" in axes[2].get_xlabel()
    needed = cmp.replicates_needed("inspections", effect=cmp.effect("inspections").loc["more", "difference"] / 2)
    assert needed["more"] >= 2


def test_power_matches_the_textbook_paired_t():
    assert anjian.power(sd=1.0, effect=1.0) == 10  # two-sided 5%, 80%: n = 10 for d = 1 (paired t)
    assert anjian.power(sd=1.0, effect=0.5) == 34
    assert anjian.power(sd=2.0, effect=0.1) > 3000
    with pytest.raises(ValueError, match="sd > 0"):
        anjian.power(sd=0.0, effect=1.0)


def test_csv_json_and_python_share_one_column_vocabulary(run_cli, tmp_path):
    args = ("compare", TINY, SCENARIOS / "child.yaml", "--replicates", "2", "--years", "0.2", "-o", tmp_path / "c.h5")
    header = run_cli(*args, "--format", "csv", check=True).stdout.splitlines()[0].split(",")
    doc = json.loads(run_cli(*args, "--format", "json", check=True).stdout)
    python = {"difference", "se", "ci_low", "ci_high", "unpaired_se", "unpaired_ci_low", "unpaired_ci_high"}
    assert python <= set(header)
    assert python <= set(doc["outcomes"][0]["differences"][0])
    cmp = anjian.open(tmp_path / "c.h5")
    assert python <= set(cmp.table.columns)


# ---- errors that say what to do ---------------------------------------------------------------------

def test_truncated_and_temporary_files_raise_results_error(tiny_file, tmp_path):
    data = tiny_file.read_bytes()
    cut = tmp_path / "cut.h5"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(anjian.ResultsError, match="incomplete file, written by an interrupted run"):
        anjian.open(cut)
    temporary = tmp_path / "run.h5.tmp-4242"
    temporary.write_bytes(data)
    with pytest.raises(anjian.ResultsError, match="temporary file of a run"):
        anjian.open(temporary)
    assert issubclass(anjian.ResultsError, Exception) and anjian.ResultsError is anjian.results.ResultsError


def test_with_name_and_refused_strings():
    s = anjian.Scenario.load(TINY).with_(name="renamed", description="d")
    assert s.name == "renamed" and s.description == "d"
    with pytest.raises(anjian.ScenarioError, match="expected integer, found the text '16'; pass the value itself"):
        s.with_(**{"departments.emergency_management_staff": "16"})
    with pytest.raises(anjian.ScenarioError, match="expected boolean, found the text 'yes'"):
        s.set("coordination.information_sharing", "yes")
    assert s["departments.emergency_management_staff"] == anjian.Scenario.load(TINY)["departments.emergency_management_staff"]


def test_compare_says_that_set_applies_to_every_scenario(run_cli, tmp_path):
    alternative = tmp_path / "alt.yaml"
    alternative.write_text(f"extends: {TINY}\nname: alt\ndepartments:\n  emergency_management_staff: 9\n",
                           encoding="utf-8")
    result = run_cli("compare", TINY, alternative, "--replicates", "2", "--years", "0.1", "-o", tmp_path / "c.h5",
                     "--set", "departments.emergency_management_staff=9", check=True)
    assert "--set applies to every scenario" in result.stderr
    assert "tiny and alt have the same parameters" in result.stderr
    other = tmp_path / "other.yaml"
    other.write_text(f"extends: {TINY}\nname: other\ntime:\n  years: 3\n", encoding="utf-8")
    note = run_cli("compare", TINY, other, "--replicates", "2", "-o", tmp_path / "d.h5", "--years", "0.1")
    assert note.returncode == 0
    base = anjian.Scenario.load(TINY).with_(**{"time.years": 0.1})
    with pytest.raises(ValueError, match=r"time.years: 0.2 .*0.1"):
        anjian.compare(base, base.with_(name="longer", **{"time.years": 0.2}), replicates=2)


def test_run_summary_numbers_recorded_years_from_one(run_cli, tmp_path):
    out = run_cli("run", TINY, "--set", "time.years=2", "--set", "time.burn_in_years=1", "-o", tmp_path / "r.h5",
                  check=True).stdout
    rows = [line.split()[0] for line in out.splitlines() if re.match(r"^\s+\d+\s{2}", line)]
    assert rows == ["1", "2"], out
