// Coordination by the work-safety committee office (docs/ODD.md section 3 step 1, Seed map "weak
// committee-office coordination"): each month it finds some orphan enterprises, registered but
// claimed by no department, and assigns them to the emergency-management bureau.

#include <vector>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "model/phases.hpp"

namespace anjian {

void phase_coordination(World& world, const Params& params, StepContext& ctx) {
  if (!ctx.month_ends) return;
  auto& e = world.enterprises;
  const double p = probability_within(params.coordination.orphan_assignment_rate, 1.0 / 12.0);
  if (p <= 0.0) return;
  // A pass over every enterprise, in blocks (each enterprise its own stream); the assignments
  // join the target lists in enterprise order.
  std::vector<std::vector<std::uint32_t>> assigned(block_count(e.size()));
  for_each_block(e.size(), [&](std::size_t b, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (!e.registered[i] || e.primary_department[i] != kNoDepartment) continue;
      RandomStream rng(ctx.key, Stream::Coordination, i, ctx.step);
      if (!bernoulli(rng, p)) continue;
      e.primary_department[i] = static_cast<std::uint16_t>(DepartmentKind::emergency_management);
      assigned[b].push_back(static_cast<std::uint32_t>(i));
    }
  });
  for (const auto& block : assigned) {
    world.newly_assigned.insert(world.newly_assigned.end(), block.begin(), block.end());
    ctx.tally[Metric::orphans_assigned] += static_cast<double>(block.size());
    world.registry.orphaned -= static_cast<double>(block.size());
  }
}

}  // namespace anjian
