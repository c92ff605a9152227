// Each phase on tiny hand-built worlds, with expectations computed by hand from docs/ODD.md's forms.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "model/accidents.hpp"
#include "model/hazards.hpp"
#include "model/inspection_planning.hpp"
#include "model/phases.hpp"
#include "world_fixtures.hpp"

using namespace anjian;
using anjian::testing::context_at;
using anjian::testing::tiny_world;
using anjian::testing::total_hazards;
using anjian::testing::always_substantive;

namespace {
constexpr int kManufacturing = static_cast<int>(Sector::manufacturing);
}  // namespace

TEST(HazardsPhase, RatesFollowTheModelForms) {
  Params p;
  const double lambda = p.sectors[kManufacturing].hazard_arrival;
  EXPECT_DOUBLE_EQ(hazard_arrival_rate(p, kManufacturing, 2.0f, 0.25f), lambda * 2.0 * 0.75);
  EXPECT_DOUBLE_EQ(hazard_arrival_rate(p, kManufacturing, 1.0f, 1.0f), 0.0);
  p.hazards.removal_base = 0.5;
  p.hazards.removal_per_quality = 2.0;
  EXPECT_DOUBLE_EQ(hazard_removal_rate(p, 0.5f), 1.5);
}

TEST(HazardsPhase, PerfectQualityAndNoRemovalLeaveHazardsUnchanged) {
  Params p;
  p.hazards.removal_base = 0;
  p.hazards.removal_per_quality = 0;
  World w = tiny_world(50, 3, 1.0f);
  auto ctx = context_at(0);
  phase_hazards(w, p, ctx);
  EXPECT_EQ(total_hazards(w), 150);
  EXPECT_EQ(ctx.tally[Metric::hazards_arrived], 0);
}

TEST(HazardsPhase, ArrivalsAverageRateTimesStep) {
  Params p;
  p.sectors[kManufacturing].hazard_arrival = 365.0;  // one a day at q = 0
  World w = tiny_world(20000, 0, 0.0f);
  auto ctx = context_at(0);
  phase_hazards(w, p, ctx);
  // Poisson(1) per enterprise: total 20000 +- 141.
  EXPECT_NEAR(ctx.tally[Metric::hazards_arrived], 20000, 600);
  EXPECT_EQ(total_hazards(w), ctx.tally[Metric::hazards_arrived]);
}

TEST(HazardsPhase, SelfRemovalIsExponential) {
  Params p;
  p.hazards.removal_base = 365.0 * std::log(2.0);  // half-life of one day
  p.hazards.removal_per_quality = 0;
  World w = tiny_world(10000, 4, 1.0f);  // q = 1: no arrivals
  auto ctx = context_at(0);
  phase_hazards(w, p, ctx);
  EXPECT_NEAR(static_cast<double>(total_hazards(w)), 20000, 500);  // 40000 / 2, sd 100
  EXPECT_EQ(ctx.tally[Metric::hazards_self_removed], 40000 - total_hazards(w));
}


TEST(PlanningPhase, CapacityAccruesOnWorkingDaysOnly) {
  Params p = always_substantive();
  p.inspectors.inspections_per_month = 21.7;  // one per working day
  World w = tiny_world(10, 0, 0.5f, 2);
  std::size_t visits = 0;
  for (int day = 0; day < 14; ++day) {
    auto ctx = context_at(day);
    phase_inspection_planning(w, p, ctx);
    if (day % 7 >= 5) {
      EXPECT_TRUE(ctx.visits.empty()) << "weekend day " << day;
    }
    visits += ctx.visits.size();
  }
  // Ten working days, two inspectors; credit may sit just below a whole visit.
  EXPECT_GE(visits, 18u);
  EXPECT_LE(visits, 20u);
}

