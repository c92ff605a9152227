#include "model/world.hpp"

#include <algorithm>

#include "model/inspection_planning.hpp"

namespace anjian {

void Enterprises::resize(std::size_t n) { resize_columns(*this, n); }
void Inspectors::resize(std::size_t n) { resize_columns(*this, n); }
void Townships::resize(std::size_t n) { resize_columns(*this, n); }

void Departments::resize(std::size_t n) {
  resize_columns(*this, n);
  complaints.resize(n);
  targets.resize(n);
  target_shared.resize(n);
}

std::string_view department_kind_name(DepartmentKind kind) {
  switch (kind) {
    case DepartmentKind::emergency_management: return "emergency_management";
    case DepartmentKind::construction: return "construction";
    case DepartmentKind::natural_resources: return "natural_resources";
    case DepartmentKind::market_supervision: return "market_supervision";
    case DepartmentKind::township_office: return "township_office";
  }
  return "?";
}

DepartmentKind responsible_kind(Sector sector) {
  // The county's responsibility map since the 2018 institutional reform (机构改革): the
  // emergency-management bureau (应急管理部门) supervises the safety of non-coal mines (非煤矿山)
  // and of industry-and-trade (工贸) enterprises, hazardous chemicals included; the housing and
  // construction bureau supervises construction safety. Natural resources keeps mining rights and
  // illegal mining, market supervision special equipment across sectors: they claim enterprises
  // besides the responsible department (build_world.cpp), not as it.
  switch (sector) {
    case Sector::construction: return DepartmentKind::construction;
    case Sector::mining:
    case Sector::trade:
    case Sector::manufacturing:
    case Sector::hazardous_chemicals: return DepartmentKind::emergency_management;
  }
  return DepartmentKind::emergency_management;
}

namespace {

void add_target(Departments& d, std::size_t k, std::uint32_t i, double risk) {
  d.targets[k].push_back(i);
  if (k < d.risk_bound.size()) d.risk_bound[k] = std::max(d.risk_bound[k], risk);
}

// Flags enterprise i as shared in department k's list, where its flag was found already:
// by bisection among the leading targets in enterprise order, else among those appended since.
void flag_shared(Departments& d, std::size_t k, std::uint32_t i) {
  if (k >= d.target_shared.size()) return;
  auto& shared = d.target_shared[k];
  const auto& list = d.targets[k];
  const auto sorted_end = list.begin() + static_cast<std::ptrdiff_t>(shared.sorted);
  const auto flagged_end = list.begin() + static_cast<std::ptrdiff_t>(shared.flags.size());
  auto at = std::lower_bound(list.begin(), sorted_end, i);
  if (at == sorted_end || *at != i) at = std::find(sorted_end, flagged_end, i);
  if (at != flagged_end) shared.flags[static_cast<std::size_t>(at - list.begin())] = 1;
}

// Adds a registered enterprise to the lists of every department that claims it.
void add_registered(World& world, const Params& params, std::uint32_t i) {
  auto& d = world.departments;
  const auto& e = world.enterprises;
  const double risk = max_known_risk(params, e, i);
  if (params.planning.pooled_teams) {
    for (int k = 0; k < kCountyDepartmentKinds; ++k) add_target(d, k, i, risk);
  } else {
    if (e.primary_department[i] != kNoDepartment) add_target(d, e.primary_department[i], i, risk);
    if (e.secondary_department[i] != kNoDepartment) add_target(d, e.secondary_department[i], i, risk);
  }
  add_target(d, kCountyDepartmentKinds + e.township[i], i, risk);  // territorial: township office
}

}  // namespace

DepartmentStaff department_staff(const World& world) {
  const auto& in = world.inspectors;
  const std::size_t departments = world.departments.size();
  return group_items(in.size(), departments, [&](std::size_t j) -> std::size_t {
    return in.active[j] ? in.department[j] : departments;  // not in post: left out
  });
}

void rebuild_targets(World& world, const Params& params) {
  auto& d = world.departments;
  const auto& e = world.enterprises;
  for (auto& list : d.targets) list.clear();
  for (auto& shared : d.target_shared) shared = {};
  d.risk_bound.clear();  // recomputed below, once the lists are complete
  for (std::uint32_t i = 0; i < e.size(); ++i) {
    if (e.registered[i]) add_registered(world, params, i);  // else a blind spot: no regulator knows it
  }
  // Risk-based targeting samples against a bound over these lists: it must follow them, also in
  // the world as built (risk_based from the first step read an empty bound before).
  update_risk_bounds(world, params);
  world.targets_stale = false;
  world.newly_registered.clear();
  world.newly_assigned.clear();
}

void add_new_targets(World& world, const Params& params) {
  auto& d = world.departments;
  const auto& e = world.enterprises;
  for (auto i : world.newly_registered) add_registered(world, params, i);
  // An orphan assigned to the emergency bureau: already on the township's list, and on the
  // bureau's if pooled or if the bureau claimed it as a second department.
  const auto bureau = static_cast<std::uint16_t>(DepartmentKind::emergency_management);
  for (auto i : world.newly_assigned) {
    if (!params.planning.pooled_teams && e.secondary_department[i] != bureau) {
      add_target(d, bureau, i, max_known_risk(params, e, i));
    }
    // Its second claimant (if another department) now shares it with the bureau.
    const auto second = e.secondary_department[i];
    if (second != kNoDepartment && second != bureau) flag_shared(d, second, i);
  }
  world.newly_registered.clear();
  world.newly_assigned.clear();
}

}  // namespace anjian
