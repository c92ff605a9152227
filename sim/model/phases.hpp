#pragma once
// The phases of one step, in the order of docs/ODD.md section 3 (phase_table.def). Each is a
// function of the World, the parameters and the step context, implemented in its own file under
// sim/model/.

#include "core/random.hpp"
#include "model/step_context.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// The phase entry points, phase_<name>(world, params, ctx), in the order of phase_table.def
// (which says what each does).
#define ANJIAN_PHASE(name, label, scheme) \
  void phase_##name(World& world, const Params& params, StepContext& ctx);
#include "model/phase_table.def"
#undef ANJIAN_PHASE

// Departments per parallel task of planning and inspections: fixed, so that the tasks (and
// the order in which their results merge) do not depend on the number of threads. A county's
// few departments make one task, which runs without the machinery for many.
inline constexpr std::size_t kDepartmentsPerTask = 64;

// Another phase changed enterprise i's rates (hazards, suspension): under next-event sampling its
// next event is drawn anew at the start of the next step. Safe to call from parallel tasks once
// the phase has called expect_rate_changes (which makes room for the marks: only needed before
// the first step, or in a world built by hand).
void expect_rate_changes(World& world);
void rates_changed(World& world, const Params& params, std::uint32_t i);

// Inspectors in post per department in this step: built once a step, by the first phase that
// asks (planning, consequences). Posts change only in the staff phase, after both.
const DepartmentStaff& step_roster(const World& world, StepContext& ctx);

// Runs every phase in order for one step.
void run_step(World& world, const Params& params, StepContext& ctx);

// Functional forms shared by phases and tests (docs/ODD.md section 6).
double hazard_arrival_rate(const Params& params, int sector, float size_factor, float quality);
double hazard_removal_rate(const Params& params, float quality);
double accident_rate(const Params& params, int sector, float size_factor, std::int64_t hazards);
// What enterprises hand to shared state (tallies, the accident list, complaint queues, the
// register): collected per block of enterprises, merged in block order (merge_outcomes), so that
// results do not depend on threads.
struct ComplaintPush {
  std::uint16_t department;
  std::uint32_t enterprise;
};
struct EnterpriseOutcomes {
  Tally tally;
  std::vector<AccidentEvent> accidents;
  std::vector<ComplaintPush> complaints;
  std::vector<std::uint32_t> registered;
};
void merge_outcomes(World& world, StepContext& ctx, const EnterpriseOutcomes& out);
// One accident of producing enterprise i, at `site`, on `day` (accidents.cpp): severity,
// casualties, concealment, the media (their stream keyed (MediaExposure, i, media_counter)),
// clean-up.
AccidentSite accident_site(const Enterprises& e, std::uint32_t i);
void accident_at(World& world, const Params& params, std::uint32_t i, const AccidentSite& site,
                 std::int64_t day, RandomStream& rng, RandomKey key, std::uint64_t media_counter,
                 EnterpriseOutcomes& out);
// A report about enterprise i the hotline acted on (public_reporting.cpp): registers a blind
// spot, queues one complaint inspection; and a blind spot registered by whoever found it.
void act_on_handled_report(World& world, std::uint32_t i, EnterpriseOutcomes& out);
void register_enterprise(Enterprises& e, std::uint32_t i, Metric found_by, EnterpriseOutcomes& out);
// Concealment (accidents.cpp): pressure in [0, 1) of a township's death target if an accident
// with `deaths` were reported; chance that a concealed accident comes to light (media, records,
// insiders' reports at the hotline's `reward`); chance that a reportable accident is concealed (a
// logit whose intercept is the propensity at zero pressure, zero growth priority, no chance of
// exposure and no oversight).
double death_target_pressure(const Params& params, std::int64_t deaths_reported_this_year, std::int64_t deaths);
double exposure_probability(const Params& params, std::int64_t deaths, std::int64_t injuries, double reward = 0.0);
double concealment_probability(const Params& params, Severity severity, std::int64_t deaths, std::int64_t injuries = 0,
                               double pressure = 0.0, double growth_priority = 0.0, double reward = 0.0);
