// The county's department map since the 2018 reform: who claims which enterprise (special
// equipment, mining rights), buck-passing between two claimants, and the bureau's comprehensive
// supervision of industry departments. Unit tests on built or tiny worlds, and directional tests
// with paired replicates (common random numbers: replicate k of both arms shares its draws).

#include <gtest/gtest.h>

#include <iostream>
#include <vector>

#include "model/build_world.hpp"
#include "model/coordination.hpp"
#include "model/inspection_planning.hpp"
#include "model/phases.hpp"
#include "model/public_reporting.hpp"
#include "replicate_stats.hpp"
#include "world_fixtures.hpp"

using namespace anjian;
using namespace anjian::testing;

namespace {

constexpr auto kMarket = static_cast<std::uint16_t>(DepartmentKind::market_supervision);
constexpr auto kResources = static_cast<std::uint16_t>(DepartmentKind::natural_resources);

bool is_mine(const World& w, std::size_t i) {
  return w.enterprises.sector[i] == static_cast<std::uint8_t>(Sector::mining);
}

bool shared(const World& w, std::uint32_t i) {
  const auto& e = w.enterprises;
  return e.primary_department[i] != kNoDepartment && e.secondary_department[i] != kNoDepartment;
}

}  // namespace

TEST(DepartmentMap, MarketSupervisionClaimsSpecialEquipmentAndNaturalResourcesTheMines) {
  Params p;
  p.enterprises.count = 20000;
  p.jurisdiction.overlap_share = 0;
  p.jurisdiction.special_equipment_share = 0.3;
  const World w = build_world(p, RandomKey{3, 0});
  double others = 0, equipment = 0;
  for (std::size_t i = 0; i < w.enterprises.size(); ++i) {
    const auto second = w.enterprises.secondary_department[i];
    if (is_mine(w, i)) {
      EXPECT_EQ(second, kResources);  // mining rights
      continue;
    }
    others += 1;
    equipment += second == kMarket;
    EXPECT_TRUE(second == kMarket || second == kNoDepartment);
  }
  EXPECT_NEAR(equipment / others, 0.3, 0.015);
}

TEST(DepartmentMap, SpecialEquipmentMovesNoOtherDrawOfTheBuild) {
  Params p;
  p.enterprises.count = 2000;
  p.jurisdiction.special_equipment_share = 0.0;
  const World none = build_world(p, RandomKey{4, 0});
  p.jurisdiction.special_equipment_share = 0.6;
  const World some = build_world(p, RandomKey{4, 0});
  const World again = build_world(p, RandomKey{4, 0});
  for (std::size_t i = 0; i < none.enterprises.size(); ++i) {
    ASSERT_EQ(none.enterprises.sector[i], some.enterprises.sector[i]);
    ASSERT_EQ(none.enterprises.workers[i], some.enterprises.workers[i]);
    ASSERT_EQ(none.enterprises.primary_department[i], some.enterprises.primary_department[i]);
    ASSERT_EQ(none.enterprises.safety_quality[i], some.enterprises.safety_quality[i]);
    ASSERT_EQ(some.enterprises.secondary_department[i], again.enterprises.secondary_department[i]);
  }
}

TEST(BuckPassing, ASharedEnterpriseWeighsLessForCountyDepartmentsUnlessResponsibilityIsClear) {
  World w = tiny_world(2, 0, 0.5f);
  w.enterprises.secondary_department[1] = kMarket;  // enterprise 1: claimed by the bureau and market supervision
  Params p;
  p.jurisdiction.buck_passing = 0.8;
  const std::size_t bureau = 0, township = kCountyDepartmentKinds;
  EXPECT_DOUBLE_EQ(planning_weight(w, p, bureau, 0), 1.0);
  EXPECT_NEAR(planning_weight(w, p, bureau, 1), 0.2, 1e-12);
  EXPECT_NEAR(planning_weight(w, p, kMarket, 1), 0.2, 1e-12);
  EXPECT_DOUBLE_EQ(planning_weight(w, p, township, 1), 1.0);  // territorial supervision passes no buck
  p.coordination.information_sharing = true;
  EXPECT_DOUBLE_EQ(planning_weight(w, p, bureau, 1), 1.0);
  p.coordination.information_sharing = false;
  p.planning.pooled_teams = true;
  EXPECT_DOUBLE_EQ(planning_weight(w, p, bureau, 1), 1.0);
}

TEST(BuckPassing, CountyDepartmentsInspectSharedEnterprisesLess) {
  // Paired: the same built county and planning streams with buck-passing 0 and 0.8; the share of
  // county departments' routine visits that go to enterprises two departments claim.
  std::vector<double> clear, passing;
  for (std::uint64_t r = 0; r < 8; ++r) {
    for (double b : {0.0, 0.8}) {
      Params p;
      p.enterprises.count = 1500;
      p.jurisdiction.buck_passing = b;
      World w = build_world(p, RandomKey{30, r});
      double visits = 0, to_shared = 0;
      for (int day = 0; day < 60; ++day) {
        auto ctx = context_at(day, RandomKey{30, r});
        phase_inspection_planning(w, p, ctx);
        for (const auto& v : ctx.visits) {
          if (v.complaint || w.inspectors.department[v.inspector] >= kCountyDepartmentKinds) continue;
          visits += 1;
          to_shared += shared(w, v.enterprise);
        }
      }
      (b == 0.0 ? clear : passing).push_back(to_shared / visits);
    }
  }
  const MeanSe d = paired(clear, passing);
  std::cout << "share of county visits to shared enterprises, buck-passing 0 minus 0.8: " << d.mean << " +- "
            << d.se << "\n";
  EXPECT_GT(d.mean, 3 * d.se);
  EXPECT_GT(d.mean, 0);
}

