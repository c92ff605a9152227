// anjian compare's statistics and its runs: confidence intervals that cover a known difference,
// pairing by common random numbers that tightens them, the cost verdict, the burn-in, and
// several scenarios run in one arena exactly as they would be run alone.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <random>

#include "replicate_stats.hpp"
#include "run/compare.hpp"

using namespace anjian;
using anjian::testing::tiny_scenario;

namespace {

// An ensemble of one recorded year whose replicates have the given yearly true deaths (and cost
// components zero), standing in for a run.
EnsembleResult synthetic_ensemble(const std::vector<double>& deaths_per_replicate) {
  EnsembleResult e;
  e.params.time.years = 1;
  for (std::int64_t day = 1; day <= 365; ++day) e.step_end_day.push_back(day);
  for (std::size_t r = 0; r < deaths_per_replicate.size(); ++r) {
    ReplicateResult rep;
    rep.replicate = r;
    rep.series.assign(kMetricCount, std::vector<double>(365, 0.0));
    rep.series[static_cast<int>(Metric::deaths_true)][100] = deaths_per_replicate[r];
    rep.series[static_cast<int>(Metric::workers)].assign(365, 1000.0);
    e.replicates.push_back(std::move(rep));
  }
  return e;
}

const OutcomeRow& row_of(const Comparison& c, Outcome outcome) { return c.rows[static_cast<int>(outcome)]; }

}  // namespace

TEST(Compare, IntervalsOfKnownSmallSamplesAreExact) {
  // Differences {0, 2}: mean 1, standard error 1, t(0.975, 1 df) = 12.7062.
  const Difference d = difference_of({1.0, 3.0}, {1.0, 5.0});
  EXPECT_DOUBLE_EQ(d.mean, 1.0);
  EXPECT_DOUBLE_EQ(d.paired_se, 1.0);
  EXPECT_NEAR(d.paired.low, 1.0 - 12.7062, 1e-3);
  EXPECT_NEAR(d.paired.high, 1.0 + 12.7062, 1e-3);
  // A constant shift is known exactly when paired, not when the samples are taken as independent.
  const Difference shift = difference_of({1, 2, 3, 4}, {1.5, 2.5, 3.5, 4.5});
  EXPECT_DOUBLE_EQ(shift.paired.low, 0.5);
  EXPECT_DOUBLE_EQ(shift.paired.high, 0.5);
  EXPECT_LT(shift.unpaired.low, 0.0);
  EXPECT_GT(shift.unpaired.high, 1.0);
  // One replicate: no interval can be estimated.
  EXPECT_TRUE(std::isnan(difference_of({1.0}, {2.0}).paired.low));
}

TEST(Compare, NinetyFivePercentIntervalsCoverAKnownDifference) {
  // Replicates share a common part (the common random numbers) and differ by a known effect plus
  // their own noise; the paired and the Welch intervals must each cover the effect about 95% of
  // the time, and the paired one must be the tighter.
  const double effect = -0.7;
  const int trials = 600, n = 8;
  std::mt19937_64 rng(20260101);
  std::normal_distribution<double> common(3.0, 1.0), noise(0.0, 0.3);
  int paired_covers = 0, unpaired_covers = 0, paired_tighter = 0;
  for (int trial = 0; trial < trials; ++trial) {
    std::vector<double> base, alternative;
    for (int k = 0; k < n; ++k) {
      const double shared = common(rng);
      base.push_back(shared + noise(rng));
      alternative.push_back(shared + effect + noise(rng));
    }
    const EnsembleResult a = synthetic_ensemble(base), b = synthetic_ensemble(alternative);
    const Comparison c = compare_results({{"base", &a}, {"alt", &b}});
    const Difference& d = row_of(c, Outcome::deaths_true).difference[0];
    EXPECT_NEAR(d.mean, row_of(c, Outcome::deaths_true).alternative_mean[0] - row_of(c, Outcome::deaths_true).base_mean,
                1e-9);
    paired_covers += d.paired.low <= effect && effect <= d.paired.high;
    unpaired_covers += d.unpaired.low <= effect && effect <= d.unpaired.high;
    paired_tighter += d.paired.high - d.paired.low < d.unpaired.high - d.unpaired.low;
  }
  // Binomial(600, 0.95) has a standard deviation of 0.0089: +-3 of them.
  EXPECT_NEAR(paired_covers / double(trials), 0.95, 0.027);
  // Welch is conservative here (its variance includes the shared part it cannot remove).
  EXPECT_GE(unpaired_covers / double(trials), 0.95 - 0.027);
  EXPECT_GT(paired_tighter, 0.98 * trials);
}

