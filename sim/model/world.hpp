#pragma once
// The state of one simulated jurisdiction, as columns (structure of arrays): one contiguous
// vector per field, indexed by entity id. Behaviour lives in the phase files, not here.

#include <cstdint>
#include <deque>
#include <limits>
#include <span>
#include <vector>

#include "core/grouped.hpp"
#include "core/huge_pages.hpp"
#include "core/marks.hpp"
#include "core/random.hpp"
#include "scenario/params.hpp"

namespace anjian {

// Columns are declared once in the *_columns.def tables; for_each_column lets generic code
// (resizing, the result writer) visit them all.
struct Enterprises {
#define ANJIAN_COLUMN(type, name, saved, unit, description) HugeVector<type> name;
#include "model/enterprise_columns.def"
#undef ANJIAN_COLUMN

  // Calls f(&Enterprises::column, "column", saved, unit, description) for every column.
  template <class F>
  static void for_each_column(F&& f) {
#define ANJIAN_COLUMN(type, name, saved, unit, description) f(&Enterprises::name, #name, saved, unit, description);
#include "model/enterprise_columns.def"
#undef ANJIAN_COLUMN
  }

  std::size_t size() const { return sector.size(); }
  void resize(std::size_t n);
};

struct Inspectors {
#define ANJIAN_COLUMN(type, name, saved, unit, description) HugeVector<type> name;
#include "model/inspector_columns.def"
#undef ANJIAN_COLUMN

  // Calls f(&Inspectors::column, "column", saved, unit, description) for every column.
  template <class F>
  static void for_each_column(F&& f) {
#define ANJIAN_COLUMN(type, name, saved, unit, description) f(&Inspectors::name, #name, saved, unit, description);
#include "model/inspector_columns.def"
#undef ANJIAN_COLUMN
  }

  std::size_t size() const { return skill.size(); }
  void resize(std::size_t n);
};

struct NetworkSpec;  // network.hpp

inline constexpr std::uint16_t kNoDepartment = std::numeric_limits<std::uint16_t>::max();
inline constexpr std::uint32_t kNoTownship = std::numeric_limits<std::uint32_t>::max();

// An orphan: a registered enterprise that no county department claims (jurisdiction.orphan_share),
// until the committee office assigns it.
inline bool is_orphan(const Enterprises& e, std::size_t i) {
  return e.registered[i] && e.primary_department[i] == kNoDepartment;
}

enum class DepartmentKind : std::uint8_t {
  emergency_management,  // comprehensive supervisor; industry and trade, hazardous chemicals, non-coal mines, orphans
  construction,          // housing and construction bureau: construction
  natural_resources,     // mining rights (a second claimant of every mine); searches for illegal mines
  market_supervision,    // special equipment across sectors
  township_office,       // one per township: territorial (属地) supervision of all its enterprises
};
inline constexpr int kCountyDepartmentKinds = 4;
std::string_view department_kind_name(DepartmentKind kind);
// The county department that the responsibility list makes responsible for a sector.
DepartmentKind responsible_kind(Sector sector);

struct Departments {
#define ANJIAN_COLUMN(type, name, saved, unit, description) HugeVector<type> name;
#include "model/department_columns.def"
#undef ANJIAN_COLUMN

  // Calls f(&Departments::column, "column", saved, unit, description) for every column.
  template <class F>
  static void for_each_column(F&& f) {
#define ANJIAN_COLUMN(type, name, saved, unit, description) f(&Departments::name, #name, saved, unit, description);
#include "model/department_columns.def"
#undef ANJIAN_COLUMN
  }
  // Handled public reports waiting for a complaint inspection, oldest first.
  std::vector<std::deque<std::uint32_t>> complaints;
  // Registered enterprises each department can plan visits to (derived; see rebuild_targets).
  std::vector<std::vector<std::uint32_t>> targets;
  // Largest known risk among each department's targets, for risk-based sampling (derived).
  std::vector<double> risk_bound;
  // Per department, for each of its targets (same positions): whether a second county
  // department claims it too (planning_weight's buck-passing), and how many leading targets are
  // in enterprise order (as rebuild_targets lists them), among which add_new_targets finds by
  // bisection an orphan whose claim changed. Derived: inspection planning extends the flags as
  // targets are appended (update_shared_targets); rebuild_targets empties them.
  struct SharedTargets {
    std::vector<std::uint8_t> flags;
    std::size_t sorted = 0;
  };
  std::vector<SharedTargets> target_shared;

  std::size_t size() const { return kind.size(); }
  void resize(std::size_t n);
};

struct Townships {
#define ANJIAN_COLUMN(type, name, saved, unit, description) HugeVector<type> name;
#include "model/township_columns.def"
#undef ANJIAN_COLUMN

  // Calls f(&Townships::column, "column", saved, unit, description) for every column.
  template <class F>
  static void for_each_column(F&& f) {
#define ANJIAN_COLUMN(type, name, saved, unit, description) f(&Townships::name, #name, saved, unit, description);
#include "model/township_columns.def"
#undef ANJIAN_COLUMN
  }

