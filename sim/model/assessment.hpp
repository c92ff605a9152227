#pragma once
// Assessment (assessment.cpp): the county's death control figure broken down to townships, the
// death-target veto and the KPI score of departments.

#include <cstdint>
#include <vector>

#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// The county's yearly death control figure (死亡控制指标) broken down (分解) to its townships:
// integer shares proportional to `workers` (one entry per township) that sum to
// round(county_figure), by largest remainders, ties to the lower township index. Shares may be 0.
// Without workers anywhere the townships weigh alike.
std::vector<std::int32_t> break_down_death_ceiling(double county_figure, const std::vector<std::int64_t>& workers);
// Sets every township's death_ceiling from assessment.death_target and the workers of its
// enterprises (the model is one county; build_world, and again when the figure changes).
void assign_death_ceilings(World& world, const Params& params);

// Assessment (assessment.cpp): the veto (reported deaths over the township's ceiling, under a
// county target and the veto) and a department's score in [0, 1], weighting inspection counts,
// audited quality, fines and the rectification rate by the scenario's KPI weights (the count's
// score alone where no weight is set: the civil service's yearly assessment of work done).
bool township_vetoed(const Params& params, std::int32_t death_ceiling, std::int64_t deaths_reported_this_year);
double department_score(const Params& params, double inspections_per_post, std::int64_t audited,
                        std::int64_t audited_formal, double fines_per_post = 0.0, std::int64_t found = 0,
                        std::int64_t rectified = 0);

}  // namespace anjian
