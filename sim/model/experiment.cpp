// Virtual experiments (docs/ODD.md section 1 pattern 4; runs after step 5, Inspections): at build
// time a random share of enterprises, or of townships, is assigned to experiment.treatment.
// Under extra_inspections an outside team (no department staff, no budget) inspects each
// treated enterprise as a Poisson process, substantively, with rectification and, unless
// experiment.team_penalises is false, fines and the escalation ladder as usual.
//
// Other mechanisms read the assignment: public reporting applies its reward to enterprise i when
// params.experiment.treatment == Treatment::reporting_reward && world.enterprises.treated[i].

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "model/enterprise_events.hpp"
#include "model/experiment.hpp"
#include "model/inspections.hpp"
#include "model/phases.hpp"

namespace anjian {

namespace {

// Distinguishes the assignment draws of townships from those of enterprises with the same id.
constexpr std::uint64_t kEnterpriseDraw = 0;
constexpr std::uint64_t kTownshipDraw = 1;

// Complete randomisation: exactly round(share x eligible) units, those with the smallest draws.
std::vector<std::uint32_t> draw_treated(const std::vector<std::uint32_t>& eligible, double share, RandomKey key,
                                        std::uint64_t unit_kind) {
  std::vector<std::pair<double, std::uint32_t>> order;
  order.reserve(eligible.size());
  for (auto unit : eligible) {
    RandomStream rng(key, Stream::ExperimentAssignment, unit, unit_kind);
    order.emplace_back(rng.uniform(), unit);
  }
  std::sort(order.begin(), order.end());
  const auto treated = static_cast<std::size_t>(std::llround(share * static_cast<double>(eligible.size())));
  std::vector<std::uint32_t> chosen;
  chosen.reserve(treated);
  for (std::size_t k = 0; k < treated; ++k) chosen.push_back(order[k].second);
  return chosen;
}

// The outside team's substantive inspection of enterprise i: the same detection, rectification
// and fine as a department's visit, at the inspectors' mean skill. The department's own records
// (last inspection, inspector, mode) are left alone: the team is not theirs, so planning,
// information sharing and accountability do not see its visits.
// Its cases are not published: the team is no department's, and publicity would carry the
// treatment to the control arm. With `records` (output.inspection_events) the visit is noted there.
void experimental_inspection(World& world, const Params& params, std::size_t i, std::int64_t day, RandomStream& rng,
                             Tally& tally, std::vector<InspectionEvent>* records) {
  const auto skill = static_cast<float>(params.inspectors.skill_mean);
  const auto enterprise = static_cast<std::uint32_t>(i);
  const std::int32_t present = world.enterprises.hazards[i];
  const Sanctioning sanctioning =
      params.experiment.team_penalises ? Sanctioning::orders_and_sanctions : Sanctioning::orders_only;
  const InspectionOutcome outcome = inspect_enterprise(world, params, enterprise,
                                                       detection_probability(params, skill, true), kNoDepartment,
                                                       day, false, rng, tally, sanctioning);
  tally[Metric::inspections_substantive] += 1;
  tally[Metric::inspections_experimental] += 1;
  if (!records) return;
  InspectionEvent event = inspection_event(world, enterprise, day, present, outcome, kNoDepartment);
  event.inspector = kExperimentalTeam;
  event.mode = 1;
  event.kind = static_cast<std::uint8_t>(VisitKind::experimental);
  records->push_back(event);
}

}  // namespace

void assign_treatment(World& world, const Params& params, RandomKey key) {
  auto& e = world.enterprises;
  auto& t = world.townships;
  std::fill(e.treated.begin(), e.treated.end(), std::uint8_t{0});
  std::fill(e.trial_eligible.begin(), e.trial_eligible.end(), std::uint8_t{0});
  std::fill(t.treated.begin(), t.treated.end(), std::uint8_t{0});
  const auto& x = params.experiment;
  if (x.treatment == Treatment::none) return;
  // An outside team can only inspect enterprises some register knows of.
  const bool registered_only = x.treatment == Treatment::extra_inspections;
  const auto eligible = [&](std::size_t i) { return !registered_only || e.registered[i]; };
  // Eligibility is kept: enterprises registered later (found by the grid, reports or a search)
  // were never at risk of treatment, and unregistered workshops are riskier, so counting them
  // among the controls would credit the treatment with their difference.
  for (std::size_t i = 0; i < e.size(); ++i) e.trial_eligible[i] = eligible(i);

  if (x.unit == TreatmentUnit::township) {
    std::vector<std::uint32_t> townships(t.size());
    for (std::uint32_t k = 0; k < t.size(); ++k) townships[k] = k;
    for (auto k : draw_treated(townships, x.share, key, kTownshipDraw)) t.treated[k] = 1;
    for (std::size_t i = 0; i < e.size(); ++i) e.treated[i] = t.treated[e.township[i]] && eligible(i);
    return;
  }
  std::vector<std::uint32_t> enterprises;
  for (std::uint32_t i = 0; i < e.size(); ++i) {
    if (eligible(i)) enterprises.push_back(i);
  }
  for (auto i : draw_treated(enterprises, x.share, key, kEnterpriseDraw)) e.treated[i] = 1;
}

void phase_experiment(World& world, const Params& params, StepContext& ctx) {
  const auto& x = params.experiment;
  if (x.treatment != Treatment::extra_inspections || ctx.first_day < x.start_day) return;
  const double visits_per_step = x.extra_inspections_per_year * ctx.years;
  if (visits_per_step <= 0) return;
  const auto& e = world.enterprises;
  // Each block visits only its own enterprises (capture reads townships, which nobody writes);
  // the visited, whose rates changed, are noted in block order.
  struct Visits {
    Tally tally;
    std::vector<std::uint32_t> visited;
    std::vector<InspectionEvent> records;  // with ctx.record_inspections
  };
  std::vector<Visits> blocks(block_count(e.size()));
  for_each_block(e.size(), [&](std::size_t b, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (!e.treated[i]) continue;
      RandomStream rng(ctx.key, Stream::ExperimentInspection, i, ctx.step);
      const auto visits = poisson(rng, visits_per_step);
      for (auto left = visits; left > 0; --left) {
        experimental_inspection(world, params, i, ctx.first_day, rng, blocks[b].tally,
                                ctx.record_inspections ? &blocks[b].records : nullptr);
      }
      if (visits > 0) blocks[b].visited.push_back(static_cast<std::uint32_t>(i));
    }
  });
  Tally tally;
  expect_rate_changes(world);
  for (const auto& block : blocks) {
    tally += block.tally;
    for (auto i : block.visited) rates_changed(world, params, i);
    ctx.inspections.insert(ctx.inspections.end(), block.records.begin(), block.records.end());
  }
  ctx.tally += tally;
}

}  // namespace anjian
