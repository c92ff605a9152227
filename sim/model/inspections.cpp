// Inspections (MODEL.md section 6, "Detection"): each latent hazard is found with probability
// equal to the inspector's skill; found hazards get a rectification order, which the enterprise
// carries out for a share of them, and a fine per hazard found.

#include "core/distributions.hpp"
#include "model/phases.hpp"

namespace anjian {

void phase_inspections(World& world, const Params& params, StepContext& ctx) {
  auto& e = world.enterprises;
  auto& in = world.inspectors;
  // Visits are few next to enterprises and may share a target, so they run in list order; the
  // stream is keyed by the visit's position, which planning fixes independently of threads.
  for (std::size_t v = 0; v < ctx.visits.size(); ++v) {
    const auto [inspector, enterprise] = ctx.visits[v];
    RandomStream rng(ctx.key, Stream::Inspection, v, ctx.step);
    const auto found = binomial(rng, e.hazards[enterprise], in.skill[inspector]);
    const auto rectified = binomial(rng, found, params.enforcement.rectification_rate);
    e.hazards[enterprise] -= static_cast<std::int32_t>(rectified);
    e.inspections[enterprise] += 1;
    in.inspections[inspector] += 1;
    in.hazards_found[inspector] += static_cast<std::int32_t>(found);
    ctx.tally[Metric::inspections] += 1;
    ctx.tally[Metric::hazards_found] += static_cast<double>(found);
    ctx.tally[Metric::hazards_rectified] += static_cast<double>(rectified);
    ctx.tally[Metric::fines] += static_cast<double>(found) * params.enforcement.fine_per_hazard;
  }
}

}  // namespace anjian
