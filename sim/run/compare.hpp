#pragma once
// Comparing scenarios run with common random numbers: per outcome (outcomes.def) the baseline's
// mean, each alternative's mean, the paired mean difference with a 95% confidence interval
// (t distribution over replicates), the unpaired (Welch) interval for reference, and the cost
// per death averted. A pure function of the ensembles; running them is run_ensembles
// (run/simulation.hpp), writing them io/compare_writer.hpp.

#include <cstdint>
#include <string>
#include <vector>

#include "run/outcomes.hpp"
#include "run/simulation.hpp"

namespace anjian {

// A 95% confidence interval; both ends NaN when it cannot be estimated (one replicate).
struct Interval {
  double low;
  double high;
};

// Alternative minus baseline for one outcome.
struct Difference {
  double mean = 0;            // mean over replicates of the paired differences
  double paired_se = 0;       // standard error of that mean (pairs by replicate)
  Interval paired{};          // mean +- t(0.975, n-1) paired_se
  double unpaired_se = 0;     // Welch: as if the two scenarios had independent random numbers
  Interval unpaired{};        // with Welch-Satterthwaite degrees of freedom
};

struct OutcomeRow {
  Outcome outcome;
  double base_mean = 0;
  std::vector<double> alternative_mean;  // per alternative, in scenario order
  std::vector<Difference> difference;    // per alternative
};

// How the cost of an alternative relates to the deaths it averts.
enum class CostVerdict {
  cost_per_death_averted,   // deaths averted clearly positive (CI above 0) and costs clearly more
  saves_money_and_lives,    // deaths averted clearly positive and cost clearly no higher
  no_clear_deaths_averted,  // the CI of deaths averted reaches 0 or below: no ratio is honest
  no_clear_cost_difference  // deaths clearly averted, but the CI of the cost difference spans 0
};
std::string_view cost_verdict_name(CostVerdict verdict);

struct CostEffectiveness {
  Difference cost;            // yuan/year, alternative minus baseline
  Difference deaths_averted;  // true deaths/year, baseline minus alternative
  // cost.mean / deaths_averted.mean, yuan per death averted; NaN unless the verdict is
  // cost_per_death_averted.
  double yuan_per_death_averted = 0;
  CostVerdict verdict = CostVerdict::no_clear_deaths_averted;
};

struct Comparison {
  std::vector<std::string> scenarios;  // [0] is the baseline
  std::int64_t seed = 0;
  std::int64_t replicates = 0;
  double years = 0;                    // recorded period per replicate
  double burn_in_years = 0;
  // values[scenario][outcome][replicate]: every outcome of every replicate.
  std::vector<std::vector<std::vector<double>>> values;
  std::vector<OutcomeRow> rows;                          // one per outcome, outcomes.def order
  std::vector<CostEffectiveness> cost_effectiveness;     // one per alternative
};

struct NamedResult {
  std::string name;
  const EnsembleResult* result;
};

// Compares results[1..] with results[0]. All must come from run_ensembles (or run_ensemble)
// with the same seed, replicate count and recorded period; std::invalid_argument otherwise.
Comparison compare_results(const std::vector<NamedResult>& results);

// Mean difference of paired samples (b - a) with its t interval, and the Welch interval.
Difference difference_of(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace anjian
