// Staff (staff.cpp) and assessment (assessment.cpp) on hand-built worlds: morale target, turnover
// formula and frequency, skill growth and training time, recruitment mix and specialisation,
// the detection bonus of specialists, the death-target veto and the departments' honour.

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "model/assessment.hpp"
#include "model/build_world.hpp"
#include "model/inspections.hpp"
#include "model/phases.hpp"
#include "model/staff.hpp"
#include "world_fixtures.hpp"

using namespace anjian;
using anjian::testing::context_at;
using anjian::testing::tiny_world;

namespace {

constexpr std::int64_t kMonthEnd = 30;   // first day of the step that ends January
constexpr std::int64_t kYearEnd = 364;   // the step that ends year 1
constexpr std::size_t kTownshipOffice = kCountyDepartmentKinds;

// n inspectors of the emergency bureau, all vacant.
World vacant_posts(std::size_t n) {
  World w = tiny_world(1, 0, 0.5f, n);
  std::fill(w.inspectors.active.begin(), w.inspectors.active.end(), std::uint8_t{0});
  return w;
}

}  // namespace

TEST(Staff, TurnoverFallsExponentiallyWithMorale) {
  Params p;
  p.staff.turnover_base = 0.04;
  p.staff.turnover_morale_sensitivity = 3.0;
  EXPECT_DOUBLE_EQ(turnover_probability(p, 0.0), 0.04);
  EXPECT_DOUBLE_EQ(turnover_probability(p, 0.5), 0.04 * std::exp(-1.5));
  EXPECT_NEAR(1.0 - std::pow(1.0 - turnover_probability(p, 0.5), 12), 0.10, 0.005);  // about 10% a year
  p.staff.turnover_base = 1.0;
  p.staff.turnover_morale_sensitivity = 0.0;
  EXPECT_DOUBLE_EQ(turnover_probability(p, 0.9), 1.0);
}

TEST(Staff, MoraleTargetAddsPayAndSubtractsLoadBurdenAndPunishment) {
  Params p;
  p.staff.morale_base = 0.6;
  p.staff.pay_honour = 0.1;
  p.staff.manageable_enterprises = 100;
  p.staff.workload_weight = 0.2;
  p.staff.burden_weight = 0.5;
  p.departments.administrative_burden = 0.2;
  // 0.6 + 0.1 - 0.5 * 0.2 = 0.6 at or below a manageable load; 150 enterprises: 0.2 * 0.5 less.
  EXPECT_DOUBLE_EQ(morale_target(p, 80.0, 0.0), 0.6);
  EXPECT_DOUBLE_EQ(morale_target(p, 150.0, 0.0), 0.5);
  EXPECT_DOUBLE_EQ(morale_target(p, 150.0, -0.15), 0.35);
  EXPECT_DOUBLE_EQ(morale_target(p, 150.0, -2.0), 0.0);  // clipped to [0, 1]
}

TEST(Staff, MonthlyUpdateMovesMoraleLearnsAndChargesTrainingTime) {
  Params p;
  p.staff.turnover_base = 0;
  p.staff.morale_base = 0.9;
  p.staff.pay_honour = 0;
  p.staff.burden_weight = 0;
  p.staff.morale_adjustment = 0.5;
  p.staff.punishment_memory_months = 12;
  p.staff.skill_cap = 0.8;
  p.staff.learning_rate = 0.1;
  p.staff.training_days_per_year = 12;
  p.staff.training_effect = 0.01;
  p.departments.administrative_burden = 0;
  p.inspectors.inspections_per_month = 21.7;  // one inspection per working day
  World w = tiny_world(1, 0, 0.5f, 1, 0.4f);
  w.inspectors.morale_memory[0] = -0.3f;
  auto ctx = context_at(kMonthEnd);
  phase_staff(w, p, ctx);
  const double memory = -0.3 * std::exp(-1.0 / 12.0);
  EXPECT_NEAR(w.inspectors.morale_memory[0], memory, 1e-6);
  EXPECT_NEAR(w.inspectors.morale[0], 0.5 + 0.5 * (0.9 + memory - 0.5), 1e-6);
  // A year's learning rate 0.1 + 12 x 0.01 = 0.22 closes 1 - exp(-0.22/12) of the gap to 0.8.
  EXPECT_NEAR(w.inspectors.skill[0], 0.4 + 0.4 * (1.0 - std::exp(-0.22 / 12.0)), 1e-6);
  EXPECT_NEAR(w.inspectors.capacity_credit[0], -1.0, 1e-9);  // one training day this month
  EXPECT_EQ(w.inspectors.tenure_months[0], 1);
  // Nothing happens mid-month.
  auto mid = context_at(10);
  const float morale = w.inspectors.morale[0];
  phase_staff(w, p, mid);
  EXPECT_EQ(w.inspectors.morale[0], morale);
}

