#pragma once
// Hazards (hazards.cpp): the rates at which latent hazards arrive and the enterprise's own
// management removes them, shared with the enterprise events and the building of the world.

#include "scenario/params.hpp"

namespace anjian {

// Functional forms shared by phases and tests (docs/ODD.md section 6): hazard arrival and
// self-removal.
// Inline: the enterprise events evaluate them at every event.
inline double hazard_arrival_rate(const Params& params, int sector, float size_factor, float quality) {
  return params.sectors[sector].hazard_arrival * size_factor * (1.0 - quality);
}
inline double hazard_removal_rate(const Params& params, float quality) {
  return params.hazards.removal_base + params.hazards.removal_per_quality * quality;
}

}  // namespace anjian
