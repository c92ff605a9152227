#pragma once
// Accidents (accidents.cpp): their rate, one accident with its casualties and concealment, and
// the laws of concealment, shared with the enterprise events and tests.

#include <cstdint>

#include "core/random.hpp"
#include "model/enterprise_outcomes.hpp"
#include "model/step_context.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// The accident law (docs/ODD.md section 6, "Accident hazard"), per year: (a (1 - m q) + b h) times
// the size factor, written once for the daily phase, the enterprise events, the enterprises'
// beliefs and the tests. management_factor is its 1 - m q: the share of the risk without hazards
// that safety management at quality q leaves.
// Inline: the enterprise events evaluate them at every event.
inline double management_factor(const Params& params, double quality) {
  return 1.0 - params.accidents.management_effect * quality;
}
inline double accident_rate(const Params& params, int sector, float size_factor, float quality,
                            std::int64_t hazards) {
  const auto& s = params.sectors[sector];
  return (s.accident_base * management_factor(params, quality) +
          s.accident_per_hazard * static_cast<double>(hazards)) *
         size_factor;
}
// One accident of producing enterprise i, at `site`, on `day` (accidents.cpp): severity,
// casualties, concealment, the media (their stream keyed (MediaExposure, i, media_counter)),
// clean-up.
AccidentSite accident_site(const Enterprises& e, std::uint32_t i);
void accident_at(World& world, const Params& params, std::uint32_t i, const AccidentSite& site,
                 std::int64_t day, RandomStream& rng, RandomKey key, std::uint64_t media_counter,
                 EnterpriseOutcomes& out);
// Concealment (accidents.cpp): pressure in [0, 1) of a township's death ceiling (its share of the
// county's figure; 0 pressure without a county figure) if an accident with `deaths` were reported; chance that a concealed accident comes to light (media, records,
// insiders' reports at the hotline's `reward`); chance that a reportable accident is concealed (a
// logit whose intercept is the propensity at zero pressure, zero growth priority, no chance of
// exposure and no oversight).
double death_target_pressure(const Params& params, std::int32_t death_ceiling,
                             std::int64_t deaths_reported_this_year, std::int64_t deaths);
double exposure_probability(const Params& params, std::int64_t deaths, std::int64_t injuries,
                            double reward = 0.0);
double concealment_probability(const Params& params, Severity severity, std::int64_t deaths,
                               std::int64_t injuries = 0, double pressure = 0.0, double growth_priority = 0.0,
                               double reward = 0.0);

}  // namespace anjian
