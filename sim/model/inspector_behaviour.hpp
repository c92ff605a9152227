#pragma once
// Inspector behaviour (inspector_behaviour.cpp): beliefs about blame and the choice of a
// substantive visit, learned from investigations.

#include <cstddef>
#include <cstdint>

#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// What an accident's investigation finds of the last inspection within the window.
enum class InspectionRecord : std::uint8_t { missing, formal, substantive };
// Inspector behaviour (inspector_behaviour.cpp): what a department's inspectors believe of blame
// and of what going deep turns up, and the chance that an inspector chooses a substantive visit.
struct InspectorBeliefs {
  double record_chance;           // chance that a record becomes the record of an investigated accident
  double punished_per_blame;      // staff punished when an investigation blames the department
  double substantive_protection;  // chance that a substantive record exempts its author
  double formal_protection;       // chance that a formal record exempts its author
  double fines_per_substantive = 0;  // yuan a substantive visit brings in fines
};
double announced_protection(const Params& params, bool substantive);
InspectorBeliefs initial_beliefs(const Params& params);
InspectorBeliefs department_beliefs(const Departments& d, std::size_t k);
void init_inspector_beliefs(World& world, const Params& params);
double blame_utility_gap(const Params& params, const InspectorBeliefs& seen);
// The fines KPI's pull towards substantive work: the share of the fines target a year of
// substantive visits would reach at the fines seen per visit, for the finds a formal one misses.
double fines_utility_gap(const Params& params, const InspectorBeliefs& seen);
// Detection of a formal visit relative to a substantive one: its search efficiency x its time.
double formal_detection_factor(const Params& params);
// The part of a substantive visit's place in the month's visits that a formal one takes: its
// time, plus the time it saves that does not go to further visits (planning.saved_time_to_visits).
double formal_visit_slot(const Params& params);
// The chance of a substantive visit. `target_risk`: the target's known risk against the mean of
// the department's visits (visit_risk_seen), by which a record's chance of blame scales; 1 where
// the target is not yet known or does not matter (the blame term is 0).
double substantive_probability(const Params& params, double morale, const InspectorBeliefs& seen,
                               double target_risk = 1.0);
// Learning from investigations and visits (called by consequences.cpp): a verdict on a record of the
// department, the number punished when it was blamed, and, monthly, the share of its records
// that investigations took up.
void learn_verdict(Departments& d, std::size_t k, const Params& params, InspectionRecord record,
                   bool exempted);
void learn_breadth(Departments& d, std::size_t k, const Params& params, std::size_t punished);
void learn_record_chance(Departments& d, std::size_t k, const Params& params, std::int64_t inspections);
// Monthly, from the department's substantive visits of the month and the fines they imposed.
void learn_fines_per_substantive(Departments& d, std::size_t k, const Params& params, std::int64_t substantive_visits);
// Monthly, from the known risk of the enterprises the department's visits of the month went to.
void learn_visit_risk(Departments& d, std::size_t k, const Params& params, std::int64_t inspections);

}  // namespace anjian
