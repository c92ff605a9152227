#pragma once
// Public reporting and grid patrols (public_reporting.cpp): the laws of reporting, shared
// with the enterprise events, accidents and tests.

#include <cstdint>

#include "model/enterprise_outcomes.hpp"
#include "model/metrics.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// A report about enterprise i the hotline acted on (public_reporting.cpp): registers a blind
// spot, queues one complaint inspection; and a blind spot registered by whoever found it.
void act_on_handled_report(World& world, std::uint32_t i, EnterpriseOutcomes& out);
void register_enterprise(Enterprises& e, std::uint32_t i, Metric found_by, EnterpriseOutcomes& out);
// Public reporting (public_reporting.cpp): the reward's multiplier of reporting (saturating),
// reporting per hazard relative to citizens.report_rate, reports a year about an enterprise,
// the reward that applies to reports about it (virtual experiment), and the yearly rate at which
// grid patrols find a given unregistered enterprise.
double reward_incentive(const Params& params, double reward);
double reporting_willingness(const Params& params, double reward);
double public_report_rate(const Params& params, std::int64_t hazards, double reward);
// The reward (yuan) for a handled report about an enterprise on `day`. Under the virtual
// experiment only reporters about treated enterprises are rewarded, from its start. (Inline: the
// enterprise events ask it at every event, from their copy of `treated`.)
inline double reward_for(const Params& params, bool treated, std::int64_t day) {
  const auto& x = params.experiment;
  if (x.treatment != Treatment::reporting_reward) return params.hotline.reward;
  return treated && day >= x.start_day ? params.hotline.reward : 0.0;
}
inline double reward_for(const World& world, const Params& params, std::uint32_t enterprise,
                         std::int64_t day) {
  return reward_for(params, world.enterprises.treated[enterprise] != 0, day);
}
double grid_discovery_rate(const World& world, const Params& params);
// The yearly rate at which natural-resources inspectors find a given unregistered mine (illegal
// mining): their filled posts x departments.illegal_mining_search_rate / the county's mines
// (world.mines once count_mines has counted them, else counted here).
double illegal_mining_discovery_rate(const World& world, const Params& params);
// Counts the world's mines into world.mines, once.
void count_mines(World& world);

}  // namespace anjian
