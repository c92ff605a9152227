#pragma once
// Enterprise decisions (enterprise_decisions.cpp): perceived deterrence and the cost of a
// safety-management level.

#include "core/random.hpp"
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

}  // namespace anjian