// Public reporting (public_reporting.cpp): the reward's multiplier of reporting (saturating),
// reporting per hazard relative to citizens.report_rate, reports a year about an enterprise,
// the reward that applies to reports about it (virtual experiment), and the yearly rate at which
// grid patrols find a given unregistered enterprise.
double reward_incentive(const Params& params, double reward);
double reporting_willingness(const Params& params, double reward);
double public_report_rate(const Params& params, std::int64_t hazards, double reward);
// The reward (yuan) for a handled report about an enterprise on `day`. Under the virtual
// experiment only reporters about treated enterprises are rewarded, from its start. (Inline: the
// enterprise events ask it at every event, from their copy of `treated`.)
inline double reward_for(const Params& params, bool treated, std::int64_t day) {
  const auto& x = params.experiment;
  if (x.treatment != Treatment::reporting_reward) return params.hotline.reward;
  return treated && day >= x.start_day ? params.hotline.reward : 0.0;
}
inline double reward_for(const World& world, const Params& params, std::uint32_t enterprise,
                         std::int64_t day) {
  return reward_for(params, world.enterprises.treated[enterprise] != 0, day);
}
double grid_discovery_rate(const World& world, const Params& params);
// Oversight (inspections.cpp): chance in [0, 1] that lenient enforcement is noticed by the media
// or by discipline inspection.
double oversight(const Params& params);
double working_days_in(std::int64_t first_day, int days);
// `specialist`: a professional inspecting the sector of their specialisation (staff.cpp).
double detection_probability(const Params& params, float skill, bool substantive, bool specialist = false);
double enforcement_capture(const World& world, const Params& params, std::uint32_t township);
// One inspection's effect on the enterprise, whoever employs the inspector: hazards found with the
// given detection probability, rectification ordered (or referred, without authority), fine.
struct InspectionOutcome {
  std::int64_t found = 0;
  std::int64_t major_found = 0;  // of `found`, major hazards (重大事故隐患)
  std::int64_t rectified = 0;
  double fine = 0;
  double sanctions = 0;  // yuan: the fine and what a suspension or a court case costs the enterprise
  bool suspended = false;          // production suspended (escalation ladder)
  bool referred_to_court = false;  // referred for prosecution before any accident (危险作业罪)
  bool follow_up_queued = false;   // orders left unrectified: a follow-up visit waits
};
// `department` is the inspecting department (kNoDepartment for an outside team with authority);
// `knows_a_hazard`: the visit answers a confirmed report or an unrectified order, and finds that
// hazard for certain. Repeat findings climb the escalation ladder (fines, suspension, court), and
// unrectified orders queue a follow-up.
InspectionOutcome inspect_enterprise(World& world, const Params& params, std::uint32_t enterprise, double detection,
                                     std::uint16_t department, std::int64_t day, bool knows_a_hazard,
                                     RandomStream& rng, Tally& tally);
// The record of one inspection for /events/inspections: where, by which department, what was
// found and done (the caller fills in inspector, mode, kind and published).
InspectionEvent inspection_event(const World& world, std::uint32_t enterprise, std::int64_t day,
                                 std::int32_t hazards_present, const InspectionOutcome& outcome,
                                 std::uint16_t department);
// Publicity of enforcement (曝光典型案例): a penalised case (any sanction) is published with
// enforcement.case_publicity, one draw from the visit's stream; a published case is noted on the
// enterprise for the month's learning of its township's other enterprises (enterprise_decisions.cpp).
// `hazards_present` is the enterprise's latent hazards at the visit. Returns whether it was published.
bool publish_case(World& world, const Params& params, std::uint32_t enterprise, std::int32_t hazards_present,
                  const InspectionOutcome& outcome, RandomStream& rng, Tally& tally);
