// Inspection planning (MODEL.md section 3, step 4), first form: one department, "double random"
// targeting. Each inspector earns inspection capacity on working days and spends it on
// registered enterprises drawn at random; unregistered enterprises are invisible to planning.

#include <cmath>

#include "core/distributions.hpp"
#include "model/phases.hpp"

namespace anjian {

namespace {
constexpr double kWorkingDaysPerMonth = 21.7;  // 5 of 7 days, 365/12 days a month
}

double working_days_in(std::int64_t first_day, int days) {
  double working = 0;
  for (std::int64_t d = first_day; d < first_day + days; ++d) working += (d % 7) < 5 ? 1.0 : 0.0;
  return working;
}

void phase_inspection_planning(World& world, const Params& params, StepContext& ctx) {
  ctx.visits.clear();
  const auto& targets = world.registered_ids;
  auto& in = world.inspectors;
  const double per_working_day = params.inspectors.inspections_per_month / kWorkingDaysPerMonth;
  const double earned = per_working_day * working_days_in(ctx.first_day, ctx.days);
  // Sequential on purpose: a county has tens of inspectors; the visits list order is the
  // inspector order, which keeps it independent of threads.
  for (std::uint32_t i = 0; i < in.size(); ++i) {
    in.capacity_credit[i] += earned;
    const double whole = std::floor(in.capacity_credit[i]);
    in.capacity_credit[i] -= whole;
    if (targets.empty()) continue;
    RandomStream rng(ctx.key, Stream::Planning, i, ctx.step);
    for (std::int64_t k = 0; k < static_cast<std::int64_t>(whole); ++k) {
      ctx.visits.push_back({i, targets[uniform_index(rng, targets.size())]});
    }
  }
}

}  // namespace anjian