TEST(Staff, SkillAfterExperienceApproachesButDoesNotPassTheCap) {
  Params p;
  p.staff.skill_cap = 0.8;
  p.staff.learning_rate = 0.05;
  p.staff.training_days_per_year = 0;
  EXPECT_NEAR(skill_after(p, 0.4, 10.0), 0.4 + 0.4 * (1.0 - std::exp(-0.5)), 1e-12);
  EXPECT_DOUBLE_EQ(skill_after(p, 0.9, 10.0), 0.9);  // above the cap: no loss, no gain
}

TEST(Staff, LeaversTakeTheirSkillAndLeaveAVacancy) {
  Params p;
  p.staff.turnover_base = 0.1;
  p.staff.turnover_morale_sensitivity = 0;  // 10% a month whatever the morale
  World w = tiny_world(1, 0, 0.5f, 20000, 0.5f);
  auto ctx = context_at(kMonthEnd);
  phase_staff(w, p, ctx);
  const double left = ctx.tally[Metric::turnover];
  EXPECT_NEAR(left, 2000, 150);  // sd 42
  double vacant = 0;
  for (std::size_t i = 0; i < w.inspectors.size(); ++i) {
    if (w.inspectors.active[i]) continue;
    vacant += 1;
    EXPECT_EQ(w.inspectors.skill[i], 0.0f);
    EXPECT_EQ(w.inspectors.departures[i], 1);
  }
  EXPECT_EQ(vacant, left);
  phase_observation(w, p, ctx);
  EXPECT_EQ(ctx.tally[Metric::vacancies], left);
}

TEST(Staff, RecruitmentFillsAShareOfVacanciesWithTheRecruitmentMix) {
  Params p;
  p.staff.recruitment_fill_rate = 0.5;
  p.staff.professional_share = 0.3;
  p.staff.professional_skill_mean = 0.7;
  p.inspectors.skill_mean = 0.3;
  p.inspectors.skill_sd = 0.05;
  p.inspectors.morale_mean = 0.6;
  p.staff.turnover_base = 0;
  World w = vacant_posts(20000);
  for (std::size_t i = 10000; i < 20000; ++i) w.inspectors.department[i] = static_cast<std::uint16_t>(kTownshipOffice);
  auto ctx = context_at(kYearEnd);
  ASSERT_TRUE(ctx.year_ends);
  phase_staff(w, p, ctx);
  const auto& in = w.inspectors;
  double filled = 0, professionals = 0, pro_skill = 0, gen_skill = 0;
  double bureau_specialists[kSectorCount] = {}, township_specialists = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (!in.active[i]) continue;
    filled += 1;
    EXPECT_EQ(in.tenure_months[i], 0);
    EXPECT_FLOAT_EQ(in.morale[i], 0.6f);
    if (in.professional[i]) {
      professionals += 1;
      pro_skill += in.skill[i];
      ASSERT_LT(in.specialisation[i], kSectorCount);
      if (i < 10000) bureau_specialists[in.specialisation[i]] += 1;
      else township_specialists += 1;
    } else {
      gen_skill += in.skill[i];
      EXPECT_EQ(in.specialisation[i], kNoSpecialisation);
    }
  }
  EXPECT_EQ(ctx.tally[Metric::recruits], filled);
  EXPECT_NEAR(filled, 10000, 300);                   // sd 71
  EXPECT_NEAR(professionals / filled, 0.3, 0.02);    // sd 0.005
  EXPECT_NEAR(pro_skill / professionals, 0.7, 0.01);
  EXPECT_NEAR(gen_skill / (filled - professionals), 0.3, 0.01);
  // Since 2018 the emergency bureau supervises manufacturing, hazardous chemicals, non-coal mining
  // and trade (shares 0.45 : 0.05 : 0.03 : 0.32): every sector but construction.
  const double bureau = std::accumulate(std::begin(bureau_specialists), std::end(bureau_specialists), 0.0);
  const int manufacturing = static_cast<int>(Sector::manufacturing);
  EXPECT_EQ(bureau_specialists[static_cast<int>(Sector::construction)], 0);
  EXPECT_NEAR(bureau_specialists[manufacturing] / bureau, 0.45 / 0.85, 0.03);
  EXPECT_GT(township_specialists, 0);
}

