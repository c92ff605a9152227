#pragma once
// Inspections (inspections.cpp): one inspection's effect and record, shared with the
// virtual experiment, and the forms of detection and oversight.

#include <cstdint>

#include "core/random.hpp"
#include "model/metrics.hpp"
#include "model/step_context.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// Oversight (inspections.cpp): chance in [0, 1] that lenient enforcement is noticed by the media
// or by discipline inspection.
double oversight(const Params& params);
// `specialist`: a professional inspecting the sector of their specialisation (staff.cpp).
double detection_probability(const Params& params, float skill, bool substantive, bool specialist = false);
double enforcement_capture(const World& world, const Params& params, std::uint32_t township);
// One inspection's effect on the enterprise, whoever employs the inspector: hazards found with the
// given detection probability, rectification ordered (or referred, without authority), fine.
struct InspectionOutcome {
  std::int64_t found = 0;
  std::int64_t major_found = 0;  // of `found`, major hazards (重大事故隐患)
  std::int64_t ordered = 0;    // of `found`, put under a rectification order (by the county, on a referral)
  std::int64_t refused = 0;    // earlier orders found not carried out by their deadline (not in `found`)
  std::int64_t rectified = 0;  // ordered hazards removed: of `found` by the deadline, and of `refused`
  double fine = 0;
  double sanctions = 0;    // yuan: the fine and what a suspension or a court case costs the enterprise
  double finding_sanctions = 0;  // yuan: the share of `sanctions` the hazards found bear (not the refusals)
  bool suspended = false;  // production suspended (escalation ladder)
  bool referred_to_court = false;  // referred for prosecution before any accident (危险作业罪)
  bool follow_up_queued = false;   // an order refused: a follow-up visit (复查) waits
};
// What an inspector with authority may do about what it found: order rectification and sanction
// (fines and the escalation ladder), or only order rectification (the experimental team without
// penalties, experiment.team_penalises).
enum class Sanctioning : std::uint8_t { orders_and_sanctions, orders_only };
// `department` is the inspecting department (kNoDepartment for an outside team with authority);
// `knows_a_hazard`: the visit answers a confirmed report, and finds the reported hazard for
// certain. Hazards under a refused order (Enterprises::ordered_hazards) are not found anew:
// staff with authority verify them and order them again. Repeat findings and refusals climb the
// escalation ladder (fines, suspension, court), and a refused order queues a follow-up.
InspectionOutcome inspect_enterprise(World& world, const Params& params, std::uint32_t enterprise,
                                     double detection, std::uint16_t department, std::int64_t day,
                                     bool knows_a_hazard, RandomStream& rng, Tally& tally,
                                     Sanctioning sanctioning = Sanctioning::orders_and_sanctions);
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

}  // namespace anjian
