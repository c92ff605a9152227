// Hazards (docs/ODD.md section 6, "Hazard arrival"): latent hazards arrive as a Poisson process with
// rate lambda_sector * (workers/ref)^theta * (1 - q) per year, and the enterprise's own
// management removes each with a rate that grows with its safety-management quality q.

#include "model/hazards.hpp"
#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "model/inspections.hpp"
#include "model/phases.hpp"

namespace anjian {

void phase_hazards(World& world, const Params& params, StepContext& ctx) {
  auto& e = world.enterprises;
  struct Counts {
    double arrived = 0, removed = 0;
  };
  const Counts total = reduce_blocks(
      e.size(), Counts{},
      [&](std::size_t, std::size_t begin, std::size_t end, Counts& counts) {
        for (std::size_t i = begin; i < end; ++i) {
          RandomStream rng(ctx.key, Stream::Hazards, i, ctx.step);
          const float q = e.safety_quality[i];
          const auto removed = binomial(rng, e.hazards[i],
                                        probability_within(hazard_removal_rate(params, q), ctx.years));
          // A suspended enterprise does not produce, so no new hazards arise there.
          const auto arrived = is_suspended(e, i, ctx.first_day)
                                   ? 0
                                   : poisson(rng, hazard_arrival_rate(params, e.sector[i], e.size_factor[i], q) * ctx.years);
          e.hazards[i] += static_cast<std::int32_t>(arrived - removed);
          counts.arrived += static_cast<double>(arrived);
          counts.removed += static_cast<double>(removed);
        }
      },
      [](Counts& sum, const Counts& part) {
        sum.arrived += part.arrived;
        sum.removed += part.removed;
      });
  ctx.tally[Metric::hazards_arrived] += total.arrived;
  ctx.tally[Metric::hazards_self_removed] += total.removed;
}

}  // namespace anjian
