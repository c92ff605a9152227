// Policy diffusion and campaigns: delay and fidelity down the hierarchy, and the time campaigns
// give to (or take from) inspections.

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "model/build_world.hpp"
#include "model/phases.hpp"
#include "model/policy.hpp"
#include "replicate_stats.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"
#include "world_fixtures.hpp"

using namespace anjian;
using namespace anjian::testing;

namespace {

World world_with_townships(const Params& p) { return build_world(p, RandomKey{3, 0}); }

Params campaign_params(double fidelity, double delay_days) {
  Params p;
  p.enterprises.count = 50;
  p.county.townships = 4;
  p.policy.campaign_interval_years = 1.0;
  p.policy.campaign_days = 90;
  p.policy.campaign_intensity = 0.5;
  p.policy.fidelity = fidelity;
  p.policy.diffusion_delay_days = delay_days;
  p.policy.paperwork_crowding = 0.5;
  return p;
}

}  // namespace

TEST(Policy, CapacityFactorSplitsEffortByFidelity) {
  const Params p = campaign_params(0.6, 0.0);
  World w = world_with_townships(p);
  auto& d = w.departments;
  d.campaign_start_day[0] = 10;
  d.campaign_end_day[0] = 20;
  d.campaign_fidelity[0] = 0.36f;
  EXPECT_DOUBLE_EQ(campaign_capacity_factor(d, p, 0, 9), 1.0);
  EXPECT_DOUBLE_EQ(campaign_capacity_factor(d, p, 0, 20), 1.0);
  // 1 + 0.5 x 0.36 - 0.5 x 0.64 x 0.5 = 1.02
  EXPECT_NEAR(campaign_capacity_factor(d, p, 0, 15), 1.02, 1e-6);
  d.campaign_fidelity[0] = 0.0f;  // pure paperwork
  EXPECT_NEAR(campaign_capacity_factor(d, p, 0, 15), 0.75, 1e-6);
}

TEST(Policy, DecreeReachesCountyAndTownshipsWithFidelityPerLevel) {
  const Params p = campaign_params(0.6, 0.0);
  World w = world_with_townships(p);
  for (int day = 0; day <= 365; ++day) {
    auto ctx = context_at(day);
    phase_policy(w, p, ctx);
  }
  const auto& d = w.departments;
  for (std::size_t k = 0; k < d.size(); ++k) {
    const bool township = d.kind[k] == static_cast<std::uint8_t>(DepartmentKind::township_office);
    EXPECT_EQ(d.campaigns[k], 1) << k;
    EXPECT_EQ(d.campaign_start_day[k], 365) << k;  // no delay: all adopt on the decree day
    EXPECT_NEAR(d.campaign_fidelity[k], township ? 0.216 : 0.36, 1e-6) << k;
  }
}

TEST(Policy, TownshipsAdoptLaterThanTheCounty) {
  const Params p = campaign_params(0.6, 30.0);
  double county = 0, townships = 0;
  int county_n = 0, township_n = 0;
  for (std::uint64_t rep = 0; rep < 40; ++rep) {
    World w = build_world(p, RandomKey{3, rep});
    for (int day = 360; day <= 366; ++day) {
      auto ctx = context_at(day, RandomKey{3, rep});
      phase_policy(w, p, ctx);
    }
    for (std::size_t k = 0; k < w.departments.size(); ++k) {
      const double delay = w.departments.campaign_start_day[k] - 365.0;
      if (w.departments.kind[k] == static_cast<std::uint8_t>(DepartmentKind::township_office)) {
        townships += delay, ++township_n;
      } else {
        county += delay, ++county_n;
      }
    }
  }
  // Two exponential levels of 30 days to the county (mean 60), one more to townships (mean 90).
  EXPECT_NEAR(county / county_n, 60.0, 15.0);
  EXPECT_NEAR(townships / township_n - county / county_n, 30.0, 8.0);
}

TEST(Policy, MajorAccidentStartsACountyCampaignAtOnce) {
  Params p = campaign_params(0.6, 30.0);
  p.policy.campaign_interval_years = 0;
  World w = world_with_townships(p);
  auto ctx = context_at(100);
  ctx.accidents.push_back(AccidentEvent{99, 0, 0, 0, Severity::Fatal, Grade::Larger, 3, 0, true});
  phase_policy(w, p, ctx);
  EXPECT_EQ(ctx.tally[Metric::campaigns_decreed], 1);
  EXPECT_EQ(w.departments.campaign_start_day[0], 100);     // county department: no delay
  EXPECT_NEAR(w.departments.campaign_fidelity[0], 1.0, 1e-6);
  auto next = context_at(101);
  next.accidents = ctx.accidents;
  next.accidents_seen_by_policy = ctx.accidents_seen_by_policy;
  phase_policy(w, p, next);
  EXPECT_EQ(next.tally[Metric::campaigns_decreed], 0);  // the same accident counts once
}

namespace {

// Inspections per run over replicates.
MeanSe inspections(const std::string& fidelity, const std::string& interval) {
  return mean_se(run_totals(run_tiny({"run.replicates=6", "time.years=2", "policy.campaign_interval_years=" + interval,
                                       "policy.campaign_intensity=1.0", "policy.diffusion_delay_days=5",
                                       "policy.fidelity=" + fidelity, "departments.budget_per_post=1e9"}),
                              Metric::inspections));
}

}  // namespace

TEST(PolicyDirectional, FaithfulCampaignsAddInspectionsAndPerfunctoryOnesCostThem) {
  const MeanSe none = inspections("1.0", "0");
  const MeanSe faithful = inspections("1.0", "0.5");
  const MeanSe perfunctory = inspections("0.0", "0.5");
  std::cout << "inspections in 2 years: no campaigns " << none.mean << " +- " << none.se << ", faithful "
            << faithful.mean << " +- " << faithful.se << ", perfunctory " << perfunctory.mean << " +- "
            << perfunctory.se << "\n";
  EXPECT_GT(z_above(faithful, none), 3.0);
  EXPECT_GT(z_above(none, perfunctory), 3.0);
}
