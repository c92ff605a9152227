#pragma once
// `anjian compare BASE.yaml ALT.yaml...`: runs the scenarios with common random numbers and
// prints, per outcome, the baseline's mean, each alternative's mean and the paired difference
// with its 95% confidence interval, then costs and cost per death averted.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run/compare.hpp"

namespace anjian::cli {

struct CompareArgs {
  std::vector<std::string> paths;  // baseline first
  std::vector<std::string> sets;   // applied to every scenario
  std::int64_t replicates = 0;     // 0 = the baseline's run.replicates
  double years = 0;                // 0 = the baseline's time.years
  double burn_in_years = -1;       // < 0 = the baseline's time.burn_in_years
  std::int64_t seed = -1;          // < 0 = the baseline's run.seed
  std::string output;
  std::string plot;
  std::string format = "table";
  std::vector<std::string> outcomes;  // keys of outcomes.def to print; empty = all
  int threads = 0;
  bool quiet = false;
};

CLI::App* add_compare_command(CLI::App& app, CompareArgs& args);
int compare_command(const CompareArgs& args);

// The comparison as `anjian compare --format json` prints it (without "output"): per outcome the
// means, paired differences with intervals, then cost per death averted. `outcomes` selects rows
// by key (empty = all). `anjian serve` answers runs with the same document.
nlohmann::json comparison_json(const Comparison& c, const std::vector<std::string>& outcomes = {});

}  // namespace anjian::cli
