"""Calibration machinery (docs/calibration.md): the targets file, the statistics, anjian.calibrate
with its ABC posterior, recovery of known parameters, and comparisons over a posterior.

The statistical tests assert only that the statistics compute and lie in sane ranges, not that the
field targets are met (docs/validation.md shows which are, at full size).
"""

import math
import pathlib

import numpy as np
import pandas as pd
import pytest
import yaml

import anjian
from anjian import calibration as cal

ROOT = pathlib.Path(__file__).resolve().parents[2]
TARGETS = ROOT / "scenarios" / "calibration" / "targets.yaml"
BASELINE = ROOT / "scenarios" / "county_baseline.yaml"


def small_scenario(tmp_path, years=2, count=400, townships=4):
    path = tmp_path / "small.yaml"
    path.write_text(f"extends: {BASELINE}\nname: small\ntime: {{years: {years}, burn_in_years: 1}}\n"
                    f"enterprises: {{count: {count}}}\ncounty: {{townships: {townships}}}\n")
    return path


# ---- The targets file --------------------------------------------------------------------------

def test_the_project_targets_file_loads_and_every_target_says_where_it_comes_from():
    targets = cal.load_targets(TARGETS)
    names = {t.name for t in targets.targets}
    for required in ("deaths_per_100k_workers", "larger_or_worse_share_of_fatal", "pyramid_minor_per_serious",
                     "violations_per_inspection", "major_hazards_per_inspection", "rectified_share",
                     "trial_extra_inspection_effect", "penalty_vs_no_penalty_inspections", "death_ceiling_bunching",
                     "flat_baseline", "inspection_game_oscillation", "first_to_second_inspection_drop",
                     "first_to_later_inspection_drop", "inspection_game_damped_by_follow_up"):
        assert required in names
    references = (ROOT / "docs" / "references.md").read_text()
    for t in targets.targets:
        assert t.source
        if t.reference:
            assert f"### {t.reference}\n" in references, t.reference
        if t.computable:
            assert t.statistic in cal.STATISTICS and t.uncertainty > 0
        else:
            assert t.why
    assert targets.parameters, "the targets file names free parameters"
    source = anjian.params().set_index("key")["source"]
    assert all(source[k] in ("assumed", "calibrated") for k in targets.parameters)


def test_the_library_county_runs_at_the_calibrated_point():
    # county_baseline.yaml inherits calibration/calibrated.yaml and overrides none of its keys, so
    # every library scenario runs at the point `make calibrate` found, not at the engine's defaults.
    fitted = anjian.Scenario.load(TARGETS.parent / "calibrated.yaml")
    baseline = anjian.Scenario.load(BASELINE)
    for key in cal.load_targets(TARGETS).parameters:
        assert baseline[key] == pytest.approx(fitted[key]), key


def _doc(tmp_path, **changes):
    doc = {"scenario": str(small_scenario(tmp_path)),
           "parameters": {"inspectors.inspections_per_month": {"prior": [4, 40]}},
           "targets": [{"name": "ipe", "statistic": "inspections_per_enterprise", "value": 2.0, "uncertainty": 0.3,
                        "source": "test"}]}
    doc.update(changes)
    return doc


