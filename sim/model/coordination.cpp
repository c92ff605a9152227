// Coordination by the work-safety committee office (docs/ODD.md section 3 step 1, Seed map "weak
// committee-office coordination"): each month it finds some orphan enterprises, registered but
// claimed by no department, and assigns them to the emergency-management bureau. Each year the
// office, seated in the bureau, assesses the industry departments' inspections (comprehensive
// supervision, 综合监管; Seed map "comprehensive supervision poorly positioned").

#include "model/coordination.hpp"

#include <vector>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "model/phases.hpp"

namespace anjian {

double supervised_attention(double attention, double own, bool below_norm, double strength) {
  const double goal = below_norm ? 1.0 : own;
  return attention + strength * (goal - attention);
}

namespace {

bool is_industry_department(DepartmentKind kind) {
  return kind == DepartmentKind::construction || kind == DepartmentKind::natural_resources ||
         kind == DepartmentKind::market_supervision;
}

}  // namespace

void supervise_industry_departments(World& world, const Params& params) {
  if (params.planning.pooled_teams) return;  // pooled teams: every department's time is on safety
  auto& d = world.departments;
  const auto& in = world.inspectors;
  std::vector<double> posts(d.size(), 0.0);
  for (std::uint32_t i = 0; i < in.size(); ++i) posts[in.department[i]] += in.active[i];
  // The norm: the bureau's own inspections per filled post this year.
  double bureau_inspections = 0, bureau_posts = 0;
  for (std::size_t k = 0; k < d.size(); ++k) {
    if (static_cast<DepartmentKind>(d.kind[k]) != DepartmentKind::emergency_management) continue;
    bureau_inspections += d.inspections_this_year[k];
    bureau_posts += posts[k];
  }
  if (bureau_posts <= 0) return;  // a bureau without staff assesses no one
  const double norm = bureau_inspections / bureau_posts;
  for (std::size_t k = 0; k < d.size(); ++k) {
    if (!is_industry_department(static_cast<DepartmentKind>(d.kind[k])) || posts[k] <= 0) continue;
    const bool below = d.inspections_this_year[k] / posts[k] < norm;
    d.attention[k] = static_cast<float>(supervised_attention(d.attention[k], d.own_attention[k], below,
                                                              params.coordination.comprehensive_supervision));
  }
}

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
      if (!is_orphan(e, i)) continue;
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
