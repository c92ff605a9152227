#pragma once
// Coordination by the work-safety committee office (coordination.cpp): the yearly comprehensive
// supervision (综合监管) of industry departments by the bureau.

#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// An industry department's attention after the bureau's yearly assessment: below the norm it
// closes `strength` of its gap to full attention; at or above it, it goes `strength` of the way
// back to its own priorities (`own`).
double supervised_attention(double attention, double own, bool below_norm, double strength);

// The committee office (in the bureau) assesses each industry department's inspections per post
// this year against the bureau's own and moves its attention (supervised_attention). Called at
// the year's end, before the year's counts are cleared (assessment.cpp).
void supervise_industry_departments(World& world, const Params& params);

}  // namespace anjian
