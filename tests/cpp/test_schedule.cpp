// Dated changes (a scenario's `schedule:`): read and refused like any key, acting from the start
// of their day and not before, bringing the world's derived state along, and changing nothing
// when they set the value already in effect.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "run/outcomes.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"
#include "scenario/schedule.hpp"

using namespace anjian;

namespace {

std::string tiny() { return std::string(ANJIAN_TEST_DATA_DIR) + "/scenarios/tiny.yaml"; }

// A scenario file extending tiny.yaml with `body` appended.
std::string write_scenario(const std::string& name, const std::string& body) {
  const auto path =
      std::filesystem::path(::testing::TempDir()) / (name + "-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << "extends: " << tiny() << "\n" << body;
  return path.string();
}

std::string load_error(const std::string& name, const std::string& body) {
  const std::string path = write_scenario(name, body);
  try {
    load_scenario(path);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  ADD_FAILURE() << body << "\nloaded without error";
  return {};
}

std::string option_error(Params params, const std::string& text) {
  try {
    add_scheduled_change(params, text, "--schedule " + text);
    validate_params(params);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  ADD_FAILURE() << text << " accepted";
  return {};
}

// One replicate of tiny.yaml, daily steps, no burn-in, one year.
Params small() {
  Scenario s = load_scenario(tiny());
  apply_assignment(s, "run.replicates=1");
  apply_assignment(s, "time.years=1");
  return s.params;
}

const std::vector<double>& series(const EnsembleResult& r, Metric m) {
  return r.replicates[0].series[static_cast<int>(m)];
}

double sum(const std::vector<double>& v, std::size_t from, std::size_t to) {
  double total = 0;
  for (std::size_t t = from; t < to; ++t) total += v[t];
  return total;
}

void expect_identical(const EnsembleResult& a, const EnsembleResult& b) {
  ASSERT_EQ(a.replicates.size(), b.replicates.size());
  for (std::size_t r = 0; r < a.replicates.size(); ++r) {
    const auto& x = a.replicates[r];
    const auto& y = b.replicates[r];
    EXPECT_EQ(x.series, y.series) << "replicate " << r;
    ASSERT_EQ(x.accidents.size(), y.accidents.size());
    for (std::size_t i = 0; i < x.accidents.size(); ++i) {
      EXPECT_EQ(x.accidents[i].day, y.accidents[i].day);
      EXPECT_EQ(x.accidents[i].enterprise, y.accidents[i].enterprise);
    }
    EXPECT_EQ(x.final_world.enterprises.hazards, y.final_world.enterprises.hazards);
    EXPECT_EQ(x.final_world.enterprises.safety_quality, y.final_world.enterprises.safety_quality);
    EXPECT_EQ(x.final_world.inspectors.inspections, y.final_world.inspectors.inspections);
    EXPECT_EQ(x.final_world.inspectors.morale, y.final_world.inspectors.morale);
  }
}

}  // namespace

TEST(Schedule, ReadsYearsDaysAndNestedOrDottedKeys) {
  const std::string path = write_scenario("read", R"(time: {burn_in_years: 1}
schedule:
  - year: 2
    set:
      accountability.rule: due_diligence
      hotline: {reward: 500}
  - day: 100
    set: {departments.budget_per_post: 0.0}
)");
  const Scenario s = load_scenario(path);
  ASSERT_EQ(s.params.schedule.size(), 3u);
  EXPECT_EQ(s.params.schedule[0].key, "accountability.rule");
  EXPECT_EQ(change_value_text(s.params.schedule[0]), "due_diligence");
  EXPECT_EQ(s.params.schedule[1].key, "hotline.reward");
  EXPECT_EQ(s.params.schedule[1].value, 500.0);
  // Year 2 begins after the burn-in's 365 days and recorded year 1: day 731 (from 1).
  EXPECT_EQ(change_day(s.params, s.params.schedule[0]), 731);
  EXPECT_EQ(change_step(s.params, s.params.schedule[0]), 730);
  EXPECT_EQ(change_day(s.params, s.params.schedule[2]), 100);
  EXPECT_EQ(recorded_year_of_day(s.params, 100), 0);  // in the burn-in
  EXPECT_EQ(recorded_year_of_day(s.params, 366), 1);
  // In the order they act: day 100 first.
  EXPECT_EQ(ordered_schedule(s.params).front().key, "departments.budget_per_post");
  // The resolved YAML carries the schedule and reads back the same.
  const std::string again = ::testing::TempDir() + "/schedule-again-" + std::to_string(::getpid()) + ".yaml";
  std::ofstream(again) << to_yaml(s);
  const Scenario back = load_scenario(again);
  ASSERT_EQ(back.params.schedule.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back.params.schedule[i].key, s.params.schedule[i].key);
    EXPECT_EQ(back.params.schedule[i].value, s.params.schedule[i].value);
    EXPECT_EQ(back.params.schedule[i].at, s.params.schedule[i].at);
    EXPECT_EQ(back.params.schedule[i].unit, s.params.schedule[i].unit);
  }
}

TEST(Schedule, AnExtendingFileAddsToItsBasesSchedule) {
  const std::string base = write_scenario("base", "schedule:\n  - year: 1\n    set: {hotline.reward: 100}\n");
  const auto path =
      std::filesystem::path(::testing::TempDir()) / ("child-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << "extends: " << base << "\nschedule:\n  - year: 2\n    set: {hotline.reward: 200}\n";
  const Scenario s = load_scenario(path.string());
  ASSERT_EQ(s.params.schedule.size(), 2u);
  EXPECT_EQ(s.params.schedule[0].value, 100.0);
  EXPECT_EQ(s.params.schedule[1].value, 200.0);
}

TEST(Schedule, RefusesBadEntriesNamingThePlaceAndTheFix) {
  std::string e = load_error("unknown", "schedule:\n  - year: 1\n    set: {acountability.rule: strict}\n");
  EXPECT_NE(e.find(":4:"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown parameter 'acountability.rule'"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'accountability.rule'"), std::string::npos) << e;

  e = load_error("range", "schedule:\n  - year: 1\n    set:\n      hotline.handling_quality: 1.5\n");
  EXPECT_NE(e.find(":5:33"), std::string::npos) << e;
  EXPECT_NE(e.find("out of range"), std::string::npos) << e;

  e = load_error("word", "schedule:\n  - year: 1\n    set: {accountability.rule: lenient}\n");
  EXPECT_NE(e.find("one of strict"), std::string::npos) << e;

  e = load_error("year0", "schedule:\n  - year: 0\n    set: {hotline.reward: 1}\n");
  EXPECT_NE(e.find(":3:11: schedule: year: expected a whole number of years from 1"), std::string::npos) << e;
  e = load_error("halfyear", "schedule:\n  - year: 2.5\n    set: {hotline.reward: 1}\n");
  EXPECT_NE(e.find("found '2.5'"), std::string::npos) << e;
  e = load_error("word-date", "schedule:\n  - day: soon\n    set: {hotline.reward: 1}\n");
  EXPECT_NE(e.find("day: expected a whole number of days from 1"), std::string::npos) << e;

  e = load_error("beyond", "schedule:\n  - year: 3\n    set: {hotline.reward: 1}\n");
  EXPECT_NE(e.find(":4:11: schedule: year 3 is beyond the run, which records years 1 to 2"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("lengthen time.years"), std::string::npos) << e;
  e = load_error("beyond-day", "schedule:\n  - day: 731\n    set: {hotline.reward: 1}\n");
  EXPECT_NE(e.find("day 731 is beyond the run, whose days are 1 to 730"), std::string::npos) << e;

  e = load_error("fixed", "schedule:\n  - year: 1\n    set: {enterprises.count: 10}\n");
  EXPECT_NE(e.find("enterprises.count cannot change during a run"), std::string::npos) << e;
  EXPECT_NE(e.find("set it for the whole run instead"), std::string::npos) << e;
  e = load_error("fixed-sector", "schedule:\n  - year: 1\n    set: {sectors.mining.share: 0.1}\n");
  EXPECT_NE(e.find("sectors.mining.share cannot change during a run"), std::string::npos) << e;

  e = load_error("posts", "schedule:\n  - year: 2\n    set: {departments.emergency_management_staff: 2}\n");
  EXPECT_NE(e.find("fewer than the 4 posts by then"), std::string::npos) << e;

  e = load_error("two-dates", "schedule:\n  - year: 1\n    day: 3\n    set: {hotline.reward: 1}\n");
  EXPECT_NE(e.find("an entry has one date"), std::string::npos) << e;
  e = load_error("no-date", "schedule:\n  - set: {hotline.reward: 1}\n");
  EXPECT_NE(e.find("the entry has no date"), std::string::npos) << e;
  e = load_error("no-set", "schedule:\n  - year: 1\n");
  EXPECT_NE(e.find("the entry needs set:"), std::string::npos) << e;
  e = load_error("typo", "schedule:\n  - year: 1\n    sett: {hotline.reward: 1}\n");
  EXPECT_NE(e.find("unknown key 'sett' in an entry"), std::string::npos) << e;
  e = load_error("mapping", "schedule:\n  year: 1\n");
  EXPECT_NE(e.find("schedule: expected a list of dated changes"), std::string::npos) << e;
  e = load_error("quoted", "schedule:\n  - year: 1\n    set: {hotline.reward: \"5\"}\n");
  EXPECT_NE(e.find("write it without quotes"), std::string::npos) << e;
}

TEST(Schedule, TheCommandLineFormIsCheckedTheSameWay) {
  const Params p = small();
  Params ok = p;
  add_scheduled_change(ok, "year=1:accountability.rule=due_diligence", "--schedule");
  add_scheduled_change(ok, "day=40:hotline.reward=5", "--schedule");
  ASSERT_EQ(ok.schedule.size(), 2u);
  EXPECT_EQ(ok.schedule[1].unit, ScheduledChange::Unit::day);
  EXPECT_EQ(ok.schedule[1].at, 40);
  std::string e = option_error(p, "3:hotline.reward=5");
  EXPECT_NE(e.find("expected WHEN:KEY=VALUE"), std::string::npos) << e;
  e = option_error(p, "month=3:hotline.reward=5");
  EXPECT_NE(e.find("expected WHEN:KEY=VALUE"), std::string::npos) << e;
  e = option_error(p, "year=x:hotline.reward=5");
  EXPECT_NE(e.find("--schedule year=x:hotline.reward=5: year: expected a whole number"), std::string::npos)
      << e;
  e = option_error(p, "year=2:hotline.reward=5");
  EXPECT_NE(e.find("year 2 is beyond the run"), std::string::npos) << e;
  e = option_error(p, "day=10:hotline.rewad=5");
  EXPECT_NE(e.find("did you mean 'hotline.reward'"), std::string::npos) << e;
  e = option_error(p, "day=10:time.years=5");
  EXPECT_NE(e.find("time.years cannot change during a run"), std::string::npos) << e;
}

TEST(Schedule, AChangeActsFromItsDayAndNotBefore) {
  const Params base = small();
  Params p = base;
  // Day 200 is mid-July: under next-event sampling, waiting times drawn at the start of July at
  // the old rates must be rescaled at once, not at the month's end.
  add_scheduled_change(p, "day=200:inspectors.inspections_per_month=0", "test");
  for (int s = 0; s < kSectorCount; ++s)
    add_scheduled_change(p, "day=200:sectors." + std::string(sector_name(s)) + ".hazard_arrival=0", "test");
  validate_params(p);
  const EnsembleResult without = run_ensemble(base, RunOptions{1});
  const EnsembleResult with = run_ensemble(p, RunOptions{1});
  const std::size_t from = 199;  // step 199 covers day 200 (from 1)
  for (const Metric m : {Metric::inspections, Metric::hazards_arrived, Metric::deaths_true}) {
    const auto& a = series(without, m);
    const auto& b = series(with, m);
    for (std::size_t t = 0; t < from; ++t)
      ASSERT_EQ(a[t], b[t]) << "metric " << static_cast<int>(m) << " step " << t;
  }
  EXPECT_GT(sum(series(with, Metric::inspections), 0, from), 0);
  EXPECT_EQ(sum(series(with, Metric::inspections), from, 365), 0);
  EXPECT_GT(sum(series(without, Metric::inspections), from, 365), 0);
  EXPECT_GT(sum(series(with, Metric::hazards_arrived), 0, from), 0);
  EXPECT_EQ(sum(series(with, Metric::hazards_arrived), from, 365), 0);
}

TEST(Schedule, ARecordedYearCountsFromTheEndOfTheBurnIn) {
  Params base = small();
  base.time.burn_in_years = 1;
  base.time.years = 2;
  Params p = base;
  add_scheduled_change(p, "year=2:inspectors.inspections_per_month=0", "test");
  validate_params(p);
  const EnsembleResult with = run_ensemble(p, RunOptions{1});
  const auto& inspections = series(with, Metric::inspections);
  ASSERT_EQ(inspections.size(), 730u);
  EXPECT_EQ(with.step_end_day[365], 731);  // recorded year 2 starts with day 731
  EXPECT_GT(sum(inspections, 300, 365), 0);
  EXPECT_EQ(sum(inspections, 365, 730), 0);
}

TEST(Schedule, TheValueAlreadyInEffectChangesNothing) {
  Params base = small();
  base.run.replicates = 2;
  Params p = base;
  add_scheduled_change(p, "day=100:accountability.rule=strict", "test");  // the default
  add_scheduled_change(
      p, "day=150:hotline.reward=" + format_value(*find_param("hotline.reward"), base.hotline.reward),
      "test");
  add_scheduled_change(p, "day=200:media.activity=0.9", "test");  // and back on the same day
  add_scheduled_change(
      p, "day=200:media.activity=" + format_value(*find_param("media.activity"), base.media.activity),
      "test");
  validate_params(p);
  expect_identical(run_ensemble(base, RunOptions{1}), run_ensemble(p, RunOptions{2}));
}

TEST(Schedule, ResultsDoNotDependOnThreads) {
  Params p = small();
  p.run.replicates = 2;
  add_scheduled_change(p, "day=120:accountability.rule=due_diligence", "test");
  add_scheduled_change(p, "day=150:planning.pooled_teams=true", "test");
  add_scheduled_change(p, "day=180:departments.emergency_management_staff=9", "test");
  add_scheduled_change(p, "day=200:enterprises.safety_culture_mean=0.5", "test");
  validate_params(p);
  const EnsembleResult one = run_ensemble(p, RunOptions{1});
  expect_identical(one, run_ensemble(p, RunOptions{2}));
  expect_identical(one, run_ensemble(p, RunOptions{8}));
}

TEST(Schedule, MorePostsOpenVacanciesThatRecruitmentFills) {
  Params base = small();
  base.time.years = 2;
  Params p = base;
  add_scheduled_change(p, "day=100:departments.emergency_management_staff=9", "test");
  validate_params(p);
  const EnsembleResult without = run_ensemble(base, RunOptions{1});
  const EnsembleResult with = run_ensemble(p, RunOptions{1});
  const auto& world = with.replicates[0].final_world;
  EXPECT_EQ(world.inspectors.size(), without.replicates[0].final_world.inspectors.size() + 5);
  EXPECT_EQ(world.departments.staff_quota[0], 9);
  EXPECT_EQ(world.departments.budget[0], 9 * p.departments.budget_per_post);
  const auto& vacancies_with = series(with, Metric::vacancies);
  const auto& vacancies_without = series(without, Metric::vacancies);
  EXPECT_EQ(vacancies_with[98], vacancies_without[98]);
  EXPECT_EQ(vacancies_with[99], vacancies_without[99] + 5);  // opened on day 100, step 99
  // The yearly recruitment (the step holding day 365) fills some of them.
  EXPECT_GT(sum(series(with, Metric::recruits), 0, 365), sum(series(without, Metric::recruits), 0, 365));
}

TEST(Schedule, ANewCountyDeathFigureIsBrokenDownAgain) {
  Params base = small();
  base.time.years = 1;
  base.assessment.death_target = 1;
  Params p = base;
  add_scheduled_change(p, "day=100:assessment.death_target=40", "test");
  validate_params(p);
  const EnsembleResult without = run_ensemble(base, RunOptions{1});
  const EnsembleResult with = run_ensemble(p, RunOptions{1});
  const auto& before = without.replicates[0].final_world.townships;
  const auto& after = with.replicates[0].final_world.townships;
  std::int64_t sum_before = 0, sum_after = 0;
  for (std::size_t t = 0; t < after.size(); ++t) {
    sum_before += before.death_ceiling[t];
    sum_after += after.death_ceiling[t];
  }
  EXPECT_EQ(sum_before, 1);
  EXPECT_EQ(sum_after, 40);
}

TEST(Schedule, CostUsesTheRatesInEffectStepByStep) {
  Params p = small();
  add_scheduled_change(p, "day=183:departments.salary_per_post=0", "test");
  validate_params(p);
  const EnsembleResult r = run_ensemble(p, RunOptions{1});
  const auto& active = series(r, Metric::inspectors_active);
  double wages = 0;
  for (std::size_t t = 0; t < 182; ++t) wages += active[t] * p.departments.salary_per_post;
  wages /= static_cast<double>(active.size());
  Params unscheduled = p;
  unscheduled.schedule.clear();
  unscheduled.departments.salary_per_post = 0;
  const double rest = outcome_values(r.replicates[0], unscheduled)[static_cast<int>(Outcome::cost)];
  EXPECT_NEAR(outcome_values(r.replicates[0], p)[static_cast<int>(Outcome::cost)], wages + rest,
              1e-6 * wages);
}

TEST(Schedule, NewRatesActAtOnceUnderNextEventSampling) {
  // Waiting times drawn at the start of July at the old rates are rescaled on day 200 to the new
  // ones: with self-removal of about one hazard a day each, the stock is gone within a week, not
  // at the month's end when every enterprise is drawn anew.
  const Params base = small();
  ASSERT_EQ(base.engine.sampling, Sampling::next_event);
  Params p = base;
  add_scheduled_change(p, "day=200:hazards.removal_base=365", "test");
  validate_params(p);
  const EnsembleResult without = run_ensemble(base, RunOptions{1});
  const EnsembleResult with = run_ensemble(p, RunOptions{1});
  const auto& before = series(without, Metric::latent_hazards);
  const auto& after = series(with, Metric::latent_hazards);
  EXPECT_EQ(before[198], after[198]);
  EXPECT_GT(before[206], 100);
  EXPECT_LT(after[206], 0.05 * before[206]);  // day 207, still July
}