@pytest.mark.parametrize("change, message", [
    ({"parameters": {"inspectors.inspections_per_mnth": {}}}, "unknown parameter"),
    ({"parameters": {"run.seed": {"prior": [1, 5]}}}, "source is 'setting'"),
    ({"parameters": {"inspectors.inspections_per_month": {"prior": [4, 4000]}}}, "inside the declared range"),
    ({"targets": [{"name": "x", "statistic": "no_such_statistic", "value": 1, "uncertainty": 1, "source": "s"}]},
     "unknown statistic 'no_such_statistic'"),
    ({"targets": [{"name": "x", "statistic": "rectified_share", "value": 1, "uncertainty": 1}]}, "give its source"),
    ({"targets": [{"name": "x", "statistic": "rectified_share", "run": "trial", "value": 1, "uncertainty": 1,
                   "source": "s"}]}, "run 'trial' is neither"),
    ({"targets": [{"name": "x", "status": "not computable yet", "source": "s"}]}, "must say why"),
    ({"targets": [{"name": "x", "statistic": "rectified_share", "value": "high", "uncertainty": 1, "source": "s"}]},
     "value must be a finite number"),
    ({"targets": [{"name": "x", "statistic": "rectified_share", "paired_with": "placebo", "value": 1,
                   "uncertainty": 1, "source": "s"}]}, "paired_with 'placebo' must be another run"),
    ({"targets": [{"name": "x", "statistic": "rectified_share", "paired_with": "base", "value": 1,
                   "uncertainty": 1, "source": "s"}]}, "paired_with 'base' must be another run"),
    ({"experiments": {"t": {"set": {"experiment.treatmnt": "extra_inspections"}}}}, "experiments: t"),
    ({"scenario": "/nonexistent/base.yaml"}, "does not exist"),
])
def test_bad_targets_are_refused_naming_the_place_and_the_fix(tmp_path, change, message):
    with pytest.raises(cal.TargetsError, match=message):
        cal.targets_from_dict(_doc(tmp_path, **change), str(tmp_path / "targets.yaml"))


