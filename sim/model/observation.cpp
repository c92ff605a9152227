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
  const auto& in = world.inspectors;
  double active = 0, morale = 0, skill = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (!in.active[i]) continue;
    active += 1;
    morale += in.morale[i];
    skill += in.skill[i];
  }
  ctx.tally[Metric::inspectors_active] = active;
  ctx.tally[Metric::vacancies] = static_cast<double>(in.size()) - active;
  ctx.tally[Metric::inspector_morale_mean] = active > 0 ? morale / active : 0.0;
  ctx.tally[Metric::inspector_skill_mean] = active > 0 ? skill / active : 0.0;
}

}  // namespace anjian