TEST(Staff, RecruitmentWaitsForTheYearEnd) {
  Params p;
  p.staff.recruitment_fill_rate = 1;
  World w = vacant_posts(10);
  auto ctx = context_at(kMonthEnd);
  phase_staff(w, p, ctx);
  EXPECT_EQ(ctx.tally[Metric::recruits], 0);
  EXPECT_EQ(std::accumulate(w.inspectors.active.begin(), w.inspectors.active.end(), 0), 0);
}

TEST(Staff, ASpecialistFindsMoreInTheirSectorOnly) {
  Params p;
  p.departments.equipment = 1.0;
  p.staff.specialisation_bonus = 0.15;
  p.inspectors.formal_time_share = 0.5;
  p.inspectors.formal_search_efficiency = 0.4;  // a formal visit finds 0.2 of a substantive one's
  EXPECT_DOUBLE_EQ(detection_probability(p, 0.4f, true, true), static_cast<double>(0.4f) + 0.15);
  EXPECT_DOUBLE_EQ(detection_probability(p, 0.4f, false, true), (static_cast<double>(0.4f) + 0.15) * 0.2);
  EXPECT_DOUBLE_EQ(detection_probability(p, 0.4f, true, false), static_cast<double>(0.4f));
  EXPECT_DOUBLE_EQ(detection_probability(p, 0.95f, true, true), 1.0);
  World w = tiny_world(1, 0, 0.5f, 2);
  w.inspectors.professional[0] = 1;
  w.inspectors.specialisation[0] = static_cast<std::uint8_t>(Sector::mining);
  w.inspectors.specialisation[1] = static_cast<std::uint8_t>(Sector::mining);  // a generalist: no bonus
  EXPECT_TRUE(is_specialist(w.inspectors, 0, static_cast<int>(Sector::mining)));
  EXPECT_FALSE(is_specialist(w.inspectors, 0, static_cast<int>(Sector::trade)));
  EXPECT_FALSE(is_specialist(w.inspectors, 1, static_cast<int>(Sector::mining)));
}

TEST(Staff, StaffInPostStartWithTheirTenuresExperience) {
  Params p;
  p.staff.initial_tenure_years = 5;
  World w = tiny_world(1, 0, 0.5f, 20000, 0.4f);
  init_staff(w, p, RandomKey{3, 0});
  double months = 0, gain = 0, expected_gain = 0;
  for (std::size_t i = 0; i < w.inspectors.size(); ++i) {
    months += w.inspectors.tenure_months[i];
    gain += w.inspectors.skill[i] - 0.4;
    expected_gain += skill_after(p, 0.4, w.inspectors.tenure_months[i] / 12.0) - 0.4;
    EXPECT_LE(w.inspectors.hired_day[i], 0);
    EXPECT_EQ(w.inspectors.specialisation[i], kNoSpecialisation);
  }
  EXPECT_NEAR(months / 20000, 59.5, 2.0);  // floor of an exponential of mean 60 months: sd 0.4
  EXPECT_NEAR(gain, expected_gain, 1e-3 * 20000);
}