TEST(ComprehensiveSupervision, AttentionRisesBelowTheNormAndDriftsBackAbove) {
  EXPECT_NEAR(supervised_attention(0.6, 0.6, true, 0.3), 0.72, 1e-12);   // 0.3 of the gap to 1
  EXPECT_NEAR(supervised_attention(0.9, 0.6, false, 0.3), 0.81, 1e-12);  // 0.3 of the way back
  EXPECT_DOUBLE_EQ(supervised_attention(0.6, 0.6, true, 0.0), 0.6);      // no comprehensive role
  EXPECT_DOUBLE_EQ(supervised_attention(0.6, 0.6, true, 1.0), 1.0);
}

TEST(ComprehensiveSupervision, TheBureauAssessesIndustryDepartmentsAgainstItsOwnInspectionsPerPost) {
  World w = tiny_world(10, 0, 0.5f, 4);
  const auto construction = static_cast<std::size_t>(DepartmentKind::construction);
  // Two inspectors in the bureau, one in construction, one in market supervision.
  w.inspectors.department[2] = static_cast<std::uint16_t>(construction);
  w.inspectors.department[3] = kMarket;
  for (std::size_t k = 1; k < kCountyDepartmentKinds; ++k) w.departments.attention[k] = w.departments.own_attention[k] = 0.6f;
  w.departments.attention[kMarket] = 0.9f;
  w.departments.inspections_this_year[0] = 200;             // the norm: 100 per post
  w.departments.inspections_this_year[construction] = 50;   // below it
  w.departments.inspections_this_year[kMarket] = 150;       // above it
  Params p;
  p.coordination.comprehensive_supervision = 0.5;
  supervise_industry_departments(w, p);
  EXPECT_NEAR(w.departments.attention[construction], 0.8, 1e-6);
  EXPECT_NEAR(w.departments.attention[kMarket], 0.75, 1e-6);
  EXPECT_NEAR(w.departments.attention[kResources], 0.6, 1e-6);  // no posts: not assessed
  EXPECT_FLOAT_EQ(w.departments.attention[0], 1.0f);           // the bureau itself
}

TEST(ComprehensiveSupervisionDirectional, RaisesIndustryAttentionAndInspections) {
  auto run = [](const std::string& strength) {
    return run_tiny({"run.replicates=8", "time.years=3", "coordination.comprehensive_supervision=" + strength});
  };
  const EnsembleResult none = run("0");
  const EnsembleResult strong = run("0.5");
  std::vector<double> attention_none, attention_strong;
  for (const auto* r : {&none, &strong}) {
    for (const auto& rep : r->replicates) {
      const auto& d = rep.final_world.departments;
      double sum = 0;
      for (std::size_t k = 1; k < kCountyDepartmentKinds; ++k) sum += d.attention[k];
      (r == &none ? attention_none : attention_strong).push_back(sum / (kCountyDepartmentKinds - 1));
    }
  }
  const MeanSe attention = paired(attention_strong, attention_none);
  const MeanSe inspections =
      paired(run_totals(strong, Metric::inspections), run_totals(none, Metric::inspections));
  std::cout << "industry attention, strong minus no comprehensive supervision: " << attention.mean << " +- "
            << attention.se << "; inspections over the run: " << inspections.mean << " +- " << inspections.se
            << "\n";
  EXPECT_GT(attention.mean, 0);
  EXPECT_GT(attention.mean, 3 * attention.se);
  EXPECT_GT(inspections.mean, 3 * inspections.se);
  EXPECT_GT(inspections.mean, 0);
}

TEST(IllegalMining, NaturalResourcesSearchTheCountysMinesAtItsRatePerInspector) {
  World w = tiny_world(10, 0, 0.5f, 3, 0.5f, Sector::mining);
  for (std::size_t i = 5; i < 10; ++i) w.enterprises.sector[i] = static_cast<std::uint8_t>(Sector::trade);
  w.inspectors.department[1] = kResources;
  w.inspectors.department[2] = kResources;
  Params p;
  p.departments.illegal_mining_search_rate = 4.0;
  EXPECT_DOUBLE_EQ(illegal_mining_discovery_rate(w, p), 2 * 4.0 / 5);  // two searchers, five mines
  w.inspectors.active[2] = 0;                                           // a vacant post searches nothing
  EXPECT_DOUBLE_EQ(illegal_mining_discovery_rate(w, p), 4.0 / 5);
  p.departments.illegal_mining_search_rate = 0;
  EXPECT_DOUBLE_EQ(illegal_mining_discovery_rate(w, p), 0.0);
}

TEST(IllegalMiningDirectional, NaturalResourcesFindUnregisteredMinesUnderEitherSampling) {
  for (const std::string sampling : {"next_event", "daily"}) {
    auto run = [&](const std::string& rate) {
      return run_tiny({"run.replicates=8", "time.years=2", "enterprises.unregistered_share=0.5",
                       "engine.sampling=" + sampling, "departments.illegal_mining_search_rate=" + rate});
    };
    const EnsembleResult none = run("0");
    const EnsembleResult searching = run("20");
    const auto found_none = run_totals(none, Metric::unregistered_found_by_natural_resources);
    for (double x : found_none) EXPECT_EQ(x, 0.0) << sampling;
    const MeanSe found = paired(run_totals(searching, Metric::unregistered_found_by_natural_resources), found_none);
    std::cout << sampling << ": illegal mines found by natural resources over the run: " << found.mean << " +- "
              << found.se << "\n";
    EXPECT_GT(found.mean, 3 * found.se) << sampling;
    EXPECT_GT(found.mean, 0) << sampling;
  }
}
