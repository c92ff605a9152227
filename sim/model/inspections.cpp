// Inspections (ODD "Inspections"): each latent hazard is found with probability skill x
// equipment, times, for a box-ticking visit, its search efficiency x the share of time it takes.
// Staff with enforcement authority order found hazards rectified by a deadline (整改指令) and
// fine, and a fine draws the management's attention to safety; major hazards are ordered
// eliminated for certain; an enterprise that has not carried out an order by its deadline
// (refusal) is found out at the re-inspection (复查) and climbs an escalation ladder (continuing
// fines, suspension, referral to court) with repeat offences; township staff without authority
// can only refer what they find to the county, whose department responsible orders a share of it
// (none for an orphan, which has no department responsible). A township's growth
// priority softens general orders (capture), unless oversight (media, discipline inspection)
// brings leniency to light.

#include <boost/sort/spreadsort/integer_sort.hpp>

#include <algorithm>
#include <utility>
#include <vector>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "core/prefetch.hpp"
#include "model/enterprise_decisions.hpp"
#include "model/enterprise_events.hpp"
#include "model/inspection_planning.hpp"
#include "model/inspections.hpp"
#include "model/inspector_behaviour.hpp"
#include "model/phases.hpp"
#include "model/staff.hpp"

namespace anjian {

double detection_probability(const Params& params, float skill, bool substantive, bool specialist) {
  const double formal = substantive ? 1.0 : formal_detection_factor(params);
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

// The rung of the escalation ladder this finding puts the enterprise on: a finding within
// enforcement.repeat_window_days of the last rectification order is a repeat offence, one rung
// up; a clean inspection or a year without orders starts it again.
std::uint8_t next_rung(const Enterprises& e, const Params& params, std::uint32_t enterprise, std::int64_t day,
                       std::int64_t found) {
  if (found == 0) return 0;
  const std::int32_t last = e.last_order_day[enterprise];
  const bool repeat = last >= 0 && day - last <= params.enforcement.repeat_window_days;
  return repeat ? static_cast<std::uint8_t>(std::min(e.offence_rung[enterprise] + 1, 255)) : std::uint8_t{1};
}

// What a suspension of production costs the enterprise: its output for the days suspended (yuan).
double suspension_loss(const Params& params, std::uint32_t workers) {
  return static_cast<double>(workers) * params.enterprises.output_per_worker *
         static_cast<double>(params.enforcement.suspension_days) / kDaysPerYear;
}

// The ladder beyond the order and the fine (Work Safety Law art. 102, 112; Criminal Law art.
// 134-1): a major hazard found, or a third offence in a row, may suspend production until it is
// put right; a major hazard found again after an order (refusing to eliminate it) may go to court
// before any accident. Every rung costs the enterprise, which learns the cost as a sanction per
// hazard found. An order refused brings a follow-up (复查).
double escalate(World& world, const Params& params, std::uint32_t enterprise, std::uint16_t department,
                std::int64_t day, InspectionOutcome& out, double capture, RandomStream& rng, Tally& tally) {
  auto& e = world.enterprises;
  const auto rung = e.offence_rung[enterprise];
  double cost = 0.0;
  if ((out.major_found > 0 || rung >= 3) && bernoulli(rng, params.enforcement.suspension_rate * (1.0 - capture))) {
    e.suspended_until[enterprise] = static_cast<std::int32_t>(day + params.enforcement.suspension_days);
    e.suspensions[enterprise] += 1;
    tally[Metric::suspensions] += 1;
    out.suspended = true;
    cost += suspension_loss(params, e.workers[enterprise]);
  }
  if (out.major_found > 0 && rung >= 2 && bernoulli(rng, params.courts.ex_ante_referral_rate * (1.0 - capture))) {
    e.prosecutions[enterprise] += 1;
    tally[Metric::prosecutions_ex_ante] += 1;
    out.referred_to_court = true;
    cost += params.deterrence.criminal_liability_cost;
  }
  if (params.enforcement.follow_up && department != kNoDepartment && e.ordered_hazards[enterprise] > 0 &&
      !e.complaint_queued[enterprise]) {
    e.complaint_queued[enterprise] = kQueuedFollowUp;
    world.departments.complaints[department].push_back(enterprise);
    tally[Metric::follow_ups_queued] += 1;
    out.follow_up_queued = true;
  }
  return cost;
}

// Share of the hazards township staff without authority refer that the county gets ordered. A
// referral goes to the department responsible for the enterprise; an orphan has none, and no
// county department takes up what is referred about an enterprise no one has made its own
// (推诿, buck-passing) until the committee office assigns it.
double referral_follow_through(const Params& params, const Enterprises& e, std::uint32_t enterprise) {
  if (e.primary_department[enterprise] == kNoDepartment) return 0.0;
  return params.townships.referral_follow_through;
}

// New hazards found among the latent ones not under an order: each with probability `detection`;
// a visit that answers a confirmed report knows of one hazard and finds it for certain.
std::int64_t hazards_found(std::int64_t hazards, double detection, bool knows_one, RandomStream& rng) {
  if (!knows_one || hazards == 0) return binomial(rng, hazards, detection);
  return 1 + binomial(rng, hazards - 1, detection);
}

}  // namespace

InspectionOutcome inspect_enterprise(World& world, const Params& params, std::uint32_t enterprise, double detection,
                                     std::uint16_t department, std::int64_t day, bool knows_a_hazard,
                                     RandomStream& rng, Tally& tally, Sanctioning sanctioning) {
  auto& e = world.enterprises;
  const bool can_enforce = department == kNoDepartment || world.departments.can_enforce[department];
  InspectionOutcome out;
  // Hazards under an order not carried out by its deadline are known, not found anew (own
  // management or an accident may have removed some since: hazards are exchangeable).
  const std::int64_t pending = std::min(e.ordered_hazards[enterprise], e.hazards[enterprise]);
  out.found = hazards_found(e.hazards[enterprise] - pending, detection, knows_a_hazard, rng);
  out.major_found = binomial(rng, out.found, params.enforcement.major_hazard_share);
  const double capture = enforcement_capture(world, params, e.township[enterprise]);
  const double follow_through = can_enforce ? 1.0 : referral_follow_through(params, e, enterprise);
  // Orders (or the county's, on a referral): a major hazard is ordered eliminated whatever the
  // township's leniency, and the enterprise eliminates it; an order on a general hazard may be
  // softened by capture (no deadline is enforced), and the enterprise chooses to carry it out by
  // the deadline or to refuse, weighing the cost against the sanction for refusing that it
  // expects to be verified (order_compliance).
  const PerceivedDeterrence seen{e.perceived_inspection_rate[enterprise], e.perceived_detection[enterprise],
                                 e.perceived_fine[enterprise]};
  const double compliance = order_compliance(params, refusal_verification(params, seen), capture);
  const std::int64_t major_ordered = binomial(rng, out.major_found, follow_through);
  const std::int64_t general_ordered =
      binomial(rng, out.found - out.major_found, follow_through * (1.0 - capture));
  const std::int64_t general_done = binomial(rng, general_ordered, compliance);
  out.ordered = major_ordered + general_ordered;
  // The re-inspection: staff with authority find the refused orders, escalate (below) and order
  // them again; the enterprise chooses again, before the same sanction for refusing.
  std::int64_t refused_done = 0;
  if (can_enforce && pending > 0) {
    out.refused = pending;
    refused_done = binomial(rng, pending, compliance);
  }
  out.rectified = major_ordered + general_done + refused_done;
  // Without re-inspection (enforcement.follow_up false) no one keeps track of orders: one refused
  // is a latent hazard like any other, to be found anew.
  const std::int64_t refusing = params.enforcement.follow_up ? general_ordered - general_done : 0;
  e.ordered_hazards[enterprise] = static_cast<std::int32_t>(pending - refused_done + refusing);
  e.hazards_exposed_this_month[enterprise] += e.hazards[enterprise];  // before rectification: what it risked
  e.hazards[enterprise] -= static_cast<std::int32_t>(out.rectified);
  e.inspections[enterprise] += 1;
  e.violations_found[enterprise] += static_cast<std::int32_t>(out.found);
  tally[Metric::inspections] += 1;
  tally[Metric::hazards_found] += static_cast<double>(out.found);
  tally[Metric::major_hazards_found] += static_cast<double>(out.major_found);
  tally[Metric::hazards_rectified] += static_cast<double>(out.rectified);
  tally[Metric::hazards_ordered] += static_cast<double>(out.ordered);
  tally[Metric::hazards_refused] += static_cast<double>(out.refused);
  // A refused order is an offence like a new finding: the ladder, the fine and a new order.
  const std::int64_t offences = out.found + out.refused;
  e.offence_rung[enterprise] = next_rung(e, params, enterprise, day, offences);
  if (offences > 0) e.last_order_day[enterprise] = static_cast<std::int32_t>(day);
  if (can_enforce && sanctioning == Sanctioning::orders_only) return out;
  if (can_enforce) {
    const double repeat = e.offence_rung[enterprise] >= 2 ? params.enforcement.repeat_fine_multiplier : 1.0;
    out.fine = static_cast<double>(offences) * params.enforcement.fine_per_hazard * repeat * (1.0 - capture);
    tally[Metric::fines] += out.fine;
    if (out.fine > 0) e.safety_attention[enterprise] += static_cast<float>(params.deterrence.penalty_attention);
    out.sanctions = out.fine + escalate(world, params, enterprise, department, day, out, capture, rng, tally);
    // Enterprises learn the sanction per hazard found from what findings cost them; what refusing
    // an order cost is the price of that choice (order_compliance), not of holding hazards.
    if (offences > 0) out.finding_sanctions = out.sanctions * static_cast<double>(out.found) / static_cast<double>(offences);
    e.fines_this_month[enterprise] += out.finding_sanctions;
  } else {
    tally[Metric::hazards_referred] += static_cast<double>(out.found);
  }
  return out;
}

InspectionEvent inspection_event(const World& world, std::uint32_t enterprise, std::int64_t day,
                                 std::int32_t hazards_present, const InspectionOutcome& outcome,
                                 std::uint16_t department) {
  const auto& e = world.enterprises;
  const bool can_enforce = department == kNoDepartment || world.departments.can_enforce[department];
  InspectionEvent event;
  event.day = day;
  event.enterprise = enterprise;
  event.sector = e.sector[enterprise];
  event.township = e.township[enterprise];
  event.department = department;
  event.hazards_present = hazards_present;
  event.hazards_found = static_cast<std::int32_t>(outcome.found);
  event.major_hazards_found = static_cast<std::int32_t>(outcome.major_found);
  event.hazards_refused = static_cast<std::int32_t>(outcome.refused);
  event.hazards_rectified = static_cast<std::int32_t>(outcome.rectified);
  event.action = static_cast<std::uint8_t>(outcome.found + outcome.refused == 0 ? FindingAction::none
                                           : can_enforce      ? FindingAction::rectification_order
                                                              : FindingAction::referral);
  event.fine = outcome.fine;
  event.suspended = outcome.suspended;
  event.referred_to_court = outcome.referred_to_court;
  event.follow_up_queued = outcome.follow_up_queued;
  return event;
}

bool publish_case(World& world, const Params& params, std::uint32_t enterprise, std::int32_t hazards_present,
                  const InspectionOutcome& outcome, RandomStream& rng, Tally& tally) {
  const double share = params.enforcement.case_publicity;
  if (outcome.sanctions <= 0 || share <= 0 || !bernoulli(rng, share)) return false;
  auto& e = world.enterprises;
  e.published_cases_this_month[enterprise] += 1;
  e.published_exposed_this_month[enterprise] += hazards_present;
  e.published_found_this_month[enterprise] += static_cast<std::int32_t>(outcome.found);
  // What the case cost, as the enterprise's own sanctions count in its learning (fines_this_month).
  e.published_fines_this_month[enterprise] += outcome.finding_sanctions;
  tally[Metric::cases_published] += 1;
  return true;
}

namespace {

// The columns a visit reads and writes; targets are scattered over the table (core/prefetch.hpp).
[[gnu::always_inline]] inline void prefetch_visit(const Enterprises& e, std::uint32_t i) {
  __builtin_prefetch(&e.sector[i]);
  __builtin_prefetch(&e.township[i]);
  __builtin_prefetch(&e.complaint_queued[i], 1);
  __builtin_prefetch(&e.hazards[i], 1);
  __builtin_prefetch(&e.ordered_hazards[i], 1);
  __builtin_prefetch(&e.hazards_exposed_this_month[i], 1);
  __builtin_prefetch(&e.inspections[i], 1);
  __builtin_prefetch(&e.violations_found[i], 1);
  __builtin_prefetch(&e.fines_this_month[i], 1);
  __builtin_prefetch(&e.safety_attention[i], 1);
  __builtin_prefetch(&e.last_inspection_day[i], 1);
  __builtin_prefetch(&e.last_inspector[i], 1);
  __builtin_prefetch(&e.last_inspection_substantive[i], 1);
}


// A formal visit reads papers: it orders what it finds put right, but a fine, a suspension or a
// referral needs a case built on evidence taken at the plant (立案、调查取证), which box-ticking
// does not gather (inspectors.formal_visits_penalise).
Sanctioning visit_sanctioning(const Params& params, const PlannedVisit& visit) {
  return visit.substantive || params.inspectors.formal_visits_penalise ? Sanctioning::orders_and_sanctions
                                                                       : Sanctioning::orders_only;
}

// Visit v of the step: the inspection, and what the inspector, the department and the
// enterprise keep of it. Returns the fine paid (yuan). With `record` (output.inspection_events)
// the visit is written there; with enforcement.case_publicity a penalised case may be published
// (publish_case).
double run_visit(World& world, const Params& params, const StepContext& ctx, std::size_t v,
                 PlannedVisit& visit, Tally& tally, InspectionEvent* record) {
  auto& e = world.enterprises;
  auto& in = world.inspectors;
  auto& d = world.departments;  // what the yearly assessment will score
  const auto inspector = visit.inspector;
  const auto enterprise = visit.enterprise;
  const auto department = in.department[inspector];
  // The stream is keyed by the visit's position, which planning fixes independently of threads.
  RandomStream rng(ctx.key, Stream::Inspection, v, ctx.step);
  const bool specialist = is_specialist(in, inspector, e.sector[enterprise]);
  const double detection = detection_probability(params, in.skill[inspector], visit.substantive, specialist);
  // The visit answers whatever priority visit was queued; a follow-up may be queued anew.
  const bool follow_up = visit.complaint && e.complaint_queued[enterprise] == kQueuedFollowUp;
  if (visit.complaint) e.complaint_queued[enterprise] = 0;
  const std::int32_t present = e.hazards[enterprise];
  // The target's risk as planning knew it, before this visit adds to its record (learn_visit_risk).
  d.visit_risk_this_month[department] += known_risk(params, e, enterprise);
  // A report names a hazard; a follow-up knows the refused orders (Enterprises::ordered_hazards).
  const auto outcome = inspect_enterprise(world, params, enterprise, detection, department, ctx.first_day,
                                          visit.complaint && !follow_up, rng, tally, visit_sanctioning(params, visit));
  // After every draw of the visit, so that the rest of the run is the same with publicity off.
  const bool published = publish_case(world, params, enterprise, present, outcome, rng, tally);
  rates_changed(world, params, enterprise);
  visit.hazards_found = static_cast<std::int32_t>(outcome.found);
  visit.township = e.township[enterprise];
  visit.sector = e.sector[enterprise];
  d.found_this_year[department] += static_cast<std::int32_t>(outcome.found);
  d.rectified_this_year[department] += static_cast<std::int32_t>(outcome.rectified);
  d.fines_this_year[department] += outcome.fine;
  if (visit.substantive) d.substantive_fines_this_month[department] += outcome.fine;

  e.last_inspection_day[enterprise] = static_cast<std::int32_t>(ctx.first_day);
  e.last_inspector[enterprise] = inspector;
  e.last_inspection_substantive[enterprise] = visit.substantive;
  in.inspections[inspector] += 1;
  in.hazards_found[inspector] += static_cast<std::int32_t>(outcome.found);
  (visit.substantive ? in.substantive_inspections : in.formal_inspections)[inspector] += 1;
  (visit.substantive ? in.substantive_this_month : in.formal_this_month)[inspector] += 1;  // discipline audit
  tally[visit.substantive ? Metric::inspections_substantive : Metric::inspections_formal] += 1;
  if (visit.complaint) tally[Metric::inspections_complaint] += 1;
  if (record) {
    *record = inspection_event(world, enterprise, ctx.first_day, present, outcome, department);
    record->inspector = inspector;
    record->mode = visit.substantive ? 1 : 0;
    record->kind = static_cast<std::uint8_t>(!visit.complaint ? VisitKind::routine
                                             : follow_up      ? VisitKind::follow_up
                                                              : VisitKind::complaint);
    record->published = published ? 1 : 0;
  }
  return outcome.fine;
}

// Each department's representative in this step: departments whose visits share a target are
// joined (union-find, the smallest department the root), since visits to one enterprise must
// run in list order. Overlapping jurisdictions make this happen; most departments stand alone.
std::vector<std::size_t> linked_departments(const World& world, const std::vector<PlannedVisit>& visits) {
  std::vector<std::size_t> root(world.departments.size());
  for (std::size_t k = 0; k < root.size(); ++k) root[k] = k;
  const auto find = [&](std::size_t k) {
    while (root[k] != k) k = root[k] = root[root[k]];
    return k;
  };
  // (enterprise, department) as one integer, which sorts in the same order as the pair and at
  // twice the speed, and by radix (Boost's spreadsort) at twice that again: the sort runs on one
  // thread every step.
  std::vector<std::uint64_t> targets;
  targets.reserve(visits.size());
  for (const auto& visit : visits)
    targets.push_back(std::uint64_t{visit.enterprise} << 16 | world.inspectors.department[visit.inspector]);
  boost::sort::spreadsort::integer_sort(targets.begin(), targets.end());
  const auto department = [](std::uint64_t target) { return static_cast<std::size_t>(target & 0xFFFF); };
  for (std::size_t j = 1; j < targets.size(); ++j) {
    if (targets[j] >> 16 != targets[j - 1] >> 16) continue;  // another enterprise
    const std::size_t a = find(department(targets[j])), b = find(department(targets[j - 1]));
    root[std::max(a, b)] = std::min(a, b);
  }
  for (std::size_t k = 0; k < root.size(); ++k) root[k] = find(k);
  return root;
}

// The step's visits grouped by task, each task's in list order: the tasks of their departments'
// representatives (a county's few departments are one task, with no need to link them).
Grouped visits_by_task(const World& world, const std::vector<PlannedVisit>& visits, std::size_t tasks) {
  if (tasks == 1) return group_items(visits.size(), 1, [](std::size_t) { return std::size_t{0}; });
  const std::vector<std::size_t> root = linked_departments(world, visits);
  return group_items(visits.size(), tasks, [&](std::size_t v) {
    return root[world.inspectors.department[visits[v].inspector]] / kDepartmentsPerTask;
  });
}

}  // namespace

void phase_inspections(World& world, const Params& params, StepContext& ctx) {
  auto& visits = ctx.visits;
  // A visit changes its target, its inspector and its department: visits of unlinked departments
  // touch nothing in common and run in parallel, each task in list order.
  const std::size_t departments = world.departments.size();
  expect_rate_changes(world);  // the tasks mark the enterprises they visit
  // What each task tallies; the columns it changes are its own.
  std::vector<Tally> tasks((departments + kDepartmentsPerTask - 1) / kDepartmentsPerTask);
  const Grouped by_task = visits_by_task(world, visits, tasks.size());
  std::vector<double> fines(visits.size(), 0.0);
  // Each visit's record in its place of the list, written by the task that runs it.
  std::vector<InspectionEvent> records(ctx.record_inspections ? visits.size() : 0);
  parallel_tasks(tasks.size(), [&](std::size_t t) {
    const auto list = by_task.of(t);
    const auto& e = world.enterprises;
    for (std::size_t j = 0; j < std::min(list.size(), kPrefetchAhead); ++j)
      prefetch_visit(e, visits[list[j]].enterprise);
    for (std::size_t j = 0; j < list.size(); ++j) {
      if (j + kPrefetchAhead < list.size()) prefetch_visit(e, visits[list[j + kPrefetchAhead]].enterprise);
      const std::size_t v = list[j];
      fines[v] = run_visit(world, params, ctx, v, visits[v], tasks[t], records.empty() ? nullptr : &records[v]);
    }
  });
  // Counts merge exactly in any order; fines (yuan) are summed in list order, as one pass would.
  for (auto& tally : tasks) {
    tally[Metric::fines] = 0.0;
    ctx.tally += tally;
  }
  for (double fine : fines) ctx.tally[Metric::fines] += fine;
  ctx.inspections.insert(ctx.inspections.end(), records.begin(), records.end());
}

}  // namespace anjian