// Two weeks of formal visits: 1/tau as many as substantive ones where the time they save goes to
// further visits (the default), as many where the plan fixes the count.
TEST(PlanningPhase, TheTimeFormalVisitsSaveBuysVisitsOnlyAsFarAsItGoesToThem) {
  const auto formal_visits_in_two_weeks = [](double saved_time_to_visits) {
    Params p;
    p.departments.administrative_burden = 0;
    p.inspectors.intrinsic_motivation = -10;  // every routine visit formal
    p.inspectors.decision_noise = 0.01;
    p.assessment.kpi_count_weight = 0;
    p.inspectors.formal_time_share = 0.25;
    p.inspectors.inspections_per_month = 21.7;  // one substantive visit per working day
    p.planning.saved_time_to_visits = saved_time_to_visits;
    World w = tiny_world(10, 0, 0.5f, 1);
    std::size_t visits = 0;
    for (int day = 0; day < 14; ++day) {
      auto ctx = context_at(day);
      phase_inspection_planning(w, p, ctx);
      for (const auto& v : ctx.visits) EXPECT_FALSE(v.substantive);
      visits += ctx.visits.size();
    }
    return visits;
  };
  EXPECT_GE(formal_visits_in_two_weeks(1.0), 39u);  // ten working days, four a day
  EXPECT_LE(formal_visits_in_two_weeks(1.0), 40u);
  EXPECT_GE(formal_visits_in_two_weeks(0.0), 9u);   // one a day, as substantive ones
  EXPECT_LE(formal_visits_in_two_weeks(0.0), 10u);
}

TEST(PlanningPhase, UnregisteredAndOrphanEnterprisesAreNeverVisited) {
  Params p;
  p.inspectors.inspections_per_month = 200;
  World w = tiny_world(10, 0, 0.5f, 3);
  for (std::uint32_t i = 0; i < 10; ++i) w.enterprises.registered[i] = i == 2 || i == 7 || i == 5;
  w.enterprises.primary_department[5] = kNoDepartment;  // registered, but nobody's (orphan)
  for (int day = 0; day < 5; ++day) {
    auto ctx = context_at(day);
    phase_inspection_planning(w, p, ctx);
    ASSERT_FALSE(ctx.visits.empty());
    for (const auto& v : ctx.visits) EXPECT_TRUE(v.enterprise == 2 || v.enterprise == 7);
  }
}

TEST(InspectionsPhase, PerfectSkillAndComplianceClearEveryHazard) {
  Params p;
  p.departments.equipment = 1.0;
  p.enforcement.rectification_cost = 0;  // carrying out orders costs less than refusing them
  p.enterprises.compliance_noise = 0;
  p.enforcement.fine_per_hazard = 1000;
  World w = tiny_world(3, 5, 0.5f, 1, 1.0f);
  auto ctx = context_at(0);
  ctx.visits = {{0, 0, true, false}, {0, 2, true, false}};
  phase_inspections(w, p, ctx);
  EXPECT_EQ(w.enterprises.hazards[0], 0);
  EXPECT_EQ(w.enterprises.hazards[1], 5);  // not visited
  EXPECT_EQ(w.enterprises.hazards[2], 0);
  EXPECT_EQ(ctx.tally[Metric::inspections], 2);
  EXPECT_EQ(ctx.tally[Metric::hazards_found], 10);
  EXPECT_EQ(ctx.tally[Metric::hazards_rectified], 10);
  EXPECT_EQ(ctx.tally[Metric::fines], 10000);
  EXPECT_EQ(w.inspectors.inspections[0], 2);
  EXPECT_EQ(w.enterprises.inspections[2], 1);
}

TEST(InspectionsPhase, DetectionMatchesSkill) {
  Params p;
  // Refusing risks a continuing fine of exactly what rectifying costs: half the orders carried out.
  p.enforcement.rectification_cost = p.enforcement.fine_per_hazard * p.enforcement.repeat_fine_multiplier;
  World w = tiny_world(2000, 10, 0.5f, 1, 0.3f);
  auto ctx = context_at(0);
  p.departments.equipment = 1.0;
  for (std::uint32_t i = 0; i < 2000; ++i) ctx.visits.push_back({0, i, true, false});
  phase_inspections(w, p, ctx);
  // 20000 hazards x 0.3 found = 6000 (sd 65); the major ones (major_hazard_share) rectified for
  // certain, half of the others.
  EXPECT_NEAR(ctx.tally[Metric::hazards_found], 6000, 300);
  const double major = p.enforcement.major_hazard_share;
  EXPECT_NEAR(ctx.tally[Metric::major_hazards_found], 6000 * major, 150);
  EXPECT_NEAR(ctx.tally[Metric::hazards_rectified], 6000 * (major + (1 - major) * 0.5), 250);
  EXPECT_EQ(total_hazards(w), 20000 - ctx.tally[Metric::hazards_rectified]);
}

