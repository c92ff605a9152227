#include "run/outcomes.hpp"

#include "scenario/schedule.hpp"

#include <algorithm>
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

double OutcomeInput::cost() const {
  const auto& p = params;
  const double budget = per_year(Metric::budget_spent);
  const double townships = static_cast<double>(replicate.final_world.townships.size());
  const auto scheduled = [&](std::string_view key) {
    return std::any_of(p.schedule.begin(), p.schedule.end(), [&](const ScheduledChange& c) { return c.key == key; });
  };
  if (!scheduled("departments.salary_per_post") && !scheduled("hotline.reward") &&
      !scheduled("grid.members_per_township") && !scheduled("grid.cost_per_member")) {
    return mean(Metric::inspectors_active) * p.departments.salary_per_post + budget +
           per_year(Metric::reports_handled) * p.hotline.reward + grid_members() * p.grid.cost_per_member;
  }
  // Step by step, with the rates each recorded step ran under.
  const auto& active = replicate.series[static_cast<int>(Metric::inspectors_active)];
  const auto& handled = replicate.series[static_cast<int>(Metric::reports_handled)];
  const std::int64_t burn_in = p.burn_in_step_count();
  double wages = 0, rewards = 0, grid = 0;
  for (std::size_t r = 0; r < active.size(); ++r) {
    const auto step = burn_in + static_cast<std::int64_t>(r);
    wages += active[r] * value_at_step(p, "departments.salary_per_post", step);
    rewards += handled[r] * value_at_step(p, "hotline.reward", step);
    grid += value_at_step(p, "grid.members_per_township", step) * townships * value_at_step(p, "grid.cost_per_member", step);
  }
  const auto steps = static_cast<double>(active.size());
  return wages / steps + budget + rewards / years() + grid / steps;
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
