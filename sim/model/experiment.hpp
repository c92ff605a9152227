#pragma once
// Virtual experiment (experiment.cpp): who is treated.

#include "core/random.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// Virtual experiment (experiment.cpp): who is treated, drawn at build time.
void assign_treatment(World& world, const Params& params, RandomKey key);

}  // namespace anjian
