#pragma once
// Statistics over replicates for directional tests: a difference counts only when it exceeds a
// few standard errors of the replicate noise.

#include <cmath>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

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

// Paired by replicate (two arms with common random numbers: same seed, replicate k of each shares
// its streams): the mean of a - b and its standard error, far below the unpaired one.
inline MeanSe paired(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d;
  for (std::size_t k = 0; k < a.size(); ++k) d.push_back(a[k] - b[k]);
  return mean_se(d);
}

// Prints a paired difference with its 95% interval and returns its z.
inline double report_paired(const char* what, const MeanSe& d) {
  const double z = d.mean / d.se;
  std::cout << "[directional] " << what << ": difference " << d.mean << " (paired se " << d.se << "), 95% CI ["
            << d.mean - 1.96 * d.se << ", " << d.mean + 1.96 * d.se << "], z = " << z << "\n";
  return z;
}

// A metric summed over the whole run, per replicate.
inline std::vector<double> run_totals(const EnsembleResult& result, Metric metric) {
  std::vector<double> totals;
  for (const auto& rep : result.replicates) {
    const auto& v = rep.series[static_cast<int>(metric)];
    totals.push_back(std::accumulate(v.begin(), v.end(), 0.0));
  }
  return totals;
}

// Per replicate: the mean of a stock over the last year of the run.
inline std::vector<double> last_year_mean(const EnsembleResult& r, Metric stock) {
  std::vector<double> means;
  for (const auto& rep : r.replicates) {
    const auto& v = rep.series[static_cast<int>(stock)];
    const std::size_t from = v.size() > 365 ? v.size() - 365 : 0;
    means.push_back(std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(from), v.end(), 0.0) /
                    static_cast<double>(v.size() - from));
  }
  return means;
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
