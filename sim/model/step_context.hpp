#pragma once
// What one step knows besides the World: where it is in time, its random key, and what the
// phases hand to one another (planned visits) or to observation (tallies, events).

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/random.hpp"
#include "model/metrics.hpp"

namespace anjian {

enum class Severity : std::uint8_t { NearMiss = 0, Minor = 1, Serious = 2, Fatal = 3 };

// Accident grades of State Council Decree 493 (2007), Art. 3.
enum class Grade : std::uint8_t { General = 0, Larger = 1, Major = 2, EspeciallyMajor = 3 };
Grade accident_grade(std::int64_t deaths, std::int64_t serious_injuries);

struct AccidentEvent {
  std::int64_t day;
  std::uint32_t enterprise;
  std::uint8_t sector;
  std::uint32_t township;
  Severity severity;
  Grade grade;
  std::int32_t deaths;
  std::int32_t injuries;
  bool reported;
  bool exposed = false;  // concealed, then exposed by the media (it stays unreported)
};

// One inspection as /events/inspections records it (output.inspection_events), its fields the
// columns of inspection_event_columns.def.
struct InspectionEvent {
#define ANJIAN_INSPECTION_COLUMN(type, name, unit, codes, description) type name{};
#include "model/inspection_event_columns.def"
#undef ANJIAN_INSPECTION_COLUMN
};
inline constexpr std::uint32_t kExperimentalTeam = 0xFFFFFFFFu;  // InspectionEvent::inspector
// InspectionEvent::kind, InspectionEvent::action (codes of inspection_event_columns.def).
enum class VisitKind : std::uint8_t { routine = 0, complaint = 1, follow_up = 2, experimental = 3 };
enum class FindingAction : std::uint8_t { none = 0, rectification_order = 1, referral = 2 };

struct PlannedVisit {
  std::uint32_t inspector;
  std::uint32_t enterprise;
  bool substantive;  // the inspector's choice of mode, made when planning (it sets the time used)
  bool complaint;    // answering a handled public report
  std::int32_t hazards_found = 0;  // filled in by the inspections phase
  // Where the enterprise is, also filled in by the inspections phase, which reads it anyway: the
  // observation by group would otherwise look it up on one thread, a cache miss per visit.
  std::uint32_t township = 0;
  std::uint8_t sector = 0;
};

// Under which engine.sampling a phase runs (phase_table.def).
enum class PhaseScheme : std::uint8_t { both, daily, next_event };

// Where a replicate's wall time goes, for `anjian run --stats` (docs/performance.md): the phases
// of run_step (phase_table.def), and the work around them in run_replicate.
enum class Timed : std::uint8_t {
  build_world,
#define ANJIAN_PHASE(name, label, scheme) name,
#include "model/phase_table.def"
#undef ANJIAN_PHASE
  group_observation,
  count
};
constexpr std::size_t kTimedCount = static_cast<std::size_t>(Timed::count);
// clang-format off
constexpr std::array<const char*, kTimedCount> kTimedNames = {
    "building the world",
#define ANJIAN_PHASE(name, label, scheme) label,
#include "model/phase_table.def"
#undef ANJIAN_PHASE
    "observation by group"};
// clang-format on
using PhaseSeconds = std::array<double, kTimedCount>;

struct Grouped;  // core/grouped.hpp

struct StepContext {
  RandomKey key;
  std::int64_t step = 0;
  std::int64_t first_day = 0;  // calendar day (from 0) at which this step begins
  int days = 1;                // calendar days in this step
  double years = 1.0 / 365.0;  // length of the step in years

  bool month_ends = false;     // the step contains the last day of a calendar month
  bool year_ends = false;      // the step contains day 365 of a simulated year
  bool year_starts = false;    // the step contains day 1 of a simulated year
  std::int64_t month = 0;      // month index (from 0) of the step's last day

  Tally tally;                           // flows of this step, stocks at its end
  std::vector<PlannedVisit> visits;      // from planning to inspections
  // The run's inspections as they happened, while record_inspections is set (output.inspection_events,
  // after the burn-in): the step's department visits in planning (inspector) order, then the
  // experimental team's in enterprise order.
  bool record_inspections = false;
  std::vector<InspectionEvent> inspections;
  // Inspectors in post per department, built by the first phase of the step that asks for it
  // (step_roster, phases.hpp).
  std::shared_ptr<const Grouped> roster;
  std::vector<AccidentEvent> accidents;  // the run's accidents (not yet let go of), appended in a fixed order
  std::uint64_t accidents_forgotten = 0;     // let go of before accidents[0] (forget_seen_accidents)
  std::size_t accidents_seen_by_policy = 0;  // policy reacts to accidents after this index
  std::size_t step_accidents_begin = 0;      // this step's accidents start at this index
  // Stocks that change only monthly (enterprise decisions), carried between month ends.
  bool quality_means_known = false;
  double quality_mean = 0, perceived_rate_mean = 0;
  bool time_phases = false;  // keep `seconds` (a clock read per phase)
  PhaseSeconds seconds{};    // wall time so far, summed over steps (not reset by begin_step)

  void begin_step(std::int64_t step_index, int step_days);
  // Lets go of the accidents every phase has seen, those before accidents_seen_by_policy (call
  // it between steps). Their count goes to accidents_forgotten, so that an accident's place in
  // the run's list (its investigation's stream) stays the same.
  void forget_seen_accidents();
};

// Calendar of 365-day years with the usual month lengths; day 0 is 1 January of year 1.
std::int64_t month_of_day(std::int64_t day);

}  // namespace anjian
