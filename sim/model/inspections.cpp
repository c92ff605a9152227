// Inspections (MODEL.md section 3 step 5, section 6 "Detection"): each latent hazard is found with
// probability skill x equipment, times the formal factor for a box-ticking visit. Staff with
// enforcement authority order found hazards rectified and fine; township staff without it can
// only refer them to the county, which follows up on a share. A township's growth priority
// makes enforcement lenient (capture), unless oversight (media, discipline inspection) brings
// leniency to light.

#include <algorithm>

#include "core/distributions.hpp"
#include "model/phases.hpp"

namespace anjian {

double detection_probability(const Params& params, float skill, bool substantive, bool specialist) {
  const double formal = substantive ? 1.0 : params.inspectors.formal_detection_factor;
  const double sector_skill = std::min(1.0, skill + (specialist ? params.staff.specialisation_bonus : 0.0));
  return std::clamp(sector_skill * params.departments.equipment * formal, 0.0, 1.0);
}

// Media and discipline inspection are independent chances that leniency comes to light.
double oversight(const Params& params) {
  return 1.0 - (1.0 - params.media.activity) * (1.0 - params.discipline.audit_rate);
}

double enforcement_capture(const World& world, const Params& params, std::uint32_t township) {
  return world.townships.growth_priority[township] * params.enforcement.capture_strength * (1.0 - oversight(params));
}

namespace {

// Enforcement beyond the order: a major finding may suspend production and may go to court
// (dangerous operations, Criminal Law art. 134-1); what is left unrectified brings a follow-up.
void escalate(World& world, const Params& params, std::uint32_t enterprise, std::uint16_t department,
              std::int64_t day, const InspectionOutcome& out, double capture, RandomStream& rng, Tally& tally) {
  auto& e = world.enterprises;
  if (out.found >= params.enforcement.major_finding_hazards) {
    if (bernoulli(rng, params.enforcement.suspension_rate * (1.0 - capture))) {
      e.suspended_until[enterprise] = static_cast<std::int32_t>(day + params.enforcement.suspension_days);
      e.suspensions[enterprise] += 1;
      tally[Metric::suspensions] += 1;
    }
    if (bernoulli(rng, params.courts.ex_ante_referral_rate * (1.0 - capture))) {
      e.prosecutions[enterprise] += 1;
      tally[Metric::prosecutions_ex_ante] += 1;
    }
  }
  if (params.enforcement.follow_up && department != kNoDepartment && out.rectified < out.found &&
      !e.complaint_queued[enterprise]) {
    e.complaint_queued[enterprise] = 1;
    world.departments.complaints[department].push_back(enterprise);
    tally[Metric::follow_ups_queued] += 1;
  }
}

}  // namespace

InspectionOutcome inspect_enterprise(World& world, const Params& params, std::uint32_t enterprise, double detection,
                                     std::uint16_t department, std::int64_t day, RandomStream& rng, Tally& tally) {
  auto& e = world.enterprises;
  const bool can_enforce = department == kNoDepartment || world.departments.can_enforce[department];
  InspectionOutcome out;
  out.found = binomial(rng, e.hazards[enterprise], detection);
  const double capture = enforcement_capture(world, params, e.township[enterprise]);
  const double follow_through = can_enforce ? 1.0 : params.townships.referral_follow_through;
  out.rectified = binomial(rng, out.found, params.enforcement.rectification_rate * follow_through * (1.0 - capture));
  e.hazards_exposed_this_month[enterprise] += e.hazards[enterprise];  // before rectification: what it risked
  e.hazards[enterprise] -= static_cast<std::int32_t>(out.rectified);
  e.inspections[enterprise] += 1;
  e.violations_found[enterprise] += static_cast<std::int32_t>(out.found);
  tally[Metric::inspections] += 1;
  tally[Metric::hazards_found] += static_cast<double>(out.found);
  tally[Metric::hazards_rectified] += static_cast<double>(out.rectified);
  if (can_enforce) {
    out.fine = static_cast<double>(out.found) * params.enforcement.fine_per_hazard * (1.0 - capture);
    tally[Metric::fines] += out.fine;
    e.fines_this_month[enterprise] += out.fine;  // enterprises learn the fine from what they paid
    escalate(world, params, enterprise, department, day, out, capture, rng, tally);
  } else {
    tally[Metric::hazards_referred] += static_cast<double>(out.found);
  }
  return out;
}

namespace {

// The columns a visit reads and writes. Targets are scattered over the enterprise table, so
// asking for a visit's columns a few visits ahead lets the cache misses overlap. Always inlined:
// GCC deems a function that only prefetches free of effects and drops its calls.
[[gnu::always_inline]] inline void prefetch_visit(const Enterprises& e, std::uint32_t i) {
  __builtin_prefetch(&e.sector[i]);
  __builtin_prefetch(&e.township[i]);
  __builtin_prefetch(&e.complaint_queued[i], 1);
  __builtin_prefetch(&e.hazards[i], 1);
  __builtin_prefetch(&e.hazards_exposed_this_month[i], 1);
  __builtin_prefetch(&e.inspections[i], 1);
  __builtin_prefetch(&e.violations_found[i], 1);
  __builtin_prefetch(&e.fines_this_month[i], 1);
  __builtin_prefetch(&e.last_inspection_day[i], 1);
  __builtin_prefetch(&e.last_inspector[i], 1);
  __builtin_prefetch(&e.last_inspection_substantive[i], 1);
}
constexpr std::size_t kPrefetchAhead = 8;  // visits

}  // namespace

void phase_inspections(World& world, const Params& params, StepContext& ctx) {
  auto& e = world.enterprises;
  auto& in = world.inspectors;
  // Visits are few next to enterprises and may share a target, so they run in list order; the
  // stream is keyed by the visit's position, which planning fixes independently of threads.
  for (std::size_t v = 0; v < std::min(ctx.visits.size(), kPrefetchAhead); ++v) prefetch_visit(e, ctx.visits[v].enterprise);
  for (std::size_t v = 0; v < ctx.visits.size(); ++v) {
    if (v + kPrefetchAhead < ctx.visits.size()) prefetch_visit(e, ctx.visits[v + kPrefetchAhead].enterprise);
    PlannedVisit& visit = ctx.visits[v];
    const auto inspector = visit.inspector;
    const auto enterprise = visit.enterprise;
    RandomStream rng(ctx.key, Stream::Inspection, v, ctx.step);
    const bool specialist = is_specialist(in, inspector, e.sector[enterprise]);
    const double detection = detection_probability(params, in.skill[inspector], visit.substantive, specialist);
    // The visit answers whatever priority visit was queued; a follow-up may be queued anew.
    if (visit.complaint) e.complaint_queued[enterprise] = 0;
    const auto outcome =
        inspect_enterprise(world, params, enterprise, detection, in.department[inspector], ctx.first_day, rng, ctx.tally);
    rates_changed(world, params, enterprise);
    visit.hazards_found = static_cast<std::int32_t>(outcome.found);
    auto& d = world.departments;  // what the yearly assessment will score
    d.found_this_year[in.department[inspector]] += static_cast<std::int32_t>(outcome.found);
    d.rectified_this_year[in.department[inspector]] += static_cast<std::int32_t>(outcome.rectified);
    d.fines_this_year[in.department[inspector]] += outcome.fine;

    e.last_inspection_day[enterprise] = static_cast<std::int32_t>(ctx.first_day);
    e.last_inspector[enterprise] = inspector;
    e.last_inspection_substantive[enterprise] = visit.substantive;
    in.inspections[inspector] += 1;
    in.hazards_found[inspector] += static_cast<std::int32_t>(outcome.found);
    (visit.substantive ? in.substantive_inspections : in.formal_inspections)[inspector] += 1;
    (visit.substantive ? in.substantive_this_month : in.formal_this_month)[inspector] += 1;  // discipline audit
    ctx.tally[visit.substantive ? Metric::inspections_substantive : Metric::inspections_formal] += 1;
    if (visit.complaint) ctx.tally[Metric::inspections_complaint] += 1;
  }
}

}  // namespace anjian
