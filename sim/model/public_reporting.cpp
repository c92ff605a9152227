// Public reporting and grid patrols (docs/ODD.md section 3 step 3, section 6 "Reporting"; Seed map:
// blind areas, letters-visits-reporting, weak legal awareness, R4 grid management, R5 rewards and
// protection): workers and residents report latent hazards to the hotline, which acts on a share;
// a handled report queues a complaint inspection and brings a blind-spot enterprise onto the
// register; grid members find unregistered enterprises while patrolling their township.

#include <algorithm>
#include <cmath>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "model/enterprise_outcomes.hpp"
#include "model/inspections.hpp"
#include "model/phases.hpp"
#include "model/public_reporting.hpp"

namespace anjian {

double reward_incentive(const Params& params, double reward) {
  // Saturating: each further yuan buys less extra reporting (diminishing returns).
  const auto& h = params.hotline;
  return 1.0 + h.reward_response * (1.0 - std::exp(-reward / h.reward_scale));
}

double reporting_willingness(const Params& params, double reward) {
  const auto& c = params.citizens;
  const auto& h = params.hotline;
  // Reporters told the outcome know the handling quality; the others keep their prior belief.
  const double trust = h.feedback * h.handling_quality + (1.0 - h.feedback) * c.trust_prior;
  // Protection removes its share of the fear of retaliation.
  const double courage = 1.0 - c.retaliation_fear * (1.0 - h.protection);
  return c.legal_awareness * trust * courage * reward_incentive(params, reward);
}

double public_report_rate(const Params& params, std::int64_t hazards, double reward) {
  return static_cast<double>(hazards) * params.citizens.report_rate * reporting_willingness(params, reward);
}

double grid_discovery_rate(const World& world, const Params& params) {
  const auto& e = world.enterprises;
  if (e.size() == 0 || world.townships.size() == 0) return 0.0;
  // Random search: each member covers a township of average size, so a given unregistered
  // enterprise is found at members x discovery_rate / enterprises-per-township a year.
  const double per_township = static_cast<double>(e.size()) / static_cast<double>(world.townships.size());
  return static_cast<double>(params.grid.members_per_township) * params.grid.discovery_rate / per_township;
}

namespace {

std::int64_t mines_in(const Enterprises& e) {
  return std::count(e.sector.begin(), e.sector.end(), static_cast<std::uint8_t>(Sector::mining));
}

}  // namespace

void count_mines(World& world) {
  if (world.mines < 0) world.mines = mines_in(world.enterprises);
}

double illegal_mining_discovery_rate(const World& world, const Params& params) {
  const std::int64_t mines = world.mines >= 0 ? world.mines : mines_in(world.enterprises);
  if (mines == 0 || params.departments.illegal_mining_search_rate <= 0.0) return 0.0;
  const auto& in = world.inspectors;
  const auto& d = world.departments;
  double searchers = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    searchers += in.active[i] && d.kind[in.department[i]] == static_cast<std::uint8_t>(DepartmentKind::natural_resources);
  }
  // Random search, as the grid's: each inspector's searches fall on the county's mines alike.
  return searchers * params.departments.illegal_mining_search_rate / static_cast<double>(mines);
}

namespace {

std::uint16_t complaint_department(const Enterprises& e, std::uint32_t i) {
  // Orphans' reports go to the emergency-management bureau, the comprehensive supervisor.
  return e.primary_department[i] != kNoDepartment ? e.primary_department[i]
                                                  : static_cast<std::uint16_t>(DepartmentKind::emergency_management);
}

void report_hazards(World& world, const Params& params, const StepContext& ctx, std::uint32_t i,
                    EnterpriseOutcomes& out) {
  auto& e = world.enterprises;
  if (e.hazards[i] <= 0) return;
  const double rate = public_report_rate(params, e.hazards[i], reward_for(world, params, i, ctx.first_day));
  if (!(rate > 0.0)) return;
  RandomStream rng(ctx.key, Stream::PublicReports, i, ctx.step);
  const auto filed = poisson(rng, rate * ctx.years);
  if (filed == 0) return;
  const auto handled = binomial(rng, filed, params.hotline.handling_quality);
  out.tally[Metric::reports_filed] += static_cast<double>(filed);
  out.tally[Metric::reports_handled] += static_cast<double>(handled);
  if (handled > 0) act_on_handled_report(world, i, out);
}

void patrol(World& world, const StepContext& ctx, std::uint32_t i, double discovery_probability,
            double mine_search_probability, EnterpriseOutcomes& out) {
  auto& e = world.enterprises;
  if (e.registered[i]) return;
  const bool mine = e.sector[i] == static_cast<std::uint8_t>(Sector::mining);
  if (discovery_probability <= 0.0 && !(mine && mine_search_probability > 0.0)) return;
  RandomStream rng(ctx.key, Stream::GridPatrol, i, ctx.step);
  if (bernoulli(rng, discovery_probability)) {
    register_enterprise(e, i, Metric::unregistered_found_by_grid, out);
  } else if (mine && bernoulli(rng, mine_search_probability)) {
    // An illegal mine found by natural resources: registered; its responsible department (the
    // emergency bureau, 非煤矿山) claims it from the build's jurisdiction on.
    register_enterprise(e, i, Metric::unregistered_found_by_natural_resources, out);
  }
}

}  // namespace

void register_enterprise(Enterprises& e, std::uint32_t i, Metric found_by, EnterpriseOutcomes& out) {
  e.registered[i] = 1;
  out.tally[found_by] += 1;
  out.registered.push_back(i);
}

void act_on_handled_report(World& world, std::uint32_t i, EnterpriseOutcomes& out) {
  auto& e = world.enterprises;
  if (!e.registered[i]) register_enterprise(e, i, Metric::unregistered_found_by_reports, out);
  if (e.complaint_queued[i]) return;  // one waiting complaint per enterprise is enough
  e.complaint_queued[i] = kQueuedReport;
  out.complaints.push_back({complaint_department(e, i), i});
}

void phase_public_reporting(World& world, const Params& params, StepContext& ctx) {
  auto& e = world.enterprises;
  count_mines(world);
  const double discovery_probability = probability_within(grid_discovery_rate(world, params), ctx.years);
  const double mine_search_probability = probability_within(illegal_mining_discovery_rate(world, params), ctx.years);
  // Each block writes only its own enterprises; queue pushes and the stale flag wait for the merge.
  std::vector<EnterpriseOutcomes> blocks(block_count(e.size()));
  for_each_block(e.size(), [&](std::size_t b, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      report_hazards(world, params, ctx, static_cast<std::uint32_t>(i), blocks[b]);
      patrol(world, ctx, static_cast<std::uint32_t>(i), discovery_probability, mine_search_probability, blocks[b]);
    }
  });
  for (const auto& block : blocks) merge_outcomes(world, ctx, block);
}

}  // namespace anjian
