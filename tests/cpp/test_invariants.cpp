// Properties that must hold for any scenario: no negative counts, stocks conserved by their
// flows, reported never above true, events adding up to the series.

#include <gtest/gtest.h>

#include <numeric>

#include "model/build_world.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"

using namespace anjian;

namespace {

const EnsembleResult& tiny_run() {
  static const EnsembleResult result = [] {
    Scenario s = load_scenario(std::string(ANJIAN_TEST_DATA_DIR) + "/scenarios/tiny.yaml");
    // Heavy concealment and many accidents, so that the properties are tested, not vacuous.
    apply_assignment(s, "concealment.injury_propensity=0.5");
    apply_assignment(s, "concealment.fatal_propensity=0.5");
    apply_assignment(s, "sectors.manufacturing.p_fatal=0.05");
    return run_ensemble(s.params);
  }();
  return result;
}

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }
const std::vector<double>& series(const ReplicateResult& r, Metric m) { return r.series[static_cast<int>(m)]; }

}  // namespace

TEST(Invariants, NoCountIsEverNegative) {
  for (const auto& rep : tiny_run().replicates) {
    for (int m = 0; m < kMetricCount; ++m) {
      for (double v : rep.series[m]) ASSERT_GE(v, 0.0) << metric_info(m).name;
    }
    for (auto h : rep.final_world.enterprises.hazards) ASSERT_GE(h, 0);
  }
}

TEST(Invariants, ReportedNeverExceedsTrue) {
  for (const auto& rep : tiny_run().replicates) {
    const auto steps = series(rep, Metric::deaths_true).size();
    for (std::size_t t = 0; t < steps; ++t) {
      ASSERT_LE(series(rep, Metric::accidents_reported)[t], series(rep, Metric::accidents_true)[t]);
      ASSERT_LE(series(rep, Metric::deaths_reported)[t], series(rep, Metric::deaths_true)[t]);
      ASSERT_LE(series(rep, Metric::injuries_reported)[t], series(rep, Metric::injuries_true)[t]);
    }
    // Not vacuous: some accidents were hidden.
    EXPECT_LT(sum(series(rep, Metric::accidents_reported)), sum(series(rep, Metric::accidents_true)));
  }
}

TEST(Invariants, LatentHazardsAreConservedByTheirFlows) {
  const Params& p = tiny_run().params;
  for (const auto& rep : tiny_run().replicates) {
    // The world at step 0 is rebuilt from the same key: the initial stock.
    const World start = build_world(p, RandomKey{static_cast<std::uint64_t>(p.run.seed), rep.replicate});
    double stock = std::accumulate(start.enterprises.hazards.begin(), start.enterprises.hazards.end(), 0.0);
    const auto steps = series(rep, Metric::latent_hazards).size();
    for (std::size_t t = 0; t < steps; ++t) {
      stock += series(rep, Metric::hazards_arrived)[t] - series(rep, Metric::hazards_self_removed)[t] -
               series(rep, Metric::hazards_rectified)[t] - series(rep, Metric::hazards_removed_after_accident)[t];
      ASSERT_EQ(stock, series(rep, Metric::latent_hazards)[t]) << "step " << t;
    }
    // Observation keeps the stock from the flows too: the last figure against a recount.
    const auto& last = rep.final_world.enterprises.hazards;
    EXPECT_EQ(std::accumulate(last.begin(), last.end(), 0.0), series(rep, Metric::latent_hazards).back());
  }
}

TEST(Invariants, EventsAddUpToTheSeriesAndTheAgents) {
  for (const auto& rep : tiny_run().replicates) {
    double deaths = 0, injuries = 0, reported = 0, fatal = 0;
    for (const auto& a : rep.accidents) {
      deaths += a.deaths;
      injuries += a.injuries;
      reported += a.reported && a.severity != Severity::NearMiss;
      fatal += a.severity == Severity::Fatal;
      ASSERT_EQ(a.severity == Severity::Fatal, a.deaths >= 1);
    }
    EXPECT_GT(fatal, 0);
    EXPECT_EQ(deaths, sum(series(rep, Metric::deaths_true)));
    EXPECT_EQ(injuries, sum(series(rep, Metric::injuries_true)));
    EXPECT_EQ(reported, sum(series(rep, Metric::accidents_reported)));
    const auto& agent_deaths = rep.final_world.enterprises.deaths;
    EXPECT_EQ(deaths, std::accumulate(agent_deaths.begin(), agent_deaths.end(), 0.0));
    const auto& visits = rep.final_world.enterprises.inspections;
    EXPECT_EQ(sum(series(rep, Metric::inspections)), std::accumulate(visits.begin(), visits.end(), 0.0));
  }
}

TEST(Invariants, ReplicatesDiffer) {
  const auto& reps = tiny_run().replicates;
  ASSERT_EQ(reps.size(), 2u);
  EXPECT_NE(reps[0].series, reps[1].series);
}

TEST(Invariants, GroupMetricsAddUpToTheTotals) {
  const auto& result = tiny_run();
  for (const auto& rep : result.replicates) {
    ASSERT_EQ(rep.months.size(), result.month_end_day.size());
    std::size_t step = 0;
    for (std::size_t m = 0; m < rep.months.size(); ++m) {
      double deaths = 0, inspections = 0, found = 0;
      for (; step < result.step_end_day.size() && result.step_end_day[step] <= result.month_end_day[m]; ++step) {
        deaths += series(rep, Metric::deaths_true)[step];
        inspections += series(rep, Metric::inspections)[step];
        found += series(rep, Metric::hazards_found)[step];
      }
      const double hazards = series(rep, Metric::latent_hazards)[step - 1];
      for (int g = 0; g < kGroupingCount; ++g) {
        auto total = [&](GroupMetric metric) {
          const auto& column = rep.months[m].values[g][static_cast<int>(metric)];
          return std::accumulate(column.begin(), column.end(), 0.0);
        };
        ASSERT_EQ(total(GroupMetric::deaths_true), deaths) << "month " << m << " grouping " << g;
        ASSERT_EQ(total(GroupMetric::latent_hazards), hazards) << "month " << m << " grouping " << g;
        // Experimental inspections are no department's: they appear in totals only.
        ASSERT_LE(total(GroupMetric::inspections), inspections);
        ASSERT_LE(total(GroupMetric::hazards_found), found);
      }
    }
  }
}
