// Coordination by the work-safety committee office (MODEL.md section 3 step 1, Seed map "weak
// committee-office coordination"): each month it finds some orphan enterprises, registered but
// claimed by no department, and assigns them to the emergency-management bureau.

#include "core/distributions.hpp"
#include "model/phases.hpp"

namespace anjian {

void phase_coordination(World& world, const Params& params, StepContext& ctx) {
  if (!ctx.month_ends) return;
  auto& e = world.enterprises;
  const double p = probability_within(params.coordination.orphan_assignment_rate, 1.0 / 12.0);
  if (p <= 0.0) return;
  for (std::uint32_t i = 0; i < e.size(); ++i) {
    if (!e.registered[i] || e.primary_department[i] != kNoDepartment) continue;
    RandomStream rng(ctx.key, Stream::Coordination, i, ctx.step);
    if (!bernoulli(rng, p)) continue;
    e.primary_department[i] = static_cast<std::uint16_t>(DepartmentKind::emergency_management);
    ctx.tally[Metric::orphans_assigned] += 1;
    world.newly_assigned.push_back(i);
    world.registry.orphaned -= 1;
  }
}

}  // namespace anjian