TEST(Assessment, TheVetoPunishesATownshipOverItsDeathCeiling) {
  Params p;
  p.assessment.death_target = 1;  // the county's figure: a township's own ceiling decides
  p.assessment.death_veto = true;
  p.staff.punishment_morale_loss = 0.1;
  EXPECT_FALSE(township_vetoed(p, 1, 1));
  EXPECT_TRUE(township_vetoed(p, 1, 2));
  EXPECT_FALSE(township_vetoed(p, 0, 0));  // a zero-death ceiling holds without deaths
  EXPECT_TRUE(township_vetoed(p, 0, 1));   // and is broken by the first
  EXPECT_FALSE(township_vetoed(p, 3, 3));
  World w = tiny_world(1, 0, 0.5f, 2);
  w.inspectors.department[1] = static_cast<std::uint16_t>(kTownshipOffice);
  w.townships.death_ceiling[0] = 1;
  w.townships.deaths_reported_this_year[0] = 2;
  w.townships.deaths_true_this_year[0] = 3;
  p.staff.honour_morale_gain = 0;  // no honour, to see the veto alone
  auto ctx = context_at(kYearEnd);
  phase_assessment(w, p, ctx);
  EXPECT_EQ(w.townships.vetoes[0], 1);
  EXPECT_EQ(ctx.tally[Metric::townships_vetoed], 1);
  EXPECT_EQ(w.inspectors.punishments[1], 1);
  EXPECT_FLOAT_EQ(w.inspectors.morale[1], 0.4f);
  EXPECT_EQ(w.inspectors.punishments[0], 0);  // the county bureau is not the township's office
  EXPECT_EQ(w.townships.deaths_reported_this_year[0], 0);  // a new year starts
  EXPECT_EQ(w.townships.deaths_true_this_year[0], 0);
  EXPECT_EQ(w.townships.death_ceiling[0], 1);  // the ceiling is the year's, not spent

  p.assessment.death_veto = false;
  EXPECT_FALSE(township_vetoed(p, 1, 5));
  p.assessment.death_veto = true;
  p.assessment.death_target = 0;  // no county figure: no ceiling to break
  EXPECT_FALSE(township_vetoed(p, 0, 5));
}

TEST(Assessment, TheCountyFigureIsBrokenDownByWorkersToAnExactSum) {
  // Proportional, with the remainder to the largest remainders: 3 x (50, 30, 20)/100 = 1.5, 0.9,
  // 0.6: floors 1, 0, 0; remainders .5, .9, .6 give the two left to the second and third.
  EXPECT_EQ(break_down_death_ceiling(3, {50, 30, 20}), (std::vector<std::int32_t>{1, 1, 1}));
  EXPECT_EQ(break_down_death_ceiling(10, {50, 30, 20}), (std::vector<std::int32_t>{5, 3, 2}));
  // The county figure is rounded first; shares may be 0 (zero-death targets).
  EXPECT_EQ(break_down_death_ceiling(1.4, {10, 70, 20}), (std::vector<std::int32_t>{0, 1, 0}));
  // Ties go to the lower township index, deterministically: 2 x (10, 70, 20)/100 leaves remainders
  // .2, .4, .4, and the second township, not the third, gets the death left over.
  EXPECT_EQ(break_down_death_ceiling(1.6, {10, 70, 20}), (std::vector<std::int32_t>{0, 2, 0}));
  EXPECT_EQ(break_down_death_ceiling(1, {25, 25, 25, 25}), (std::vector<std::int32_t>{1, 0, 0, 0}));
  EXPECT_EQ(break_down_death_ceiling(3, {10, 20, 20, 10}), (std::vector<std::int32_t>{1, 1, 1, 0}));
  // No county figure, no ceilings; no workers anywhere, townships weigh alike.
  EXPECT_EQ(break_down_death_ceiling(0, {50, 30, 20}), (std::vector<std::int32_t>{0, 0, 0}));
  EXPECT_EQ(break_down_death_ceiling(2, {0, 0, 0}), (std::vector<std::int32_t>{1, 1, 0}));
  EXPECT_TRUE(break_down_death_ceiling(2, {}).empty());
  // Sums exactly, and no share is more than one from its exact quota, over many shapes.
  for (int n = 1; n < 30; ++n) {
    std::vector<std::int64_t> workers;
    std::int64_t total = 0;
    for (int k = 0; k < n; ++k) total += workers.emplace_back((k * 7919) % 1000 + (k % 3 == 0 ? 0 : 1));
    for (double figure : {0.4, 1.0, 2.0, 7.0, 123.0, 1.0e6}) {
      const auto shares = break_down_death_ceiling(figure, workers);
      const double rounded = std::round(figure);
      EXPECT_EQ(std::accumulate(shares.begin(), shares.end(), std::int64_t{0}), static_cast<std::int64_t>(rounded));
      for (int k = 0; k < n; ++k) {
        const double quota = total > 0 ? rounded * static_cast<double>(workers[k]) / static_cast<double>(total)
                                       : rounded / n;
        EXPECT_LT(std::abs(shares[k] - quota), 1.0) << "n " << n << " figure " << figure << " township " << k;
      }
    }
  }
}

