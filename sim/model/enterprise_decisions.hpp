#pragma once
// Enterprise decisions (enterprise_decisions.cpp): perceived deterrence and the cost of a
// safety-management level.

#include <cstdint>

#include "core/random.hpp"
#include "model/enterprise_decisions_kernel.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// Enterprise decisions (enterprise_decisions.cpp): what an enterprise expects of supervision,
// the steady hazard stock and yearly cost (yuan) of running at quality q under that expectation,
// and the build-time draw of safety culture and first perceptions.
struct PerceivedDeterrence {
  double inspection_rate;  // inspections/year
  double detection;        // chance an inspection finds a given latent hazard
  double fine;             // yuan per hazard found
};
PerceivedDeterrence initial_perception(const Params& params);
double expected_hazard_stock(const Params& params, int sector, float size_factor, double quality,
                             const PerceivedDeterrence& seen);
double expected_annual_cost(const Params& params, int sector, float size_factor, float safety_culture,
                            double quality, const PerceivedDeterrence& seen);
void init_enterprise_decisions(World& world, const Params& params, RandomKey key);
// The levels of q an enterprise weighs, with their terms of the yearly cost.
Levels all_levels(const Params& params);
// The logit choice of one enterprise among the levels (an index in kQualityLevels), in single
// precision: weights exp(-(cost - cheapest cost) x inverse_noise), and the level where `uniform`
// falls among their running sums. The reference rule that choose_levels computes in lanes.
std::int32_t choose_level(const Levels& levels, float inverse_noise, const EnterpriseTerms<float>& f,
                          float uniform);

}  // namespace anjian
