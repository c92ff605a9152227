// Assessment (docs/ODD.md section 3 step 10; Seed map "unscientific assessment"): the level above
// sets the county a yearly death control figure, which the county breaks down to its townships
// by their workforce; at the end of each year the county scores townships by reported deaths
// against their ceilings (a veto punishes the township office) and departments by the
// assessment's KPI weights on inspection counts and on quality as discipline audits saw it; a
// good score honours the department's staff (morale).

#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/assessment.hpp"
#include "model/coordination.hpp"
#include "model/consequences.hpp"
#include "model/phases.hpp"
#include "model/staff.hpp"

namespace anjian {

std::vector<std::int32_t> break_down_death_ceiling(double county_figure, const std::vector<std::int64_t>& workers) {
  const std::size_t n = workers.size();
  std::vector<std::int32_t> shares(n, 0);
  const auto total = static_cast<std::int64_t>(std::llround(std::max(0.0, county_figure)));
  if (n == 0 || total == 0) return shares;
  // Control figures are set by headcount of the economy they cover; a county with no workers
  // recorded (all townships empty) spreads its figure evenly instead.
  std::int64_t all_workers = std::accumulate(workers.begin(), workers.end(), std::int64_t{0});
  std::vector<std::int64_t> weight = workers;
  if (all_workers <= 0) {
    std::fill(weight.begin(), weight.end(), 1);
    all_workers = static_cast<std::int64_t>(n);
  }
  // Exact quotas total x weight / all_workers as integer quotient and remainder, so that ties
  // are exact and the result does not depend on floating-point rounding. The product can pass
  // 2^63 for province-sized townships, hence 128 bits.
  __extension__ using Wide = __int128;
  std::vector<std::int64_t> remainder(n);
  std::int64_t given = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const Wide product = static_cast<Wide>(total) * weight[k];
    shares[k] = static_cast<std::int32_t>(product / all_workers);
    remainder[k] = static_cast<std::int64_t>(product % all_workers);
    given += shares[k];
  }
  // Largest remainders get the deaths the floors left over; equal remainders go to the lower
  // township index (stable order), so the breakdown is deterministic.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; k < n && given < total; ++k, ++given) shares[order[k]] += 1;
  return shares;
}

void assign_death_ceilings(World& world, const Params& params) {
  auto& t = world.townships;
  const auto& e = world.enterprises;
  // Every enterprise counts, registered or not: the figure covers the township's economy, and
  // unregistered workshops' deaths count against it when they are reported.
  std::vector<std::int64_t> workers(t.size(), 0);
  for (std::size_t i = 0; i < e.size(); ++i) workers[e.township[i]] += e.workers[i];
  const auto shares = break_down_death_ceiling(params.assessment.death_target, workers);
  std::copy(shares.begin(), shares.end(), t.death_ceiling.begin());
}

bool township_vetoed(const Params& params, std::int32_t death_ceiling, std::int64_t deaths_reported_this_year) {
  const auto& a = params.assessment;
  // No county figure (0), no ceiling; a township's ceiling of 0 is broken by its first death.
  return a.death_veto && a.death_target > 0 && deaths_reported_this_year > death_ceiling;
}

