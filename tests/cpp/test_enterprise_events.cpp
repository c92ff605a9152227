// Next-event sampling of enterprises' own events (enterprise_events.cpp) against the model's
// rates, computed by hand: each process alone on tiny worlds, over days and months.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "model/build_world.hpp"
#include "model/enterprise_events.hpp"
#include "model/phases.hpp"
#include "model/world.hpp"
#include "replicate_stats.hpp"
#include "world_fixtures.hpp"

using namespace anjian;
using anjian::testing::context_at;
using anjian::testing::tiny_world;
using anjian::testing::total_hazards;

namespace {

constexpr int kManufacturing = static_cast<int>(Sector::manufacturing);

// Runs the event phase on days [first, last) and returns the summed tally.
Tally run_days(World& w, const Params& p, int first, int last, StepContext& ctx) {
  Tally sum;
  for (int day = first; day < last; ++day) {
    ctx.begin_step(day, 1);
    phase_enterprise_events(w, p, ctx);
    sum += ctx.tally;
  }
  return sum;
}

Params quiet_enterprises() {
  Params p;
  p.hazards.removal_base = 0;
  p.hazards.removal_per_quality = 0;
  p.citizens.report_rate = 0;
  p.sectors[kManufacturing].accident_base = 0;
  p.sectors[kManufacturing].accident_per_hazard = 0;
  p.accidents.management_effect = 0;  // the accident rates set below hold at any quality
  return p;
}

}  // namespace

TEST(EnterpriseEvents, ArrivalsArePoissonAcrossMonths) {
  Params p = quiet_enterprises();
  p.sectors[kManufacturing].hazard_arrival = 36.5;  // 0.1 a day at q = 0
  World w = tiny_world(2000, 0, 0.0f);
  auto ctx = context_at(0);
  const Tally sum = run_days(w, p, 0, 90, ctx);  // three month boundaries crossed
  // 2000 x 90 x 0.1 = 18000, sd 134.
  EXPECT_NEAR(sum[Metric::hazards_arrived], 18000, 600);
  EXPECT_EQ(total_hazards(w), sum[Metric::hazards_arrived]);
}

TEST(EnterpriseEvents, SelfRemovalIsExponentialPerHazard) {
  Params p = quiet_enterprises();
  p.hazards.removal_base = 365.0 * std::log(2.0) / 10.0;  // half-life of ten days
  World w = tiny_world(5000, 4, 1.0f);                     // q = 1: no arrivals
  auto ctx = context_at(0);
  const Tally sum = run_days(w, p, 0, 20, ctx);
  EXPECT_NEAR(static_cast<double>(total_hazards(w)), 5000.0, 250);  // 20000 / 4, sd ~61
  EXPECT_EQ(sum[Metric::hazards_self_removed], 20000 - total_hazards(w));
}

TEST(EnterpriseEvents, AccidentsFollowTheRateAndCleanUp) {
  Params p = quiet_enterprises();
  p.sectors[kManufacturing].accident_base = 3.65;  // 0.01 a day
  p.sectors[kManufacturing].p_fatal = 0;
  p.sectors[kManufacturing].p_serious = 0;
  p.sectors[kManufacturing].p_minor = 1;  // every accident harmful: clean-up
  p.accidents.hazard_cleanup_share = 1.0;
  World w = tiny_world(5000, 2, 1.0f);
  auto ctx = context_at(0);
  const Tally sum = run_days(w, p, 0, 40, ctx);
  // 5000 x 40 x 0.01 = 2000 accidents, sd 45; each enterprise's first one clears its hazards.
  EXPECT_NEAR(sum[Metric::accidents_true], 2000, 180);
  EXPECT_EQ(static_cast<double>(ctx.accidents.size()), sum[Metric::accidents_true]);
  EXPECT_EQ(10000 - total_hazards(w), sum[Metric::hazards_removed_after_accident]);
  for (std::size_t a = 1; a < ctx.accidents.size(); ++a) {  // in (day, enterprise) order
    const auto& x = ctx.accidents[a - 1];
    const auto& y = ctx.accidents[a];
    EXPECT_TRUE(x.day < y.day || (x.day == y.day && x.enterprise <= y.enterprise));
  }
}

