#include "run/scheduled_changes.hpp"

#include <algorithm>

#include "model/assessment.hpp"
#include "model/network.hpp"
#include "model/staff.hpp"
#include "scenario/schedule.hpp"

namespace anjian {

ScheduledChanges::ScheduledChanges(const Params& base) : ordered_(ordered_schedule(base)) {
  for (const auto& change : ordered_) steps_.push_back(change_step(base, change));
}

bool ScheduledChanges::apply(std::int64_t step, std::int64_t first_day, Params& current, World& world,
                             const NetworkSpec* network) {
  if (next_ >= ordered_.size() || steps_[next_] > step) return false;
  const Params before = current;
  bool changed = false;
  for (; next_ < ordered_.size() && steps_[next_] <= step; ++next_) {
    const ParamSpec& spec = *find_param(ordered_[next_].key);
    if (spec.get(current) == ordered_[next_].value) continue;
    spec.set(current, ordered_[next_].value);
    changed = true;
  }
  // Changes within one step that come back to where it started change nothing.
  if (changed) changed = !differing_params(before, current).empty();
  if (changed) follow_parameters(world, before, current, network, first_day);
  return changed;
}

void ScheduledChanges::skip_before(std::int64_t step) {
  while (next_ < ordered_.size() && steps_[next_] < step) ++next_;
}

namespace {

// Opens `posts` vacant posts in department k: new inspector rows, filled by the yearly recruitment
// as any vacancy is.
void open_posts(Inspectors& in, std::uint16_t department, std::size_t posts) {
  const std::size_t first = in.size();
  in.resize(first + posts);
  for (std::size_t i = first; i < in.size(); ++i) {
    in.department[i] = department;
    in.active[i] = 0;
    in.specialisation[i] = kNoSpecialisation;
  }
}

}  // namespace

void follow_parameters(World& world, const Params& before, const Params& after, const NetworkSpec* network,
                       std::int64_t first_day) {
  auto& d = world.departments;
  const auto& p = after.departments;
  if (network) {
    // The county's structure is the file's: only pooling overrides its attention (build_world).
    for (std::size_t k = 0; k < d.size() && k < network->departments.size(); ++k) {
      d.attention[k] = after.planning.pooled_teams ? 1.0f : network->departments[k].attention;
      d.own_attention[k] = d.attention[k];
    }
  } else {
    const std::int64_t county_staff[kCountyDepartmentKinds] = {
        p.emergency_management_staff, p.construction_staff, p.natural_resources_staff,
        p.market_supervision_staff};
    for (std::size_t k = 0; k < d.size(); ++k) {
      const bool county = k < kCountyDepartmentKinds;
      const auto quota = static_cast<std::int32_t>(county ? county_staff[k] : after.townships.office_staff);
      if (quota > d.staff_quota[k]) {
        open_posts(world.inspectors, static_cast<std::uint16_t>(k),
                   static_cast<std::size_t>(quota - d.staff_quota[k]));
        d.staff_quota[k] = quota;
      }
      d.can_enforce[k] = county || after.townships.enforcement_authority;
      const bool industry = county && k != static_cast<std::size_t>(DepartmentKind::emergency_management);
      d.attention[k] =
          static_cast<float>(industry && !after.planning.pooled_teams ? p.industry_attention : 1.0);
      d.own_attention[k] = d.attention[k];
    }
  }
  for (std::size_t k = 0; k < d.size(); ++k) d.budget[k] = p.budget_per_post * d.staff_quota[k];

  // Safety culture was drawn around its mean: a new mean moves every enterprise's culture alike.
  const double shift = after.enterprises.safety_culture_mean - before.enterprises.safety_culture_mean;
  if (shift != 0) {
    auto& culture = world.enterprises.safety_culture;
    for (auto& c : culture) c = static_cast<float>(c + shift);
  }

  // A new county death figure is broken down again; the deaths of the year so far count against
  // the new ceilings.
  if (after.assessment.death_target != before.assessment.death_target) assign_death_ceilings(world, after);

  // Target lists and their risk bounds follow pooling and the rates.
  world.targets_stale = true;
  // Next-event sampling: the waiting times left were drawn at the old rates. Rescheduling every
  // enterprise from this step rescales them to the new rates (no draw), as at a month's start.
  if (after.engine.sampling == Sampling::next_event && world.calendar.horizon >= 0)
    world.calendar.horizon = first_day;
}

}  // namespace anjian
