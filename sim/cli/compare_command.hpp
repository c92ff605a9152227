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
#include "cli/common.hpp"
#include "cli/memory_guard.hpp"

namespace anjian::cli {

struct CompareArgs {
  std::vector<std::string> paths;  // baseline first
  std::vector<std::string> sets;   // applied to every scenario
  std::vector<std::string> schedules;  // --schedule: dated changes added to every scenario
  RunOverrides overrides;          // of the baseline's replicates, years, burn-in and seed
  std::string output;
  std::string plot;
  std::string posterior;  // a posterior CSV of anjian.calibrate: replicate k runs parameter draw k
  std::string format = "table";
  std::vector<std::string> outcomes;  // keys of outcomes.def to print; empty = all
  int threads = 0;
  double memory_limit_mib = kMachineMemoryLimit;
  bool quiet = false;
};

CLI::App* add_compare_command(CLI::App& app, CompareArgs& args);
int compare_command(const CompareArgs& args);

// The comparison as `anjian compare --format json` prints it (without "output"): per outcome the
// means, paired differences with intervals, then cost per death averted. `outcomes` selects rows
// by key (empty = all). `anjian serve` answers runs with the same document.
nlohmann::json comparison_json(const Comparison& c, const std::vector<std::string>& outcomes = {});

}  // namespace anjian::cli
