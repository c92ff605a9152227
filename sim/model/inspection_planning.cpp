// Inspection planning (docs/ODD.md section 3, step 4): every department turns its inspectors'
// working time into visits. Handled public reports come first; then targets are drawn by the
// scenario's rule from the enterprises the department knows and claims. Unregistered and orphan
// enterprises are invisible here (blind spots); without information sharing, departments that
// claim the same enterprise visit it without knowing of each other (overlap), and each gives it
// less weight, expecting the other to act (buck-passing, 推诿; planning_weight).

#include <algorithm>
#include <atomic>
#include <cmath>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "core/prefetch.hpp"
#include "model/accidents.hpp"
#include "model/inspection_planning.hpp"
#include "model/inspector_behaviour.hpp"
#include "model/phases.hpp"
#include "model/policy.hpp"

namespace anjian {

namespace {

constexpr double kWorkingDaysPerMonth = 21.7;  // 5 of 7 days, 365/12 days a month
constexpr int kRedraws = 4;                    // tries to find a target not inspected recently
constexpr double kMaxViolationsPerInspection = 10.0;
// Inspectors::pending_mode: the mode of a routine visit drawn but not yet paid for.
constexpr std::uint8_t kNoPendingMode = 0, kPendingFormal = 1, kPendingSubstantive = 2;
// Inspectors::pending_target: the pending visit's target + 1 where its mode weighed it; 0 none.
constexpr std::uint32_t kNoPendingTarget = 0;

// What the department can know of an enterprise's risk: the accident law (accidents.hpp) at its
// sector and size, with the hazards its inspections have found so far (one per inspection before
// any record exists) and the management quality it cannot see taken at the county's mean.
double known_risk(const Params& params, const Enterprises& e, std::uint32_t i, double violations_per_inspection) {
  const auto& s = params.sectors[e.sector[i]];
  const double management = management_factor(params, params.enterprises.safety_quality_mean);
  return e.size_factor[i] * (s.accident_base * management + s.accident_per_hazard * violations_per_inspection);
}

// The share of its weight a department takes off an enterprise another county department claims
// too (it expects the other to act); none when shared records or pooled teams make it clear who acts.
double buck_passing(const Params& params) {
  const bool responsibility_clear = params.coordination.information_sharing || params.planning.pooled_teams;
  return responsibility_clear ? 0.0 : params.jurisdiction.buck_passing;
}

// Whether two different county departments claim enterprise i (planning_weight).
bool claimed_twice(const Enterprises& e, std::uint32_t i) {
  return e.primary_department[i] != kNoDepartment && e.secondary_department[i] != kNoDepartment &&
         e.primary_department[i] != e.secondary_department[i];
}

// Rejection sampling of a target by its planning weight (and, risk-based, by its known risk
// against the largest any target could show). Without buck-passing random targeting is one draw,
// so that the stream is the one of Lookup::later. After 64 rejections the last candidate is taken.
std::uint32_t draw_target(const World& world, const Params& params, std::size_t department, RandomStream& rng) {
  const auto& targets = world.departments.targets[department];
  const bool risk_based = params.planning.targeting == Targeting::risk_based;
  if (!risk_based && buck_passing(params) <= 0.0) return targets[uniform_index(rng, targets.size())];
  const auto& e = world.enterprises;
  const double bound = world.departments.risk_bound[department];
  std::uint32_t candidate = 0;
  for (int attempt = 0; attempt < 64; ++attempt) {
    candidate = targets[uniform_index(rng, targets.size())];
    const double weight = planning_weight(world, params, department, candidate);
    if (risk_based ? rng.uniform() * bound <= known_risk(params, e, candidate) * weight
                   : weight >= 1.0 || rng.uniform() < weight)
      break;
  }
  return candidate;
}

// draw_target's draws under random targeting, for a county department, from the flags of its
// targets' positions (update_shared_targets) instead of the enterprises' columns: the position
// drawn, to be looked up afterwards (look_up_targets). Reading each candidate's departments at
// the draw missed the cache twice per candidate at province scale.
std::size_t draw_position(const World& world, const Params& params, std::size_t department, RandomStream& rng) {
  const auto& shared = world.departments.target_shared[department].flags;
  const double passed_on = 1.0 - buck_passing(params);  // planning_weight of a shared target
  std::size_t candidate = 0;
  for (int attempt = 0; attempt < 64; ++attempt) {
    candidate = uniform_index(rng, shared.size());
    const double weight = shared[candidate] ? passed_on : 1.0;
    if (weight >= 1.0 || rng.uniform() < weight) break;
  }
  return candidate;
}

bool inspected_recently(const World& world, const Params& params, const StepContext& ctx, std::uint32_t i) {
  const auto last = world.enterprises.last_inspection_day[i];
  return last >= 0 && ctx.first_day - last < params.coordination.recent_days;
}

std::uint32_t choose_target(const World& world, const Params& params, const StepContext& ctx, std::size_t department,
                            RandomStream& rng) {
  const bool sharing = params.coordination.information_sharing || params.planning.pooled_teams;
  std::uint32_t target = draw_target(world, params, department, rng);
  for (int k = 0; sharing && k < kRedraws && inspected_recently(world, params, ctx, target); ++k) {
    target = draw_target(world, params, department, rng);
  }
  return target;
}

}  // namespace

double known_risk(const Params& params, const Enterprises& e, std::uint32_t i) {
  const double record = e.inspections[i] > 0 ? static_cast<double>(e.violations_found[i]) / e.inspections[i] : 1.0;
  return known_risk(params, e, i, std::min(record, kMaxViolationsPerInspection));
}

double max_known_risk(const Params& params, const Enterprises& e, std::uint32_t i) {
  return known_risk(params, e, i, kMaxViolationsPerInspection);
}

double planning_weight(const World& world, const Params& params, std::size_t k, std::uint32_t i) {
  const auto& e = world.enterprises;
  const bool county = world.departments.kind[k] != static_cast<std::uint8_t>(DepartmentKind::township_office);
  return county && claimed_twice(e, i) ? 1.0 - buck_passing(params) : 1.0;
}

double working_days_in(std::int64_t first_day, int days) {
  double working = 0;
  for (std::int64_t d = first_day; d < first_day + days; ++d) working += (d % 7) < 5 ? 1.0 : 0.0;
  return working;
}

void update_risk_bounds(World& world, const Params& params) {
  auto& d = world.departments;
  d.risk_bound.assign(d.size(), 0.0);
  for (std::size_t k = 0; k < d.size(); ++k) {
    for (auto i : d.targets[k]) {
      d.risk_bound[k] = std::max(d.risk_bound[k], max_known_risk(params, world.enterprises, i));
    }
  }
}

namespace {

// A planned visit and what it costs the department's budget (yuan). `drawn_position`: its
// enterprise is still the position drawn in the department's list (Lookup::later).
struct CostedVisit {
  PlannedVisit visit;
  bool drawn_position;  // beside the visit, where the padding before `cost` has room
  double cost;
};

// How plan_inspector leaves a drawn target.
enum class Lookup : std::uint8_t {
  mark_now,    // its last inspection day recorded at once, so later inspectors sharing information see it
  later,       // random targeting: the drawn position in the department's list (look_up_targets)
  later_weighted,  // the same, drawn by the planning weights of the positions (draw_position)
  enterprise,  // the enterprise (risk-based targeting reads the candidates' records as it draws)
};

// The target of a routine visit: drawn by the department's rule, as `lookup` says it is left.
std::uint32_t routine_target(const World& world, const Params& params, const StepContext& ctx, std::size_t k,
                             Lookup lookup, RandomStream& rng) {
  if (lookup == Lookup::later) return static_cast<std::uint32_t>(uniform_index(rng, world.departments.targets[k].size()));
  if (lookup == Lookup::later_weighted) return static_cast<std::uint32_t>(draw_position(world, params, k, rng));
  return choose_target(world, params, ctx, k, rng);
}

// The known risk of department k's target against the mean of its visits as its inspectors have
// seen it (1 before they have seen any): how much likelier a record there is to meet blame.
double relative_risk(const World& world, const Params& params, std::size_t k, std::uint32_t target) {
  const double mean = world.departments.visit_risk_seen[k];
  return mean > 0 ? known_risk(params, world.enterprises, target) / mean : 1.0;
}

// Inspector i's visits of this step, appended to `out` in the order chosen; the caller records
// the targets' last inspection day unless `lookup` is mark_now.
void plan_inspector(World& world, const Params& params, const StepContext& ctx, std::uint32_t i,
                    double working_days, Lookup lookup, std::vector<CostedVisit>& out) {
  auto& in = world.inspectors;
  auto& d = world.departments;
  const double per_working_day = params.inspectors.inspections_per_month / kWorkingDaysPerMonth *
                                 (1.0 - params.departments.administrative_burden);
  const std::size_t k = in.department[i];
  const double daily =
      per_working_day * d.attention[k] * campaign_capacity_factor(d, params, k, ctx.first_day);
  // Time cannot be banked beyond a month's worth.
  in.capacity_credit[i] =
      std::min(in.capacity_credit[i] + daily * working_days, std::max(1.0, daily * kWorkingDaysPerMonth));
  RandomStream rng(ctx.key, Stream::Planning, i, ctx.step);
  // The inspector's mode choice (inspector_behaviour.cpp) before each routine visit. Where records
  // matter to blame, it weighs the target's known risk, so the target is drawn first (and looked
  // up at once); where they do not (strict accountability: the blame term is 0), its chance is the
  // same all step and is worked out once.
  const InspectorBeliefs beliefs = department_beliefs(d, k);
  const bool weighs_target = blame_utility_gap(params, beliefs) != 0.0;
  if (weighs_target && lookup != Lookup::mark_now) lookup = Lookup::enterprise;
  const double substantive_chance = substantive_probability(params, in.morale[i], beliefs);
  const double formal_slot = formal_visit_slot(params);
  for (;;) {
    const bool complaint = !d.complaints[k].empty();
    if (!complaint && d.targets[k].empty()) break;
    // A confirmed report or an unrectified order is looked into for real. A routine visit's mode,
    // once drawn, is kept (with its target, where the mode weighed it) until there is time for
    // it: were it drawn anew each day, the cheap formal visits that fit in a day's remaining time
    // would win over the substantive ones.
    const bool pending = !complaint && in.pending_mode[i] != kNoPendingMode;
    std::uint32_t target = 0;
    if (!complaint && weighs_target) {
      const bool kept = pending && in.pending_target[i] != kNoPendingTarget;
      target = kept ? in.pending_target[i] - 1 : routine_target(world, params, ctx, k, lookup, rng);
    }
    bool substantive = true;
    if (pending) {
      substantive = in.pending_mode[i] == kPendingSubstantive;
    } else if (!complaint) {
      substantive = rng.uniform() < (weighs_target ? substantive_probability(params, in.morale[i], beliefs,
                                                                             relative_risk(world, params, k, target))
                                                   : substantive_chance);
    }
    // A visit costs its time in money, and its slot in the month's visits (formal_visit_slot).
    const double time = substantive ? 1.0 : params.inspectors.formal_time_share;
    const double slot = substantive ? 1.0 : formal_slot;
    const double cost = params.departments.cost_per_inspection * time;
    if (in.capacity_credit[i] < slot || d.budget_spent_this_year[k] + cost > d.budget[k]) {
      if (!complaint) {
        in.pending_mode[i] = substantive ? kPendingSubstantive : kPendingFormal;
        in.pending_target[i] = weighs_target ? target + 1 : kNoPendingTarget;
      }
      break;
    }
    if (!complaint) {
      in.pending_mode[i] = kNoPendingMode;
      in.pending_target[i] = kNoPendingTarget;
    }
    if (complaint) {
      target = d.complaints[k].front();
      d.complaints[k].pop_front();
    } else if (!weighs_target) {
      target = routine_target(world, params, ctx, k, lookup, rng);
    }
    in.capacity_credit[i] -= slot;
    d.budget_spent_this_year[k] += cost;
    if (lookup == Lookup::mark_now)
      world.enterprises.last_inspection_day[target] = static_cast<std::int32_t>(ctx.first_day);
    const bool position = lookup == Lookup::later || lookup == Lookup::later_weighted;
    out.push_back({{i, target, substantive, complaint}, !complaint && position, cost});
  }
}

// Brings each county department's target flags up to its list: the flags of the targets added
// since, or of the whole list where there are none yet (after rebuild_targets, in a world read
// back from a checkpoint).
void update_shared_targets(World& world) {
  auto& d = world.departments;
  const auto& e = world.enterprises;
  if (d.target_shared.size() != d.size()) d.target_shared.assign(d.size(), {});
  for (std::size_t k = 0; k < d.size(); ++k) {
    if (d.kind[k] == static_cast<std::uint8_t>(DepartmentKind::township_office)) continue;
    auto& [flags, sorted] = d.target_shared[k];
    const auto& list = d.targets[k];
    if (flags.empty()) sorted = static_cast<std::size_t>(std::is_sorted_until(list.begin(), list.end()) - list.begin());
    for (std::size_t j = flags.size(); j < list.size(); ++j) flags.push_back(claimed_twice(e, list[j]));
  }
}

// Replaces the drawn positions of Lookup::later visits by the enterprises there, a few visits
// ahead: looked up at the draw, each missed the cache (the lists lie scattered in memory), and
// that one load was 5% of a province run.
void look_up_targets(const World& world, std::vector<CostedVisit>& visits) {
  const auto& d = world.departments;
  const auto list = [&](const PlannedVisit& v) -> const auto& {
    return d.targets[world.inspectors.department[v.inspector]];
  };
  for (std::size_t j = 0; j < visits.size(); ++j) {
    if (j + kPrefetchAhead < visits.size()) {
      const CostedVisit& ahead = visits[j + kPrefetchAhead];
      if (ahead.drawn_position) __builtin_prefetch(&list(ahead.visit)[ahead.visit.enterprise]);
    }
    if (!visits[j].drawn_position) continue;
    PlannedVisit& visit = visits[j].visit;
    visit.enterprise = list(visit)[visit.enterprise];
    visits[j].drawn_position = false;
  }
}

// Every active inspector's visits, in inspector order. A department's inspectors draw on its
// own targets, complaints and budget, so departments plan in parallel unless they share what
// they know of each other's visits (information sharing, pooled teams): then one inspector
// after another, as each must see the visits planned before. So do the few departments of a
// county, which would make one task anyway.
std::vector<CostedVisit> plan_visits(World& world, const Params& params, StepContext& ctx,
                                     double working_days) {
  std::vector<CostedVisit> planned;
  const auto& in = world.inspectors;
  if (params.coordination.information_sharing || params.planning.pooled_teams ||
      world.departments.size() <= kDepartmentsPerTask) {
    for (std::uint32_t i = 0; i < in.size(); ++i) {
      if (in.active[i]) plan_inspector(world, params, ctx, i, working_days, Lookup::mark_now, planned);
    }
    return planned;
  }
  const DepartmentStaff& staff = step_roster(world, ctx);
  const std::size_t departments = world.departments.size();
  std::vector<std::vector<CostedVisit>> tasks((departments + kDepartmentsPerTask - 1) / kDepartmentsPerTask);
  // Without information sharing random targeting is a draw of a position, looked up afterwards.
  // Buck-passing weighs the positions of a county department's targets by whether another
  // department claims them (their flags); a township office's weight is always 1
  // (planning_weight), so there draw_target makes the one draw of Lookup::later.
  const bool random = params.planning.targeting == Targeting::random;
  const bool weighted = random && buck_passing(params) > 0.0;
  if (weighted) update_shared_targets(world);
  const auto lookup_of = [&](std::size_t k) {
    const bool township = world.departments.kind[k] == static_cast<std::uint8_t>(DepartmentKind::township_office);
    if (!random) return Lookup::enterprise;
    return weighted && !township ? Lookup::later_weighted : Lookup::later;
  };
  auto& last_day = world.enterprises.last_inspection_day;
  const auto today = static_cast<std::int32_t>(ctx.first_day);
  parallel_tasks(tasks.size(), [&](std::size_t t) {
    const std::size_t last = std::min(departments, (t + 1) * kDepartmentsPerTask);
    for (std::size_t k = t * kDepartmentsPerTask; k < last; ++k) {
      const Lookup lookup = lookup_of(k);
      for (auto i : staff.of(k)) plan_inspector(world, params, ctx, i, working_days, lookup, tasks[t]);
    }
    look_up_targets(world, tasks[t]);
    // The targets' last inspection day. Tasks may share a target, so the stores (of the same
    // value) are atomic; nothing reads the day while they plan (only information sharing does).
    for (const auto& planned_visit : tasks[t])
      std::atomic_ref<std::int32_t>(last_day[planned_visit.visit.enterprise])
          .store(today, std::memory_order_relaxed);
  });
  std::size_t total = 0;
  for (const auto& task : tasks) total += task.size();
  planned.reserve(total);
  for (const auto& task : tasks) planned.insert(planned.end(), task.begin(), task.end());
  // Inspectors are usually numbered department by department, and then this is sorted already.
  const auto by_inspector = [](const CostedVisit& a, const CostedVisit& b) {
    return a.visit.inspector < b.visit.inspector;
  };
  if (!std::is_sorted(planned.begin(), planned.end(), by_inspector)) {
    std::stable_sort(planned.begin(), planned.end(), by_inspector);
  }
  return planned;
}

}  // namespace

void phase_inspection_planning(World& world, const Params& params, StepContext& ctx) {
  if (world.targets_stale) rebuild_targets(world, params);
  add_new_targets(world, params);
  if (ctx.year_starts) {
    std::fill(world.departments.budget_spent_this_year.begin(), world.departments.budget_spent_this_year.end(), 0.0);
  }
  ctx.visits.clear();
  // The step's visits in inspector order: what keeps the inspections phase independent of threads.
  for (const auto& p : plan_visits(world, params, ctx, working_days_in(ctx.first_day, ctx.days))) {
    ctx.tally[Metric::budget_spent] += p.cost;
    ctx.visits.push_back(p.visit);
  }
}

}  // namespace anjian
