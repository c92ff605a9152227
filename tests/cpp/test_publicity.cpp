// Publicising enforcement cases (曝光典型案例, enforcement.case_publicity): a published penalised
// case enters what the other enterprises of its township expect of inspections, detection and
// fines (their monthly learning), and so their choice of safety effort. Directional tests over
// replicates with common random numbers: a difference counts when the paired difference
// exceeds three of its standard errors.

#include <gtest/gtest.h>

#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include "replicate_stats.hpp"
#include "run/simulation.hpp"

using namespace anjian;
using namespace anjian::testing;


TEST(Publicity, NothingIsPublishedWithoutPublicityAndNothingElseChangesThen) {
  const auto off = run_tiny({"time.years=1", "run.replicates=1", "enforcement.case_publicity=0"});
  EXPECT_EQ(run_totals(off, Metric::cases_published)[0], 0.0);
  EXPECT_GT(run_totals(off, Metric::fines)[0], 0.0);
  const auto all = run_tiny({"time.years=1", "run.replicates=1", "enforcement.case_publicity=1"});
  // Every penalised case is published; the inspections before the first month's learning are the same.
  EXPECT_GT(run_totals(all, Metric::cases_published)[0], 0.0);
  const auto& a = all.replicates[0].series[static_cast<int>(Metric::inspections)];
  const auto& b = off.replicates[0].series[static_cast<int>(Metric::inspections)];
  EXPECT_TRUE(std::equal(a.begin(), a.begin() + 31, b.begin()));
}

TEST(Publicity, PublishedCasesRaiseExpectedDeterrenceAndSafetyEffort) {
  // Townships with several sectors and enough penalised cases that a township's enterprises hear
  // of some each month; the township offices enforce (they fine).
  const std::vector<std::string> common = {"run.replicates=16", "time.years=4", "townships.enforcement_authority=true"};
  auto with = common, without = common;
  with.push_back("enforcement.case_publicity=1");
  without.push_back("enforcement.case_publicity=0");
  const auto published = run_tiny(with);
  const auto quiet = run_tiny(without);
  const auto rate = paired(last_year_mean(published, Metric::perceived_inspection_rate_mean),
                           last_year_mean(quiet, Metric::perceived_inspection_rate_mean));
  EXPECT_GT(report_paired("perceived inspection rate (inspections/year) in year 4, all penalised cases published vs none", rate),
            3.0);
  const auto quality = paired(last_year_mean(published, Metric::safety_quality_mean),
                              last_year_mean(quiet, Metric::safety_quality_mean));
  EXPECT_GT(report_paired("mean safety quality q in year 4, all penalised cases published vs none", quality), 3.0);
  const auto hazards = paired(last_year_mean(published, Metric::latent_hazards),
                              last_year_mean(quiet, Metric::latent_hazards));
  EXPECT_LT(report_paired("latent hazards in year 4, all penalised cases published vs none", hazards), -3.0);
  // Harm, reported for the record: tiny's 400 enterprises have a few dozen injuries a year.
  const auto injuries = paired(run_totals(published, Metric::injuries_true), run_totals(quiet, Metric::injuries_true));
  report_paired("true injuries in 4 years, all penalised cases published vs none", injuries);
}
