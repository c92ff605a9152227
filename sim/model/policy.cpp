// Policy diffusion (docs/ODD.md section 3 step 1 and section 6 "Policy diffusion"): the province
// decrees special rectification campaigns; each level below (city, county, township) adopts
// after a random delay and passes on only a share `fidelity` of the behavioural change: the rest
// is forwarded documents and meetings, which crowd out normal inspections. A larger-or-worse
// accident makes the county start its own campaign at once (campaign-style enforcement).

#include <algorithm>
#include <cmath>

#include "core/distributions.hpp"
#include "model/phases.hpp"
#include "model/policy.hpp"

namespace anjian {

namespace {

// Levels a decree passes before reaching a department: province -> city -> county (2), and on
// to the township (3). A county's own campaign reaches county departments at once (0) and
// townships after one level (1).
int levels_below(const Departments& d, std::size_t k, bool county_origin) {
  const bool township = d.kind[k] == static_cast<std::uint8_t>(DepartmentKind::township_office);
  return (county_origin ? 0 : 2) + (township ? 1 : 0);
}

double exponential_delay(RandomStream& rng, double mean_days) {
  return mean_days > 0 ? -mean_days * std::log(rng.uniform()) : 0.0;
}

void schedule_campaign(World& world, const Params& params, StepContext& ctx, bool county_origin) {
  auto& d = world.departments;
  const auto& p = params.policy;
  // One adoption delay per level and place: the county's delay is shared by its departments,
  // each township adds its own.
  RandomStream rng(ctx.key, Stream::Policy, county_origin ? 1 : 0, ctx.step);
  double county_delay = 0;
  for (int level = 0; level < (county_origin ? 0 : 2); ++level) county_delay += exponential_delay(rng, p.diffusion_delay_days);
  for (std::size_t k = 0; k < d.size(); ++k) {
    const int levels = levels_below(d, k, county_origin);
    double delay = county_delay;
    if (d.kind[k] == static_cast<std::uint8_t>(DepartmentKind::township_office)) {
      RandomStream township_rng(ctx.key, Stream::Policy, 2 + k, ctx.step);
      delay += exponential_delay(township_rng, p.diffusion_delay_days);
    }
    const auto start = static_cast<std::int32_t>(ctx.first_day + std::llround(delay));
    if (d.campaign_start_day[k] >= 0 && d.campaign_end_day[k] > start) continue;  // already in one
    d.campaign_start_day[k] = start;
    d.campaign_end_day[k] = start + static_cast<std::int32_t>(p.campaign_days);
    d.campaign_fidelity[k] = static_cast<float>(std::pow(p.fidelity, levels));
    d.campaigns[k] += 1;
  }
  ctx.tally[Metric::campaigns_decreed] += 1;
}

bool province_decrees_today(const Params& params, const StepContext& ctx) {
  const double interval_days = params.policy.campaign_interval_years * 365.0;
  if (interval_days <= 0) return false;
  // Decrees fall on days interval, 2 x interval, ...: does one fall in [first_day, first_day + days)?
  const auto last = static_cast<double>(ctx.first_day + ctx.days - 1);
  const auto before = static_cast<std::int64_t>(std::floor(static_cast<double>(ctx.first_day - 1) / interval_days));
  const auto upto = static_cast<std::int64_t>(std::floor(last / interval_days));
  return upto >= 1 && upto > before;
}

}  // namespace

bool in_campaign(const Departments& d, std::size_t k, std::int64_t day) {
  return d.campaign_start_day[k] >= 0 && day >= d.campaign_start_day[k] && day < d.campaign_end_day[k];
}

double campaign_capacity_factor(const Departments& d, const Params& params, std::size_t k, std::int64_t day) {
  if (!in_campaign(d, k, day)) return 1.0;
  const double intensity = params.policy.campaign_intensity;
  const double fidelity = d.campaign_fidelity[k];
  return std::max(0.0, 1.0 + intensity * fidelity - intensity * (1.0 - fidelity) * params.policy.paperwork_crowding);
}

void phase_policy(World& world, const Params& params, StepContext& ctx) {
  if (province_decrees_today(params, ctx)) schedule_campaign(world, params, ctx, false);
  // Accidents since the last call (the previous step's): a reported larger-or-worse one
  // triggers the county's own campaign.
  bool major = false;
  for (std::size_t a = ctx.accidents_seen_by_policy; a < ctx.accidents.size(); ++a) {
    major |= ctx.accidents[a].reported && ctx.accidents[a].grade != Grade::General;
  }
  ctx.accidents_seen_by_policy = ctx.accidents.size();
  if (params.policy.campaign_after_major_accident && major) schedule_campaign(world, params, ctx, true);
  double running = 0;
  for (std::size_t k = 0; k < world.departments.size(); ++k) running += in_campaign(world.departments, k, ctx.first_day);
  ctx.tally[Metric::departments_in_campaign] = running;
}

}  // namespace anjian