TEST(AccidentsPhase, RateIsManagedBasePlusHazardsTimesSize) {
  Params p;
  p.accidents.management_effect = 0.5;
  const auto& s = p.sectors[kManufacturing];
  // Management at q = 0.5 leaves 1 - 0.5 x 0.5 = 0.75 of the risk without hazards.
  EXPECT_DOUBLE_EQ(accident_rate(p, kManufacturing, 2.0f, 0.5f, 3),
                   (s.accident_base * 0.75 + 3 * s.accident_per_hazard) * 2.0);
  EXPECT_DOUBLE_EQ(accident_rate(p, kManufacturing, 2.0f, 0.0f, 3),
                   (s.accident_base + 3 * s.accident_per_hazard) * 2.0);
  // Better management lowers the risk without hazards; an effect of 0 leaves it flat.
  EXPECT_LT(accident_rate(p, kManufacturing, 1.0f, 0.9f, 0), accident_rate(p, kManufacturing, 1.0f, 0.1f, 0));
  p.accidents.management_effect = 0;
  EXPECT_DOUBLE_EQ(accident_rate(p, kManufacturing, 1.0f, 0.9f, 0), s.accident_base);
}

TEST(AccidentsPhase, NoRateNoAccident) {
  Params p;
  p.sectors[kManufacturing].accident_base = 0;
  World w = tiny_world(5000, 0, 0.5f);
  auto ctx = context_at(0);
  phase_accidents(w, p, ctx);
  EXPECT_TRUE(ctx.accidents.empty());
}

TEST(AccidentsPhase, FrequencyMatchesOneMinusExp) {
  Params p;
  auto& s = p.sectors[kManufacturing];
  s.accident_base = 0;
  s.accident_per_hazard = 365.0 / 2.0;  // with 2 hazards: rate 1 per day
  World w = tiny_world(20000, 2, 0.5f);
  auto ctx = context_at(0);
  phase_accidents(w, p, ctx);
  const double expected = 20000 * (1 - std::exp(-1.0));  // 12642, sd 68
  EXPECT_NEAR(static_cast<double>(ctx.accidents.size()), expected, 350);
}

TEST(AccidentsPhase, FatalAccidentsKillBetweenOneAndTheWorkforce) {
  Params p;
  auto& s = p.sectors[kManufacturing];
  s.accident_base = 1e6;
  s.p_fatal = 1.0;
  s.death_tail = 1.1;  // very fat tail, so the cap matters
  p.concealment.fatal_propensity = 0;
  World w = tiny_world(3000, 0, 0.5f);
  auto ctx = context_at(0);
  phase_accidents(w, p, ctx);
  ASSERT_EQ(ctx.accidents.size(), 3000u);
  for (const auto& a : ctx.accidents) {
    EXPECT_EQ(a.severity, Severity::Fatal);
    EXPECT_GE(a.deaths, 1);
    EXPECT_LE(a.deaths + a.injuries, 30);
    EXPECT_TRUE(a.reported);
    EXPECT_EQ(a.grade, accident_grade(a.deaths, a.injuries));
  }
}

TEST(AccidentsPhase, NearMissesAreNeverReportedOrCounted) {
  Params p;
  auto& s = p.sectors[kManufacturing];
  s.accident_base = 1e6;
  s.p_fatal = s.p_serious = s.p_minor = 0;
  World w = tiny_world(100, 3, 0.5f);
  auto ctx = context_at(0);
  phase_accidents(w, p, ctx);
  EXPECT_EQ(ctx.tally[Metric::accidents_near_miss], 100);
  EXPECT_EQ(ctx.tally[Metric::accidents_true], 0);
  EXPECT_EQ(ctx.tally[Metric::accidents_reported], 0);
  EXPECT_EQ(total_hazards(w), 300);  // no harm, no clean-up
}