TEST(Compare, CostPerDeathAvertedOnlyWhenDeathsAreClearlyAverted) {
  // Deaths 5 -> 3 in every replicate, nothing else changes: deaths averted is exact and positive,
  // cost does not rise, so the alternative saves money and lives.
  const EnsembleResult base = synthetic_ensemble({5, 6, 5, 7}), fewer = synthetic_ensemble({3, 4, 3, 5});
  const Comparison c = compare_results({{"base", &base}, {"fewer", &fewer}});
  EXPECT_DOUBLE_EQ(c.cost_effectiveness[0].deaths_averted.mean, 2.0);
  EXPECT_EQ(c.cost_effectiveness[0].verdict, CostVerdict::saves_money_and_lives);
  EXPECT_TRUE(std::isnan(c.cost_effectiveness[0].yuan_per_death_averted));
  // Deaths clearly averted but a cost difference that may be either sign: no ratio either.
  EnsembleResult noisy_cost = synthetic_ensemble({3, 4, 3, 5});
  const double budget[] = {1000, -1500, 800, -200};  // yuan in one day of the year: +25 mean, spans 0
  for (std::size_t r = 0; r < 4; ++r) noisy_cost.replicates[r].series[static_cast<int>(Metric::budget_spent)][7] = budget[r];
  const Comparison unclear_cost = compare_results({{"base", &base}, {"noisy_cost", &noisy_cost}});
  EXPECT_EQ(unclear_cost.cost_effectiveness[0].verdict, CostVerdict::no_clear_cost_difference);
  EXPECT_TRUE(std::isnan(unclear_cost.cost_effectiveness[0].yuan_per_death_averted));
  // A clear cost for clearly averted deaths: the ratio.
  EnsembleResult costly = synthetic_ensemble({3, 4, 3, 5});
  for (std::size_t r = 0; r < 4; ++r) costly.replicates[r].series[static_cast<int>(Metric::budget_spent)][7] = 1000.0 + 10.0 * static_cast<double>(r);
  const Comparison priced = compare_results({{"base", &base}, {"costly", &costly}});
  EXPECT_EQ(priced.cost_effectiveness[0].verdict, CostVerdict::cost_per_death_averted);
  EXPECT_DOUBLE_EQ(priced.cost_effectiveness[0].yuan_per_death_averted, 1015.0 / 2.0);
  // Deaths that go up in some replicates and down in others: no ratio.
  const EnsembleResult mixed = synthetic_ensemble({6, 5, 6, 6});
  const Comparison unclear = compare_results({{"base", &base}, {"mixed", &mixed}});
  EXPECT_EQ(unclear.cost_effectiveness[0].verdict, CostVerdict::no_clear_deaths_averted);
  EXPECT_TRUE(std::isnan(unclear.cost_effectiveness[0].yuan_per_death_averted));
}

TEST(Compare, RefusesResultsThatAreNotPaired) {
  const EnsembleResult a = synthetic_ensemble({1, 2, 3}), b = synthetic_ensemble({1, 2});
  EXPECT_THROW(compare_results({{"a", &a}, {"b", &b}}), std::invalid_argument);
  EXPECT_THROW(compare_results({{"a", &a}}), std::invalid_argument);
}

TEST(Compare, OutcomesFollowTheirDefinitions) {
  const EnsembleResult e = synthetic_ensemble({4.0});
  const std::vector<double> v = outcome_values(e.replicates[0], e.params);
  EXPECT_DOUBLE_EQ(v[static_cast<int>(Outcome::deaths_true)], 4.0);                    // deaths/year
  EXPECT_DOUBLE_EQ(v[static_cast<int>(Outcome::deaths_per_100k_workers)], 400.0);       // 4 / 1000 x 1e5
  EXPECT_TRUE(std::isnan(v[static_cast<int>(Outcome::formal_share)]));                   // no inspections
  for (int o = 0; o < kOutcomeCount; ++o) {
    EXPECT_FALSE(outcome_spec(o).unit.empty()) << outcome_spec(o).key;
    EXPECT_FALSE(outcome_spec(o).label.empty()) << outcome_spec(o).key;
  }
}

