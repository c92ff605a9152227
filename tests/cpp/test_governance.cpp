// Departments, jurisdiction, planning and the inspector's choice of mode: unit tests on tiny
// worlds and directional tests over replicates.

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <utility>

#include "model/assessment.hpp"
#include "model/build_world.hpp"
#include "model/inspection_planning.hpp"
#include "model/inspections.hpp"
#include "model/inspector_behaviour.hpp"
#include "model/phases.hpp"
#include "replicate_stats.hpp"
#include "scenario/scenario.hpp"
#include "world_fixtures.hpp"

using namespace anjian;
using namespace anjian::testing;

namespace {

std::size_t plan_visits(World& w, const Params& p, int days, std::vector<PlannedVisit>* all = nullptr) {
  std::size_t visits = 0;
  for (int day = 0; day < days; ++day) {
    auto ctx = context_at(day);
    phase_inspection_planning(w, p, ctx);
    phase_inspections(w, p, ctx);
    visits += ctx.visits.size();
    if (all) all->insert(all->end(), ctx.visits.begin(), ctx.visits.end());
  }
  return visits;
}

}  // namespace

TEST(Jurisdiction, BuildGivesOrphansAndOverlapsInTheirShares) {
  Params p;
  p.enterprises.count = 20000;
  p.enterprises.unregistered_share = 0;
  p.jurisdiction.orphan_share = 0.1;
  p.jurisdiction.overlap_share = 0.2;
  p.jurisdiction.special_equipment_share = 0;  // only random overlaps, besides the mines
  const World w = build_world(p, RandomKey{1, 0});
  double orphans = 0, overlaps = 0, mines = 0;
  for (std::size_t i = 0; i < w.enterprises.size(); ++i) {
    orphans += w.enterprises.primary_department[i] == kNoDepartment;
    const bool mine = w.enterprises.sector[i] == static_cast<std::uint8_t>(Sector::mining);
    mines += mine;
    overlaps += !mine && w.enterprises.secondary_department[i] != kNoDepartment;
    if (w.enterprises.secondary_department[i] != kNoDepartment) {
      ASSERT_NE(w.enterprises.secondary_department[i], w.enterprises.primary_department[i]);
    }
  }
  EXPECT_NEAR(orphans / 20000, 0.1, 0.01);
  EXPECT_NEAR(overlaps / (20000 - mines), 0.2, 0.01);
  // The 2018 responsibility map: mining and trade belong to the emergency bureau, construction
  // to the construction bureau.
  for (std::size_t i = 0; i < w.enterprises.size(); ++i) {
    if (w.enterprises.primary_department[i] == kNoDepartment) continue;
    const auto sector = static_cast<Sector>(w.enterprises.sector[i]);
    const auto expected = sector == Sector::construction ? DepartmentKind::construction
                                                         : DepartmentKind::emergency_management;
    EXPECT_EQ(w.enterprises.primary_department[i], static_cast<std::uint16_t>(expected));
  }
}

TEST(Jurisdiction, TownshipOfficesSeeOnlyTheirTownshipAndPooledTeamsSeeEveryone) {
  Params p;
  p.enterprises.count = 500;
  p.county.townships = 3;
  p.jurisdiction.orphan_share = 0.3;
  World w = build_world(p, RandomKey{2, 0});
  for (std::size_t t = 0; t < 3; ++t) {
    for (auto i : w.departments.targets[kCountyDepartmentKinds + t]) EXPECT_EQ(w.enterprises.township[i], t);
  }
  p.planning.pooled_teams = true;
  rebuild_targets(w, p);
  std::size_t registered = 0;
  for (auto r : w.enterprises.registered) registered += r;
  for (int k = 0; k < kCountyDepartmentKinds; ++k) EXPECT_EQ(w.departments.targets[k].size(), registered);
}

TEST(Planning, ComplaintsComeFirst) {
  Params p = always_substantive();
  p.inspectors.inspections_per_month = 21.7;
  World w = tiny_world(100, 0, 0.5f, 1);
  w.departments.complaints[0] = {42, 17};
  auto ctx = context_at(0);
  w.inspectors.capacity_credit[0] = 1.5;  // room for two visits today
  phase_inspection_planning(w, p, ctx);
  ASSERT_GE(ctx.visits.size(), 2u);
  EXPECT_EQ(ctx.visits[0].enterprise, 42u);
  EXPECT_TRUE(ctx.visits[0].complaint);
  EXPECT_EQ(ctx.visits[1].enterprise, 17u);
  EXPECT_TRUE(w.departments.complaints[0].empty());
}

TEST(Planning, AnExhaustedBudgetStopsInspections) {
  Params p = always_substantive();
  p.inspectors.inspections_per_month = 21.7 * 5;  // five a day
  p.departments.cost_per_inspection = 100;
  World w = tiny_world(100, 0, 0.5f, 1);
  w.departments.budget[0] = 1000;  // ten inspections a year
  EXPECT_EQ(plan_visits(w, p, 30), 10u);
  EXPECT_DOUBLE_EQ(w.departments.budget_spent_this_year[0], 1000);
}