double department_score(const Params& params, double inspections_per_post, std::int64_t audited,
                        std::int64_t audited_formal, double fines_per_post, std::int64_t found,
                        std::int64_t rectified) {
  const auto& a = params.assessment;
  // Counts are scored against what a post could do substantively in a year, capped at the target;
  // cheap formal visits reach it sooner. Quality counts only as far as audits saw it.
  const double nominal = params.inspectors.inspections_per_month * 12.0 * (1.0 - params.departments.administrative_burden);
  const double count_score = nominal > 0 ? std::min(1.0, inspections_per_post / nominal) : 0.0;
  // With no work-safety KPI weighted, every civil servant's yearly assessment still scores the
  // work done (工作实绩, civil_servant_law_2018): the count of visits stands in for it, the score
  // the weighted one tends to as the count weight alone goes to 0. Scoring nothing as 0 took the
  // honour from every department, and dropping counts from the assessment raised turnover.
  const double weights = a.kpi_count_weight + a.kpi_quality_weight + a.kpi_fines_weight + a.kpi_rectification_weight;
  if (weights <= 0) return count_score;
  const double quality_score =
      audited > 0 ? 1.0 - static_cast<double>(audited_formal) / static_cast<double>(audited) : 0.0;
  const double fines_score = std::min(1.0, fines_per_post / a.fines_target_per_post);
  const double rectification_score = found > 0 ? static_cast<double>(rectified) / static_cast<double>(found) : 0.0;
  return (a.kpi_count_weight * count_score + a.kpi_quality_weight * quality_score + a.kpi_fines_weight * fines_score +
          a.kpi_rectification_weight * rectification_score) /
         weights;
}

namespace {

void score_townships(World& world, const Params& params, StepContext& ctx) {
  auto& t = world.townships;
  auto& in = world.inspectors;
  for (std::uint32_t k = 0; k < t.size(); ++k) {
    if (!township_vetoed(params, t.death_ceiling[k], t.deaths_reported_this_year[k])) continue;
    t.vetoes[k] += 1;
    ctx.tally[Metric::townships_vetoed] += 1;
    // The township leaders answer for it; its safety office stands in for them here.
    const std::size_t office = kCountyDepartmentKinds + k;
    for (std::uint32_t i = 0; i < in.size(); ++i) {
      if (in.active[i] && in.department[i] == office) punish_inspector(in, i, params.staff.punishment_morale_loss);
    }
  }
}

void score_departments(World& world, const Params& params) {
  auto& d = world.departments;
  auto& in = world.inspectors;
  std::vector<double> posts(d.size(), 0.0);
  for (std::uint32_t i = 0; i < in.size(); ++i) posts[in.department[i]] += in.active[i];
  for (std::size_t k = 0; k < d.size(); ++k) {
    const double per_post = posts[k] > 0 ? d.inspections_this_year[k] / posts[k] : 0.0;
    const double fines_per_post = posts[k] > 0 ? d.fines_this_year[k] / posts[k] : 0.0;
    d.assessment_score[k] = static_cast<float>(department_score(params, per_post, d.audited_this_year[k],
                                                                d.audited_formal_this_year[k], fines_per_post,
                                                                d.found_this_year[k], d.rectified_this_year[k]));
  }
  for (std::uint32_t i = 0; i < in.size(); ++i) {
    if (in.active[i]) shift_morale(in, i, params.staff.honour_morale_gain * d.assessment_score[in.department[i]]);
  }
}

void start_new_year(World& world) {
  auto& t = world.townships;
  std::fill(t.deaths_reported_this_year.begin(), t.deaths_reported_this_year.end(), 0);
  std::fill(t.deaths_true_this_year.begin(), t.deaths_true_this_year.end(), 0);
  auto& d = world.departments;
  std::fill(d.inspections_this_year.begin(), d.inspections_this_year.end(), 0);
  std::fill(d.audited_this_year.begin(), d.audited_this_year.end(), 0);
  std::fill(d.audited_formal_this_year.begin(), d.audited_formal_this_year.end(), 0);
  std::fill(d.found_this_year.begin(), d.found_this_year.end(), 0);
  std::fill(d.rectified_this_year.begin(), d.rectified_this_year.end(), 0);
  std::fill(d.fines_this_year.begin(), d.fines_this_year.end(), 0.0);
}

}  // namespace

void phase_assessment(World& world, const Params& params, StepContext& ctx) {
  if (!ctx.year_ends) return;
  score_townships(world, params, ctx);
  score_departments(world, params);
  supervise_industry_departments(world, params);  // the committee office's comprehensive supervision
  start_new_year(world);
}

}  // namespace anjian
