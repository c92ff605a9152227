// Public reporting and grid patrols: the reporting rate's form, the reward's diminishing returns,
// complaint queues, registration of blind spots, grid discovery, and the reward's direction over
// replicates.

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <numeric>

#include "model/build_world.hpp"
#include "model/phases.hpp"
#include "model/public_reporting.hpp"
#include "replicate_stats.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"
#include "world_fixtures.hpp"

using namespace anjian;
using namespace anjian::testing;

namespace {

// Reporting with round numbers: willingness = awareness x trust x courage x incentive.
Params round_reporting() {
  Params p;
  p.citizens.report_rate = 0.5;
  p.citizens.legal_awareness = 0.5;
  p.citizens.trust_prior = 0.2;
  p.citizens.retaliation_fear = 0.6;
  p.hotline.feedback = 0.5;
  p.hotline.handling_quality = 0.6;
  p.hotline.protection = 0.5;
  p.hotline.reward = 0;
  p.hotline.reward_response = 1.0;
  p.hotline.reward_scale = 10000;
  p.grid.members_per_township = 0;
  return p;
}

// So many reports that every enterprise with a hazard is reported every day.
Params flood_of_reports() {
  Params p = round_reporting();
  p.citizens.report_rate = 365.0 * 1000.0;
  p.hotline.handling_quality = 1.0;
  return p;
}

std::size_t queued(const World& w) {
  std::size_t n = 0;
  for (const auto& q : w.departments.complaints) n += q.size();
  return n;
}

}  // namespace

TEST(PublicReporting, RateIsHazardsTimesRateTimesWillingness) {
  const Params p = round_reporting();
  // trust = 0.5 x 0.6 + 0.5 x 0.2 = 0.4; courage = 1 - 0.6 x 0.5 = 0.7; no reward.
  EXPECT_NEAR(reporting_willingness(p, 0.0), 0.5 * 0.4 * 0.7, 1e-12);
  EXPECT_NEAR(public_report_rate(p, 4, 0.0), 4 * 0.5 * 0.5 * 0.4 * 0.7, 1e-12);
  EXPECT_EQ(public_report_rate(p, 0, 1e6), 0.0);
  // A reward of scale x ln 2 buys half the largest rise.
  EXPECT_NEAR(reward_incentive(p, 10000 * std::log(2.0)), 1.5, 1e-12);
  EXPECT_NEAR(public_report_rate(p, 4, 10000 * std::log(2.0)), 4 * 0.5 * 0.5 * 0.4 * 0.7 * 1.5, 1e-12);
}

TEST(PublicReporting, RewardHasDiminishingReturns) {
  const Params p = round_reporting();
  double previous_gain = INFINITY;
  for (double reward = 0; reward < 300000; reward += 3000) {
    const double gain = reward_incentive(p, reward + 3000) - reward_incentive(p, reward);
    EXPECT_GT(gain, 0.0) << reward;
    EXPECT_LT(gain, previous_gain) << reward;
    previous_gain = gain;
  }
  EXPECT_LT(reward_incentive(p, 1e9), 1.0 + p.hotline.reward_response + 1e-12);  // bounded
}

TEST(PublicReporting, ProtectionAndFeedbackRaiseWillingness) {
  Params p = round_reporting();
  const double base = reporting_willingness(p, 0);
  p.hotline.protection = 1.0;  // no fear left
  EXPECT_NEAR(reporting_willingness(p, 0), base / 0.7, 1e-12);
  p = round_reporting();
  p.hotline.feedback = 1.0;  // everyone learns that 60% of reports are acted on
  EXPECT_NEAR(reporting_willingness(p, 0), base / 0.4 * 0.6, 1e-12);
  p.hotline.handling_quality = 0.1;  // feedback about a useless hotline discourages
  EXPECT_LT(reporting_willingness(p, 0), base);
}

TEST(PublicReporting, ReportsArePoissonAndTheHotlineHandlesItsShare) {
  Params p = round_reporting();
  // Mean 0.05 reports a day per enterprise: rate x willingness x 5 hazards / 365 = 0.05.
  p.citizens.report_rate = 0.05 * 365.0 / (5 * reporting_willingness(p, 0));
  World w = tiny_world(20000, 5, 0.5f);
  auto ctx = context_at(0);
  phase_public_reporting(w, p, ctx);
  EXPECT_NEAR(ctx.tally[Metric::reports_filed], 1000, 130);  // sd 32
  EXPECT_NEAR(ctx.tally[Metric::reports_handled], 600, 110);  // 0.6 of the filed, sd ~25
  // One queued complaint per enterprise with a handled report, all at the emergency bureau.
  EXPECT_EQ(static_cast<double>(w.departments.complaints[0].size()),
            std::accumulate(w.enterprises.complaint_queued.begin(), w.enterprises.complaint_queued.end(), 0.0));
  EXPECT_EQ(queued(w), w.departments.complaints[0].size());
  EXPECT_LE(static_cast<double>(queued(w)), ctx.tally[Metric::reports_handled]);
  EXPECT_GT(queued(w), 400u);
}