TEST(EnterpriseEvents, ADaysAccidentsFromSeveralChunksAreInEnterpriseOrder) {
  // Some 4,000 events a day: several chunks, each sorting its own accidents, merged after.
  Params p = quiet_enterprises();
  p.sectors[kManufacturing].accident_base = 73.0;  // 0.2 a day
  World w = tiny_world(20000, 0, 1.0f);
  auto ctx = context_at(0);
  run_days(w, p, 0, 3, ctx);
  EXPECT_GT(ctx.accidents.size(), 3u * 3000u);
  std::size_t out_of_order = 0;
  for (std::size_t a = 1; a < ctx.accidents.size(); ++a) {
    const auto& x = ctx.accidents[a - 1];
    const auto& y = ctx.accidents[a];
    out_of_order += !(x.day < y.day || (x.day == y.day && x.enterprise <= y.enterprise));
  }
  EXPECT_EQ(out_of_order, 0u);
}

TEST(EnterpriseEvents, ASuspendedEnterpriseHasNoArrivalsOrAccidentsUntilItsEnd) {
  Params p = quiet_enterprises();
  p.sectors[kManufacturing].hazard_arrival = 365.0;  // one a day
  World w = tiny_world(100, 0, 0.0f);
  for (std::size_t i = 0; i < 50; ++i) w.enterprises.suspended_until[i] = 10;
  auto ctx = context_at(0);
  run_days(w, p, 0, 10, ctx);
  for (std::size_t i = 0; i < 50; ++i) EXPECT_EQ(w.enterprises.hazards[i], 0) << i;
  run_days(w, p, 10, 20, ctx);  // the wake at day 10 resumes arrivals
  double late = 0;
  for (std::size_t i = 0; i < 50; ++i) late += w.enterprises.hazards[i];
  EXPECT_NEAR(late, 50 * 10, 110);  // days 10-19 at one a day, sd 22
}

TEST(EnterpriseEvents, AnInspectionChangesTheRatesFromTheNextDay) {
  Params p = quiet_enterprises();
  p.sectors[kManufacturing].accident_per_hazard = 36.5;  // 0.1 a day per hazard
  p.sectors[kManufacturing].p_fatal = p.sectors[kManufacturing].p_serious = p.sectors[kManufacturing].p_minor = 0;
  World w = tiny_world(4000, 10, 1.0f);  // 1 accident a day each while 10 hazards last
  auto ctx = context_at(0);
  run_days(w, p, 0, 1, ctx);
  // Rectification removes every hazard: the rates drop to zero and no accident follows.
  for (std::uint32_t i = 0; i < 4000; ++i) {
    w.enterprises.hazards[i] = 0;
    rates_changed(w, p, i);
  }
  const Tally later = run_days(w, p, 1, 5, ctx);
  EXPECT_EQ(later[Metric::accidents_near_miss], 0);
}

TEST(EnterpriseEvents, PlanningAddsRegistrationsAsARebuildWould) {
  Params p;
  World w = tiny_world(50, 0, 0.5f);
  for (std::uint32_t i = 0; i < 50; i += 3) w.enterprises.registered[i] = 0;
  w.enterprises.primary_department[7] = kNoDepartment;
  rebuild_targets(w, p);
  w.enterprises.registered[9] = 1;
  w.newly_registered = {9};
  w.enterprises.primary_department[7] = static_cast<std::uint16_t>(DepartmentKind::emergency_management);
  w.newly_assigned = {7};
  add_new_targets(w, p);
  auto incremental = w.departments.targets;
  rebuild_targets(w, p);
  for (std::size_t k = 0; k < incremental.size(); ++k) {
    std::sort(incremental[k].begin(), incremental[k].end());
    EXPECT_EQ(incremental[k], w.departments.targets[k]) << "department " << k;
  }
}