TEST(Planning, SharedInformationAvoidsRecentlyInspectedEnterprises) {
  Params p = always_substantive();
  p.inspectors.inspections_per_month = 21.7 * 2;
  p.coordination.recent_days = 365;
  auto repeats = [&](bool sharing) {
    p.coordination.information_sharing = sharing;
    World w = tiny_world(200, 0, 0.5f, 4);
    std::vector<PlannedVisit> visits;
    plan_visits(w, p, 14, &visits);
    std::vector<int> seen(200, 0);
    int repeated = 0;
    for (const auto& v : visits) repeated += seen[v.enterprise]++ > 0;
    return repeated;
  };
  // 80 visits among 200 enterprises: about 14 repeats by chance, almost none when shared.
  EXPECT_GT(repeats(false), 5);
  EXPECT_LE(repeats(true), 2);
}

TEST(Planning, RiskBasedTargetingPrefersKnownRisk) {
  Params p = always_substantive();
  p.planning.targeting = Targeting::risk_based;
  auto& s = p.sectors[static_cast<int>(Sector::manufacturing)];
  s.accident_base = 0.06;
  s.accident_per_hazard = 0.12;
  p.accidents.management_effect = 0;  // the known risk is a + b v
  World w = tiny_world(100, 0, 0.5f, 1);
  // Enterprise 7 had many violations in its record: ten per inspection.
  w.enterprises.inspections[7] = 2;
  w.enterprises.violations_found[7] = 20;
  w.targets_stale = true;
  int hits = 0, draws = 0;
  for (int day = 0; day < 400; ++day) {
    auto ctx = context_at(day);
    w.inspectors.capacity_credit[0] = 1.0;
    phase_inspection_planning(w, p, ctx);
    for (const auto& v : ctx.visits) hits += v.enterprise == 7, ++draws;
  }
  // Random targeting would give 1 in 100; enterprise 7's risk is (0.06 + 0.12 x 10) / (0.06 + 0.12) = 7 times
  // the others', so about 7 in 106.
  EXPECT_GT(static_cast<double>(hits) / draws, 0.04);
}

// Where records matter to blame, a record at a risky enterprise is likelier to become that of an
// investigated accident: the inspector goes deep there and ticks boxes at the safe ones. Under
// strict accountability records protect nobody and the target's risk does not enter the choice.
TEST(InspectorMode, BlameWeighsTheTargetsKnownRisk) {
  Params p;
  auto& s = p.sectors[static_cast<int>(Sector::manufacturing)];
  s.accident_base = 0.06;
  s.accident_per_hazard = 0.12;
  p.accidents.management_effect = 0;  // the known risk is a + b v
  p.assessment.kpi_count_weight = p.assessment.kpi_quality_weight = p.assessment.kpi_fines_weight = 0;
  p.discipline.audit_rate = 0;
  p.inspectors.morale_weight = 0;
  p.inspectors.decision_noise = 1;
  p.inspectors.blame_aversion = 500;
  p.inspectors.intrinsic_motivation = -1;  // cancels the blame term at the mean risk: even odds there
  const auto substantive_shares = [&](float substantive_protection) {
    World w = tiny_world(100, 0, 0.5f, 1);
    for (std::uint32_t i = 0; i < 100; ++i) {  // half with ten violations per inspection, half none
      w.enterprises.inspections[i] = 10;
      w.enterprises.violations_found[i] = i < 50 ? 100 : 0;
    }
    auto& d = w.departments;
    d.record_blame_chance_seen[0] = 0.002f;  // stake: 500 x 0.002 x 1 punished = 1 utility a record
    d.punished_per_blame_seen[0] = 1.0f;
    d.substantive_protection_seen[0] = substantive_protection;
    double mean_risk = 0;
    for (std::uint32_t i = 0; i < 100; ++i) mean_risk += known_risk(p, w.enterprises, i) / 100;
    d.visit_risk_seen[0] = static_cast<float>(mean_risk);
    std::array<double, 2> substantive{}, visits{};  // [risky, safe]
    for (int day = 0; day < 2000; ++day) {
      auto ctx = context_at(day);
      w.inspectors.capacity_credit[0] = 1.0;
      phase_inspection_planning(w, p, ctx);
      for (const auto& v : ctx.visits) substantive[v.enterprise >= 50] += v.substantive, visits[v.enterprise >= 50] += 1;
    }
    return std::pair{substantive[0] / visits[0], substantive[1] / visits[1]};
  };
  // Due diligence as seen (a substantive record protects): U = 1 x (ratio - 1) with ratios
  // 1.26/0.66 = 1.9 and 0.06/0.66 = 0.09, so about 71% and 29% substantive.
  const auto [risky, safe] = substantive_shares(1.0f);
  EXPECT_NEAR(risky, 0.71, 0.05);
  EXPECT_NEAR(safe, 0.29, 0.05);
  // Strict: no blame term, even odds at both.
  const auto [risky_strict, safe_strict] = substantive_shares(0.0f);
  EXPECT_NEAR(risky_strict, 0.27, 0.05);
  EXPECT_NEAR(safe_strict, 0.27, 0.05);
}

