// Staff (docs/ODD.md section 3 step 9; section 6 "Turnover"): each month morale moves toward a
// target set by pay and honour, workload, administrative burden and recent punishments; inspectors
// leave with a hazard that falls with morale, taking their experience with them; skill grows with
// experience and training. Once a year civil-service recruitment fills a share of the vacancies
// with professionals (specialised in a sector) or generalists.

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "core/distributions.hpp"
#include "model/phases.hpp"
#include "model/staff.hpp"

namespace anjian {

namespace {

constexpr double kWorkingDaysPerMonth = 21.7;  // as in planning: 5 of 7 days, 365/12 days a month

}  // namespace

void shift_morale(Inspectors& in, std::uint32_t inspector, double delta) {
  in.morale[inspector] = static_cast<float>(std::clamp(in.morale[inspector] + delta, 0.0, 1.0));
  // The event keeps weighing on (or lifting) the morale target while it is remembered.
  in.morale_memory[inspector] = static_cast<float>(in.morale_memory[inspector] + delta);
}

double morale_target(const Params& params, double enterprises_per_inspector, double memory) {
  const auto& s = params.staff;
  const double overload = std::max(0.0, enterprises_per_inspector / s.manageable_enterprises - 1.0);
  const double target = s.morale_base + s.pay_honour - s.workload_weight * overload -
                        s.burden_weight * params.departments.administrative_burden + memory;
  return std::clamp(target, 0.0, 1.0);
}

double turnover_probability(const Params& params, double morale) {
  const auto& s = params.staff;
  return std::clamp(s.turnover_base * std::exp(-s.turnover_morale_sensitivity * morale), 0.0, 1.0);
}

double skill_learning_rate(const Params& params) {
  const auto& s = params.staff;
  return s.learning_rate + s.training_days_per_year * s.training_effect;
}

double skill_after(const Params& params, double skill, double years) {
  const double gap = std::max(0.0, params.staff.skill_cap - skill);
  return skill + gap * (1.0 - std::exp(-skill_learning_rate(params) * years));
}

bool is_specialist(const Inspectors& in, std::uint32_t inspector, int sector) {
  return in.professional[inspector] && in.specialisation[inspector] == sector;
}

void init_staff(World& world, const Params& params, RandomKey key) {
  auto& in = world.inspectors;
  const double mean_months = params.staff.initial_tenure_years * 12.0;
  for (std::uint32_t i = 0; i < in.size(); ++i) {
    RandomStream rng(key, Stream::InitStaff, i, 0);
    const double months = mean_months > 0 ? std::floor(-mean_months * std::log(rng.uniform())) : 0.0;
    in.tenure_months[i] = static_cast<std::int32_t>(std::min(months, 600.0));
    in.hired_day[i] = -static_cast<std::int32_t>(std::lround(in.tenure_months[i] * 365.0 / 12.0));
    in.professional[i] = 0;
    in.specialisation[i] = kNoSpecialisation;
    // The skill drawn at build time is that of a recruit; those in post have learned since.
    if (in.active[i]) in.skill[i] = static_cast<float>(skill_after(params, in.skill[i], in.tenure_months[i] / 12.0));
  }
}

namespace {

// Enterprises each filled post of a department has to cover. Pooled county teams share all
// county targets.
std::vector<double> enterprises_per_inspector(const World& world, const Params& params) {
  const auto& d = world.departments;
  const auto& in = world.inspectors;
  std::vector<double> active(d.size(), 0.0), load(d.size(), 0.0);
  for (std::uint32_t i = 0; i < in.size(); ++i) active[in.department[i]] += in.active[i];
  double county_active = 0;
  for (std::size_t k = 0; k < d.size() && k < kCountyDepartmentKinds; ++k) county_active += active[k];
  for (std::size_t k = 0; k < d.size(); ++k) {
    const bool pooled = params.planning.pooled_teams && k < kCountyDepartmentKinds;
    const double staff = pooled ? county_active : active[k];
    const double targets = k < d.targets.size() ? static_cast<double>(d.targets[k].size()) : 0.0;
    load[k] = staff > 0 ? targets / staff : 0.0;
  }
  return load;
}

// Inspections a post could do in the working days of one training day (the time training takes).
double inspections_per_training_day(const World& world, const Params& params, std::uint32_t i) {
  return params.inspectors.inspections_per_month / kWorkingDaysPerMonth *
         (1.0 - params.departments.administrative_burden) * world.departments.attention[world.inspectors.department[i]];
}

void vacate(Inspectors& in, std::uint32_t i) {
  in.active[i] = 0;
  in.departures[i] += 1;
  in.skill[i] = 0;  // skill and experience leave with the person
  in.morale[i] = 0;
  in.morale_memory[i] = 0;
  in.tenure_months[i] = 0;
  in.professional[i] = 0;
  in.specialisation[i] = kNoSpecialisation;
  in.capacity_credit[i] = 0;
  in.pending_mode[i] = 0;  // the leaver's drawn visit leaves too
  in.pending_target[i] = 0;
}

void monthly_update(World& world, const Params& params, StepContext& ctx) {
  auto& in = world.inspectors;
  const auto& s = params.staff;
  const auto load = enterprises_per_inspector(world, params);
  const double memory_decay = std::exp(-1.0 / s.punishment_memory_months);
  const double learned = 1.0 - std::exp(-skill_learning_rate(params) / 12.0);
  const double training_days = s.training_days_per_year / 12.0;
  for (std::uint32_t i = 0; i < in.size(); ++i) {
    if (!in.active[i]) continue;
    in.tenure_months[i] += 1;
    in.morale_memory[i] = static_cast<float>(in.morale_memory[i] * memory_decay);
    const double target = morale_target(params, load[in.department[i]], in.morale_memory[i]);
    in.morale[i] = static_cast<float>(std::clamp(in.morale[i] + s.morale_adjustment * (target - in.morale[i]), 0.0, 1.0));
    in.skill[i] = static_cast<float>(in.skill[i] + std::max(0.0, s.skill_cap - in.skill[i]) * learned);
    in.capacity_credit[i] -= training_days * inspections_per_training_day(world, params, i);

    RandomStream rng(ctx.key, Stream::Turnover, i, ctx.step);
    if (bernoulli(rng, turnover_probability(params, in.morale[i]))) {
      vacate(in, i);
      ctx.tally[Metric::turnover] += 1;
    }
  }
}

// A professional specialises in one of the sectors the department supervises, drawn by the
// sectors' shares of enterprises; township offices supervise every sector.
std::uint8_t draw_specialisation(const World& world, const Params& params, std::size_t department, RandomStream& rng) {
  const bool township = world.departments.kind[department] == static_cast<std::uint8_t>(DepartmentKind::township_office);
  std::array<double, kSectorCount> weight{};
  double total = 0;
  for (int s = 0; s < kSectorCount; ++s) {
    const bool supervised =
        township || static_cast<std::uint8_t>(responsible_kind(static_cast<Sector>(s))) == world.departments.kind[department];
    weight[s] = supervised ? params.sectors[s].share : 0.0;
    total += weight[s];
  }
  if (total <= 0) return kNoSpecialisation;
  double u = rng.uniform() * total;
  for (int s = 0; s < kSectorCount; ++s) {
    if (weight[s] > 0 && u < weight[s]) return static_cast<std::uint8_t>(s);
    u -= weight[s];
  }
  return kNoSpecialisation;
}

void recruit(World& world, const Params& params, StepContext& ctx) {
  auto& in = world.inspectors;
  const auto& s = params.staff;
  for (std::uint32_t i = 0; i < in.size(); ++i) {
    if (in.active[i]) continue;
    RandomStream rng(ctx.key, Stream::Recruitment, i, ctx.step);
    if (!bernoulli(rng, s.recruitment_fill_rate)) continue;
    const bool professional = bernoulli(rng, s.professional_share);
    const double mean = professional ? s.professional_skill_mean : params.inspectors.skill_mean;
    in.active[i] = 1;
    in.professional[i] = professional;
    in.specialisation[i] = professional ? draw_specialisation(world, params, in.department[i], rng) : kNoSpecialisation;
    in.skill[i] = static_cast<float>(std::clamp(normal(rng, mean, params.inspectors.skill_sd), 0.01, 0.99));
    in.morale[i] = static_cast<float>(params.inspectors.morale_mean);
    in.morale_memory[i] = 0;
    in.tenure_months[i] = 0;
    in.hired_day[i] = static_cast<std::int32_t>(ctx.first_day + ctx.days - 1);
    in.capacity_credit[i] = 0;
    ctx.tally[Metric::recruits] += 1;
  }
}

}  // namespace

void phase_staff(World& world, const Params& params, StepContext& ctx) {
  if (!ctx.month_ends) return;
  // Inspectors number thousands at most: sequential, each with its own stream.
  monthly_update(world, params, ctx);
  if (ctx.year_ends) recruit(world, params, ctx);
}

}  // namespace anjian
