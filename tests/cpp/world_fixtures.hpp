#pragma once
// Tiny hand-built worlds for phase tests.

#include <cstdint>
#include <numeric>

#include "model/staff.hpp"
#include "model/step_context.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian::testing {

// n enterprises of one sector, all registered, reference size (size factor 1), quality q,
// `hazards` latent hazards each; m inspectors of the given skill.
// One township; the county departments and the township office exist, and all m inspectors
// work for the emergency-management bureau, which claims every enterprise.
inline World tiny_world(std::size_t n, int hazards, float q, std::size_t m = 0, float skill = 0.5f,
                        Sector sector = Sector::manufacturing) {
  World w;
  w.townships.resize(1);
  w.departments.resize(kCountyDepartmentKinds + 1);
  for (std::size_t k = 0; k < w.departments.size(); ++k) {
    w.departments.kind[k] = static_cast<std::uint8_t>(std::min<std::size_t>(k, kCountyDepartmentKinds));
    w.departments.can_enforce[k] = 1;
    w.departments.attention[k] = 1.0f;
    w.departments.budget[k] = 1e12;
  }
  w.enterprises.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    w.enterprises.sector[i] = static_cast<std::uint8_t>(sector);
    w.enterprises.workers[i] = 30;
    w.enterprises.registered[i] = 1;
    w.enterprises.safety_quality[i] = q;
    w.enterprises.size_factor[i] = 1.0f;
    w.enterprises.hazards[i] = hazards;
    w.enterprises.primary_department[i] = 0;
    w.enterprises.secondary_department[i] = kNoDepartment;
    w.enterprises.last_inspection_day[i] = -1;
    w.enterprises.last_order_day[i] = -1;
  }
  w.inspectors.resize(m);
  for (std::size_t i = 0; i < m; ++i) {
    w.inspectors.skill[i] = skill;
    w.inspectors.active[i] = 1;
    w.inspectors.morale[i] = 0.5f;
    w.inspectors.specialisation[i] = kNoSpecialisation;
  }
  return w;
}

// Parameters under which every inspection is substantive and all working time is for visits.
inline Params always_substantive() {
  Params p;
  p.departments.administrative_burden = 0;
  p.inspectors.intrinsic_motivation = 10;
  p.inspectors.decision_noise = 0.01;
  return p;
}

inline StepContext context_at(std::int64_t step, RandomKey key = {11, 0}) {
  StepContext ctx;
  ctx.key = key;
  ctx.begin_step(step, 1);
  return ctx;
}

// Latent hazards summed over every enterprise.
inline std::int64_t total_hazards(const World& w) {
  return std::accumulate(w.enterprises.hazards.begin(), w.enterprises.hazards.end(), std::int64_t{0});
}

}  // namespace anjian::testing
