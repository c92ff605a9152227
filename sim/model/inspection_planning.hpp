#pragma once
// Inspection planning (inspection_planning.cpp): how departments split their work into tasks,
// working days, and the risk bounds of risk-based targeting.

#include <cstddef>
#include <cstdint>

#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// Departments per parallel task of planning and inspections: fixed, so that the tasks (and
// the order in which their results merge) do not depend on the number of threads. A county's
// few departments make one task, which runs without the machinery for many.
inline constexpr std::size_t kDepartmentsPerTask = 64;
// Working days (days 0-4 of each week) among the `days` calendar days from first_day.
double working_days_in(std::int64_t first_day, int days);
// Planning support: risk bounds of risk-based targeting, after targets change; the largest risk
// planning could ever see in enterprise i (its bound).
void update_risk_bounds(World& world, const Params& params);
double max_known_risk(const Params& params, const Enterprises& e, std::uint32_t i);
// The accident rate (a year) planning can know of enterprise i: the accident law at its sector
// and size, with the hazards its inspections have found so far and the county's mean management.
double known_risk(const Params& params, const Enterprises& e, std::uint32_t i);
// The weight department k gives enterprise i when it draws its routine targets: 1 - buck_passing
// for a county department when two county departments claim i (each expects the other to act,
// 推诿), 1 otherwise. Shared records or pooled teams make responsibility clear: then always 1.
double planning_weight(const World& world, const Params& params, std::size_t k, std::uint32_t i);

}  // namespace anjian
