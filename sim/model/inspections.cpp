// Inspections (MODEL.md section 3 step 5, section 6 "Detection"): each latent hazard is found with
// probability skill x equipment, times the formal factor for a box-ticking visit. Staff with
// enforcement authority order found hazards rectified and fine; township staff without it can
// only refer them to the county, which follows up on a share. A township's growth priority
// makes enforcement lenient (capture).

#include <algorithm>

#include "core/distributions.hpp"
#include "model/phases.hpp"

namespace anjian {

double detection_probability(const Params& params, float skill, bool substantive) {
  const double formal = substantive ? 1.0 : params.inspectors.formal_detection_factor;
  return std::clamp(skill * params.departments.equipment * formal, 0.0, 1.0);
}

double enforcement_capture(const World& world, const Params& params, std::uint32_t township) {
  return world.townships.growth_priority[township] * params.enforcement.capture_strength;
}

void phase_inspections(World& world, const Params& params, StepContext& ctx) {
  auto& e = world.enterprises;
  auto& in = world.inspectors;
  // Visits are few next to enterprises and may share a target, so they run in list order; the
  // stream is keyed by the visit's position, which planning fixes independently of threads.
  for (std::size_t v = 0; v < ctx.visits.size(); ++v) {
    const auto [inspector, enterprise, substantive, complaint] = ctx.visits[v];
    RandomStream rng(ctx.key, Stream::Inspection, v, ctx.step);
    const auto found = binomial(rng, e.hazards[enterprise], detection_probability(params, in.skill[inspector], substantive));
    const double capture = enforcement_capture(world, params, e.township[enterprise]);
    const bool can_enforce = world.departments.can_enforce[in.department[inspector]];
    const double follow_through = can_enforce ? 1.0 : params.townships.referral_follow_through;
    const auto rectified =
        binomial(rng, found, params.enforcement.rectification_rate * follow_through * (1.0 - capture));
    e.hazards[enterprise] -= static_cast<std::int32_t>(rectified);
    e.inspections[enterprise] += 1;
    e.violations_found[enterprise] += static_cast<std::int32_t>(found);
    e.last_inspection_day[enterprise] = static_cast<std::int32_t>(ctx.first_day);
    e.last_inspector[enterprise] = inspector;
    e.last_inspection_substantive[enterprise] = substantive;
    in.inspections[inspector] += 1;
    in.hazards_found[inspector] += static_cast<std::int32_t>(found);
    (substantive ? in.substantive_inspections : in.formal_inspections)[inspector] += 1;

    ctx.tally[Metric::inspections] += 1;
    ctx.tally[substantive ? Metric::inspections_substantive : Metric::inspections_formal] += 1;
    if (complaint) ctx.tally[Metric::inspections_complaint] += 1;
    ctx.tally[Metric::hazards_found] += static_cast<double>(found);
    ctx.tally[Metric::hazards_rectified] += static_cast<double>(rectified);
    if (can_enforce) {
      ctx.tally[Metric::fines] += static_cast<double>(found) * params.enforcement.fine_per_hazard * (1.0 - capture);
    } else {
      ctx.tally[Metric::hazards_referred] += static_cast<double>(found);
    }
  }
}

}  // namespace anjian