TEST(Inspections, TownshipStaffWithoutAuthorityOnlyRefer) {
  Params p;
  p.townships.referral_follow_through = 0.0;
  p.enforcement.capture_strength = 0.0;
  p.departments.equipment = 1.0;
  World w = tiny_world(3, 4, 0.5f, 1, 1.0f);
  w.inspectors.department[0] = kCountyDepartmentKinds;  // the township office
  w.departments.can_enforce[kCountyDepartmentKinds] = 0;
  auto ctx = context_at(0);
  ctx.visits = {{0, 1, true, false}};
  phase_inspections(w, p, ctx);
  EXPECT_EQ(w.enterprises.hazards[1], 4);  // found, referred, not fixed
  EXPECT_EQ(ctx.tally[Metric::hazards_referred], 4);
  EXPECT_EQ(ctx.tally[Metric::fines], 0);
}

// A box-ticking visit reads papers: it orders what it finds put right, but builds no penalty case
// (inspectors.formal_visits_penalise), so the enterprise learns that findings cost nothing.
TEST(Enforcement, AFormalVisitOrdersWhatItFindsButPenalisesNothing) {
  Params p;
  p.enforcement.capture_strength = 0.0;
  p.departments.equipment = 1.0;
  p.inspectors.formal_time_share = 1.0;  // a formal visit as thorough as a substantive one: finds all
  p.inspectors.formal_search_efficiency = 1.0;
  const auto formal_visit = [&](bool penalises) {
    p.inspectors.formal_visits_penalise = penalises;
    World w = tiny_world(2, 4, 0.5f, 1, 1.0f);
    auto ctx = context_at(0);
    ctx.visits = {{0, 1, false, false}};
    phase_inspections(w, p, ctx);
    return std::pair{ctx.tally[Metric::hazards_ordered], ctx.tally[Metric::fines]};
  };
  const auto [ordered, fines] = formal_visit(false);
  EXPECT_EQ(ordered, 4);  // every finding is ordered put right
  EXPECT_EQ(fines, 0);    // and none fined
  const auto [ordered_penalised, fines_penalised] = formal_visit(true);
  EXPECT_EQ(ordered_penalised, 4);
  EXPECT_GT(fines_penalised, 0);
}

TEST(Inspections, FormalInspectionsFindLess) {
  Params p;
  p.departments.equipment = 1.0;
  p.inspectors.formal_time_share = 0.5;
  p.inspectors.formal_search_efficiency = 0.5;  // half the time, half the finds per unit of time
  EXPECT_DOUBLE_EQ(detection_probability(p, 0.8f, true), 0.800000011920929);  // float skill
  EXPECT_NEAR(detection_probability(p, 0.8f, false), 0.2, 1e-7);
  // Cheaper box-ticking finds less: detection is tied to the time a visit takes.
  p.inspectors.formal_time_share = 0.1;
  EXPECT_NEAR(detection_probability(p, 0.8f, false), 0.04, 1e-7);
}

TEST(InspectorMode, AnnouncedProtectionFollowsTheRule) {
  Params p;
  p.accountability.fault_misjudgement = 0.3;
  const auto both = [&](AccountabilityRule rule) {
    p.accountability.rule = rule;
    return std::pair{announced_protection(p, true), announced_protection(p, false)};
  };
  EXPECT_EQ(both(AccountabilityRule::strict), std::pair(0.0, 0.0));
  EXPECT_EQ(both(AccountabilityRule::any_record), std::pair(1.0, 1.0));
  EXPECT_EQ(both(AccountabilityRule::fault), std::pair(0.7, 0.0));
  EXPECT_EQ(both(AccountabilityRule::due_diligence), std::pair(1.0, 0.0));
  // Inspectors credit a share of what is announced until they see it applied.
  p.accountability.exemption_credibility = 0.5;
  EXPECT_DOUBLE_EQ(initial_beliefs(p).substantive_protection, 0.5);
  EXPECT_DOUBLE_EQ(initial_beliefs(p).formal_protection, 0.0);
}

TEST(InspectorMode, BlameGapWeighsStakeProtectionAndCoverage) {
  Params p;
  p.inspectors.blame_aversion = 500;
  p.inspectors.formal_time_share = 0.25;
  // Stake: 500 x 0.002 chance x 2 punished = 2 utility per record.
  InspectorBeliefs seen{0.002, 2.0, 0.0, 0.0};
  EXPECT_DOUBLE_EQ(blame_utility_gap(p, seen), 0.0);  // strict: records protect nobody
  seen.substantive_protection = 0.8;                   // due diligence as seen: + 2 x 0.8
  EXPECT_NEAR(blame_utility_gap(p, seen), 1.6, 1e-12);
  // Any record shields: a formal visit protects as well and its saved time buys 3 more records.
  seen = {0.002, 2.0, 1.0, 1.0};
  EXPECT_NEAR(blame_utility_gap(p, seen), -6.0, 1e-12);
  // Rarer blame, smaller stake.
  seen.record_chance = 0.0005;
  EXPECT_NEAR(blame_utility_gap(p, seen), -1.5, 1e-12);
}

