#pragma once
// Outcomes of a run that a comparison reports, declared once in outcomes.def: one number per
// replicate (a yearly rate, a share, a mean or an end stock over the recorded period).

#include <string_view>
#include <vector>

#include "model/metrics.hpp"
#include "run/simulation.hpp"

namespace anjian {

// What an outcome's expression in outcomes.def sees: one replicate's recorded series.
struct OutcomeInput {
  const ReplicateResult& replicate;
  const Params& params;

  double years() const;                       // length of the recorded period
  double total(Metric metric) const;          // sum over the recorded steps
  double per_year(Metric metric) const;       // total / years
  double mean(Metric metric) const;           // mean of a stock over the recorded steps
  double end(Metric metric) const;            // a stock at the last recorded step
  double ratio(Metric numerator, Metric denominator) const;  // total / total (NaN if 0/0)
  double grid_members() const;                // grid members in the county
  // Wages of filled posts + inspection budget spent + rewards for confirmed reports + grid
  // stipends, per year, at the rates in effect step by step (a schedule may change them).
  double cost() const;
};

enum class Outcome : int {
#define ANJIAN_OUTCOME(key, label, unit, meaning, value) key,
#include "run/outcomes.def"
#undef ANJIAN_OUTCOME
};

inline constexpr int kOutcomeCount = 0
#define ANJIAN_OUTCOME(key, label, unit, meaning, value) +1
#include "run/outcomes.def"
#undef ANJIAN_OUTCOME
    ;

struct OutcomeSpec {
  std::string_view key;
  std::string_view label;    // short, for tables and plots
  std::string_view unit;
  std::string_view meaning;  // how it is computed, for docs and file attributes
  double (*value)(const OutcomeInput& in);
};

const OutcomeSpec& outcome_spec(Outcome outcome);
inline const OutcomeSpec& outcome_spec(int outcome) { return outcome_spec(static_cast<Outcome>(outcome)); }

// Every outcome of one replicate, in outcomes.def order.
std::vector<double> outcome_values(const ReplicateResult& replicate, const Params& params);

}  // namespace anjian
