// Observation (MODEL.md section 3, step 11): stocks read at the end of the step. Flows were
// tallied by the phases that caused them.

#include "core/parallel.hpp"
#include "model/phases.hpp"

namespace anjian {

void phase_observation(World& world, const Params&, StepContext& ctx) {
  const auto& e = world.enterprises;
  struct Stocks {
    double hazards = 0, workers = 0, unregistered = 0, orphaned = 0;
  };
  const Stocks stocks = reduce_blocks(
      e.size(), Stocks{},
      [&](std::size_t, std::size_t begin, std::size_t end, Stocks& s) {
        for (std::size_t i = begin; i < end; ++i) {
          s.hazards += e.hazards[i];
          s.workers += e.workers[i];
          s.unregistered += !e.registered[i];
          s.orphaned += e.registered[i] && e.primary_department[i] == kNoDepartment;
        }
      },
      [](Stocks& sum, const Stocks& part) {
        sum.hazards += part.hazards;
        sum.workers += part.workers;
        sum.unregistered += part.unregistered;
        sum.orphaned += part.orphaned;
      });
  ctx.tally[Metric::latent_hazards] = stocks.hazards;
  ctx.tally[Metric::workers] = stocks.workers;
  ctx.tally[Metric::enterprises_unregistered] = stocks.unregistered;
  ctx.tally[Metric::enterprises_orphaned] = stocks.orphaned;
  double active = 0;
  for (auto a : world.inspectors.active) active += a;
  ctx.tally[Metric::inspectors_active] = active;
}

}  // namespace anjian