// When the plan fixes the count of visits (planning.saved_time_to_visits 0), the time a formal
// visit saves goes to other work: it buys no further records, and a count KPI no further visits.
TEST(InspectorMode, SavedTimeThatBuysNoVisitsBuysNoCoverage) {
  Params p;
  p.inspectors.blame_aversion = 500;
  p.inspectors.formal_time_share = 0.25;
  const InspectorBeliefs any_record{0.002, 2.0, 1.0, 1.0};
  EXPECT_DOUBLE_EQ(formal_visit_slot(p), 0.25);  // the default: the slot is the time
  p.planning.saved_time_to_visits = 0.5;
  EXPECT_DOUBLE_EQ(formal_visit_slot(p), 0.625);
  EXPECT_NEAR(blame_utility_gap(p, any_record), -2.0 * 0.375 / 0.625, 1e-12);  // 0.6 more records, not 3
  p.planning.saved_time_to_visits = 0.0;
  EXPECT_DOUBLE_EQ(formal_visit_slot(p), 1.0);
  EXPECT_DOUBLE_EQ(blame_utility_gap(p, any_record), 0.0);  // protects as a substantive record, no more
  p.inspectors.blame_aversion = 0;
  p.inspectors.intrinsic_motivation = 0;
  p.assessment.kpi_count_weight = 3;  // counts reward nothing a formal visit saves
  p.discipline.audit_rate = 0;
  EXPECT_NEAR(substantive_probability(p, 0.5, any_record), 0.5, 1e-12);
}

TEST(InspectorMode, LogitOfIncentives) {
  Params p;
  p.inspectors.intrinsic_motivation = 0.5;
  p.inspectors.morale_weight = 2.0;
  p.inspectors.formal_time_share = 0.3;
  p.inspectors.decision_noise = 1.0;
  p.assessment.kpi_quality_weight = 0.0;
  p.assessment.kpi_count_weight = 1.0;
  p.discipline.audit_rate = 0.0;
  const InspectorBeliefs nobody_protected{0.002, 1.0, 0.0, 0.0};
  // 0.5 + 2 x (0.6 - 0.5) - 1 x 0.7 = 0: a coin toss.
  EXPECT_NEAR(substantive_probability(p, 0.6, nobody_protected), 0.5, 1e-12);
  // Substantive records seen to protect fully: + 1500 x 0.002 = + 3.
  p.inspectors.blame_aversion = 1500;
  const InspectorBeliefs diligence_exempt{0.002, 1.0, 1.0, 0.0};
  EXPECT_NEAR(substantive_probability(p, 0.6, diligence_exempt), 1.0 / (1.0 + std::exp(-3.0)), 1e-12);
  EXPECT_LT(substantive_probability(p, 0.2, diligence_exempt), substantive_probability(p, 0.6, diligence_exempt));
}

TEST(InspectorMode, BeliefsMoveWithWhatInspectorsSee) {
  Params p;
  p.inspectors.belief_learning_rate = 0.25;
  World w = tiny_world(1, 0, 0.5f);
  auto& d = w.departments;
  d.substantive_protection_seen[0] = 0.5f;
  learn_verdict(d, 0, p, InspectionRecord::substantive, true);  // an exemption seen applied
  EXPECT_FLOAT_EQ(d.substantive_protection_seen[0], 0.625f);
  learn_verdict(d, 0, p, InspectionRecord::formal, false);
  EXPECT_FLOAT_EQ(d.formal_protection_seen[0], 0.0f);
  d.punished_per_blame_seen[0] = 1.0f;
  learn_breadth(d, 0, p, 5);
  EXPECT_FLOAT_EQ(d.punished_per_blame_seen[0], 2.0f);
  d.record_blame_chance_seen[0] = 0.0f;
  d.records_investigated_this_month[0] = 2;
  learn_record_chance(d, 0, p, 100);
  EXPECT_FLOAT_EQ(d.record_blame_chance_seen[0], 0.005f);
  EXPECT_EQ(d.records_investigated_this_month[0], 0);
  // 40 substantive visits fined 80,000 yuan: 2,000 a visit seen; the belief moves a quarter of
  // the way from 4,000; a month without substantive visits leaves it.
  d.fines_per_substantive_seen[0] = 4000.0f;
  d.substantive_fines_this_month[0] = 80000.0;
  learn_fines_per_substantive(d, 0, p, 40);
  EXPECT_FLOAT_EQ(d.fines_per_substantive_seen[0], 3500.0f);
  EXPECT_EQ(d.substantive_fines_this_month[0], 0.0);
  learn_fines_per_substantive(d, 0, p, 0);
  EXPECT_FLOAT_EQ(d.fines_per_substantive_seen[0], 3500.0f);
}

