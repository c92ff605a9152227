// Directional tests of accountability, staff and assessment over replicates of the tiny world
// (tests/data/scenarios/tiny.yaml): a difference counts when it exceeds three standard errors of
// the difference estimated from the replicates (docs/ODD.md pattern 7 and the Seed map rows on
// over-accountability, unscientific assessment and civil-service recruitment).

#include <gtest/gtest.h>

#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include "replicate_stats.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"

using namespace anjian;
using namespace anjian::testing;

namespace {

EnsembleResult run_tiny(std::vector<std::string> common, const std::vector<std::string>& own) {
  common.insert(common.end(), own.begin(), own.end());
  return anjian::testing::run_tiny(common);
}

// Per replicate: the run total of `numerator` over the run total of `denominator`.
std::vector<double> run_ratio(const EnsembleResult& r, Metric numerator, Metric denominator) {
  const auto n = run_totals(r, numerator), d = run_totals(r, denominator);
  std::vector<double> ratio;
  for (std::size_t k = 0; k < n.size(); ++k) ratio.push_back(d[k] > 0 ? n[k] / d[k] : 0.0);
  return ratio;
}

double report(const char* what, const MeanSe& a, const MeanSe& b) {
  const double z = z_above(a, b);
  std::cout << "[directional] " << what << ": " << a.mean << " (se " << a.se << ") vs " << b.mean << " (se " << b.se
            << "), difference " << a.mean - b.mean << ", z = " << z << "\n";
  return z;
}

}  // namespace

TEST(StaffDirection, StrictAccountabilityAndCountKpisRaiseTheFormalShare) {
  const std::vector<std::string> common = {"run.replicates=8", "time.years=3"};
  const auto blame_and_counts = run_tiny(common, {"accountability.rule=strict", "assessment.kpi_count_weight=2",
                                                  "assessment.kpi_quality_weight=0"});
  const auto diligence_and_quality = run_tiny(common, {"accountability.rule=due_diligence",
                                                       "assessment.kpi_count_weight=0.2",
                                                       "assessment.kpi_quality_weight=2"});
  const auto a = mean_se(run_ratio(blame_and_counts, Metric::inspections_formal, Metric::inspections));
  const auto b = mean_se(run_ratio(diligence_and_quality, Metric::inspections_formal, Metric::inspections));
  EXPECT_GT(report("formal share, strict + count KPI vs due diligence + quality KPI", a, b), 3.0);
  // The quality KPI honours departments whose audited records are substantive: morale is higher.
  const auto ma = mean_se(last_year_mean(blame_and_counts, Metric::inspector_morale_mean));
  const auto mb = mean_se(last_year_mean(diligence_and_quality, Metric::inspector_morale_mean));
  EXPECT_GT(report("inspector morale, due diligence + quality KPI vs strict + count KPI", mb, ma), 3.0);
}

TEST(StaffDirection, OverAccountabilityRaisesTurnoverAndFormalism) {
  // More staff and investigations of every injury, so that punishments are frequent enough to
  // move morale within a few years.
  // 24 replicates: with inspectors now choosing their mode by blame as seen, fewer leave for a
  // given breadth, and 8 replicates gave z = 2.4 on the leavers.
  const std::vector<std::string> common = {"run.replicates=24", "time.years=6",
                                           "accountability.minor_injuries_investigated=true",
                                           "townships.office_staff=4", "departments.emergency_management_staff=8"};
  const auto broad = run_tiny(common, {"accountability.breadth=4"});
  const auto narrow = run_tiny(common, {"accountability.breadth=0"});
  const auto pa = mean_se(run_totals(broad, Metric::inspectors_punished));
  const auto pb = mean_se(run_totals(narrow, Metric::inspectors_punished));
  EXPECT_GT(report("inspectors punished in 6 years, breadth 4 vs 0", pa, pb), 3.0);
  const auto ta = mean_se(run_totals(broad, Metric::turnover));
  const auto tb = mean_se(run_totals(narrow, Metric::turnover));
  EXPECT_GT(report("inspectors leaving in 6 years, breadth 4 vs 0", ta, tb), 3.0);
  const auto fa = mean_se(run_ratio(broad, Metric::inspections_formal, Metric::inspections));
  const auto fb = mean_se(run_ratio(narrow, Metric::inspections_formal, Metric::inspections));
  EXPECT_GT(report("formal share, breadth 4 vs 0", fa, fb), 3.0);
}

TEST(StaffDirection, ProfessionalRecruitmentRaisesSkillAndHazardsFound) {
  // High turnover and full recruitment, so that recruits make up much of the staff in five years.
  // 24 replicates: skilled inspectors also deter, so enterprises keep fewer hazards for them to
  // find, and hazards found per inspection rise less than skill; the paired difference resolves it.
  const std::vector<std::string> common = {"run.replicates=24", "time.years=5", "staff.turnover_base=0.15",
                                           "staff.recruitment_fill_rate=1"};
  const auto professional = run_tiny(common, {"staff.professional_share=1"});
  const auto generalist = run_tiny(common, {"staff.professional_share=0"});
  const auto sa = mean_se(last_year_mean(professional, Metric::inspector_skill_mean));
  const auto sb = mean_se(last_year_mean(generalist, Metric::inspector_skill_mean));
  EXPECT_GT(report("mean inspector skill in year 5, professional vs generalist recruits", sa, sb), 3.0);
  // Paired by replicate (same seed): the arms differ only in whom departments recruit.
  const auto found = paired(run_ratio(professional, Metric::hazards_found, Metric::inspections),
                            run_ratio(generalist, Metric::hazards_found, Metric::inspections));
  EXPECT_GT(report_paired("hazards found per inspection, professional - generalist recruits", found), 3.0);
}
