#pragma once
// Assessment (assessment.cpp): the death-target veto and the KPI score of departments.

#include <cstdint>

#include "scenario/params.hpp"

namespace anjian {

// Assessment (assessment.cpp): the veto and a department's score in [0, 1], weighting inspection
// counts, audited quality, fines and the rectification rate by the scenario's KPI weights.
bool township_vetoed(const Params& params, std::int64_t deaths_reported_this_year);
double department_score(const Params& params, double inspections_per_post, std::int64_t audited,
                        std::int64_t audited_formal, double fines_per_post = 0.0, std::int64_t found = 0,
                        std::int64_t rectified = 0);

}  // namespace anjian