def test_bad_yaml_names_file_line_and_column(tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_text("scenario: a.yaml\ntargets: [\n  - name: x\n")
    with pytest.raises(cal.TargetsError, match=r"targets.yaml:\d+:\d+: YAML syntax error"):
        cal.load_targets(path)
    with pytest.raises(cal.TargetsError, match="no such targets file"):
        cal.load_targets(tmp_path / "missing.yaml")


# ---- Statistics at small size (they compute; values sane, not calibrated) ----------------------

@pytest.fixture(scope="module")
def small_evaluation(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("eval")
    targets = cal.load_targets(TARGETS)
    targets.scenario = str(small_scenario(tmp, years=4, count=1500, townships=6))
    return cal.evaluate(targets, size="validation", replicates=3, seed=2)


SANE = {"deaths_per_100k_workers": (0, 100), "larger_or_worse_share_of_fatal": (0, 100),
        "general_share_of_deaths": (0, 100), "deaths_per_fatal_accident": (1, 30),
        "pyramid_minor_per_serious": (0, 1e4), "pyramid_near_miss_per_serious": (0, 1e5),
        "violations_per_inspection": (0, 50), "major_hazards_per_inspection": (0, 50),
        "rectified_share": (0, 105),  # the closure of orders: flows over the record's edges (calibration.py)
        "trial_extra_inspection_effect": (-100, 1000), "penalty_vs_no_penalty_inspections": (-100, 1000),
        "death_ceiling_bunching": (0, 100),
        "flat_baseline": (-100, 100), "inspection_game_oscillation": (-20, 20),
        "first_to_second_inspection_drop": (-100, 100), "first_to_later_inspection_drop": (-100, 100),
        "inspection_game_damped_by_follow_up": (-40, 40)}


def test_every_computable_target_computes_in_a_sane_range(small_evaluation):
    table = small_evaluation.table.set_index("target")
    for name, (low, high) in SANE.items():
        row = table.loc[name]
        values = small_evaluation.values[name]
        assert len(values) == 3
        finite = values[np.isfinite(values)]
        if name in ("larger_or_worse_share_of_fatal", "general_share_of_deaths", "deaths_per_fatal_accident"):
            continue  # a small county may see no (larger) fatal accident: undefined, not wrong
        assert len(finite) >= 2, name
        assert low <= row["model"] <= high, (name, row["model"])
    assert math.isfinite(small_evaluation.distance) and small_evaluation.distance >= 0


def test_the_trial_statistic_sees_a_large_effect_of_many_extra_inspections(tmp_path):
    doc = _doc(tmp_path, experiments={"trial": {"set": {"experiment.treatment": "extra_inspections",
                                                         "experiment.extra_inspections_per_year": 12}}},
               targets=[{"name": "t", "statistic": "trial_injury_effect", "run": "trial", "value": -10,
                         "uncertainty": 4, "source": "test"}])
    doc["scenario"] = str(small_scenario(tmp_path, years=3, count=2000, townships=6))
    ev = cal.evaluate(cal.targets_from_dict(doc, str(tmp_path / "t.yaml")), replicates=3, seed=4)
    assert ev.table.loc[0, "model"] < 0  # twelve extra substantive visits a year cut injuries


def test_a_paired_target_is_its_runs_statistic_minus_the_other_runs_replicate_by_replicate(tmp_path):
    trial = {"experiment.treatment": "extra_inspections", "experiment.extra_inspections_per_year": 12}
    doc = _doc(tmp_path, experiments={"trial": {"set": trial},
                                      "placebo": {"set": {**trial, "experiment.extra_inspections_per_year": 0}}},
               targets=[{"name": name, "statistic": "trial_injury_effect", "run": run, "value": -10,
                         "uncertainty": 4, "source": "test", **extra}
                        for name, run, extra in (("effect", "trial", {}), ("imbalance", "placebo", {}),
                                                 ("causal", "trial", {"paired_with": "placebo"}))])
    doc["scenario"] = str(small_scenario(tmp_path, years=3, count=2000, townships=6))
    ev = cal.evaluate(cal.targets_from_dict(doc, str(tmp_path / "t.yaml")), replicates=3, seed=4)
    np.testing.assert_array_equal(ev.values["causal"], ev.values["effect"] - ev.values["imbalance"])
    assert np.all(ev.values["imbalance"] != 0)  # one assignment's chance imbalance, which pairing removes
    assert ev.table.set_index("target").loc["causal", "paired_with"] == "placebo"


# ---- Calibration: recovery of known parameters -------------------------------------------------

TRUTH = {"inspectors.inspections_per_month": 16.0, "enterprises.compliance_noise": 6000.0}


def recovery_targets(tmp_path):
    doc = {"scenario": str(small_scenario(tmp_path)),
           "parameters": {"inspectors.inspections_per_month": {"prior": [4, 40]},
                          "enterprises.compliance_noise": {"prior": [1000, 30000], "log": True}},
           "calibration_run": {"replicates": 2, "seed": 1},
           "targets": [{"name": "inspections", "statistic": "inspections_per_enterprise", "value": 1.0,
                        "uncertainty": 0.3, "source": "the model at TRUTH"},
                       {"name": "refused", "statistic": "refused_share", "value": 1.0, "uncertainty": 3,
                        "source": "the model at TRUTH"}]}
    targets = cal.targets_from_dict(doc, str(tmp_path / "targets.yaml"))
    observed = cal.evaluate(targets, TRUTH, replicates=4, seed=99).table.set_index("target")["model"]
    for t in targets.targets:  # the "field" values: the model at known parameters, other random numbers
        t.value = float(observed[t.name])
    return targets


class _TownshipYears:
    """A stand-in for Results with one replicate: the township panel and the scenario's figure."""

    replicates = 1

    def __init__(self, figure, panel):
        self.scenario_yaml = f"assessment: {{death_target: {figure}}}\n"
        self._panel = pd.DataFrame(panel)

    def panel(self, level):
        assert level == "township"
        return self._panel


class _InspectionRecords:
    """A stand-in for Results with one replicate: its inspection records (by department 0, a county
    department with enforcement authority, unless a visit names department 1, a township office
    without it) and each enterprise's inspections over the whole run (burn-in included)."""

    replicates = 1

    def __init__(self, visits, ever):
        rows = [v if len(v) == 6 else (*v, 0) for v in visits]
        self.inspections = pd.DataFrame(rows, columns=["replicate", "day", "enterprise", "kind", "hazards_found",
                                                       "department"])
        self.agents = {
            "enterprises": pd.DataFrame({"inspections": list(ever.values())},
                                        index=pd.MultiIndex.from_tuples([(0, e) for e in ever], names=["replicate", "id"])),
            "departments": pd.DataFrame({"can_enforce": [1, 0]},
                                        index=pd.MultiIndex.from_tuples([(0, 0), (0, 1)], names=["replicate", "id"]))}


def test_the_inspection_sequence_counts_only_enterprises_first_inspected_in_the_record_by_a_planned_visit():
    visits = [(0, 10, 1, "routine", 4), (0, 20, 1, "complaint", 9), (0, 30, 1, "routine", 2),
              (0, 40, 1, "routine", 1), (0, 50, 1, "routine", 1),
              (0, 10, 2, "routine", 6), (0, 30, 2, "routine", 6),      # had a visit in the burn-in
              (0, 10, 3, "complaint", 8), (0, 30, 3, "routine", 1),    # first visited on a report
              (0, 15, 4, "routine", 4), (0, 35, 4, "routine", 4),      # no fourth planned visit
              (0, 5, 5, "routine", 9, 1), (0, 25, 5, "routine", 3)]    # the township office's visit cites nothing
    res = _InspectionRecords(visits, {1: 5, 2: 3, 3: 2, 4: 2, 5: 2})
    # Enterprises 1 and 4: 8 hazards found at their first visits, 6 at their second planned ones.
    # Enterprise 5's first visit by staff with authority is its only one: it has no second.
    assert cal._inspection_sequence_drop(1)(res)[0] == pytest.approx(25.0)
    # Only enterprise 1 had four planned visits: 4 hazards found at the first, 1 at the fourth.
    assert cal._inspection_sequence_drop(3)(res)[0] == pytest.approx(75.0)
    assert np.isnan(cal._inspection_sequence_drop(4)(res)[0])  # nobody had five


def test_oscillation_score_tells_a_noisy_cycle_from_red_noise():
    # Forty years of red noise (AR(1)) score about 0 whatever their persistence; a noisy cycle of
    # twelve years (AR(2) with complex roots) scores well above it.
    rng = np.random.default_rng(7)

    def series(a1, a2, n=40):
        x = np.zeros(n + 50)
        e = rng.standard_normal(n + 50)
        for t in range(2, n + 50):
            x[t] = a1 * x[t - 1] + a2 * x[t - 2] + e[t]
        return x[50:]

    def mean_score(a1, a2):
        return np.mean([cal.oscillation_z(series(a1, a2), np.random.default_rng(k)) for k in range(40)])

    for phi in (0.3, 0.85):
        assert abs(mean_score(phi, 0.0)) < 0.4, phi  # the mean of 40 has an sd of about 0.16
    angle = 2 * np.pi / 12
    assert mean_score(2 * 0.9 * np.cos(angle), -0.81) > 1.2


def test_ceiling_bunching_compares_each_township_with_its_own_ceiling():
    # Township 0 has a ceiling of 0, township 1 of 2: reported deaths sit at each one's ceiling
    # where true deaths are one above it, so reported deaths bunch: (4.5/0.5) / (0.5/4.5) = 81.
    panel = {"replicate": [0, 0, 0, 0], "township": ["a", "a", "b", "b"], "death_ceiling": [0, 0, 2, 2],
             "deaths_reported": [0, 0, 2, 2], "deaths_true": [1, 1, 3, 3]}
    assert cal._ceiling_bunching(_TownshipYears(1, panel))[0] == pytest.approx(81.0)
    # A file from before the breakdown (no ceiling column): the figure of 2 was every township's
    # ceiling, and only township b's years count: (2.5/0.5) / (0.5/2.5) = 25.
    old = {k: v for k, v in panel.items() if k != "death_ceiling"}
    assert cal._ceiling_bunching(_TownshipYears(2, old))[0] == pytest.approx(25.0)
    assert np.isnan(cal._ceiling_bunching(_TownshipYears(0, panel))[0])  # no county figure


def test_calibrate_recovers_known_parameters_within_the_posterior_90_interval(tmp_path):
    targets = recovery_targets(tmp_path)
    storage = f"sqlite:///{tmp_path / 'study.db'}"
    # A first, short session, then a resumed one: the finished trials are kept.
    cal.calibrate(targets, n_trials=30, n_prior=25, storage=storage, seed=3, n_jobs=2)
    fit = cal.calibrate(targets, n_trials=110, n_prior=100, quantile=0.1, storage=storage, seed=3, n_jobs=2,
                        output_dir=str(tmp_path / "out"))
    assert len(fit.trials) == 110
    assert (fit.trials["phase"] == "prior").sum() == 100
    intervals = fit.interval(0.9)
    for key, truth in TRUTH.items():
        row = intervals.loc[key]
        assert row["low"] <= truth <= row["high"], (key, row.to_dict())
        assert row["high"] - row["low"] < 0.5 * (row["prior_high"] - row["prior_low"]), (key, row.to_dict())
    assert abs(fit.posterior["weight"].sum() - 1) < 1e-9 and (fit.posterior["weight"] > 0).all()
    assert fit.best_distance <= fit.posterior["_distance"].min()

    # The outputs: a scenario that loads and a posterior the comparison reads.
    calibrated = anjian.Scenario.load(tmp_path / "out" / "calibrated.yaml")
    assert calibrated["enterprises.compliance_noise"] == pytest.approx(fit.best["enterprises.compliance_noise"])
    posterior = cal.read_posterior(tmp_path / "out" / "posterior.csv")
    assert list(posterior.columns[:3]) == ["weight", *TRUTH]

    base = anjian.Scenario.load(tmp_path / "small.yaml").with_(**{"time.years": 1})
    alt = base.with_(name="alt", **{"departments.emergency_management_staff": 12})
    first = anjian.compare(base, alt, replicates=6, seed=5, threads=2, posterior=tmp_path / "out" / "posterior.csv")
    again = anjian.compare(base, alt, replicates=6, seed=5, threads=2, posterior=posterior)
    assert first.posterior_draws == again.posterior_draws and len(first.posterior_draws) == 6
    pd.testing.assert_frame_equal(first.values, again.values)
    # Replicate k ran draw k: its inspections follow the draw's inspections per month.
    runs = first.results["small"]
    drawn = posterior.loc[first.posterior_draws, "inspectors.inspections_per_month"].to_numpy()
    per_replicate = runs.totals(["inspections"])["inspections"].to_numpy()
    assert np.corrcoef(drawn, per_replicate)[0, 1] > 0.5


def test_calibrate_refuses_parameters_the_file_does_not_free(tmp_path):
    targets = cal.targets_from_dict(_doc(tmp_path), str(tmp_path / "t.yaml"))
    with pytest.raises(cal.TargetsError, match="not among the targets file's parameters"):
        cal.calibrate(targets, parameters=["inspectors.skill_mean"], n_trials=2)
    with pytest.raises(cal.TargetsError, match="n_prior"):
        cal.calibrate(targets, n_trials=2, n_prior=5)


def test_abc_posterior_keeps_the_closest_prior_draws_with_kernel_weights():
    trials = pd.DataFrame({"trial": range(6), "phase": ["prior"] * 5 + ["search"],
                           "distance": [5.0, 1.0, 2.0, 3.0, 4.0, 0.1], "a": [1, 2, 3, 4, 5, 6]})
    posterior, eps = cal.abc_posterior(trials, {"a": cal.Prior(0, 10)}, quantile=0.5)
    assert eps == 3.0
    assert sorted(posterior["a"]) == [2, 3, 4]  # the search trial (not a prior draw) is left out
    weights = posterior.set_index("a")["weight"]
    assert weights[2] > weights[3] > weights[4] > 0 and abs(weights.sum() - 1) < 1e-12
    assert cal.weighted_quantile([1, 2, 3], [1, 1, 1], 0.5) == 2


def test_compare_refuses_a_bad_posterior_with_the_programs_message(tmp_path):
    base = anjian.Scenario.load(small_scenario(tmp_path)).with_(**{"time.years": 0.1})
    bad = tmp_path / "bad.csv"
    bad.write_text("weight,inspectors.skil_mean\n1,0.3\n")
    with pytest.raises(anjian.ScenarioError, match="did you mean 'inspectors.skill_mean'"):
        anjian.compare(base, base.with_(name="b"), replicates=2, posterior=bad)


# ---- The commands (make calibrate, make validate) ----------------------------------------------

def test_validation_command_writes_the_report_and_figure(tmp_path, capsys):
    from anjian import validation

    report, figure = tmp_path / "validation.md", tmp_path / "figures" / "validation.png"
    code = validation.main([str(TARGETS), "--replicates", "2", "--set", "time.years=2", "--set", "enterprises.count=600",
                            "--set", "county.townships=4", "--output", str(report), "--figure", str(figure),
                            "--posterior", str(tmp_path / "none.csv")])
    assert code == 0
    text = report.read_text()
    assert "| deaths_per_100k_workers |" in text and "| inspection_game_oscillation |" in text
    assert "No posterior file yet" in text
    # The trials' own setting is part of the report: a reader sees in what county each ran.
    assert "| no_penalty_trial | `time.years: 4`" in text and "`experiment.team_penalises: false`" in text
    assert figure.stat().st_size > 1000


def test_the_report_lists_the_targets_not_computable_yet(tmp_path):
    from anjian import validation

    later = {"name": "later", "status": cal.NOT_COMPUTABLE, "why": "no metric records it yet",
             "field": "a field figure", "value": 0, "source": "test"}
    doc = _doc(tmp_path)
    doc["targets"].append(later)
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    report = tmp_path / "validation.md"
    code = validation.main([str(path), "--replicates", "2", "--set", "time.years=1", "--output", str(report),
                            "--figure", str(tmp_path / "validation.png"), "--posterior", str(tmp_path / "none.csv")])
    assert code == 0
    text = report.read_text()
    assert "1 of 1 computable targets met" in text or "0 of 1 computable targets met" in text
    assert "1 not computable yet" in text and "## Not computable yet" in text
    assert "| later | a field figure | test | no metric records it yet |" in text


def test_calibration_command_refuses_a_bad_targets_file(tmp_path, capsys):
    bad = tmp_path / "targets.yaml"
    bad.write_text(f"scenario: {BASELINE}\ntargets:\n  - name: x\n    statistic: nope\n    value: 1\n"
                   f"    uncertainty: 1\n    source: s\n")
    assert cal.main([str(bad), "--trials", "2"]) == 2
    assert "unknown statistic 'nope'" in capsys.readouterr().err


def test_a_long_calibration_says_how_far_it_has_got(tmp_path, capsys):
    targets = cal.targets_from_dict(_doc(tmp_path), str(tmp_path / "t.yaml"))
    cal.calibrate(targets, n_trials=41, n_prior=21, seed=2, progress=True)
    err = capsys.readouterr().err.splitlines()
    assert [line.split(";")[0] for line in err] == [
        "calibrate: prior draws: 20 of 21 trials", "calibrate: prior draws: 21 of 21 trials",
        "calibrate: search: 20 of 20 trials"]
    assert all("least distance so far" in line for line in err)


def test_a_resumed_study_must_calibrate_the_same_targets(tmp_path):
    targets = cal.targets_from_dict(_doc(tmp_path), str(tmp_path / "t.yaml"))
    storage = f"sqlite:///{tmp_path / 'study.db'}"
    cal.calibrate(targets, n_trials=2, n_prior=2, storage=storage, replicates=1)
    targets.targets[0].value = 3.0
    with pytest.raises(cal.TargetsError, match="was run for other targets"):
        cal.calibrate(targets, n_trials=2, n_prior=2, storage=storage, replicates=1)


def test_anjian_compare_posterior_on_the_command_line(run_cli, tmp_path):
    posterior = tmp_path / "posterior.csv"
    posterior.write_text("weight,inspectors.inspections_per_month,_distance\n1,8,0.2\n3,24,0.1\n")
    small = small_scenario(tmp_path)
    alt = tmp_path / "alt.yaml"
    alt.write_text(f"extends: {small}\nname: alt\ndepartments: {{emergency_management_staff: 12}}\n")
    args = ["compare", small, alt, "--years", "1", "-r", "4", "--format", "csv", "--outcomes", "inspections"]
    done = run_cli(*args, "--posterior", posterior, "-o", tmp_path / "a.h5", check=True)
    again = run_cli(*args, "--posterior", posterior, "-o", tmp_path / "b.h5", check=True)
    plain = run_cli(*args, "-o", tmp_path / "c.h5", check=True)
    assert done.stdout == again.stdout and done.stdout != plain.stdout
    assert "replicate k of every scenario runs draw k" in done.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("inspectors.inspections_per_month\n8\n")
    refused = run_cli(*args, "--posterior", bad)
    assert refused.returncode == 2 and "no `weight` column" in refused.stderr
