// The governance network: generated worlds survive the trip through GraphML, a hand-written
// county is read as written, and broken files are refused with the node and the fix.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/build_world.hpp"
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
std::string file_with(const std::string& file, const std::string& from, const std::string& to) {
  std::ifstream in(data(file));
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

std::string minimal_with(const std::string& from, const std::string& to) { return file_with("minimal.graphml", from, to); }

// The example of docs/network-format.md (as networkx writes it) with one piece changed.
std::string example_with(const std::string& from, const std::string& to) {
  return file_with("minimal_networkx.graphml", from, to);
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
  EXPECT_NE(workers.find("node 'a': workers must be a whole number >= 1, found '0'"), std::string::npos) << workers;
  const auto located = read_error(write_temp("located.graphml",
      minimal_with(R"(<edge source="a" target="t"><data key="rel">located_in</data></edge>)", "")));
  EXPECT_NE(located.find("located_in"), std::string::npos) << located;
  const auto kind = read_error(write_temp("kind.graphml", minimal_with(">emergency_management<", ">police<")));
  EXPECT_NE(kind.find("unknown department_kind 'police'"), std::string::npos) << kind;
  const auto office = read_error(write_temp("office.graphml",
      minimal_with(R"(<edge source="office" target="t"><data key="rel">reports_to</data></edge>)", "")));
  EXPECT_NE(office.find("township_office needs a reports_to edge"), std::string::npos) << office;
}

TEST(Network, NetworkxTypesIdsAndNamesAreKept) {
  // attr.type long and boolean, as networkx writes them, once refused with boost::bad_any_cast.
  const NetworkSpec spec = read_network_graphml(data("minimal_networkx.graphml"));
  ASSERT_EQ(spec.enterprises.size(), 3u);
  EXPECT_EQ(spec.enterprises[1].workers, 120u);
  EXPECT_FALSE(spec.enterprises[2].registered);
  EXPECT_EQ(spec.enterprises[1].primary_department, static_cast<int>(DepartmentKind::construction));
  EXPECT_EQ(spec.enterprises[1].secondary_department, static_cast<int>(DepartmentKind::emergency_management));
  const auto& office = spec.departments[kCountyDepartmentKinds];  // O1
  EXPECT_EQ(office.kind, DepartmentKind::township_office);
  EXPECT_FALSE(office.can_enforce);
  ASSERT_EQ(spec.township_labels.size(), 2u);
  EXPECT_EQ(spec.township_labels[0].id, "T1");
  EXPECT_EQ(spec.township_labels[0].name, "Dongcheng");
  EXPECT_EQ(spec.enterprise_labels[2].id, "E3");
  EXPECT_EQ(spec.enterprise_labels[2].name, "E3");  // no name: the id
  ASSERT_EQ(spec.department_labels.size(), spec.departments.size());
  EXPECT_EQ(spec.department_labels[0].id, "EM");
  EXPECT_EQ(spec.department_labels[2].id, "");  // natural resources, added
  // The two county kinds the file lacks are added with no staff, and said so.
  ASSERT_EQ(spec.notes.size(), 2u);
  EXPECT_NE(spec.notes[0].find("no natural_resources department"), std::string::npos) << spec.notes[0];
  EXPECT_EQ(spec.departments[static_cast<int>(DepartmentKind::market_supervision)].staff, 0);
  EXPECT_NE(spec.graphml.find("Dongcheng"), std::string::npos);  // the bytes, for /meta
}

TEST(Network, UndirectedFilesAreReadInTheDirectionOfEachRelation) {
  // As nx.Graph may write them: a supervises and a located_in edge the other way round.
  std::string s = example_with(R"(edgedefault="directed")", R"(edgedefault="undirected")");
  for (const auto& [from, to] : {std::pair<std::string, std::string>{R"(<edge source="EM" target="E1">)", R"(<edge source="E1" target="EM">)"},
                                 {R"(<edge source="E3" target="T2">)", R"(<edge source="T2" target="E3">)"}}) {
    s.replace(s.find(from), from.size(), to);
  }
  const NetworkSpec spec = read_network_graphml(write_temp("undirected.graphml", s));
  EXPECT_EQ(spec.enterprises[0].primary_department, static_cast<int>(DepartmentKind::emergency_management));
  EXPECT_EQ(spec.enterprises[2].township, 1u);
}

TEST(NetworkErrors, MessagesNameTheFilesOwnIdsAndTheRule) {
  const auto words = read_error(write_temp("words.graphml", example_with(">120<", ">twelve<")));
  EXPECT_NE(words.find("node 'E2': workers must be a number, found 'twelve'"), std::string::npos) << words;
  const auto flag = read_error(write_temp("flag.graphml", example_with(">false</data></node>", ">maybe</data></node>")));
  EXPECT_NE(flag.find("node 'O1': can_enforce must be true or false"), std::string::npos) << flag;
  const auto office = read_error(write_temp("office_supervises.graphml",
      example_with(R"(<edge source="CB" target="E2">)", R"(<edge source="O1" target="E2">)")));
  EXPECT_NE(office.find("edge 'O1' -> 'E2'"), std::string::npos) << office;
  EXPECT_NE(office.find("not a township_office"), std::string::npos) << office;
  const auto unknown = read_error(write_temp("unknown_node.graphml",
      example_with(R"(<edge source="E3" target="T2">)", R"(<edge source="E9" target="T2">)")));
  EXPECT_NE(unknown.find("no node has the id 'E9'"), std::string::npos) << unknown;
  const auto twice = read_error(write_temp("twice.graphml",
      example_with(R"(<edge source="EM" target="E2"><data key="d8">supervises</data><data key="d9">false</data>)",
                   R"(<edge source="EM" target="E2"><data key="d8">supervises</data>)")));
  EXPECT_NE(twice.find("'E2' already has a primary supervising department"), std::string::npos) << twice;
  const auto kind = read_error(write_temp("no_kind.graphml", example_with(R"(<data key="d0">township</data><data key="d1">Xiba</data>)", R"(<data key="d1">Xiba</data>)")));
  EXPECT_NE(kind.find("node 'T2': no kind"), std::string::npos) << kind;
}

TEST(NetworkErrors, EveryTownshipHasExactlyOneOfficeInTownshipOrder) {
  // The engine finds a township's office by the township's index: offices come out in township
  // order (the example lists O2 before O1), one per township; a second is named with the first.
  const NetworkSpec spec = read_network_graphml(data("minimal_networkx.graphml"));
  ASSERT_EQ(spec.departments.size(), static_cast<std::size_t>(kCountyDepartmentKinds) + 2);
  EXPECT_EQ(spec.departments[kCountyDepartmentKinds].township, 0u);
  EXPECT_EQ(spec.department_labels[kCountyDepartmentKinds].id, "O1");
  EXPECT_EQ(spec.departments[kCountyDepartmentKinds + 1].township, 1u);
  EXPECT_EQ(spec.department_labels[kCountyDepartmentKinds + 1].id, "O2");
  const auto missing = read_error(write_temp("no_office.graphml",
      example_with(R"(<edge source="O2" target="T2"><data key="d8">reports_to</data></edge>)", "")));
  EXPECT_NE(missing.find("node 'O2': a township_office needs a reports_to edge"), std::string::npos) << missing;
  const auto none = read_error(write_temp("none.graphml", example_with(
      R"(<edge source="O2" target="T2"><data key="d8">reports_to</data></edge>)",
      R"(<edge source="O2" target="T1"><data key="d8">reports_to</data></edge>)")));
  EXPECT_NE(none.find("node 'O1': a second township_office of township 'T1' (the first is 'O2')"), std::string::npos) << none;
  std::string text = example_with(R"(<edge source="O2" target="T2"><data key="d8">reports_to</data></edge>)", "");
  const std::string node = R"(<node id="O2"><data key="d0">department</data><data key="d2">township_office</data><data key="d3">0</data></node>)";
  text.erase(text.find(node), node.size());
  const auto absent = read_error(write_temp("absent.graphml", text));
  EXPECT_NE(absent.find("township 'T2' has no township_office"), std::string::npos) << absent;
}
