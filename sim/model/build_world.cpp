// Building a world from the scenario (or a network), one function per concern: departments,
// townships, enterprises, inspectors. The behavioural state each starts with (safety culture and
// perceptions, treatment, blame beliefs, tenure) is drawn by the mechanism that owns it, called
// from here, so that world.cpp stays the data.

#include "model/build_world.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "model/assessment.hpp"
#include "model/enterprise_decisions.hpp"
#include "model/experiment.hpp"
#include "model/hazards.hpp"
#include "model/inspector_behaviour.hpp"
#include "model/network.hpp"
#include "model/staff.hpp"

namespace anjian {

namespace {

int draw_sector(RandomStream& rng, const std::array<double, kSectorCount>& cumulative) {
  const double u = rng.uniform() * cumulative.back();
  for (int s = 0; s < kSectorCount; ++s) {
    if (u < cumulative[s]) return s;
  }
  return kSectorCount - 1;
}

void departments_of_network(World& world, const Params& params, const NetworkSpec& network) {
  auto& d = world.departments;
  d.resize(network.departments.size());
  for (std::size_t k = 0; k < d.size(); ++k) {
    const auto& spec = network.departments[k];
    d.kind[k] = static_cast<std::uint8_t>(spec.kind);
    d.township[k] = spec.township;
    d.can_enforce[k] = spec.can_enforce;
    d.attention[k] = params.planning.pooled_teams ? 1.0f : spec.attention;
    d.own_attention[k] = d.attention[k];
    d.staff_quota[k] = spec.staff;
    d.budget[k] = params.departments.budget_per_post * spec.staff;
    d.campaign_start_day[k] = -1;
  }
}

void draw_departments(World& world, const Params& params) {
  auto& d = world.departments;
  const auto townships = static_cast<std::uint32_t>(params.county.townships);
  d.resize(kCountyDepartmentKinds + townships);
  const auto& p = params.departments;
  const std::int64_t county_staff[kCountyDepartmentKinds] = {p.emergency_management_staff,
                                                             p.construction_staff, p.natural_resources_staff,
                                                             p.market_supervision_staff};
  for (std::size_t k = 0; k < d.size(); ++k) {
    const bool county = k < kCountyDepartmentKinds;
    d.kind[k] =
        static_cast<std::uint8_t>(county ? static_cast<DepartmentKind>(k) : DepartmentKind::township_office);
    d.township[k] = county ? kNoTownship : static_cast<std::uint32_t>(k - kCountyDepartmentKinds);
    d.can_enforce[k] = county || params.townships.enforcement_authority;
    const bool industry = county && k != static_cast<std::size_t>(DepartmentKind::emergency_management);
    d.attention[k] =
        static_cast<float>(industry && !params.planning.pooled_teams ? p.industry_attention : 1.0);
    d.own_attention[k] = d.attention[k];
    d.staff_quota[k] = static_cast<std::int32_t>(county ? county_staff[k] : params.townships.office_staff);
    d.budget[k] = p.budget_per_post * d.staff_quota[k];
    d.campaign_start_day[k] = -1;
  }
}

// The county department that claims an enterprise besides the responsible one at random
// (unclear overlap).
std::uint16_t other_department(RandomStream& rng, std::uint16_t primary) {
  const auto pick = static_cast<std::uint16_t>(uniform_index(rng, kCountyDepartmentKinds - 1));
  return pick >= primary ? static_cast<std::uint16_t>(pick + 1) : pick;
}

// The county department that claims an enterprise besides the responsible one, by the 2018 map:
// natural resources claims every mine (mining rights), market supervision every other enterprise
// with special equipment; else, with overlap_share, a department at random (`random_claim`, drawn
// by the caller). One second claimant at most: a mine's special equipment is left to the mine's
// two claimants.
std::uint16_t second_claimant(Sector sector, bool special_equipment, std::uint16_t random_claim) {
  if (sector == Sector::mining) return static_cast<std::uint16_t>(DepartmentKind::natural_resources);
  if (special_equipment) return static_cast<std::uint16_t>(DepartmentKind::market_supervision);
  return random_claim;
}

void draw_enterprise_structure(World& world, const Params& params, RandomKey key,
                               const NetworkSpec* network) {
  auto& e = world.enterprises;
  e.resize(network ? network->enterprises.size() : static_cast<std::size_t>(params.enterprises.count));
  std::array<double, kSectorCount> cumulative{};
  double running = 0.0;
  for (int s = 0; s < kSectorCount; ++s) cumulative[s] = running += params.sectors[s].share;

  const auto& ep = params.enterprises;
  const auto townships = static_cast<std::uint64_t>(world.townships.size());
  for_each_block(e.size(), [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      RandomStream rng(key, Stream::InitEnterprise, i, 0);
      // Structure: drawn from the scenario, or fixed by the network. The draws are made either
      // way, so that the rest of the stream does not depend on where the structure came from.
      int s = draw_sector(rng, cumulative);
      const auto& mean_workers = params.sectors[s].mean_workers;
      double workers = std::max(1.0, std::round(lognormal_with_mean(rng, mean_workers, ep.workers_sigma)));
      auto township = static_cast<std::uint32_t>(uniform_index(rng, townships));
      bool registered = !bernoulli(rng, ep.unregistered_share);
      // Jurisdiction: the responsibility list names a department, unless the enterprise falls
      // between departments (orphan); a second department may claim it too (overlap): natural
      // resources a mine, market supervision special equipment, or any at random.
      const auto responsible = static_cast<std::uint16_t>(responsible_kind(static_cast<Sector>(s)));
      std::uint16_t primary = bernoulli(rng, params.jurisdiction.orphan_share) ? kNoDepartment : responsible;
      const std::uint16_t random_claim = bernoulli(rng, params.jurisdiction.overlap_share)
                                             ? other_department(rng, responsible)
                                             : kNoDepartment;
      // Special equipment from a stream of its own (step 1 of the enterprise's build stream), so
      // that the share moves none of the draws above or below.
      RandomStream equipment_rng(key, Stream::InitEnterprise, i, 1);
      const bool special_equipment = bernoulli(equipment_rng, params.jurisdiction.special_equipment_share);
      std::uint16_t secondary = second_claimant(static_cast<Sector>(s), special_equipment, random_claim);
      if (network) {
        const auto& spec = network->enterprises[i];
        s = spec.sector;
        workers = spec.workers;
        township = spec.township;
        registered = spec.registered;
        primary = spec.primary_department;
        secondary = spec.secondary_department;
      }
      e.sector[i] = static_cast<std::uint8_t>(s);
      e.township[i] = township;
      e.workers[i] = static_cast<std::uint32_t>(std::min(workers, 4.0e9));
      e.registered[i] = registered;
      e.primary_department[i] = primary;
      e.secondary_department[i] = secondary;
      e.last_inspection_day[i] = -1;
      e.last_order_day[i] = -1;
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
}

void draw_inspectors(World& world, const Params& params, RandomKey key) {
  const auto& d = world.departments;
  std::size_t posts = 0;
  for (auto quota : d.staff_quota) posts += static_cast<std::size_t>(quota);
  auto& in = world.inspectors;
  in.resize(posts);
  std::size_t i = 0;
  for (std::size_t k = 0; k < d.size(); ++k) {
    for (std::int32_t post = 0; post < d.staff_quota[k]; ++post, ++i) {
      RandomStream rng(key, Stream::InitInspector, i, 0);
      in.department[i] = static_cast<std::uint16_t>(k);
      in.active[i] = 1;
      in.skill[i] = static_cast<float>(
          std::clamp(normal(rng, params.inspectors.skill_mean, params.inspectors.skill_sd), 0.01, 0.99));
      in.morale[i] =
          static_cast<float>(std::clamp(normal(rng, params.inspectors.morale_mean, 0.1), 0.0, 1.0));
    }
  }
}

}  // namespace

void build_departments(World& world, const Params& params, const NetworkSpec* network) {
  if (network) {
    departments_of_network(world, params, *network);
  } else {
    draw_departments(world, params);
  }
}

void build_townships(World& world, const Params& params, RandomKey key, const NetworkSpec* network) {
  auto& t = world.townships;
  t.resize(network ? network->township_growth_priority.size()
                   : static_cast<std::size_t>(params.county.townships));
  for (std::size_t i = 0; i < t.size(); ++i) {
    RandomStream rng(key, Stream::InitTownship, i, 0);
    t.growth_priority[i] =
        static_cast<float>(beta_mean_concentration(rng, params.townships.growth_priority_mean, 10.0));
    if (network && network->township_growth_priority[i] >= 0)
      t.growth_priority[i] = network->township_growth_priority[i];
  }
}

void build_enterprises(World& world, const Params& params, RandomKey key, const NetworkSpec* network) {
  draw_enterprise_structure(world, params, key, network);
  init_enterprise_decisions(world, params, key);  // safety culture, first perceptions
  assign_treatment(world, params, key);           // virtual experiment: who is treated
}

void build_inspectors(World& world, const Params& params, RandomKey key) {
  draw_inspectors(world, params, key);
  init_inspector_beliefs(world, params);  // what inspectors expect of accountability and fines at the start
  init_staff(world, params, key);         // tenure and experience of the staff in post
}

World build_world(const Params& params, RandomKey key, const NetworkSpec* network) {
  World world;
  build_departments(world, params, network);
  build_townships(world, params, key, network);
  build_enterprises(world, params, key, network);
  assign_death_ceilings(world, params);  // the county's figure by the townships' workers
  build_inspectors(world, params, key);
  rebuild_targets(world, params);
  return world;
}

}  // namespace anjian
