#pragma once
// What `anjian serve` knows of the model, without HTTP: the scenario library it offers (counties
// and the five reforms), the lever table, a request turned into a checked pair of scenarios
// (status quo and policy, common random numbers), the budget meter, and a finished run as JSON.
// Every lever from a request goes through the scenario validator (set_param, validate_params).

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "run/simulation.hpp"
#include "scenario/scenario.hpp"

namespace anjian::serve {

// A request the server refuses with 400; the message names the field and the fix.
class BadRequest : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Caps per request: what one comparison of a county may cost, so that it answers in seconds.
struct Limits {
  std::int64_t max_replicates = 8;
  double max_years = 5;
  std::int64_t max_enterprises = 4000;
  std::int64_t default_replicates = 8;
  double default_years = 3;
  double burn_in_years = 4;  // the county baseline's: recorded years start with the county at rest (docs/ODD.md)
  std::size_t max_body_bytes = 64 * 1024;
  int queue_length = 8;  // runs waiting or running; one more is a 429
};

// The scenarios the trainer offers: counties (county_baseline and problem_*) to choose from, and
// reforms (reform_*) whose levers are the keys they set differently from the baseline.
struct Library {
  std::vector<Scenario> counties;  // county_baseline first
  std::vector<Scenario> reforms;

  const Scenario* county(const std::string& name) const;
};

// Reads `dir`/county_baseline.yaml, problem_*.yaml and reform_*.yaml (ScenarioError if one is bad).
Library load_library(const std::filesystem::path& dir);

// Every lever a request may set: key, type, unit, default, range, choices, meaning.
nlohmann::json levers_json(const Limits& limits);
// Counties and reforms, each with the levers it changes from the baseline and their values.
nlohmann::json library_json(const Library& library);

// A run request: {"county": NAME, "levers": {KEY: VALUE...}, "replicates": N, "years": Y}.
struct RunPlan {
  Scenario status_quo;  // the county as it is
  Scenario policy;      // the county with the levers
};
RunPlan plan_run(const nlohmann::json& request, const Library& library, const Limits& limits);

// The model's own yearly cost of a policy before it runs (docs/ODD.md, "Costs"): wages of the
// posts, their inspection budget, grid stipends; rewards per confirmed report listed apart.
nlohmann::json budget_json(const Params& params);

// The comparison (as `anjian compare --format json`) plus the yearly series of every outcome
// (mean and 95% interval over replicates) for both scenarios.
nlohmann::json run_result_json(const RunPlan& plan, const std::vector<EnsembleResult>& results);

}  // namespace anjian::serve