TEST(CommonRandomNumbers, PairedDifferencesAreTighterThanUnpairedOnesOfTheSameRuns) {
  // More inspectors in the tiny county, eight replicates: pairing by replicate removes the
  // shared variation (the same enterprises, hazards and accidents drawn from the same numbers).
  Params base = tiny_scenario({"run.replicates=8", "time.years=1"}).params;
  Params more = tiny_scenario({"run.replicates=8", "time.years=1", "departments.emergency_management_staff=12"}).params;
  const auto runs = run_ensembles({{base}, {more}});
  const Comparison c = compare_results({{"base", &runs[0]}, {"more", &runs[1]}});
  for (Outcome o : {Outcome::latent_hazards, Outcome::accidents_true, Outcome::accidents_near_miss,
                    Outcome::inspections}) {
    const Difference& d = row_of(c, o).difference[0];
    EXPECT_LT(d.paired_se, d.unpaired_se) << outcome_spec(o).key;
  }
  // And more inspectors do inspect more: far beyond the noise.
  const Difference& inspections = row_of(c, Outcome::inspections).difference[0];
  EXPECT_GT(inspections.mean, 3 * inspections.paired_se);
}

TEST(CommonRandomNumbers, ScenariosRunTogetherEqualThemRunAloneForAnyThreadCount) {
  const Params a = tiny_scenario({"run.replicates=3", "time.years=0.25"}).params;
  const Params b = tiny_scenario({"run.replicates=3", "time.years=0.25", "inspectors.skill_mean=0.7"}).params;
  const auto together = run_ensembles({{a}, {b}}, RunOptions{2});
  const auto one_thread = run_ensembles({{a}, {b}}, RunOptions{1});
  const EnsembleResult alone = run_ensemble(b, RunOptions{1});
  for (std::size_t r = 0; r < 3; ++r) {
    EXPECT_EQ(together[1].replicates[r].series, alone.replicates[r].series);
    EXPECT_EQ(together[0].replicates[r].series, one_thread[0].replicates[r].series);
    EXPECT_EQ(together[1].replicates[r].series, one_thread[1].replicates[r].series);
  }
  EXPECT_NE(together[0].replicates[0].series, together[1].replicates[0].series);
}

TEST(CommonRandomNumbers, ScenariosWithDifferentSeedsOrReplicatesAreRefused) {
  const Params a = tiny_scenario({"time.years=0.1"}).params;
  EXPECT_THROW(run_ensembles({{a}, {tiny_scenario({"time.years=0.1", "run.seed=8"}).params}}), std::invalid_argument);
  EXPECT_THROW(run_ensembles({{a}, {tiny_scenario({"time.years=0.1", "run.replicates=3"}).params}}),
               std::invalid_argument);
}

TEST(BurnIn, RecordsExactlyTheStepsAfterTheWarmUp) {
  // One year of burn-in then one recorded year is the second year of a two-year run, to the bit.
  const Params whole = tiny_scenario({"run.replicates=1", "time.years=2"}).params;
  const Params burnt = tiny_scenario({"run.replicates=1", "time.years=1", "time.burn_in_years=1"}).params;
  const EnsembleResult full = run_ensemble(whole), tail = run_ensemble(burnt);
  ASSERT_EQ(tail.step_end_day.size(), 365u);
  EXPECT_EQ(tail.step_end_day.front(), 366);
  EXPECT_EQ(std::vector<std::int64_t>(full.step_end_day.begin() + 365, full.step_end_day.end()), tail.step_end_day);
  EXPECT_EQ(std::vector<std::int64_t>(full.month_end_day.begin() + 12, full.month_end_day.end()), tail.month_end_day);
  const auto& f = full.replicates[0];
  const auto& t = tail.replicates[0];
  for (int m = 0; m < kMetricCount; ++m)
    EXPECT_EQ(std::vector<double>(f.series[m].begin() + 365, f.series[m].end()), t.series[m]) << metric_info(m).name;
  ASSERT_EQ(t.months.size(), 12u);
  EXPECT_EQ(f.months[12].values, t.months[0].values);
  ASSERT_FALSE(t.accidents.empty());
  EXPECT_GE(t.accidents.front().day, 365);
  std::size_t in_second_year = 0;
  for (const auto& a : f.accidents) in_second_year += a.day >= 365;
  EXPECT_EQ(t.accidents.size(), in_second_year);
}

TEST(Compare, EveryOutcomeIsDocumentedInTheResultsFormat) {
  std::ifstream doc(std::string(ANJIAN_SOURCE_DIR) + "/docs/results-format.md");
  const std::string text((std::istreambuf_iterator<char>(doc)), std::istreambuf_iterator<char>());
  for (int o = 0; o < kOutcomeCount; ++o) {
    const OutcomeSpec& spec = outcome_spec(o);
    EXPECT_NE(text.find("| `" + std::string(spec.key) + "` | " + std::string(spec.unit) + " |"), std::string::npos)
        << spec.key << " is missing from docs/results-format.md (Comparison files)";
  }
}
