// Scenario files and parameters: declared once, loaded with inheritance and overrides, and
// every kind of bad input refused with a message that names the place and the key.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "scenario/params.hpp"
#include "scenario/scenario.hpp"

using namespace anjian;

namespace {

std::string data(const std::string& name) { return std::string(ANJIAN_TEST_DATA_DIR) + "/scenarios/" + name; }

// The message of the ScenarioError that loading `file` raises.
std::string load_error(const std::string& file) {
  try {
    load_scenario(data(file));
  } catch (const ScenarioError& e) {
    return e.what();
  }
  ADD_FAILURE() << file << " loaded without error";
  return {};
}

}  // namespace

TEST(Params, EveryKeyIsUniqueAndDefaultsAreInRange) {
  std::set<std::string> keys;
  for (const auto& spec : param_specs()) {
    EXPECT_TRUE(keys.insert(spec.key).second) << spec.key;
    EXPECT_GE(spec.default_value, spec.min) << spec.key;
    EXPECT_LE(spec.default_value, spec.max) << spec.key;
    EXPECT_FALSE(spec.unit.empty()) << spec.key;
    EXPECT_FALSE(spec.meaning.empty()) << spec.key;
  }
  EXPECT_TRUE(keys.count("departments.emergency_management_staff"));
  EXPECT_TRUE(keys.count("sectors.mining.death_tail"));
}

TEST(Params, AccessorsReadAndWriteTheirOwnField) {
  Params params;
  for (const auto& spec : param_specs()) {
    EXPECT_EQ(spec.get(params), spec.default_value) << spec.key;
  }
  find_param("departments.emergency_management_staff")->set(params, 17);
  find_param("sectors.trade.share")->set(params, 0.25);
  EXPECT_EQ(params.departments.emergency_management_staff, 17);
  EXPECT_EQ(params.sectors[static_cast<int>(Sector::trade)].share, 0.25);
  EXPECT_EQ(params.sectors[static_cast<int>(Sector::mining)].share, Params{}.sectors[static_cast<int>(Sector::mining)].share);
}

TEST(Scenario, ExtendsInheritsAndOverrides) {
  const Scenario child = load_scenario(data("child.yaml"));
  EXPECT_EQ(child.name, "child");
  EXPECT_EQ(child.params.departments.emergency_management_staff, 9);        // overridden
  EXPECT_EQ(child.params.enterprises.count, 400);     // inherited from tiny.yaml
  EXPECT_EQ(child.params.hazards.removal_base, Params{}.hazards.removal_base);  // default
}

TEST(Scenario, SetOverridesWithValidation) {
  Scenario s = load_scenario(data("tiny.yaml"));
  apply_assignment(s, "departments.emergency_management_staff=30");
  apply_assignment(s, " sectors.mining.share = 0.5 ");
  apply_assignment(s, "output.agents=false");
  EXPECT_EQ(s.params.departments.emergency_management_staff, 30);
  EXPECT_EQ(s.params.sectors[static_cast<int>(Sector::mining)].share, 0.5);
  EXPECT_FALSE(s.params.output.agents);
  EXPECT_THROW(apply_assignment(s, "departments.emergency_management_staff"), ScenarioError);
  EXPECT_THROW(apply_assignment(s, "=3"), ScenarioError);
  EXPECT_THROW(apply_assignment(s, "departments.emergency_management_staff=-1"), ScenarioError);
  EXPECT_THROW(apply_assignment(s, "output.agents=maybe"), ScenarioError);
}

TEST(Scenario, ResolvedYamlLoadsBackToTheSameParameters) {
  Scenario s = load_scenario(data("child.yaml"));
  apply_assignment(s, "enterprises.safety_quality_mean=0.123456789");
  const std::string text = to_yaml(s);
  const std::string path = ::testing::TempDir() + "/resolved.yaml";
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs(text.c_str(), f);
  std::fclose(f);
  const Scenario again = load_scenario(path);
  for (const auto& spec : param_specs()) {
    EXPECT_EQ(spec.get(again.params), spec.get(s.params)) << spec.key;
  }
  EXPECT_EQ(to_yaml(again), text);
}

TEST(ScenarioErrors, UnknownKeySuggestsTheRightOne) {
  const auto message = load_error("bad_unknown_key.yaml");
  EXPECT_NE(message.find("bad_unknown_key.yaml:3:3"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown parameter 'departments.emergency_managment_staff'"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'departments.emergency_management_staff'"), std::string::npos) << message;
}

TEST(ScenarioErrors, ARenamedKeyNamesWhatReplacedIt) {
  Params p;
  try {
    set_param(p, "inspectors.blame_weight", "3", "--set inspectors.blame_weight=3");
    FAIL() << "a retired key was accepted";
  } catch (const ScenarioError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'inspectors.blame_weight' was replaced by inspectors.blame_aversion"), std::string::npos)
        << message;
  }
}

TEST(ScenarioErrors, AMappingAsAKeyIsRefused) {
  // A regression input of the scenario fuzz target: yaml-cpp's bad conversion escaped the loader.
  const auto message = load_error("../fuzz/fuzz_scenario/complex_key.yaml");
  EXPECT_NE(message.find("complex_key.yaml:5:"), std::string::npos) << message;
  EXPECT_NE(message.find("a key must be a name, found a mapping"), std::string::npos) << message;
}