// The inspection game's supervisor: a fines KPI pulls towards substantive visits only as far as
// they bring fines, the share of the fines target a year of them would reach (capped at 1).
TEST(InspectorMode, FinesKpiPullsAsFarAsViolationsAreFound) {
  Params p;
  p.assessment.kpi_fines_weight = 2.0;
  p.assessment.fines_target_per_post = 100000;
  p.inspectors.inspections_per_month = 10;
  p.departments.administrative_burden = 0.5;  // 60 substantive visits a post-year
  p.inspectors.formal_search_efficiency = 0.5;
  p.inspectors.formal_time_share = 0.4;  // a formal visit finds 0.2 of what a substantive one does
  p.inspectors.formal_visits_penalise = true;  // and fines what it finds
  InspectorBeliefs seen = initial_beliefs(p);
  EXPECT_NEAR(seen.fines_per_substantive, 100000.0 / 60.0, 1e-9);  // the target's pace
  EXPECT_NEAR(fines_utility_gap(p, seen), 2.0 * 0.8, 1e-12);
  seen.fines_per_substantive = 500;  // 30,000 a year: 0.3 of the target
  EXPECT_NEAR(fines_utility_gap(p, seen), 2.0 * 0.3 * 0.8, 1e-12);
  seen.fines_per_substantive = 5000;  // beyond the target: no further pull
  EXPECT_NEAR(fines_utility_gap(p, seen), 2.0 * 0.8, 1e-12);
  seen.fines_per_substantive = 0;  // enterprises comply: nothing to find
  EXPECT_EQ(fines_utility_gap(p, seen), 0.0);
  // A formal visit that penalises nothing brings no fines at all: the whole year's pace is the gap.
  p.inspectors.formal_visits_penalise = false;
  seen.fines_per_substantive = 500;
  EXPECT_NEAR(fines_utility_gap(p, seen), 2.0 * 0.3, 1e-12);
  InspectorBeliefs compliant = initial_beliefs(p);
  compliant.fines_per_substantive = 100;
  EXPECT_LT(substantive_probability(p, 0.5, compliant), substantive_probability(p, 0.5, initial_beliefs(p)));
}

TEST(Coordination, CommitteeOfficeAssignsOrphansOverTime) {
  Params p;
  p.coordination.orphan_assignment_rate = 12.0;  // about one month to assignment
  World w = tiny_world(1000, 0, 0.5f);
  for (std::size_t i = 0; i < 1000; ++i) w.enterprises.primary_department[i] = kNoDepartment;
  double assigned = 0;
  for (int day = 0; day < 31; ++day) {
    auto ctx = context_at(day);
    phase_coordination(w, p, ctx);
    assigned += ctx.tally[Metric::orphans_assigned];
  }
  EXPECT_NEAR(assigned, 1000 * (1 - std::exp(-1.0)), 60);
  EXPECT_EQ(static_cast<double>(w.newly_assigned.size()), assigned);  // planning adds them to its targets
}

namespace {

// Eight replicates of three years of the test county.
EnsembleResult run_tiny3(std::vector<std::string> overrides) {
  overrides.insert(overrides.begin(), {"run.replicates=8", "time.years=3"});
  return run_tiny(overrides);
}

MeanSe final_stock(const EnsembleResult& r, Metric m) {
  std::vector<double> xs;
  for (const auto& rep : r.replicates) xs.push_back(rep.series[static_cast<int>(m)].back());
  return mean_se(xs);
}

}  // namespace

TEST(GovernanceDirectional, MoreInspectorsLowerLatentHazards) {
  const MeanSe few = final_stock(run_tiny3({"departments.emergency_management_staff=2"}), Metric::latent_hazards);
  const MeanSe many = final_stock(run_tiny3({"departments.emergency_management_staff=20"}), Metric::latent_hazards);
  std::cout << "latent hazards after 3 years: 2 inspectors " << few.mean << " +- " << few.se << ", 20 inspectors "
            << many.mean << " +- " << many.se << "\n";
  EXPECT_GT(z_above(few, many), 3.0);
}

TEST(GovernanceDirectional, TownshipEnforcementAuthorityLowersLatentHazards) {
  const std::vector<std::string> base = {"townships.office_staff=3", "departments.emergency_management_staff=1"};
  auto with = [&](const std::string& authority) {
    auto o = base;
    o.push_back("townships.enforcement_authority=" + authority);
    return final_stock(run_tiny3(o), Metric::latent_hazards);
  };
  const MeanSe refer_only = with("false");
  const MeanSe authority = with("true");
  std::cout << "latent hazards: refer only " << refer_only.mean << " +- " << refer_only.se << ", with authority "
            << authority.mean << " +- " << authority.se << "\n";
  EXPECT_GT(z_above(refer_only, authority), 3.0);
}

// Strict accountability with count KPIs breeding formal inspections: test_staff_directional.cpp.

TEST(GovernanceDirectional, CommitteeOfficeCoordinationShrinksOrphans) {
  const MeanSe weak = final_stock(run_tiny3({"coordination.orphan_assignment_rate=0"}), Metric::enterprises_orphaned);
  const MeanSe strong = final_stock(run_tiny3({"coordination.orphan_assignment_rate=2"}), Metric::enterprises_orphaned);
  std::cout << "orphans after 3 years: weak office " << weak.mean << " +- " << weak.se << ", strong office "
            << strong.mean << " +- " << strong.se << "\n";
  EXPECT_GT(z_above(weak, strong), 3.0);
}

// An enterprise that refuses every order on a general hazard: rectifying costs more than any
// sanction for refusing, and it always takes the cheaper side (no private reasons).
void refuse_every_order(Params& p) {
  p.enforcement.rectification_cost = 1e8;
  p.enterprises.compliance_noise = 0.0;
}

// A visit by an inspector who finds every hazard (skill and equipment 1), at `day`.
InspectionOutcome visit_all_seeing(World& w, const Params& p, std::uint32_t enterprise, std::int64_t day) {
  RandomStream rng({5, 0}, Stream::Inspection, enterprise, static_cast<std::uint64_t>(day));
  Tally tally;
  return inspect_enterprise(w, p, enterprise, 1.0, 0, day, false, rng, tally);
}