TEST(Assessment, BuildingTheWorldBreaksTheCountyFigureDownToTownships) {
  Params p;
  p.county.townships = 7;
  p.enterprises.count = 300;
  p.assessment.death_target = 4.2;
  const World w = build_world(p, RandomKey{1, 0});
  std::vector<std::int64_t> workers(w.townships.size(), 0);
  for (std::size_t i = 0; i < w.enterprises.size(); ++i) workers[w.enterprises.township[i]] += w.enterprises.workers[i];
  const auto expected = break_down_death_ceiling(4.2, workers);
  std::int64_t sum = 0;
  for (std::size_t t = 0; t < w.townships.size(); ++t) {
    EXPECT_EQ(w.townships.death_ceiling[t], expected[t]);
    sum += w.townships.death_ceiling[t];
  }
  EXPECT_EQ(sum, 4);
}

TEST(Assessment, ScoresWeighCountsAndAuditedQuality) {
  Params p;
  p.inspectors.inspections_per_month = 10;
  p.departments.administrative_burden = 0.5;  // nominal 60 a post a year
  p.assessment.kpi_count_weight = 1;
  p.assessment.kpi_quality_weight = 3;
  // Counts 30/60 = 0.5; audited 10, 2 formal: quality 0.8. (0.5 + 3 x 0.8) / 4 = 0.725.
  EXPECT_DOUBLE_EQ(department_score(p, 30, 10, 2), 0.725);
  EXPECT_DOUBLE_EQ(department_score(p, 300, 10, 10), 0.25);  // counts capped at the target
  EXPECT_DOUBLE_EQ(department_score(p, 60, 0, 0), 0.25);     // quality unseen without audits
  // With no KPI weighted the civil service's yearly assessment still scores the work done: the
  // count's score (scored 0, no department was ever honoured and turnover jumped at weight 0).
  p.assessment.kpi_count_weight = 0;
  p.assessment.kpi_quality_weight = 0;
  EXPECT_DOUBLE_EQ(department_score(p, 30, 10, 10), 0.5);
  p.assessment.kpi_count_weight = 1e-9;  // the limit as the count weight goes to 0
  EXPECT_DOUBLE_EQ(department_score(p, 30, 10, 10), 0.5);
}

TEST(Assessment, AGoodScoreHonoursTheDepartmentsStaff) {
  // Counted visits, and no KPI at all (the civil service's yearly assessment of the work done):
  // the same honour either way, so dropping counts from a count-only assessment takes no honour.
  for (const double count_weight : {1.0, 0.0}) {
    Params p;
    p.inspectors.inspections_per_month = 10;
    p.departments.administrative_burden = 0.5;
    p.assessment.kpi_count_weight = count_weight;
    p.assessment.kpi_quality_weight = 0;
    p.assessment.death_veto = false;
    p.staff.honour_morale_gain = 0.2;
    World w = tiny_world(1, 0, 0.5f, 2);
    w.departments.inspections_this_year[0] = 60;  // 30 a post: score 0.5
    auto ctx = context_at(kYearEnd);
    phase_assessment(w, p, ctx);
    EXPECT_FLOAT_EQ(w.departments.assessment_score[0], 0.5f);
    EXPECT_FLOAT_EQ(w.inspectors.morale[0], 0.6f);
    EXPECT_FLOAT_EQ(w.inspectors.morale_memory[1], 0.1f);
    EXPECT_EQ(w.departments.inspections_this_year[0], 0);
  }
}