TEST(AccidentsPhase, GradesFollowDecree493) {
  EXPECT_EQ(accident_grade(2, 9), Grade::General);
  EXPECT_EQ(accident_grade(3, 0), Grade::Larger);
  EXPECT_EQ(accident_grade(0, 10), Grade::Larger);
  EXPECT_EQ(accident_grade(10, 0), Grade::Major);
  EXPECT_EQ(accident_grade(29, 99), Grade::Major);
  EXPECT_EQ(accident_grade(30, 0), Grade::EspeciallyMajor);
  EXPECT_EQ(accident_grade(0, 100), Grade::EspeciallyMajor);
}

TEST(AccidentsPhase, ConcealmentFallsWithDeaths) {
  Params p;
  p.concealment.fatal_propensity = 0.2;
  p.concealment.per_extra_death = 0.5;
  // No media, records, insiders or oversight: only the severity term moves the odds.
  p.media.activity = 0;
  p.concealment.record_discovery = 0;
  p.concealment.insider_report = 0;
  p.discipline.audit_rate = 0;
  EXPECT_DOUBLE_EQ(concealment_probability(p, Severity::Fatal, 1), 0.2);
  // Each further death multiplies the odds (0.25) by 0.5: odds 0.0625, probability 1/17.
  EXPECT_NEAR(concealment_probability(p, Severity::Fatal, 3), 1.0 / 17.0, 1e-12);
  EXPECT_DOUBLE_EQ(concealment_probability(p, Severity::Minor, 0), p.concealment.injury_propensity);
}

TEST(Calendar, WorkingDaysSkipWeekends) {
  EXPECT_EQ(working_days_in(0, 7), 5);
  EXPECT_EQ(working_days_in(5, 2), 0);
  EXPECT_EQ(working_days_in(3, 30), 22);  // days 3..32: 4 full weeks (20) + days 31,32 (Mon-Tue)
}

TEST(Calendar, MonthsAndYearsEndOnTheirLastDay) {
  EXPECT_EQ(month_of_day(0), 0);
  EXPECT_EQ(month_of_day(30), 0);
  EXPECT_EQ(month_of_day(31), 1);
  EXPECT_EQ(month_of_day(364), 11);
  EXPECT_EQ(month_of_day(365), 12);
  int month_ends = 0, year_ends = 0;
  for (int day = 0; day < 730; ++day) {
    StepContext ctx = context_at(day);
    month_ends += ctx.month_ends;
    year_ends += ctx.year_ends;
    EXPECT_TRUE(ctx.month_ends || (day != 30 && day != 364)) << day;
  }
  EXPECT_EQ(month_ends, 24);
  EXPECT_EQ(year_ends, 2);
  StepContext weekly;
  weekly.begin_step(52, 7);  // days 364..370: crosses the year end
  EXPECT_TRUE(weekly.year_ends);
  EXPECT_TRUE(weekly.month_ends);
}

// docs/ODD.md section 3 describes the order of phase_table.def: its table names the file of every
// phase of the daily reference scheme in the table's order, and the section names the files of the
// phases that run only under next-event sampling.
TEST(PhaseTable, OddSectionThreeFollowsTheTablesOrder) {
  std::ifstream in(std::string(ANJIAN_SOURCE_DIR) + "/docs/ODD.md");
  ASSERT_TRUE(in) << "docs/ODD.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  const std::string odd = text.str();
  const auto begin = odd.find("## 3. Process overview and scheduling");
  ASSERT_NE(begin, std::string::npos) << "docs/ODD.md has no section 3";
  const auto end = odd.find("\n## ", begin + 1);
  const std::string section = odd.substr(begin, end - begin);
  struct Phase {
    std::string file;
    PhaseScheme scheme;
  };
  const Phase phases[] = {
#define ANJIAN_PHASE(name, label, scheme) {"`" #name ".cpp`", PhaseScheme::scheme},
#include "model/phase_table.def"
#undef ANJIAN_PHASE
  };
  std::size_t at = 0;
  for (const Phase& phase : phases) {
    if (phase.scheme == PhaseScheme::next_event) {
      EXPECT_NE(section.find(phase.file), std::string::npos)
          << phase.file << " is missing from docs/ODD.md section 3";
      continue;
    }
    const auto found = section.find(phase.file, at);
    ASSERT_NE(found, std::string::npos) << phase.file << " is missing from docs/ODD.md section 3, or out of "
                                        << "the order of sim/model/phase_table.def";
    at = found + phase.file.size();
  }
}