TEST(PublicReporting, AComplaintIsQueuedOnceUntilAnswered) {
  const Params p = flood_of_reports();
  World w = tiny_world(2, 3, 0.5f, 1, 1.0f);
  w.enterprises.hazards[1] = 0;  // nothing to report
  for (int day = 0; day < 3; ++day) {
    auto ctx = context_at(day);
    phase_public_reporting(w, p, ctx);
    EXPECT_GT(ctx.tally[Metric::reports_handled], 100);
  }
  ASSERT_EQ(w.departments.complaints[0].size(), 1u);
  EXPECT_EQ(w.departments.complaints[0].front(), 0u);
  EXPECT_EQ(w.enterprises.complaint_queued[0], 1);
  EXPECT_EQ(w.enterprises.complaint_queued[1], 0);

  // Planning takes the complaint; the inspection answers it; a new report queues it again.
  w.departments.complaints[0].pop_front();
  auto ctx = context_at(3);
  ctx.visits = {{0, 0, true, true}};
  phase_inspections(w, p, ctx);
  EXPECT_EQ(w.enterprises.complaint_queued[0], 0);
  w.enterprises.hazards[0] = 3;
  ctx = context_at(4);
  phase_public_reporting(w, p, ctx);
  EXPECT_EQ(w.departments.complaints[0].size(), 1u);
}

TEST(PublicReporting, ComplaintsGoToTheResponsibleDepartmentOrTheEmergencyBureau) {
  const Params p = flood_of_reports();
  World w = tiny_world(3, 2, 0.5f);
  w.enterprises.primary_department[0] = static_cast<std::uint16_t>(DepartmentKind::construction);
  w.enterprises.primary_department[1] = kNoDepartment;  // orphan
  w.enterprises.primary_department[2] = static_cast<std::uint16_t>(DepartmentKind::market_supervision);
  auto ctx = context_at(0);
  phase_public_reporting(w, p, ctx);
  const auto& c = w.departments.complaints;
  EXPECT_EQ(c[static_cast<int>(DepartmentKind::construction)], (std::deque<std::uint32_t>{0}));
  EXPECT_EQ(c[static_cast<int>(DepartmentKind::emergency_management)], (std::deque<std::uint32_t>{1}));
  EXPECT_EQ(c[static_cast<int>(DepartmentKind::market_supervision)], (std::deque<std::uint32_t>{2}));
}

TEST(PublicReporting, AHandledReportRegistersABlindSpot) {
  Params p = flood_of_reports();
  World w = tiny_world(2, 2, 0.5f);
  w.enterprises.registered[0] = 0;
  w.enterprises.registered[1] = 0;
  w.enterprises.hazards[1] = 0;  // nothing to report: stays a blind spot
  auto ctx = context_at(0);
  phase_public_reporting(w, p, ctx);
  EXPECT_EQ(w.enterprises.registered[0], 1);
  EXPECT_EQ(w.enterprises.registered[1], 0);
  EXPECT_EQ(w.newly_registered, (std::vector<std::uint32_t>{0}));  // planning adds it to its targets
  EXPECT_EQ(ctx.tally[Metric::unregistered_found_by_reports], 1);
  EXPECT_EQ(w.departments.complaints[0], (std::deque<std::uint32_t>{0}));

  // Reports the hotline never acts on register nothing and queue nothing.
  p.hotline.handling_quality = 0;
  World v = tiny_world(1, 2, 0.5f);
  v.enterprises.registered[0] = 0;
  ctx = context_at(0);
  phase_public_reporting(v, p, ctx);
  EXPECT_GT(ctx.tally[Metric::reports_filed], 0);
  EXPECT_EQ(v.enterprises.registered[0], 0);
  EXPECT_TRUE(v.newly_registered.empty());
  EXPECT_EQ(queued(v), 0u);
}

