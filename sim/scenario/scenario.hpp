#pragma once
// Scenario files: YAML that sets parameters, may inherit a base file with `extends:`, and can be
// overridden with key=value assignments. Every error names the place (file:line:column or
// --set) and says what was expected.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/params.hpp"

namespace anjian {

class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Scenario {
  Params params;
  std::string name;         // from `name:`, else the file stem
  std::string description;  // from `description:`
  std::string path;         // the file it was loaded from ("" when built in code)
  std::string network;      // from `network:`, a GraphML county, as a path ("" = generate)
};

// Loads a scenario file and its `extends:` chain; validates every key and value.
Scenario load_scenario(const std::string& path);
// Applies "key=value" (value in YAML syntax, e.g. 0.5, 12, true). Throws ScenarioError.
void apply_assignment(Scenario& scenario, std::string_view assignment);
// Sets one parameter from a YAML scalar, checking type and range; `where` prefixes errors.
void set_param(Params& params, std::string_view key, std::string_view text, const std::string& where);
// Checks relations between parameters that no single range can express.
void validate_params(const Params& params);
// Every parameter with its resolved value, as nested YAML (loadable again).
std::string to_yaml(const Scenario& scenario);
// The closest known keys to an unknown one, best first (empty when nothing is close).
std::vector<std::string> suggest_keys(std::string_view key);

}  // namespace anjian
