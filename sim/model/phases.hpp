#pragma once
// The phases of one step, in the order of docs/ODD.md section 3 (phase_table.def). Each is a
// function of the World, the parameters and the step context, implemented in its own file under
// sim/model/.

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

// Inspectors in post per department in this step: built once a step, by the first phase that
// asks (planning, consequences). Posts change only in the staff phase, after both.
const DepartmentStaff& step_roster(const World& world, StepContext& ctx);

// Runs every phase in order for one step.
void run_step(World& world, const Params& params, StepContext& ctx);

}  // namespace anjian
