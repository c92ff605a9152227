// Consequences (docs/ODD.md section 3 step 7; section 6 "Accountability rules"): each reported or
// media-exposed accident with a death or serious injury is investigated, by the county or, from
// the larger grade, by the city or above; the accountability rule blames or exempts the
// responsible inspector, colleagues are punished as breadth (over-accountability) and the grade
// grow, the township's office and the bureau share the blame (joint liability), and a fatal
// accident may bring criminal prosecution.
// Monthly, discipline inspection audits a share of every inspector's records (ex-ante oversight).
// Inspectors learn from every verdict on their department's records (inspector_behaviour.cpp).

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "core/distributions.hpp"
#include "model/consequences.hpp"
#include "model/inspector_behaviour.hpp"
#include "model/phases.hpp"
#include "model/staff.hpp"

namespace anjian {

AccountabilityRule investigating_rule(const Params& params, Grade grade) {
  // The county investigates general accidents under its own rule; a larger-or-worse one is
  // investigated by the city or above (Decree 493 art. 19), which the county's announced
  // exemptions do not bind: it asks whether the duty was done, as due diligence does.
  return grade == Grade::General ? params.accountability.rule : AccountabilityRule::due_diligence;
}

bool accountability_blames(const Params& params, InspectionRecord record, Grade grade, RandomStream& rng) {
  // No record within the window: the duty was not done, and every rule holds someone to account.
  if (record == InspectionRecord::missing) return true;
  switch (investigating_rule(params, grade)) {
    case AccountabilityRule::strict: return true;
    case AccountabilityRule::any_record: return false;  // a record of any kind shields
    case AccountabilityRule::due_diligence: return record == InspectionRecord::formal;
    case AccountabilityRule::fault:
      // Without an announced exemption, investigators may still blame diligent work.
      return record == InspectionRecord::formal || bernoulli(rng, params.accountability.fault_misjudgement);
  }
  return true;
}

double punishment_breadth(const Params& params, Grade grade) {
  return params.accountability.breadth * std::pow(params.accountability.grade_escalation, static_cast<int>(grade));
}

std::size_t accountable_department(const World& world, std::uint32_t enterprise) {
  const auto& e = world.enterprises;
  // Blind spots and orphans fall to territorial (属地) responsibility: the township office.
  if (!e.registered[enterprise] || e.primary_department[enterprise] == kNoDepartment) {
    return kCountyDepartmentKinds + e.township[enterprise];
  }
  return e.primary_department[enterprise];
}

void punish_inspector(Inspectors& in, std::uint32_t inspector, double own_loss) {
  in.punishments[inspector] += 1;
  shift_morale(in, inspector, -own_loss);
}

namespace {

bool investigated(const Params& params, const AccidentEvent& a) {
  if (!a.reported && !a.exposed) return false;  // concealed and unexposed: nobody learns of it
  if (a.severity == Severity::NearMiss) return false;
  return a.severity != Severity::Minor || params.accountability.minor_injuries_investigated;
}

// Inspectors in post per department (step_roster). Investigations change morale, not posts, so
// one roster serves every investigation of the step.
using Roster = DepartmentStaff;

// A punishment: the inspector's own loss, and a smaller one for every colleague in post.
void punish_with_peers(Inspectors& in, const Roster& roster, std::uint32_t inspector, const Params& params) {
  punish_inspector(in, inspector, params.staff.punishment_morale_loss);
  const double peer_loss = params.staff.peer_punishment_morale_loss;
  if (peer_loss <= 0 || in.department[inspector] >= roster.groups()) return;
  for (auto j : roster.of(in.department[inspector])) {
    if (j != inspector) shift_morale(in, j, -peer_loss);
  }
}

// Who answers for the accident: the inspector of the last inspection within the window (if the
// same person still holds the post), or, without a record, one of the accountable department's
// staff.
struct Responsibility {
  InspectionRecord record = InspectionRecord::missing;
  std::size_t department = 0;
  bool person_present = false;
  std::uint32_t person = 0;
};

Responsibility find_responsible(const World& world, const Params& params, const Roster& roster,
                                const AccidentEvent& a, RandomStream& rng) {
  const auto& e = world.enterprises;
  const auto& in = world.inspectors;
  const std::uint32_t i = a.enterprise;
  Responsibility r;
  const std::int64_t last = e.last_inspection_day[i];
  const std::uint32_t inspector = e.last_inspector[i];
  if (last >= 0 && a.day - last <= params.accountability.window_days && inspector < in.size()) {
    r.record = e.last_inspection_substantive[i] ? InspectionRecord::substantive : InspectionRecord::formal;
    r.department = in.department[inspector];
    r.person = inspector;
    r.person_present = in.active[inspector] && in.hired_day[inspector] <= last;  // not a successor
    return r;
  }
  r.department = accountable_department(world, i);
  if (r.department >= roster.groups()) return r;
  const auto staff = roster.of(r.department);
  if (!staff.empty()) {
    r.person = staff[uniform_index(rng, staff.size())];
    r.person_present = true;
  }
  return r;
}

// Joint liability (党政同责、一岗双责): beside the responsible department, a member of the
// township's safety office answers for its territory, and after a larger-or-worse accident a member
// of the emergency-management bureau for its comprehensive supervision, unless the responsible
// department is that office or bureau already.
void add_jointly_liable(const World& world, const Roster& roster, const AccidentEvent& a, std::size_t responsible,
                        RandomStream& rng, std::vector<std::uint32_t>& punished) {
  const auto add_one_of = [&](std::size_t department) {
    if (department == responsible || department >= roster.groups()) return;
    const auto staff = roster.of(department);
    if (!staff.empty()) punished.push_back(staff[uniform_index(rng, staff.size())]);
  };
  add_one_of(kCountyDepartmentKinds + world.enterprises.township[a.enterprise]);
  if (a.grade != Grade::General) add_one_of(static_cast<std::size_t>(DepartmentKind::emergency_management));
}

void investigate(World& world, const Params& params, StepContext& ctx, const Roster& roster, std::size_t index) {
  const AccidentEvent a = ctx.accidents[index];
  // Keyed by the accident's place in the run's list, whether or not earlier ones were let go.
  RandomStream rng(ctx.key, Stream::Accountability, ctx.accidents_forgotten + index, ctx.step);
  ctx.tally[Metric::accidents_investigated] += 1;
  if (a.severity == Severity::Fatal && bernoulli(rng, params.courts.prosecution_rate)) {
    world.enterprises.prosecutions[a.enterprise] += 1;
    ctx.tally[Metric::prosecutions] += 1;
  }
  const Responsibility r = find_responsible(world, params, roster, a, rng);
  auto& d = world.departments;
  const bool blamed = accountability_blames(params, r.record, a.grade, rng);
  // The department's inspectors see the verdict on one of their records.
  if (r.record != InspectionRecord::missing && r.department < d.size()) {
    d.records_investigated_this_month[r.department] += 1;
    learn_verdict(d, r.department, params, r.record, !blamed);
  }
  if (!blamed) {
    ctx.tally[Metric::investigations_exempted] += 1;
    return;
  }
  std::vector<std::uint32_t> punished;
  if (r.person_present) punished.push_back(r.person);
  // Over-accountability: further colleagues of the department, more for graver accidents.
  const auto staff =
      r.department < roster.groups() ? roster.of(r.department) : std::span<const std::uint32_t>{};
  const auto is_person = [&](std::uint32_t j) { return r.person_present && j == r.person; };
  const auto available =
      static_cast<std::int64_t>(staff.size()) - std::count_if(staff.begin(), staff.end(), is_person);
  const auto extra = std::min<std::int64_t>(poisson(rng, punishment_breadth(params, a.grade)), available);
  // The list of colleagues is copied only when some are punished (most accidents: none).
  std::vector<std::uint32_t> colleagues;
  if (extra > 0) {
    colleagues.assign(staff.begin(), staff.end());
    std::erase_if(colleagues, is_person);
  }
  for (std::int64_t k = 0; k < extra; ++k) {  // partial Fisher-Yates: distinct colleagues
    const auto pick = static_cast<std::size_t>(k) + uniform_index(rng, colleagues.size() - static_cast<std::size_t>(k));
    std::swap(colleagues[static_cast<std::size_t>(k)], colleagues[pick]);
    punished.push_back(colleagues[static_cast<std::size_t>(k)]);
  }
  const std::size_t held_in_department = punished.size();
  if (params.accountability.joint_liability) add_jointly_liable(world, roster, a, r.department, rng, punished);
  for (auto j : punished) punish_with_peers(world.inspectors, roster, j, params);
  ctx.tally[Metric::inspectors_punished] += static_cast<double>(punished.size());
  if (r.department < d.size()) learn_breadth(d, r.department, params, held_in_department);
}

// Discipline inspection audits a share of each inspector's records of the month; an inspector
// with formal ones caught is handled. The audited counts feed the department's yearly assessment
// of quality.
void audit_month(World& world, const Params& params, StepContext& ctx) {
  auto& in = world.inspectors;
  auto& d = world.departments;
  const double rate = params.discipline.audit_rate;
  std::vector<std::int64_t> month_inspections(d.size(), 0), month_substantive(d.size(), 0);
  for (std::uint32_t i = 0; i < in.size(); ++i) {
    const std::int32_t formal = in.formal_this_month[i];
    const std::int32_t substantive = in.substantive_this_month[i];
    if (formal + substantive == 0) continue;
    month_inspections[in.department[i]] += formal + substantive;
    month_substantive[in.department[i]] += substantive;
    RandomStream rng(ctx.key, Stream::DisciplineAudit, i, ctx.step);
    const auto caught = binomial(rng, formal, rate);
    const auto cleared = binomial(rng, substantive, rate);
    const std::size_t k = in.department[i];
    d.inspections_this_year[k] += formal + substantive;
    d.audited_this_year[k] += static_cast<std::int32_t>(caught + cleared);
    d.audited_formal_this_year[k] += static_cast<std::int32_t>(caught);
    if (caught > 0) {
      // Discipline inspection handles a person, not a record: one handling (a talk, or a third of
      // the time a sanction) whatever the number of the month's records it caught.
      in.punishments[i] += 1;
      shift_morale(in, i, -params.staff.audit_morale_loss);
      ctx.tally[Metric::audits_formal_caught] += static_cast<double>(caught);
    }
    in.formal_this_month[i] = 0;
    in.substantive_this_month[i] = 0;
  }
  // What share of the month's records investigations took up, what its substantive visits
  // brought in fines, and how risky the enterprises visited were, as each department saw it.
  for (std::size_t k = 0; k < d.size(); ++k) {
    learn_record_chance(d, k, params, month_inspections[k]);
    learn_fines_per_substantive(d, k, params, month_substantive[k]);
    learn_visit_risk(d, k, params, month_inspections[k]);
  }
}

}  // namespace

void phase_consequences(World& world, const Params& params, StepContext& ctx) {
  // Accidents are few; they are investigated in the order recorded, each with its own stream.
  for (std::size_t index = ctx.step_accidents_begin; index < ctx.accidents.size(); ++index) {
    if (investigated(params, ctx.accidents[index]))
      investigate(world, params, ctx, step_roster(world, ctx), index);
  }
  if (ctx.month_ends) audit_month(world, params, ctx);
}

}  // namespace anjian