TEST(Enforcement, GeneralFindingsInARowClimbTheLadder) {
  Params p;
  p.enforcement.capture_strength = 0.0;
  p.enforcement.major_hazard_share = 0.0;
  refuse_every_order(p);  // every visit verifies the same hazards
  p.enforcement.suspension_rate = 1.0;
  p.enforcement.fine_per_hazard = 1000;
  p.enforcement.repeat_fine_multiplier = 3;
  World w = tiny_world(1, 2, 0.5f);
  const auto& e = w.enterprises;
  EXPECT_DOUBLE_EQ(visit_all_seeing(w, p, 0, 10).fine, 2000);  // a first finding: order and fine
  EXPECT_EQ(e.offence_rung[0], 1);
  EXPECT_EQ(w.departments.complaints[0], std::deque<std::uint32_t>{0});  // refused: a follow-up
  EXPECT_DOUBLE_EQ(visit_all_seeing(w, p, 0, 100).fine, 6000);  // refused within a year: continuing fines
  EXPECT_EQ(e.offence_rung[0], 2);
  EXPECT_EQ(e.suspensions[0], 0);
  EXPECT_EQ(w.departments.complaints[0].size(), 1u);  // queued once
  visit_all_seeing(w, p, 0, 200);  // a third finding in a row: suspension
  EXPECT_EQ(e.offence_rung[0], 3);
  EXPECT_EQ(e.suspensions[0], 1);
  EXPECT_EQ(e.suspended_until[0], 200 + p.enforcement.suspension_days);
  // The refusals' fines and the suspension they brought are the price of refusing
  // (order_compliance), not a sanction per hazard found: the enterprise learns only the finding's.
  EXPECT_DOUBLE_EQ(e.fines_this_month[0], 2000);
  // More than a year after the last order, the ladder starts again.
  EXPECT_DOUBLE_EQ(visit_all_seeing(w, p, 0, 200 + 366).fine, 2000);
  EXPECT_EQ(e.offence_rung[0], 1);
  w.enterprises.hazards[0] = 0;
  visit_all_seeing(w, p, 0, 600);  // a clean inspection
  EXPECT_EQ(e.offence_rung[0], 0);
}

// What findings cost is what enterprises learn as the sanction per hazard found, a suspension's
// lost output included.
TEST(Enforcement, ASuspensionForMajorHazardsFoundIsLearnedWithTheFine) {
  Params p;
  p.enforcement.capture_strength = 0.0;
  p.enforcement.major_hazard_share = 1.0;
  p.enforcement.suspension_rate = 1.0;
  p.enforcement.fine_per_hazard = 1000;
  World w = tiny_world(1, 2, 0.5f);
  const auto out = visit_all_seeing(w, p, 0, 10);
  ASSERT_TRUE(out.suspended);
  const double lost = 30 * p.enterprises.output_per_worker * static_cast<double>(p.enforcement.suspension_days) / 365.0;
  EXPECT_NEAR(w.enterprises.fines_this_month[0], 2000 + lost, 1e-6);
}

TEST(Enforcement, MajorHazardsAreEliminatedMaySuspendAndFoundAgainGoToCourt) {
  Params p;
  p.enforcement.capture_strength = 1.0;
  p.enforcement.major_hazard_share = 1.0;
  refuse_every_order(p);  // general hazards would stay; major ones do not
  p.enforcement.suspension_rate = 1.0;
  p.courts.ex_ante_referral_rate = 1.0;
  p.media.activity = 0.0;
  p.discipline.audit_rate = 0.0;
  World w = tiny_world(1, 4, 0.5f);
  w.townships.growth_priority[0] = 1.0f;  // fully captured: no general order, fine or suspension
  const auto& e = w.enterprises;
  const auto first = visit_all_seeing(w, p, 0, 10);
  EXPECT_EQ(first.major_found, 4);
  EXPECT_EQ(first.rectified, 4);
  EXPECT_EQ(e.hazards[0], 0);
  EXPECT_EQ(e.prosecutions[0], 0);  // a first finding goes to court only after an accident
  w.enterprises.hazards[0] = 1;     // a major hazard again, within the year: refusal
  p.enforcement.suspension_rate = 0.0;
  visit_all_seeing(w, p, 0, 50);
  EXPECT_EQ(e.prosecutions[0], 0);  // capture spares the refusal the court...
  Params strict = p;
  strict.enforcement.capture_strength = 0.0;
  w.enterprises.hazards[0] = 1;
  visit_all_seeing(w, strict, 0, 60);
  EXPECT_EQ(e.prosecutions[0], 1);  // ...and without it a refusal goes to court
}

TEST(Enforcement, AVisitAnsweringAReportFindsTheReportedHazard) {
  Params p;
  World w = tiny_world(1, 1, 0.5f);
  for (std::int64_t day = 0; day < 20; ++day) {
    w.enterprises.hazards[0] = 1;
    w.enterprises.ordered_hazards[0] = 0;  // no earlier order outstanding: the hazard is new
    RandomStream rng({5, 0}, Stream::Inspection, 0, static_cast<std::uint64_t>(day));
    Tally tally;
    EXPECT_EQ(inspect_enterprise(w, p, 0, 0.0, 0, day, true, rng, tally).found, 1);
  }
}

