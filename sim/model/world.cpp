#include "model/world.hpp"

#include <algorithm>
#include <cmath>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "model/phases.hpp"

namespace anjian {

void Enterprises::resize(std::size_t n) {
#define ANJIAN_COLUMN(type, name, saved, unit, description) name.resize(n);
#include "model/enterprise_columns.def"
#undef ANJIAN_COLUMN
}

void Inspectors::resize(std::size_t n) {
#define ANJIAN_COLUMN(type, name, saved, unit, description) name.resize(n);
#include "model/inspector_columns.def"
#undef ANJIAN_COLUMN
}

namespace {

int draw_sector(RandomStream& rng, const std::array<double, kSectorCount>& cumulative) {
  const double u = rng.uniform() * cumulative.back();
  for (int s = 0; s < kSectorCount; ++s) {
    if (u < cumulative[s]) return s;
  }
  return kSectorCount - 1;
}

void build_enterprises(World& world, const Params& params, RandomKey key) {
  auto& e = world.enterprises;
  e.resize(static_cast<std::size_t>(params.enterprises.count));
  std::array<double, kSectorCount> cumulative{};
  double running = 0.0;
  for (int s = 0; s < kSectorCount; ++s) cumulative[s] = running += params.sectors[s].share;

  const auto& ep = params.enterprises;
  for_each_block(e.size(), [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      RandomStream rng(key, Stream::InitEnterprise, i, 0);
      const int s = draw_sector(rng, cumulative);
      const auto& sector = params.sectors[s];
      const double workers = std::max(1.0, std::round(lognormal_with_mean(rng, sector.mean_workers, ep.workers_sigma)));
      e.sector[i] = static_cast<std::uint8_t>(s);
      e.township[i] = static_cast<std::uint32_t>(uniform_index(rng, world.townships));
      e.workers[i] = static_cast<std::uint32_t>(std::min(workers, 4.0e9));
      e.registered[i] = !bernoulli(rng, ep.unregistered_share);
      e.safety_quality[i] = static_cast<float>(
          beta_mean_concentration(rng, ep.safety_quality_mean, ep.safety_quality_concentration));
      e.size_factor[i] = static_cast<float>(std::pow(workers / ep.reference_workers, ep.size_exponent));
      // Start near the enterprise's own steady state (arrivals / self-removal), so that year 1
      // is not a warm-up from an implausibly clean county. Without self-removal there is no
      // steady state, and the enterprise starts clean.
      const double removal = hazard_removal_rate(params, e.safety_quality[i]);
      const double steady =
          removal > 0 ? hazard_arrival_rate(params, s, e.size_factor[i], e.safety_quality[i]) / removal : 0.0;
      e.hazards[i] = static_cast<std::int32_t>(poisson(rng, steady));
    }
  });
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e.registered[i]) world.registered_ids.push_back(static_cast<std::uint32_t>(i));
  }
}

void build_inspectors(World& world, const Params& params, RandomKey key) {
  auto& in = world.inspectors;
  in.resize(static_cast<std::size_t>(params.inspectors.count));
  for (std::size_t i = 0; i < in.size(); ++i) {
    RandomStream rng(key, Stream::InitInspector, i, 0);
    const double skill = normal(rng, params.inspectors.skill_mean, params.inspectors.skill_sd);
    in.skill[i] = static_cast<float>(std::clamp(skill, 0.01, 0.99));
  }
}

}  // namespace

World build_world(const Params& params, RandomKey key) {
  World world;
  world.townships = static_cast<std::uint32_t>(params.county.townships);
  build_enterprises(world, params, key);
  build_inspectors(world, params, key);
  return world;
}

}  // namespace anjian