  std::size_t size() const { return growth_priority.size(); }
  void resize(std::size_t n);
};

// Resizes every column of a table to n rows.
template <class Table>
void resize_columns(Table& table, std::size_t n) {
  Table::for_each_column([&](auto column, auto&&...) { (table.*column).resize(n); });
}

// What enterprise i's event rates depend on (enterprise_events.cpp), copied from its columns
// each time it is scheduled from them: at the start of every month and after every
// rates_changed. Between those only its own events change them, and they update the copy too.
struct RateInputs {
  float size_factor = 0;
  float safety_quality = 0;
  std::int32_t hazards = 0;
  std::int32_t suspended_until = 0;
  std::uint8_t sector = 0;
  bool registered = false;
  bool treated = false;
};

// What an accident at an enterprise reads of it besides its hazards (accidents.cpp): fixed
// from the world's build on.
struct AccidentSite {
  std::uint32_t township = 0;
  std::uint32_t workers = 0;
  std::uint8_t sector = 0;
};

// Enterprise i's next own event under next-event sampling (enterprise_events.cpp), with the
// inputs of its rates, kept in one cache line: a day's events reach enterprises scattered over
// the table, and an event reads all of this, so it costs one cache miss where seven columns
// cost seven (docs/performance.md, round 4).
struct alignas(64) EventClock {
  double time = std::numeric_limits<double>::infinity();  // day of the next event; +inf = none before the horizon
  double rate = 0;            // events/day in all, when `time` was last drawn or rescaled
  std::uint64_t entered = 0;  // bit d: it has an entry in the calendar's ring bucket d (so at most one)
  std::uint32_t draws = 0;    // waiting times drawn so far (counter of its EnterpriseEvents stream)
  bool wakes = false;         // the next "event" is only a change of rates (end of a suspension, start of a reward)
  RateInputs inputs;          // what `rate` was computed from, kept current by the enterprise's own events
  AccidentSite site;          // what an accident reads, here rather than in three more cache lines
};
static_assert(sizeof(EventClock) == 64);

// Next-event sampling (enterprise_events.cpp): enterprises by the day of their next own event.
// Draws never reach beyond `horizon`, the first day after the next monthly decisions, when
// every enterprise is drawn anew; so a ring of a month or two of days holds every future event.
struct EventCalendar {
  static constexpr std::int64_t kRingDays = 64;
  std::vector<std::vector<std::uint32_t>> days = std::vector<std::vector<std::uint32_t>>(kRingDays);
  std::int64_t horizon = -1;  // -1: nothing scheduled yet
  HugeVector<EventClock> clocks;  // one per enterprise, from the first step
  // Enterprises whose rates another phase changed (inspections, suspensions): drawn anew the
  // next day. A bit per enterprise, marked by the parallel tasks of that phase and read back in
  // enterprise order (a day's few thousand, sorted and merged on one thread, were 1.5% of a
  // two-thread province run).
  Marks changed;
};

// Stocks of the register (observation.cpp): counted by a pass once, then kept up to date where
// enterprises are registered (merge_outcomes) or assigned a department (coordination).
struct RegistryStocks {
  bool known = false;
  double workers = 0, unregistered = 0, orphaned = 0;
};

// Latent hazards over every enterprise (observation.cpp): counted by a pass once, then kept from
// each step's flows. Every phase that changes an enterprise's hazards tallies the change as
// one of hazards_arrived, hazards_self_removed, hazards_removed_after_accident or
// hazards_rectified (tests/cpp/test_invariants.cpp checks the stock against recounts).
struct HazardStock {
  bool known = false;
  std::int64_t latent = 0;
};

struct World {
  Enterprises enterprises;
  Inspectors inspectors;
  Departments departments;
  Townships townships;
  // Enterprises visible to planning, per department; rebuilt when jurisdiction is redrawn
  // (targets_stale), at most once a step. Registrations and assignments in between are added
  // to the lists in the order they happened (newly_registered, newly_assigned), which costs
  // O(1) each instead of a pass over every enterprise.
  bool targets_stale = true;
  std::vector<std::uint32_t> newly_registered;
  std::vector<std::uint32_t> newly_assigned;
  RegistryStocks registry;
  HazardStock hazard_stock;
  EventCalendar calendar;
  // Enterprises of the mining sector, among which natural resources search for illegal mines
  // (public_reporting.cpp). Sectors do not change after the build, so the phases count them once
  // (count_mines) instead of at every step: a pass over a province's million enterprises a day
  // was 5% of its run. -1 until counted; a world read from a checkpoint counts them again.
  std::int64_t mines = -1;
};

// Recomputes departments.targets from registration and jurisdiction (and pooled teams), and the
// risk bounds of risk-based targeting over them.
void rebuild_targets(World& world, const Params& params);
// Adds the enterprises registered or assigned a department since the last call to the target
// lists they now belong to.
void add_new_targets(World& world, const Params& params);

// Inspectors in post, grouped by department, each group in index order: department k's are
// of(k), and groups() is the number of departments.
using DepartmentStaff = Grouped;
DepartmentStaff department_staff(const World& world);

}  // namespace anjian
