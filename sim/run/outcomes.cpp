#include "run/outcomes.hpp"

#include <limits>
#include <numeric>

namespace anjian {

double OutcomeInput::years() const {
  const auto steps = static_cast<double>(replicate.series.front().size());
  return steps * static_cast<double>(params.time.step_days) / 365.0;
}

double OutcomeInput::total(Metric metric) const {
  const auto& series = replicate.series[static_cast<int>(metric)];
  return std::accumulate(series.begin(), series.end(), 0.0);
}

double OutcomeInput::per_year(Metric metric) const { return total(metric) / years(); }

double OutcomeInput::mean(Metric metric) const {
  return total(metric) / static_cast<double>(replicate.series[static_cast<int>(metric)].size());
}

double OutcomeInput::end(Metric metric) const { return replicate.series[static_cast<int>(metric)].back(); }

double OutcomeInput::ratio(Metric numerator, Metric denominator) const {
  const double below = total(denominator);
  return below != 0 ? total(numerator) / below : std::numeric_limits<double>::quiet_NaN();
}

double OutcomeInput::grid_members() const {
  return static_cast<double>(params.grid.members_per_township) *
         static_cast<double>(replicate.final_world.townships.size());
}

const OutcomeSpec& outcome_spec(Outcome outcome) {
  static constexpr OutcomeSpec specs[] = {
#define ANJIAN_OUTCOME(key, label, unit, meaning, value) \
  {#key, label, unit, meaning, [](const OutcomeInput& in) -> double { return value; }},
#include "run/outcomes.def"
#undef ANJIAN_OUTCOME
  };
  return specs[static_cast<int>(outcome)];
}

std::vector<double> outcome_values(const ReplicateResult& replicate, const Params& params) {
  const OutcomeInput in{replicate, params};
  std::vector<double> values(kOutcomeCount);
  for (int o = 0; o < kOutcomeCount; ++o) values[o] = outcome_spec(o).value(in);
  return values;
}

}  // namespace anjian