// The two schemes sample the same model: over replicates of the test county, true accidents and
// hazards arisen agree within 3 standard errors (tests/bench/equivalence.py does this at length
// against the engine before next-event sampling; docs/performance.md).
TEST(EnterpriseEvents, NextEventAndDailySchemesAgreeInDistribution) {
  using anjian::testing::mean_se;
  using anjian::testing::run_tiny;
  using anjian::testing::run_totals;
  const std::vector<std::string> common = {"run.replicates=24", "output.accident_events=false"};
  auto with = [&](const char* scheme) {
    auto overrides = common;
    overrides.push_back(std::string("engine.sampling=") + scheme);
    return run_tiny(overrides);
  };
  const EnsembleResult fast = with("next_event"), daily = with("daily");
  for (Metric m : {Metric::accidents_true, Metric::hazards_arrived, Metric::reports_filed, Metric::inspections}) {
    const auto a = mean_se(run_totals(fast, m)), b = mean_se(run_totals(daily, m));
    EXPECT_LT(std::abs(anjian::testing::z_above(a, b)), 3.0)
        << metric_info(m).name << ": " << a.mean << " +- " << a.se << " vs " << b.mean << " +- " << b.se;
    EXPECT_GT(a.mean, 0) << metric_info(m).name;
  }
}

// The event loop reads each enterprise's rate inputs from the copy in its clock (world.hpp's
// RateInputs). Between steps the copy may differ from the columns only where a phase said so
// (rates_changed: the enterprise is drawn anew from its columns the next day) and in q after the
// month's decisions (everyone is drawn anew the next step). With every mechanism that touches the
// inputs on: suspensions, rectification, accidents' clean-up, registration by reports and patrols,
// the reporting reward's start.
TEST(EnterpriseEvents, TheClocksCopyOfRateInputsFollowsTheColumns) {
  Scenario s = anjian::testing::tiny_scenario({"experiment.treatment=reporting_reward",
                                               "experiment.unit=enterprise", "experiment.start_day=45",
                                               "enforcement.suspension_rate=1", "citizens.report_rate=20",
                                               // patrols find some of the few unregistered left by reports
                                               "grid.discovery_rate=50"});
  const Params& p = s.params;
  World w = build_world(p, {3, 0});
  StepContext ctx;
  ctx.key = {3, 0};
  const auto& e = w.enterprises;
  std::size_t checked = 0;
  Tally sum;
  for (std::int64_t step = 0; step < 200; ++step) {
    ctx.begin_step(step, static_cast<int>(p.time.step_days));
    run_step(w, p, ctx);
    sum += ctx.tally;
    const auto& changed = w.calendar.changed;
    for (std::uint32_t i = 0; i < e.size(); ++i) {
      if (changed.marked(i)) continue;
      const RateInputs& in = w.calendar.clocks[i].inputs;
      ASSERT_EQ(in.hazards, e.hazards[i]) << "enterprise " << i << ", step " << step;
      ASSERT_EQ(in.suspended_until, e.suspended_until[i]) << "enterprise " << i << ", step " << step;
      ASSERT_EQ(in.registered, e.registered[i] != 0) << "enterprise " << i << ", step " << step;
      ASSERT_EQ(in.treated, e.treated[i] != 0) << "enterprise " << i << ", step " << step;
      ASSERT_EQ(in.sector, e.sector[i]);
      const AccidentSite& site = w.calendar.clocks[i].site;
      ASSERT_EQ(site.sector, e.sector[i]);
      ASSERT_EQ(site.township, e.township[i]);
      ASSERT_EQ(site.workers, e.workers[i]);
      ASSERT_EQ(in.size_factor, e.size_factor[i]);
      if (!ctx.month_ends) {
        ASSERT_EQ(in.safety_quality, e.safety_quality[i]) << "enterprise " << i << ", step " << step;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 200u * 300u);
  // Each mechanism that writes an input took place.
  for (Metric m : {Metric::suspensions, Metric::hazards_rectified, Metric::hazards_removed_after_accident,
                   Metric::unregistered_found_by_grid, Metric::unregistered_found_by_reports,
                   Metric::hazards_arrived, Metric::hazards_self_removed}) {
    EXPECT_GT(sum[m], 0) << metric_info(m).name;
  }
}
