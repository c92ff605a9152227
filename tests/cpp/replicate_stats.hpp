#pragma once
// Statistics over replicates for directional tests: a difference counts only when it exceeds a
// few standard errors of the replicate noise.

#include <cmath>
#include <numeric>
#include <vector>

#include <string>

#include "run/simulation.hpp"
#include "scenario/scenario.hpp"

namespace anjian::testing {

struct MeanSe {
  double mean = 0;
  double se = 0;  // standard error of the mean
};

inline MeanSe mean_se(const std::vector<double>& xs) {
  const auto n = static_cast<double>(xs.size());
  const double mean = std::accumulate(xs.begin(), xs.end(), 0.0) / n;
  double ss = 0;
  for (double x : xs) ss += (x - mean) * (x - mean);
  return {mean, xs.size() > 1 ? std::sqrt(ss / (n - 1) / n) : 0.0};
}

// How many standard errors of the difference separate a above b.
inline double z_above(const MeanSe& a, const MeanSe& b) { return (a.mean - b.mean) / std::hypot(a.se, b.se); }

// A metric summed over the whole run, per replicate.
inline std::vector<double> run_totals(const EnsembleResult& result, Metric metric) {
  std::vector<double> totals;
  for (const auto& rep : result.replicates) {
    const auto& v = rep.series[static_cast<int>(metric)];
    totals.push_back(std::accumulate(v.begin(), v.end(), 0.0));
  }
  return totals;
}

// The small test county (tests/data/scenarios/tiny.yaml) with key=value overrides, in order.
inline Scenario tiny_scenario(const std::vector<std::string>& overrides = {}) {
  Scenario s = load_scenario(std::string(ANJIAN_TEST_DATA_DIR) + "/scenarios/tiny.yaml");
  for (const auto& assignment : overrides) apply_assignment(s, assignment);
  return s;
}

inline EnsembleResult run_tiny(const std::vector<std::string>& overrides) {
  return run_ensemble(tiny_scenario(overrides).params);
}

}  // namespace anjian::testing