TEST(PublicReporting, GridMembersFindUnregisteredEnterprisesByRandomSearch) {
  Params p = round_reporting();
  p.citizens.report_rate = 0;
  p.grid.members_per_township = 2;
  World w = tiny_world(20000, 0, 0.5f);
  for (auto& r : w.enterprises.registered) r = 0;
  // One township of 20000: each enterprise is found at 2 x d / 20000 a year; choose 0.05 a day.
  p.grid.discovery_rate = 0.05 * 365.0 * 20000 / 2;
  EXPECT_NEAR(grid_discovery_rate(w, p), 0.05 * 365.0, 1e-9);
  auto ctx = context_at(0);
  phase_public_reporting(w, p, ctx);
  const double expected = 20000 * (1 - std::exp(-0.05));  // 975, sd 30
  EXPECT_NEAR(ctx.tally[Metric::unregistered_found_by_grid], expected, 150);
  EXPECT_EQ(ctx.tally[Metric::unregistered_found_by_grid],
            std::accumulate(w.enterprises.registered.begin(), w.enterprises.registered.end(), 0.0));
  EXPECT_EQ(queued(w), 0u);  // patrols register; they do not file complaints
  EXPECT_EQ(static_cast<double>(w.newly_registered.size()), ctx.tally[Metric::unregistered_found_by_grid]);
}

TEST(PublicReporting, UnderTheRewardExperimentOnlyTreatedEnterprisesEarnIt) {
  Params p;
  p.hotline.reward = 50000;
  World w = tiny_world(2, 0, 0.5f);
  w.enterprises.treated[1] = 1;
  EXPECT_EQ(reward_for(w, p, 0, 0), 50000);  // no experiment: everyone
  p.experiment.treatment = Treatment::reporting_reward;
  p.experiment.start_day = 100;
  EXPECT_EQ(reward_for(w, p, 0, 200), 0);
  EXPECT_EQ(reward_for(w, p, 1, 200), 50000);
  EXPECT_EQ(reward_for(w, p, 1, 99), 0);  // before the experiment starts
}

namespace {

EnsembleResult run_with(const std::vector<std::string>& assignments) { return run_tiny(assignments); }

void report(const char* what, const MeanSe& a, const MeanSe& b) {
  std::cout << "[directional] " << what << ": " << a.mean << " (se " << a.se << ") vs " << b.mean << " (se " << b.se
            << "), z = " << z_above(a, b) << "\n";
}

}  // namespace

TEST(PublicReportingDirection, ARewardRaisesReportsAndFindsMoreBlindSpots) {
  // Grid patrols off, so that blind spots are found by reports alone; a vocal public, so that
  // the tiny world files enough reports to measure.
  const std::vector<std::string> common = {"run.replicates=8", "time.years=2", "grid.members_per_township=0",
                                           "enterprises.unregistered_share=0.4", "citizens.report_rate=2"};
  auto with = [&](const std::string& reward) {
    auto a = common;
    a.push_back("hotline.reward=" + reward);
    return run_with(a);
  };
  const EnsembleResult rewarded = with("100000");
  const EnsembleResult unrewarded = with("0");
  const MeanSe filed_r = mean_se(run_totals(rewarded, Metric::reports_filed));
  const MeanSe filed_u = mean_se(run_totals(unrewarded, Metric::reports_filed));
  report("reports filed in 2 years, reward 100000 vs 0", filed_r, filed_u);
  EXPECT_GT(z_above(filed_r, filed_u), 3.0);
  const MeanSe found_r = mean_se(run_totals(rewarded, Metric::unregistered_found_by_reports));
  const MeanSe found_u = mean_se(run_totals(unrewarded, Metric::unregistered_found_by_reports));
  report("blind spots found by reports, reward 100000 vs 0", found_r, found_u);
  EXPECT_GT(z_above(found_r, found_u), 3.0);
}

TEST(PublicReportingDirection, TheRewardExperimentRaisesReportsAboutTreatedEnterprises) {
  // Within one run: reports per enterprise about treated enterprises exceed those about controls.
  Scenario s = tiny_scenario();
  for (const char* a : {"run.replicates=8", "time.years=2", "experiment.treatment=reporting_reward",
                        "experiment.share=0.5", "hotline.reward=100000", "grid.members_per_township=0",
                        "enterprises.unregistered_share=0.4", "citizens.report_rate=2"}) {
    apply_assignment(s, a);
  }
  const EnsembleResult result = run_ensemble(s.params);
  std::vector<double> treated_share, control_share;
  for (const auto& rep : result.replicates) {
    const auto& e = rep.final_world.enterprises;
    double t_found = 0, t_n = 0, c_found = 0, c_n = 0;
    const World start = build_world(s.params, RandomKey{static_cast<std::uint64_t>(s.params.run.seed), rep.replicate});
    for (std::size_t i = 0; i < e.size(); ++i) {
      if (start.enterprises.registered[i]) continue;  // blind spots at the start only
      (e.treated[i] ? t_n : c_n) += 1;
      (e.treated[i] ? t_found : c_found) += e.registered[i];
    }
    treated_share.push_back(t_found / t_n);
    control_share.push_back(c_found / c_n);
  }
  const MeanSe t = mean_se(treated_share), c = mean_se(control_share);
  report("share of blind spots registered, treated vs control", t, c);
  EXPECT_GT(z_above(t, c), 3.0);
}
