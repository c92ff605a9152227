#pragma once
// A posterior over parameters (a weighted sample, as `anjian.calibrate` writes it) carried into a
// comparison: replicate k of every scenario runs with parameter draw k, so the intervals of
// `anjian compare --posterior FILE` hold parameter uncertainty as well as chance
// (docs/calibration.md). The draws are a weighted resample of the file's rows with a fixed seed:
// the same file, seed and replicates give the same draws, in the program and in Python.

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace anjian {

struct Posterior {
  std::string path;
  std::vector<std::string> keys;           // parameter keys (columns other than weight and the ones starting '_')
  std::vector<std::vector<double>> rows;   // rows[i][j]: value of keys[j] in parameter set i
  std::vector<double> weights;             // one per row, >= 0, not all 0
};

// Reads a posterior CSV: a header `weight,KEY,KEY...` (columns whose name starts with '_' such as
// `_distance` are ignored), then one parameter set per line. ScenarioError naming file:line and
// the fix for a missing file, an unknown key, a non-number or a negative weight.
Posterior read_posterior(const std::string& path);

// `count` row indices drawn with replacement in proportion to the weights (systematic
// resampling, its one uniform from `seed`): deterministic, and spread over the rows more evenly
// than independent draws.
std::vector<std::size_t> resample_posterior(const std::vector<double>& weights, std::size_t count, std::uint64_t seed);

// The parameters of each replicate of `scenario`: its own, with the posterior's keys set to draw
// k (values checked like a scenario's; integers rounded). A key whose value in `scenario`
// differs from `baseline`'s keeps the scenario's own value (the scenario sets it as a policy) and
// is named in `kept`.
std::vector<Params> posterior_params(const Params& scenario, const Params& baseline, const Posterior& posterior,
                                     const std::vector<std::size_t>& draws, std::vector<std::string>* kept = nullptr);

}  // namespace anjian
