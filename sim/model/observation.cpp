// Observation (docs/ODD.md section 3, step 11): stocks read at the end of the step. Flows were
// tallied by the phases that caused them.

#include <cstdint>

#include "core/parallel.hpp"
#include "model/phases.hpp"

namespace anjian {

namespace {

RegistryStocks registry_stocks(const World& world) {
  const auto& e = world.enterprises;
  RegistryStocks r;
  for (std::size_t i = 0; i < e.size(); ++i) {
    r.workers += e.workers[i];
    r.unregistered += !e.registered[i];
    r.orphaned += is_orphan(e, i);
  }
  r.known = true;
  return r;
}

std::int64_t count_latent_hazards(const Enterprises& e) {
  // An integer sum: exact, and the compiler vectorises it.
  return reduce_blocks(
      e.size(), std::int64_t{0},
      [&](std::size_t, std::size_t begin, std::size_t end, std::int64_t& sum) {
        for (std::size_t i = begin; i < end; ++i) sum += e.hazards[i];
      },
      [](std::int64_t& sum, std::int64_t part) { sum += part; });
}

// The step's change of latent hazards, from its tallied flows (whole numbers).
std::int64_t hazard_flow(const Tally& tally) {
  return static_cast<std::int64_t>(tally[Metric::hazards_arrived] - tally[Metric::hazards_self_removed] -
                                   tally[Metric::hazards_removed_after_accident] -
                                   tally[Metric::hazards_rectified]);
}

}  // namespace

void phase_observation(World& world, const Params&, StepContext& ctx) {
  const auto& e = world.enterprises;
  // Latent hazards, workers, blind spots and orphans are counted once, then kept as flows,
  // registrations and assignments happen: a province's daily pass over a million enterprises
  // cost a second in ten years (docs/performance.md, round 4).
  auto& stock = world.hazard_stock;
  stock.latent = stock.known ? stock.latent + hazard_flow(ctx.tally) : count_latent_hazards(e);
  stock.known = true;
  ctx.tally[Metric::latent_hazards] = static_cast<double>(stock.latent);
  if (!world.registry.known) world.registry = registry_stocks(world);
  ctx.tally[Metric::workers] = world.registry.workers;
  ctx.tally[Metric::enterprises_unregistered] = world.registry.unregistered;
  ctx.tally[Metric::enterprises_orphaned] = world.registry.orphaned;
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
