// The governance network: generated worlds survive the trip through GraphML, a hand-written
// county is read as written, and broken files are refused with the node and the fix.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/network.hpp"

using namespace anjian;

namespace {

std::string data(const std::string& name) { return std::string(ANJIAN_TEST_DATA_DIR) + "/networks/" + name; }

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::path(::testing::TempDir()) / name;
  std::ofstream(path) << text;
  return path.string();
}

std::string read_error(const std::string& path) {
  try {
    read_network_graphml(path);
  } catch (const NetworkError& e) {
    return e.what();
  }
  ADD_FAILURE() << path << " was accepted";
  return {};
}

// The minimal county with one line changed.
std::string minimal_with(const std::string& from, const std::string& to) {
  std::ifstream in(data("minimal.graphml"));
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST(Network, GeneratedWorldRoundTripsThroughGraphml) {
  Params p;
  p.enterprises.count = 300;
  p.county.townships = 4;
  const World world = build_world(p, RandomKey{5, 0});
  std::ostringstream graphml;
  write_network_graphml(graphml, network_of_world(world));
  const NetworkSpec spec = read_network_graphml(write_temp("roundtrip.graphml", graphml.str()));

  ASSERT_EQ(spec.enterprises.size(), 300u);
  ASSERT_EQ(spec.township_growth_priority.size(), 4u);
  ASSERT_EQ(spec.departments.size(), world.departments.size());
  const World again = build_world(p, RandomKey{5, 0}, &spec);
  EXPECT_EQ(again.enterprises.sector, world.enterprises.sector);
  EXPECT_EQ(again.enterprises.township, world.enterprises.township);
  EXPECT_EQ(again.enterprises.workers, world.enterprises.workers);
  EXPECT_EQ(again.enterprises.registered, world.enterprises.registered);
  EXPECT_EQ(again.enterprises.primary_department, world.enterprises.primary_department);
  EXPECT_EQ(again.enterprises.secondary_department, world.enterprises.secondary_department);
  EXPECT_EQ(again.departments.staff_quota, world.departments.staff_quota);
  EXPECT_EQ(again.departments.township, world.departments.township);
  // Same structure, same key: the same world.
  EXPECT_EQ(again.enterprises.hazards, world.enterprises.hazards);
  for (std::size_t t = 0; t < 4; ++t) {  // GraphML keeps six significant digits
    EXPECT_NEAR(again.townships.growth_priority[t], world.townships.growth_priority[t], 1e-5);
  }
}

TEST(Network, HandWrittenCountyIsReadAsWritten) {
  const NetworkSpec spec = read_network_graphml(data("minimal.graphml"));
  ASSERT_EQ(spec.township_growth_priority.size(), 1u);
  EXPECT_FLOAT_EQ(spec.township_growth_priority[0], 0.7f);
  ASSERT_EQ(spec.departments.size(), static_cast<std::size_t>(kCountyDepartmentKinds) + 1);
  EXPECT_EQ(spec.departments[0].staff, 2);
  EXPECT_EQ(spec.departments[1].staff, 0);  // a kind the file lacks has no staff
  EXPECT_EQ(spec.departments[kCountyDepartmentKinds].township, 0u);
  ASSERT_EQ(spec.enterprises.size(), 2u);
  EXPECT_EQ(spec.enterprises[0].sector, static_cast<std::uint8_t>(Sector::mining));
  EXPECT_EQ(spec.enterprises[0].workers, 80u);
  EXPECT_EQ(spec.enterprises[0].primary_department, 0);
  EXPECT_EQ(spec.enterprises[1].primary_department, kNoDepartment);  // orphan

  Params p;
  const World world = build_world(p, RandomKey{1, 0}, &spec);
  EXPECT_EQ(world.enterprises.size(), 2u);
  EXPECT_EQ(world.inspectors.size(), 3u);  // two in the bureau, one in the township office
  EXPECT_EQ(world.departments.targets[0], (std::vector<std::uint32_t>{0}));
}

TEST(NetworkErrors, BrokenFilesNameTheNodeAndTheFix) {
  EXPECT_NE(read_error(data("no_such.graphml")).find("cannot open"), std::string::npos);
  EXPECT_NE(read_error(write_temp("junk.graphml", "this is not xml")).find("not a readable GraphML"), std::string::npos);
  const auto sector = read_error(write_temp("sector.graphml", minimal_with(">mining<", ">fishing<")));
  EXPECT_NE(sector.find("unknown sector 'fishing'"), std::string::npos) << sector;
  EXPECT_NE(sector.find("manufacturing"), std::string::npos) << sector;  // lists the valid ones
  const auto workers = read_error(write_temp("workers.graphml", minimal_with(">80<", ">0<")));
  EXPECT_NE(workers.find("workers >= 1"), std::string::npos) << workers;
  const auto located = read_error(write_temp("located.graphml",
      minimal_with(R"(<edge source="a" target="t"><data key="rel">located_in</data></edge>)", "")));
  EXPECT_NE(located.find("located_in"), std::string::npos) << located;
  const auto kind = read_error(write_temp("kind.graphml", minimal_with(">emergency_management<", ">police<")));
  EXPECT_NE(kind.find("unknown department_kind 'police'"), std::string::npos) << kind;
  const auto office = read_error(write_temp("office.graphml",
      minimal_with(R"(<edge source="office" target="t"><data key="rel">reports_to</data></edge>)", "")));
  EXPECT_NE(office.find("township_office needs a reports_to edge"), std::string::npos) << office;
}