namespace {

// Orders and their verification alone: no capture, no major hazard (ordered for certain), no
// suspension, and an enterprise that refuses every order.
Params refusing_enterprise_params() {
  Params p;
  p.enforcement.capture_strength = 0.0;
  p.enforcement.major_hazard_share = 0.0;
  refuse_every_order(p);
  p.enforcement.suspension_rate = 0.0;
  return p;
}

// An inspection of enterprise 0 on `day` by `department` that finds every latent hazard it looks for.
InspectionOutcome inspect_all_on(World& w, const Params& p, Tally& tally, std::int64_t day,
                                 std::uint16_t department = 0) {
  RandomStream rng({5, 0}, Stream::Inspection, 0, static_cast<std::uint64_t>(day));
  return inspect_enterprise(w, p, 0, 1.0, department, day, false, rng, tally);
}

}  // namespace

// The closure rate of rectification orders (整改指令): an order refused by its deadline is verified
// at the follow-up (复查), fined as a continuing offence and ordered again; it is not a new
// finding. (Before orders had deadlines, the follow-up found the same hazards anew: 6 found, 2
// rectified, a closure of 1/3.)
TEST(Enforcement, AFollowUpVerifiesARefusedOrderWithoutFindingItAgain) {
  Params p = refusing_enterprise_params();
  p.enforcement.fine_per_hazard = 1000;
  p.enforcement.repeat_fine_multiplier = 3;
  World w = tiny_world(1, 2, 0.5f);
  const auto& e = w.enterprises;
  Tally tally;
  const auto visit = [&](std::int64_t day) { return inspect_all_on(w, p, tally, day); };
  const auto order = visit(10);
  EXPECT_EQ(order.found, 2);
  EXPECT_EQ(order.ordered, 2);
  EXPECT_EQ(order.rectified, 0);
  EXPECT_EQ(e.ordered_hazards[0], 2);
  EXPECT_TRUE(order.follow_up_queued);
  const auto refused = visit(40);  // the follow-up: the same two hazards, refused
  EXPECT_EQ(refused.found, 0);
  EXPECT_EQ(refused.refused, 2);
  EXPECT_DOUBLE_EQ(refused.fine, 2 * 1000 * 3);  // rung 2: continuing fines (art. 112)
  EXPECT_EQ(e.offence_rung[0], 2);
  p.enforcement.rectification_cost = 0;  // rectifying now costs less than the continuing fine: it complies
  const auto closed = visit(70);
  EXPECT_EQ(closed.found, 0);
  EXPECT_EQ(closed.refused, 2);
  EXPECT_EQ(closed.rectified, 2);
  EXPECT_EQ(e.hazards[0], 0);
  EXPECT_EQ(e.ordered_hazards[0], 0);
  // Two distinct hazards found, two ordered, both rectified: a closure of 1.
  EXPECT_EQ(tally[Metric::hazards_found], 2);
  EXPECT_EQ(tally[Metric::hazards_ordered], 2);
  EXPECT_EQ(tally[Metric::hazards_refused], 4);
  EXPECT_EQ(tally[Metric::hazards_rectified], 2);
}

// Without re-inspection (enforcement.follow_up false) no one keeps track of orders: a refused
// order is a latent hazard like any other, found anew (and counted again) by chance.
TEST(Enforcement, WithoutReinspectionARefusedOrderIsFoundAnew) {
  Params p = refusing_enterprise_params();
  p.enforcement.follow_up = false;
  World w = tiny_world(1, 2, 0.5f);
  Tally tally;
  for (std::int64_t day : {10, 40}) {
    const auto out = inspect_all_on(w, p, tally, day);
    EXPECT_EQ(out.found, 2);
    EXPECT_EQ(out.refused, 0);
    EXPECT_FALSE(out.follow_up_queued);
    EXPECT_EQ(w.enterprises.ordered_hazards[0], 0);
  }
  EXPECT_EQ(tally[Metric::hazards_found], 4);
  EXPECT_EQ(tally[Metric::hazards_rectified], 0);
}

// Township staff without authority refer; the county orders a share (here all, or none), and the
// enterprise's refusal waits for the next inspector with authority. What is never ordered stays
// latent and unknown, and is not verified.
TEST(Enforcement, AReferralIsOrderedByTheCountyAndVerifiedByStaffWithAuthority) {
  Params p = refusing_enterprise_params();
  p.townships.referral_follow_through = 1.0;
  World w = tiny_world(1, 3, 0.5f);
  const std::uint16_t township = kCountyDepartmentKinds;  // tiny_world's township office
  w.departments.can_enforce[township] = 0;
  const auto& e = w.enterprises;
  Tally tally;
  const auto visit = [&](std::uint16_t department, std::int64_t day) {
    return inspect_all_on(w, p, tally, day, department);
  };
  const auto referral = visit(township, 10);
  EXPECT_EQ(referral.found, 3);
  EXPECT_EQ(referral.ordered, 3);  // the county orders all it is referred
  EXPECT_DOUBLE_EQ(referral.fine, 0);
  EXPECT_FALSE(referral.follow_up_queued);  // no follow-up from an office without authority
  EXPECT_EQ(e.ordered_hazards[0], 3);
  const auto again = visit(township, 20);  // the township office does not verify
  EXPECT_EQ(again.found, 0);
  EXPECT_EQ(again.refused, 0);
  EXPECT_EQ(visit(0, 30).refused, 3);  // the county bureau does
  EXPECT_EQ(tally[Metric::hazards_found], 3);

  p.townships.referral_follow_through = 0.0;  // the county drops every referral
  World dropped = tiny_world(1, 3, 0.5f);
  dropped.departments.can_enforce[township] = 0;
  const auto lost = inspect_all_on(dropped, p, tally, 1, township);
  EXPECT_EQ(lost.found, 3);
  EXPECT_EQ(lost.ordered, 0);
  EXPECT_EQ(dropped.enterprises.ordered_hazards[0], 0);
}

