// Assessment (docs/ODD.md section 3 step 10; Seed map "unscientific assessment"): at the end of each
// year the county scores townships by reported deaths against the death target (a veto punishes
// the township office) and departments by the assessment's KPI weights on inspection counts and on
// quality as discipline audits saw it; a good score honours the department's staff (morale).

#include <algorithm>

#include "model/assessment.hpp"
#include "model/coordination.hpp"
#include "model/consequences.hpp"
#include "model/phases.hpp"
#include "model/staff.hpp"

namespace anjian {

bool township_vetoed(const Params& params, std::int64_t deaths_reported_this_year) {
  const auto& a = params.assessment;
  return a.death_veto && a.death_target > 0 && static_cast<double>(deaths_reported_this_year) > a.death_target;
}

double department_score(const Params& params, double inspections_per_post, std::int64_t audited,
                        std::int64_t audited_formal, double fines_per_post, std::int64_t found,
                        std::int64_t rectified) {
  const auto& a = params.assessment;
  const double weights = a.kpi_count_weight + a.kpi_quality_weight + a.kpi_fines_weight + a.kpi_rectification_weight;
  if (weights <= 0) return 0.0;
  // Counts are scored against what a post could do substantively in a year, capped at the target;
  // cheap formal visits reach it sooner. Quality counts only as far as audits saw it.
  const double nominal = params.inspectors.inspections_per_month * 12.0 * (1.0 - params.departments.administrative_burden);
  const double count_score = nominal > 0 ? std::min(1.0, inspections_per_post / nominal) : 0.0;
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
    if (!township_vetoed(params, t.deaths_reported_this_year[k])) continue;
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
