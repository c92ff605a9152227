#pragma once
// Hazards (hazards.cpp): the rates at which latent hazards arrive and the enterprise's own
// management removes them, shared with the enterprise events and the building of the world.

#include "scenario/params.hpp"

namespace anjian {

// Functional forms shared by phases and tests (docs/ODD.md section 6): hazard arrival and
// self-removal.
double hazard_arrival_rate(const Params& params, int sector, float size_factor, float quality);
double hazard_removal_rate(const Params& params, float quality);

}  // namespace anjian