TEST(ScenarioErrors, TheLaddersRetiredKeysNameTheirReplacements) {
  const std::pair<const char*, const char*> retired[] = {
      {"enforcement.major_finding_hazards", "enforcement.major_hazard_share"},
      {"concealment.media_weight", "concealment.discovery_weight"},
      {"enforcement.rectification_rate", "enterprises.compliance_noise"}};
  for (const auto& [old_key, new_key] : retired) {
    Params p;
    try {
      set_param(p, old_key, "3", std::string("--set ") + old_key + "=3");
      ADD_FAILURE() << old_key << ": a retired key was accepted";
    } catch (const ScenarioError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(std::string("'") + old_key + "' was replaced by " + new_key), std::string::npos)
          << message;
    }
  }
}

TEST(ScenarioErrors, WrongTypeNamesKeyAndExpectation) {
  const auto message = load_error("bad_type.yaml");
  EXPECT_NE(message.find("bad_type.yaml:3:10"), std::string::npos) << message;
  EXPECT_NE(message.find("time.years: expected real"), std::string::npos) << message;
  EXPECT_NE(message.find("found 'ten'"), std::string::npos) << message;
}

TEST(ScenarioErrors, NonWholeIntegerIsRefused) {
  const auto message = load_error("bad_integer.yaml");
  EXPECT_NE(message.find("departments.emergency_management_staff: expected integer"), std::string::npos) << message;
  EXPECT_NE(message.find("not a whole number"), std::string::npos) << message;
}

TEST(ScenarioErrors, OutOfRangeShowsTheRange) {
  const auto message = load_error("bad_range.yaml");
  EXPECT_NE(message.find("enterprises.unregistered_share: expected real in [0.0, 1.0]"), std::string::npos) << message;
  EXPECT_NE(message.find("out of range"), std::string::npos) << message;
}

TEST(ScenarioErrors, SyntaxErrorHasLineAndColumn) {
  const auto message = load_error("bad_syntax.yaml");
  EXPECT_NE(message.find("bad_syntax.yaml:4:"), std::string::npos) << message;
  EXPECT_NE(message.find("YAML syntax error"), std::string::npos) << message;
}

TEST(ScenarioErrors, MissingBaseIsNamed) {
  const auto message = load_error("bad_missing_extends.yaml");
  EXPECT_NE(message.find("no_such_base.yaml"), std::string::npos) << message;
  EXPECT_NE(message.find("no such file"), std::string::npos) << message;
}

TEST(ScenarioErrors, CyclicExtendsIsNamed) {
  const auto message = load_error("bad_cycle_a.yaml");
  EXPECT_NE(message.find("cycle"), std::string::npos) << message;
  EXPECT_NE(message.find("bad_cycle_b.yaml"), std::string::npos) << message;
}

TEST(ScenarioErrors, EmptyFileIsRefused) {
  EXPECT_NE(load_error("bad_empty.yaml").find("empty"), std::string::npos);
}

TEST(ScenarioErrors, MissingFileIsRefused) {
  EXPECT_NE(load_error("does_not_exist.yaml").find("no such file"), std::string::npos);
}

// A name longer than the file system allows makes std::filesystem throw; the loader answers it
// as any other missing file, naming the key and the reason (the fuzzer found the bare throw).
TEST(ScenarioErrors, ANameTooLongIsBadInputNotACrash) {
  const std::string too_long(300, 'x');
  const std::string path = ::testing::TempDir() + "/long_names.yaml";
  for (const std::string key : {"extends", "network"}) {
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs((key + ": " + too_long + ".yaml\n").c_str(), f);
    std::fclose(f);
    try {
      (void)load_scenario(path);
      ADD_FAILURE() << key << ": a name too long was accepted";
    } catch (const ScenarioError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("`" + key + ": "), std::string::npos) << message;
      EXPECT_NE(message.find("too long"), std::string::npos) << message;
    }
  }
  try {
    (void)load_scenario(::testing::TempDir() + "/" + too_long + ".yaml");
    ADD_FAILURE() << "a scenario path too long was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("too long"), std::string::npos) << e.what();
  }
}

TEST(ScenarioErrors, SeverityShareAboveOneIsRefused) {
  const auto message = load_error("bad_shares.yaml");
  EXPECT_NE(message.find("sectors.mining.p_minor"), std::string::npos) << message;
}

TEST(ScenarioErrors, AFileReportsAllItsMistakesAtOnce) {
  const std::string message = load_error("bad_many.yaml");
  EXPECT_NE(message.find("4 errors:"), std::string::npos) << message;
  EXPECT_NE(message.find("emergency_management_staff: expected integer, found the quoted text \"16\"; write it without quotes"),
            std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'departments.construction_staff'"), std::string::npos) << message;
  EXPECT_NE(message.find("information_sharing: expected boolean"), std::string::npos) << message;
  EXPECT_NE(message.find("(write true or false)"), std::string::npos) << message;
  EXPECT_NE(message.find("time.years"), std::string::npos) << message;
  EXPECT_NE(message.find("bad_many.yaml:4:"), std::string::npos) << message;  // each with its line
}
