// The scenario library (scenarios/): every file loads and runs; each reform changes only the
// levers that docs/ODD.md's Seed map gives its recommendation (R1-R5), reform_all is their
// union with the same values, and each problem scenario changes only Seed-map levers.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <regex>
#include <set>

#include "model/network.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"

using namespace anjian;
namespace fs = std::filesystem;

namespace {

const std::string kScenarios = std::string(ANJIAN_SOURCE_DIR) + "/scenarios/";

Scenario library(const std::string& name) { return load_scenario(kScenarios + name + ".yaml"); }

// Lever keys of each Seed-map row of docs/ODD.md, by the row's first cell.
std::map<std::string, std::set<std::string>> seed_map_levers() {
  std::ifstream odd(std::string(ANJIAN_SOURCE_DIR) + "/docs/ODD.md");
  std::map<std::string, std::set<std::string>> rows;
  const std::regex key("`([a-z_]+\\.[a-z_.]+)`");
  bool in_seed_map = false;
  for (std::string line; std::getline(odd, line);) {
    if (line.rfind("## ", 0) == 0) in_seed_map = line == "## Seed map";
    if (!in_seed_map || line.rfind("| ", 0) != 0) continue;
    const std::string row = line.substr(2, line.find(" |") - 2);
    const std::string levers = line.substr(line.rfind(" | "));
    for (std::sregex_iterator it(levers.begin(), levers.end(), key), end; it != end; ++it) rows[row].insert((*it)[1]);
  }
  return rows;
}

std::set<std::string> levers_of(const std::string& row_prefix) {
  std::set<std::string> keys;
  for (const auto& [row, levers] : seed_map_levers())
    if (row.rfind(row_prefix, 0) == 0) keys.insert(levers.begin(), levers.end());
  return keys;
}

// Parameter keys whose resolved values differ.
std::map<std::string, double> changed_keys(const Params& base, const Params& other) {
  std::map<std::string, double> changed;
  for (const auto& spec : param_specs())
    if (spec.get(base) != spec.get(other)) changed[spec.key] = spec.get(other);
  return changed;
}

const std::map<std::string, std::string> kReforms = {
    {"reform_professional_team", "R1 "}, {"reform_system_mechanism", "R2 "}, {"reform_assessment", "R3 "},
    {"reform_integration", "R4 "},       {"reform_social_environment", "R5 "}};

}  // namespace

TEST(ScenarioLibrary, TheSeedMapNamesLeversOfEveryRecommendation) {
  for (const auto& [file, row] : kReforms) EXPECT_GE(levers_of(row).size(), 3u) << row;
}

TEST(ScenarioLibrary, EachReformChangesOnlyItsOwnLevers) {
  const Params base = library("county_baseline").params;
  for (const auto& [file, row] : kReforms) {
    const auto changed = changed_keys(base, library(file).params);
    EXPECT_FALSE(changed.empty()) << file << " changes nothing";
    const auto allowed = levers_of(row);
    for (const auto& [key, value] : changed)
      EXPECT_TRUE(allowed.count(key)) << file << " changes " << key << ", not a lever of Seed-map row " << row;
  }
}

TEST(ScenarioLibrary, ReformAllIsTheUnionOfTheReformsWithTheirValues) {
  const Params base = library("county_baseline").params;
  std::map<std::string, double> union_of_reforms;
  for (const auto& [file, row] : kReforms) {
    for (const auto& [key, value] : changed_keys(base, library(file).params)) {
      ASSERT_FALSE(union_of_reforms.count(key) && union_of_reforms[key] != value) << key << " differs between reforms";
      union_of_reforms[key] = value;
    }
  }
  EXPECT_EQ(changed_keys(base, library("reform_all").params), union_of_reforms);
}

TEST(ScenarioLibrary, ProblemScenariosChangeOnlySeedMapLevers) {
  std::set<std::string> problem_levers;
  for (const auto& [row, levers] : seed_map_levers())
    if (!(row.size() > 1 && row[0] == 'R' && std::isdigit(static_cast<unsigned char>(row[1]))))
      problem_levers.insert(levers.begin(), levers.end());
  const Params base = library("county_baseline").params;
  int problems = 0;
  for (const auto& entry : fs::directory_iterator(kScenarios)) {
    const std::string stem = entry.path().stem().string();
    if (stem.rfind("problem_", 0) != 0) continue;
    ++problems;
    const auto changed = changed_keys(base, load_scenario(entry.path().string()).params);
    EXPECT_FALSE(changed.empty()) << stem;
    for (const auto& [key, value] : changed) EXPECT_TRUE(problem_levers.count(key)) << stem << " changes " << key;
  }
  EXPECT_GE(problems, 2);
}

TEST(ScenarioLibrary, EveryScenarioLoadsAndRunsAMonth) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kScenarios)) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    Scenario s = load_scenario(entry.path().string());
    // Small and short: this checks that every lever combination runs, not its effect.
    for (const char* assignment : {"run.replicates=1", "time.years=0.08", "time.burn_in_years=0", "enterprises.count=600"})
      apply_assignment(s, assignment);
    std::optional<NetworkSpec> network;
    if (!s.network.empty()) network = read_network_graphml(s.network);
    const EnsembleResult r = run_ensemble(s.params, RunOptions{0, nullptr, nullptr, network ? &*network : nullptr});
    const auto& inspections = r.replicates[0].series[static_cast<int>(Metric::inspections)];
    EXPECT_GT(std::accumulate(inspections.begin(), inspections.end(), 0.0), 0.0) << s.name;
  }
  EXPECT_GE(files, 12);
}
