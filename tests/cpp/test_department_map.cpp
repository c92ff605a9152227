// The county's department map since the 2018 reform: who claims which enterprise (special
// equipment, mining rights), buck-passing between two claimants, and the bureau's comprehensive
// supervision of industry departments. Unit tests on built or tiny worlds, and directional tests
// with paired replicates (common random numbers: replicate k of both arms shares its draws).

#include <gtest/gtest.h>

#include <vector>

#include "model/build_world.hpp"
#include "model/phases.hpp"
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
