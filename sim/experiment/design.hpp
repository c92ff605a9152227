#pragma once
// Experiment designs: a YAML file that names a base scenario, the uncertain factors and how to
// sample them, the policies every design point runs under, replicates, seed and outcomes
// (docs/experiments.md). Loading validates every key like a scenario (file:line:column, the key,
// what was expected) and expands the design into its runs; nothing runs here.

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace anjian {

enum class SamplingMethod { grid, lhs, sobol, morris, list };

// One uncertain parameter: a range [lower, upper] sampled by the method, or explicit levels
// (grid only). Integer parameters take the nearest whole number of a sampled value.
struct Factor {
  std::string key;
  double lower = 0;
  double upper = 0;
  std::vector<double> levels;  // grid: the values to cross; empty = `design.levels` steps of the range
};

// A policy (lever setting) that every design point runs under: its own scenario and overrides.
struct Policy {
  std::string name;
  Scenario scenario;  // the base (or the policy's own file) with the design's and the policy's `set`
  std::vector<std::string> sets;  // the policy's own overrides, key=value, for the record
};

struct Design {
  std::string name;
  std::string path;   // the design file
  std::string text;   // its contents, kept in the result file's /meta
  SamplingMethod method = SamplingMethod::lhs;
  std::int64_t samples = 0;       // lhs: points; sobol: base samples N; morris: trajectories
  std::int64_t levels = 4;        // grid: steps per ranged factor; morris: grid levels p
  std::int64_t replicates = 1;
  std::int64_t seed = 1;
  std::vector<Factor> factors;
  std::vector<Policy> policies;   // never empty: one policy `base` when the file names none
  std::vector<int> outcomes;      // indices into outcomes.def, in file order (default: all)
  std::vector<int> series;        // metrics whose full series are kept (default: none)
  // The design matrix, points x factors, in the factors' own units (row-major).
  std::vector<double> points;

  std::size_t point_count() const { return factors.empty() ? 0 : points.size() / factors.size(); }
  std::size_t run_count() const { return point_count() * policies.size() * static_cast<std::size_t>(replicates); }
};

// One run of a design: design point i under policy p, replicate r; its index orders the runs
// (point, then policy, then replicate) in the result file.
struct RunIndex {
  std::size_t point;
  std::size_t policy;
  std::size_t replicate;
};
RunIndex run_index(const Design& design, std::size_t run);

// Loads and validates a design file; throws ScenarioError with file:line:column on bad input.
// `sets` are extra key=value overrides of the base scenario (the command's --set).
Design load_design(const std::string& path, const std::vector<std::string>& sets = {});

// The parameters of one run: the policy's scenario with the point's factor values.
Params run_params(const Design& design, std::size_t point, std::size_t policy);

std::string_view method_name(SamplingMethod method);

// The design matrix in the unit cube [0, 1]^k, points x factors, for methods that sample it
// (lhs, sobol as Saltelli's A, AB_1..AB_k, B per base sample, morris trajectories). Exposed for
// tests; load_design scales it to the factors' ranges.
std::vector<double> unit_design(SamplingMethod method, std::size_t factors, std::int64_t samples,
                                std::int64_t levels, std::int64_t seed);

}  // namespace anjian