// A referral goes to the department responsible for the enterprise: about an orphan, which no
// department has made its own, no one takes it up (buck-passing), however well the county
// follows through on the referrals it receives; once the committee office assigns the orphan,
// its department orders them.
TEST(Enforcement, AnOrphansReferralHasNoOneToTakeItUp) {
  Params p = refusing_enterprise_params();
  p.townships.referral_follow_through = 1.0;
  const std::uint16_t township = kCountyDepartmentKinds;  // tiny_world's township office
  Tally tally;
  World orphan = tiny_world(1, 3, 0.5f);
  orphan.departments.can_enforce[township] = 0;
  orphan.enterprises.primary_department[0] = kNoDepartment;
  const auto unheard = inspect_all_on(orphan, p, tally, 10, township);
  EXPECT_EQ(unheard.found, 3);
  EXPECT_EQ(unheard.ordered, 0);
  EXPECT_EQ(orphan.enterprises.ordered_hazards[0], 0);
  EXPECT_EQ(orphan.enterprises.hazards[0], 3);  // still latent: nobody ordered them

  orphan.enterprises.primary_department[0] = static_cast<std::uint16_t>(DepartmentKind::emergency_management);
  orphan.enterprises.hazards[0] = 6;  // three more arrive; once assigned, what is referred is ordered
  const auto assigned = inspect_all_on(orphan, p, tally, 20, township);
  EXPECT_EQ(assigned.found, 6);
  EXPECT_EQ(assigned.ordered, 6);
}

TEST(Enforcement, ASuspendedEnterpriseNeitherProducesHazardsNorAccidents) {
  Params p;
  p.departments.equipment = 1.0;
  p.enforcement.capture_strength = 0.0;
  p.enforcement.major_hazard_share = 1.0;
  p.enforcement.suspension_rate = 1.0;
  p.enforcement.suspension_days = 30;
  World w = tiny_world(2, 6, 0.5f, 1, 1.0f);
  w.enterprises.hazards[1] = 0;  // nothing to find
  auto ctx = context_at(10);
  ctx.visits = {{0, 0, true, false}, {0, 1, true, false}};
  phase_inspections(w, p, ctx);
  EXPECT_EQ(w.enterprises.suspended_until[0], 40);
  EXPECT_EQ(w.enterprises.suspended_until[1], 0);
  EXPECT_EQ(ctx.tally[Metric::suspensions], 1);
  w.enterprises.hazards[0] = 6;

  // Suspended: no new hazards, no accidents, until day 40.
  p.sectors[static_cast<int>(Sector::manufacturing)].accident_base = 1e6;
  p.sectors[static_cast<int>(Sector::manufacturing)].hazard_arrival = 1e6;
  auto day = context_at(20);
  const auto before = w.enterprises.hazards[0];
  p.hazards.removal_base = p.hazards.removal_per_quality = 0;
  phase_hazards(w, p, day);
  phase_accidents(w, p, day);
  EXPECT_EQ(w.enterprises.hazards[0], before);
  for (const auto& a : day.accidents) EXPECT_NE(a.enterprise, 0u);
  auto later = context_at(40);
  phase_accidents(w, p, later);
  EXPECT_FALSE(later.accidents.empty());
}

TEST(Assessment, FinesAndRectificationKpisEnterTheScoreAndTheModeChoice) {
  Params p;
  p.assessment.kpi_count_weight = 0;
  p.assessment.kpi_quality_weight = 0;
  p.assessment.kpi_fines_weight = 1;
  p.assessment.fines_target_per_post = 100000;
  p.assessment.kpi_rectification_weight = 1;
  // fines 50000 of 100000 per post: 0.5; rectified 30 of 40: 0.75; mean 0.625.
  EXPECT_DOUBLE_EQ(department_score(p, 0, 0, 0, 50000, 40, 30), 0.625);
  EXPECT_DOUBLE_EQ(department_score(p, 0, 0, 0, 500000, 0, 0), 0.5);  // capped; nothing found
  // A fines KPI makes substantive visits, which find what formal ones miss, more attractive.
  Params base;
  base.assessment.kpi_fines_weight = 0;
  Params fines = base;
  fines.assessment.kpi_fines_weight = 1;
  const InspectorBeliefs seen = initial_beliefs(base);
  EXPECT_GT(substantive_probability(fines, 0.5, seen), substantive_probability(base, 0.5, seen));
}