// Enterprises::complaint_queued: why a priority visit waits.
inline constexpr std::uint8_t kQueuedReport = 1, kQueuedFollowUp = 2;
inline bool is_suspended(std::int32_t suspended_until, std::int64_t day) { return day < suspended_until; }
inline bool is_suspended(const Enterprises& e, std::size_t i, std::int64_t day) {
  return is_suspended(e.suspended_until[i], day);
}
// What an accident's investigation finds of the last inspection within the window.
enum class InspectionRecord : std::uint8_t { missing, formal, substantive };
// Inspector behaviour (inspector_behaviour.cpp): what a department's inspectors believe of blame,
// and the chance that an inspector chooses a substantive visit.
struct BlameBeliefs {
  double record_chance;           // chance that a record becomes the record of an investigated accident
  double punished_per_blame;      // staff punished when an investigation blames the department
  double substantive_protection;  // chance that a substantive record exempts its author
  double formal_protection;       // chance that a formal record exempts its author
};
double announced_protection(const Params& params, bool substantive);
BlameBeliefs initial_blame_beliefs(const Params& params);
BlameBeliefs department_blame_beliefs(const Departments& d, std::size_t k);
void init_blame_beliefs(World& world, const Params& params);
double blame_utility_gap(const Params& params, const BlameBeliefs& seen);
// Detection of a formal visit relative to a substantive one: its search efficiency x its time.
double formal_detection_factor(const Params& params);
double substantive_probability(const Params& params, double morale, const BlameBeliefs& seen);
// Learning from investigations (called by consequences.cpp): a verdict on a record of the
// department, the number punished when it was blamed, and, monthly, the share of its records
// that investigations took up.
void learn_verdict(Departments& d, std::size_t k, const Params& params, InspectionRecord record, bool exempted);
void learn_breadth(Departments& d, std::size_t k, const Params& params, std::size_t punished);
void learn_record_chance(Departments& d, std::size_t k, const Params& params, std::int64_t inspections);
// Policy (policy.cpp): whether a department runs a campaign on a day, and what it does to the
// time its inspectors give to inspections.
bool in_campaign(const Departments& d, std::size_t k, std::int64_t day);
double campaign_capacity_factor(const Departments& d, const Params& params, std::size_t k, std::int64_t day);
// Enterprise decisions (enterprise_decisions.cpp): what an enterprise expects of supervision,
// the steady hazard stock and yearly cost (yuan) of running at quality q under that expectation,
// and the build-time draw of safety culture and first perceptions.
struct PerceivedDeterrence {
  double inspection_rate;  // inspections/year
  double detection;        // chance an inspection finds a given latent hazard
  double fine;             // yuan per hazard found
};
PerceivedDeterrence initial_perception(const Params& params);
double expected_hazard_stock(const Params& params, int sector, float size_factor, double quality,
                             const PerceivedDeterrence& seen);
double expected_annual_cost(const Params& params, int sector, float size_factor, float safety_culture, double quality,
                            const PerceivedDeterrence& seen);
void init_enterprise_decisions(World& world, const Params& params, RandomKey key);
// Virtual experiment (experiment.cpp): who is treated, drawn at build time.
void assign_treatment(World& world, const Params& params, RandomKey key);
// Consequences (consequences.cpp): what the investigation finds of the responsible inspector's
// duty, whether the accountability rule blames it, how many colleagues are punished on average,
// who answers without a record, and a punishment (counted, and a loss of morale).
bool accountability_blames(const Params& params, InspectionRecord record, RandomStream& rng);
double punishment_breadth(const Params& params, Grade grade);
std::size_t accountable_department(const World& world, std::uint32_t enterprise);
void punish_inspector(Inspectors& in, std::uint32_t inspector, double own_loss);
// Staff (staff.cpp): morale events (also remembered in the morale target), the morale target,
// the monthly chance of leaving, skill growth, specialisation, and the build-time tenure and
// experience of the staff in post.
inline constexpr std::uint8_t kNoSpecialisation = 255;
void shift_morale(Inspectors& in, std::uint32_t inspector, double delta);
double morale_target(const Params& params, double enterprises_per_inspector, double memory);
double turnover_probability(const Params& params, double morale);
double skill_learning_rate(const Params& params);
double skill_after(const Params& params, double skill, double years);
bool is_specialist(const Inspectors& in, std::uint32_t inspector, int sector);
void init_staff(World& world, const Params& params, RandomKey key);
// Assessment (assessment.cpp): the veto and a department's score in [0, 1], weighting inspection
// counts, audited quality, fines and the rectification rate by the scenario's KPI weights.
bool township_vetoed(const Params& params, std::int64_t deaths_reported_this_year);
double department_score(const Params& params, double inspections_per_post, std::int64_t audited,
                        std::int64_t audited_formal, double fines_per_post = 0.0, std::int64_t found = 0,
                        std::int64_t rectified = 0);
// Planning support: risk bounds of risk-based targeting, after targets change; the largest risk
// planning could ever see in enterprise i (its bound).
void update_risk_bounds(World& world, const Params& params);
double max_known_risk(const Params& params, const Enterprises& e, std::uint32_t i);

}  // namespace anjian
