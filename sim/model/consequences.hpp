#pragma once
// Consequences (consequences.cpp): accountability after accidents.

#include <cstddef>
#include <cstdint>

#include "core/random.hpp"
#include "model/inspector_behaviour.hpp"
#include "model/step_context.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// Consequences (consequences.cpp): the rule an accident's investigators apply, what the
// investigation finds of the responsible inspector's duty and whether that rule blames it, how many
// colleagues are punished on average, who answers without a record, and a punishment (counted,
// and a loss of morale).
AccountabilityRule investigating_rule(const Params& params, Grade grade);
bool accountability_blames(const Params& params, InspectionRecord record, Grade grade, RandomStream& rng);
double punishment_breadth(const Params& params, Grade grade);
std::size_t accountable_department(const World& world, std::uint32_t enterprise);
void punish_inspector(Inspectors& in, std::uint32_t inspector, double own_loss);

}  // namespace anjian
