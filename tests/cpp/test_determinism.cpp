// Same scenario and seed, same numbers, whatever the thread count. The world is larger than one
// block of entities so that blocks really do run on different threads.

#include <gtest/gtest.h>

#include <numeric>

#include "run/simulation.hpp"
#include "scenario/scenario.hpp"

using namespace anjian;

namespace {

Params determinism_params() {
  Scenario s = load_scenario(std::string(ANJIAN_TEST_DATA_DIR) + "/scenarios/tiny.yaml");
  apply_assignment(s, "enterprises.count=20000");  // five blocks
  apply_assignment(s, "departments.emergency_management_staff=40");
  apply_assignment(s, "time.years=0.5");
  apply_assignment(s, "run.replicates=3");
  return s.params;
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
      EXPECT_EQ(x.accidents[i].deaths, y.accidents[i].deaths);
      EXPECT_EQ(x.accidents[i].reported, y.accidents[i].reported);
    }
    EXPECT_EQ(x.final_world.enterprises.hazards, y.final_world.enterprises.hazards);
    EXPECT_EQ(x.final_world.inspectors.inspections, y.final_world.inspectors.inspections);
  }
}

}  // namespace

TEST(Determinism, OneTwoAndEightThreadsGiveTheSameResults) {
  const Params p = determinism_params();
  const EnsembleResult one = run_ensemble(p, RunOptions{1});
  EXPECT_GT(one.replicates[0].accidents.size(), 100u);
  expect_identical(one, run_ensemble(p, RunOptions{2}));
  expect_identical(one, run_ensemble(p, RunOptions{8}));
}

TEST(Determinism, OneReplicateGivesTheSameResultsOnOneAndTwoThreads) {
  // One replicate alone has the threads to itself: its serial parts run with the other threads
  // spinning (WarmWorkers), which must change nothing but the time.
  Params p = determinism_params();
  p.run.replicates = 1;
  const EnsembleResult one = run_ensemble(p, RunOptions{1});
  expect_identical(one, run_ensemble(p, RunOptions{2}));
}

TEST(Determinism, ReplicateKDoesNotDependOnHowManyReplicatesRun) {
  // Common random numbers: replicate 1 of a 3-replicate run equals replicate 1 run alone.
  const Params p = determinism_params();
  const EnsembleResult all = run_ensemble(p, RunOptions{2});
  const ReplicateResult alone = run_replicate(p, 1);
  EXPECT_EQ(all.replicates[1].series, alone.series);
}

// Enough enterprises that a day's events run in several chunks (enterprise_events.cpp), and the
// daily reference scheme too.
TEST(Determinism, EventChunksAndTheDailySchemeDoNotDependOnThreads) {
  Params p = determinism_params();
  p.enterprises.count = 100000;
  p.time.years = 0.1;
  p.run.replicates = 1;
  const EnsembleResult one = run_ensemble(p, RunOptions{1});
  const auto& series = one.replicates[0].series;
  const double events = series[static_cast<int>(Metric::hazards_arrived)][0] +
                        series[static_cast<int>(Metric::hazards_self_removed)][0];
  EXPECT_GT(events, 2 * 1024.0);  // more than two chunks of 1,024 enterprises on day 0
  expect_identical(one, run_ensemble(p, RunOptions{2}));
  p.engine.sampling = Sampling::daily;
  p.enterprises.count = 20000;
  expect_identical(run_ensemble(p, RunOptions{1}), run_ensemble(p, RunOptions{2}));
}

// Enough townships (one office each) that planning and inspections run departments in parallel
// tasks of 64 (inspection_planning.cpp, inspections.cpp), with overlapping jurisdictions so
// that some departments share targets within a step and must be joined.
TEST(Determinism, DepartmentsPlanAndInspectInParallelTheSameWay) {
  Params p = determinism_params();
  p.county.townships = 300;
  p.enterprises.count = 30000;
  p.time.years = 0.25;
  p.run.replicates = 1;
  const EnsembleResult one = run_ensemble(p, RunOptions{1});
  EXPECT_GT(one.replicates[0].final_world.departments.size(), 4u * 64u);
  const auto& inspections = one.replicates[0].series[static_cast<int>(Metric::inspections)];
  EXPECT_GT(std::accumulate(inspections.begin(), inspections.end(), 0.0), 1000.0);
  expect_identical(one, run_ensemble(p, RunOptions{2}));
  expect_identical(one, run_ensemble(p, RunOptions{8}));
}

// Without /events/accidents in the output, the run lets go of the accidents every phase has seen
// (simulation.cpp); the investigations' streams are keyed by an accident's place in the run's
// list, which must not move. With a burn-in year, so that accidents also go before recording.
TEST(Determinism, LettingGoOfSeenAccidentsChangesNoNumber) {
  Params p = determinism_params();
  p.time.burn_in_years = 0.25;
  const EnsembleResult kept = run_ensemble(p, RunOptions{2});
  p.output.accident_events = false;
  const EnsembleResult let_go = run_ensemble(p, RunOptions{2});
  for (std::size_t r = 0; r < kept.replicates.size(); ++r) {
    const auto& x = kept.replicates[r];
    const auto& y = let_go.replicates[r];
    EXPECT_EQ(x.series, y.series) << "replicate " << r;
    EXPECT_EQ(x.final_world.inspectors.punishments, y.final_world.inspectors.punishments)
        << "replicate " << r;
    EXPECT_GT(std::accumulate(x.series[static_cast<int>(Metric::accidents_investigated)].begin(),
                              x.series[static_cast<int>(Metric::accidents_investigated)].end(), 0.0),
              0.0);
    EXPECT_TRUE(y.accidents.empty());
  }
}
