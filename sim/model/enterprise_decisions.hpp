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
// Carrying out a rectification order (整改) by its deadline is the enterprise's choice: it weighs
// what rectifying costs (enforcement.rectification_cost) against the sanction the order names
// for not doing so (the continuing fine of a repeat offence, enforcement.fine_per_hazard x
// repeat_fine_multiplier, less the township's leniency `capture`) times the chance
// `verification` it expects a refusal to be verified; enterprises.compliance_noise (yuan) is
// the logit scale of its private reasons. Returns the probability of carrying out one order.
double order_compliance(const Params& params, double verification, double capture);
// The chance an enterprise expects a refused order to be verified: certain where orders are
// re-inspected (enforcement.follow_up); otherwise only if a routine visit finds the hazard anew
// within a year, at the inspection rate and detection it perceives.
double refusal_verification(const Params& params, const PerceivedDeterrence& seen);
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
