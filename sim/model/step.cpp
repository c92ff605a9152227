// One step: the phases of MODEL.md section 3 in their fixed order. Phases of the full model
// (policy, public reporting, consequences, enterprise decisions, staff, assessment) slot in here.

#include "model/phases.hpp"

namespace anjian {

void StepContext::begin_step(std::int64_t step_index, int step_days) {
  step = step_index;
  days = step_days;
  first_day = step_index * step_days;
  years = static_cast<double>(step_days) / 365.0;
  tally = Tally{};
  visits.clear();
}

void run_step(World& world, const Params& params, StepContext& ctx) {
  phase_hazards(world, params, ctx);
  phase_inspection_planning(world, params, ctx);
  phase_inspections(world, params, ctx);
  phase_accidents(world, params, ctx);
  phase_observation(world, params, ctx);
}

}  // namespace anjian
