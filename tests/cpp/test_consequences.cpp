// Consequences (consequences.cpp): accountability rules on a hand-built accident, breadth of
// punishment, who answers without a record, criminal prosecution and discipline audits.

#include <gtest/gtest.h>

#include <numeric>

#include "model/consequences.hpp"
#include "model/inspector_behaviour.hpp"
#include "model/phases.hpp"
#include "world_fixtures.hpp"

using namespace anjian;
using anjian::testing::context_at;
using anjian::testing::tiny_world;

namespace {

constexpr std::int64_t kAccidentDay = 400;
constexpr std::int32_t kInspected = kAccidentDay - 10;  // a recent inspection
constexpr std::size_t kTownshipOffice = kCountyDepartmentKinds;  // township 0's office

// Params with the morale losses of the model but no colleagues punished and no prosecutions, so
// that each test switches on only what it checks.
Params hand_params(AccountabilityRule rule) {
  Params p;
  p.accountability.rule = rule;
  p.accountability.breadth = 0;
  p.accountability.window_days = 180;
  p.courts.prosecution_rate = 0;
  p.staff.punishment_morale_loss = 0.1;
  p.staff.peer_punishment_morale_loss = 0.02;
  return p;
}

// One enterprise, four emergency-bureau inspectors; inspector 0 inspected it on `inspected_day`.
World world_with_record(std::int32_t inspected_day, bool substantive, std::size_t inspectors = 4) {
  World w = tiny_world(1, 0, 0.5f, inspectors);
  w.enterprises.last_inspection_day[0] = inspected_day;
  w.enterprises.last_inspector[0] = 0;
  w.enterprises.last_inspection_substantive[0] = substantive;
  return w;
}

AccidentEvent accident(Severity severity = Severity::Serious, Grade grade = Grade::General, bool reported = true) {
  return AccidentEvent{kAccidentDay, 0, 0, 0, severity, grade, severity == Severity::Fatal ? 1 : 0, 1, reported};
}

StepContext context_with(std::vector<AccidentEvent> accidents) {
  StepContext ctx = context_at(kAccidentDay);
  ctx.step_accidents_begin = 0;
  ctx.accidents = std::move(accidents);
  return ctx;
}

StepContext investigate_one(World& w, const Params& p, AccidentEvent a = accident()) {
  StepContext ctx = context_with({a});
  phase_consequences(w, p, ctx);
  return ctx;
}

int total_punishments(const World& w) {
  return std::accumulate(w.inspectors.punishments.begin(), w.inspectors.punishments.end(), 0);
}

}  // namespace

TEST(Accountability, StrictPunishesASubstantiveInspector) {
  const Params p = hand_params(AccountabilityRule::strict);
  World w = world_with_record(kInspected, true);
  const auto ctx = investigate_one(w, p);
  EXPECT_EQ(w.inspectors.punishments[0], 1);
  EXPECT_EQ(total_punishments(w), 1);
  EXPECT_FLOAT_EQ(w.inspectors.morale[0], 0.4f);
  for (std::uint32_t j = 1; j < 4; ++j) EXPECT_FLOAT_EQ(w.inspectors.morale[j], 0.48f);  // peers
  EXPECT_FLOAT_EQ(w.inspectors.morale_memory[0], -0.1f);
  EXPECT_EQ(ctx.tally[Metric::accidents_investigated], 1);
  EXPECT_EQ(ctx.tally[Metric::inspectors_punished], 1);
}

TEST(Accountability, DueDiligenceExemptsASubstantiveInspector) {
  const Params p = hand_params(AccountabilityRule::due_diligence);
  World w = world_with_record(kInspected, true);
  const auto ctx = investigate_one(w, p);
  EXPECT_EQ(total_punishments(w), 0);
  EXPECT_FLOAT_EQ(w.inspectors.morale[0], 0.5f);
  EXPECT_EQ(ctx.tally[Metric::investigations_exempted], 1);
}

TEST(Accountability, DueDiligencePunishesAFormalInspector) {
  World w = world_with_record(kInspected, false);
  investigate_one(w, hand_params(AccountabilityRule::due_diligence));
  EXPECT_EQ(w.inspectors.punishments[0], 1);
}

TEST(Accountability, AnyRecordShieldsAFormalInspector) {
  const Params p = hand_params(AccountabilityRule::any_record);
  World w = world_with_record(kInspected, false);
  const auto ctx = investigate_one(w, p);
  EXPECT_EQ(total_punishments(w), 0);
  EXPECT_EQ(ctx.tally[Metric::investigations_exempted], 1);
}

TEST(Accountability, FaultPunishesAFormalInspectorAndMisjudgesSubstantiveOnes) {
  Params p = hand_params(AccountabilityRule::fault);
  p.accountability.fault_misjudgement = 0;
  World formal = world_with_record(kInspected, false);
  investigate_one(formal, p);
  EXPECT_EQ(formal.inspectors.punishments[0], 1);
  World diligent = world_with_record(kInspected, true);
  investigate_one(diligent, p);
  EXPECT_EQ(total_punishments(diligent), 0);
  p.accountability.fault_misjudgement = 1;
  World misjudged = world_with_record(kInspected, true);
  investigate_one(misjudged, p);
  EXPECT_EQ(misjudged.inspectors.punishments[0], 1);
}

TEST(Accountability, FaultMisjudgesAtItsRate) {
  Params p = hand_params(AccountabilityRule::fault);
  p.accountability.fault_misjudgement = 0.3;
  int blamed = 0;
  const int n = 20000;
  for (int k = 0; k < n; ++k) {
    RandomStream rng({5, 0}, Stream::Accountability, static_cast<std::uint64_t>(k), 0);
    blamed += accountability_blames(p, InspectionRecord::substantive, Grade::General, rng);
  }
  EXPECT_NEAR(blamed / static_cast<double>(n), 0.3, 0.015);  // sd 0.0032
}

TEST(Accountability, EveryRuleBlamesAMissingRecord) {
  for (auto rule : {AccountabilityRule::strict, AccountabilityRule::fault, AccountabilityRule::due_diligence,
                    AccountabilityRule::any_record}) {
    RandomStream rng({5, 0}, Stream::Accountability, 0, 0);
    EXPECT_TRUE(accountability_blames(hand_params(rule), InspectionRecord::missing, Grade::General, rng));
  }
}

TEST(Accountability, TheCityJudgesALargerAccidentByDiligenceWhateverTheCountysRule) {
  for (auto rule : {AccountabilityRule::strict, AccountabilityRule::fault, AccountabilityRule::due_diligence,
                    AccountabilityRule::any_record}) {
    EXPECT_EQ(investigating_rule(hand_params(rule), Grade::General), rule);
    for (auto grade : {Grade::Larger, Grade::Major, Grade::EspeciallyMajor})
      EXPECT_EQ(investigating_rule(hand_params(rule), grade), AccountabilityRule::due_diligence);
  }
  // A county whose exemption shields any record: a formal one is shielded after a general
  // accident, not after a larger one; strict blame spares diligent work after a larger one.
  World formal = world_with_record(kInspected, false);
  investigate_one(formal, hand_params(AccountabilityRule::any_record), accident(Severity::Serious, Grade::General));
  EXPECT_EQ(total_punishments(formal), 0);
  investigate_one(formal, hand_params(AccountabilityRule::any_record), accident(Severity::Fatal, Grade::Larger));
  EXPECT_EQ(formal.inspectors.punishments[0], 1);
  World diligent = world_with_record(kInspected, true);
  investigate_one(diligent, hand_params(AccountabilityRule::strict), accident(Severity::Fatal, Grade::Larger));
  EXPECT_EQ(total_punishments(diligent), 0);
}

// Each inspector's punishments, as a plain vector.
std::vector<std::int32_t> punishments_of(const World& w) {
  return {w.inspectors.punishments.begin(), w.inspectors.punishments.end()};
}

TEST(Accountability, TheTownshipOfficeAndAfterALargerAccidentTheBureauShareTheBlame) {
  // Inspector 0 (construction) inspected formally; 1 is its colleague, 2 the township office's,
  // 3 the emergency bureau's.
  const auto world = [] {
    World w = world_with_record(kInspected, false);
    w.inspectors.department[0] = w.inspectors.department[1] = 1;
    w.inspectors.department[2] = static_cast<std::uint16_t>(kTownshipOffice);
    w.inspectors.department[3] = 0;
    return w;
  };
  const Params p = hand_params(AccountabilityRule::strict);
  World general = world();
  const auto ctx = investigate_one(general, p);
  EXPECT_EQ(punishments_of(general), (std::vector<std::int32_t>{1, 0, 1, 0}));
  EXPECT_EQ(ctx.tally[Metric::inspectors_punished], 2);
  World larger = world();
  investigate_one(larger, p, accident(Severity::Fatal, Grade::Larger));
  EXPECT_EQ(punishments_of(larger), (std::vector<std::int32_t>{1, 0, 1, 1}));
  Params alone = p;
  alone.accountability.joint_liability = false;
  World separate = world();
  investigate_one(separate, alone, accident(Severity::Fatal, Grade::Larger));
  EXPECT_EQ(punishments_of(separate), (std::vector<std::int32_t>{1, 0, 0, 0}));
}

TEST(Accountability, AnOldRecordIsNoRecordAndOneOfTheDepartmentAnswers) {
  const Params p = hand_params(AccountabilityRule::any_record);
  World w = world_with_record(kAccidentDay - 181, false);  // outside the 180-day window
  const auto ctx = investigate_one(w, p);
  EXPECT_EQ(total_punishments(w), 1);  // someone of the emergency bureau, staff 0-3
  EXPECT_EQ(ctx.tally[Metric::investigations_exempted], 0);
  World in_window = world_with_record(kAccidentDay - 180, false);
  investigate_one(in_window, p);
  EXPECT_EQ(total_punishments(in_window), 0);
}

TEST(Accountability, ASuccessorDoesNotAnswerForAPredecessorsInspection) {
  const Params p = hand_params(AccountabilityRule::strict);
  World w = world_with_record(kInspected, true);
  w.inspectors.hired_day[0] = kInspected + 5;  // the post changed hands after the inspection
  const auto ctx = investigate_one(w, p);
  EXPECT_EQ(total_punishments(w), 0);
  EXPECT_EQ(ctx.tally[Metric::investigations_exempted], 0);  // blamed, but nobody there to punish
}

TEST(Accountability, BlindSpotsAndOrphansFallToTheTownshipOffice) {
  const Params p = hand_params(AccountabilityRule::strict);
  for (int kind = 0; kind < 2; ++kind) {
    World w = tiny_world(1, 0, 0.5f, 3);
    w.inspectors.department[2] = static_cast<std::uint16_t>(kTownshipOffice);
    if (kind == 0) w.enterprises.registered[0] = 0;
    if (kind == 1) w.enterprises.primary_department[0] = kNoDepartment;
    EXPECT_EQ(accountable_department(w, 0), kTownshipOffice);
    investigate_one(w, p);
    EXPECT_EQ(w.inspectors.punishments[2], 1);
    EXPECT_EQ(total_punishments(w), 1);
  }
}

TEST(Accountability, OnlyKnownAndHarmfulAccidentsAreInvestigated) {
  const Params p = hand_params(AccountabilityRule::strict);
  World w = world_with_record(kInspected, true);
  AccidentEvent concealed = accident(Severity::Fatal, Grade::General, false);
  auto ctx = context_with({concealed, accident(Severity::NearMiss), accident(Severity::Minor)});
  phase_consequences(w, p, ctx);
  EXPECT_EQ(ctx.tally[Metric::accidents_investigated], 0);
  EXPECT_EQ(total_punishments(w), 0);

  Params with_minor = p;
  with_minor.accountability.minor_injuries_investigated = true;
  concealed.exposed = true;  // the media made it known
  ctx = context_with({concealed, accident(Severity::Minor)});
  phase_consequences(w, with_minor, ctx);
  EXPECT_EQ(ctx.tally[Metric::accidents_investigated], 2);
  EXPECT_EQ(w.inspectors.punishments[0], 2);
}

TEST(Accountability, OnlyThisStepsAccidentsAreInvestigated) {
  const Params p = hand_params(AccountabilityRule::strict);
  World w = world_with_record(kInspected, true);
  auto ctx = context_with({accident(), accident()});
  ctx.step_accidents_begin = 1;  // the first was investigated in an earlier step
  phase_consequences(w, p, ctx);
  EXPECT_EQ(ctx.tally[Metric::accidents_investigated], 1);
}

TEST(Accountability, BreadthPunishesColleaguesByGrade) {
  Params p = hand_params(AccountabilityRule::strict);
  p.accountability.breadth = 0.5;
  p.accountability.grade_escalation = 3.0;
  p.staff.peer_punishment_morale_loss = 0;
  EXPECT_DOUBLE_EQ(punishment_breadth(p, Grade::General), 0.5);
  EXPECT_DOUBLE_EQ(punishment_breadth(p, Grade::Larger), 1.5);
  EXPECT_DOUBLE_EQ(punishment_breadth(p, Grade::Major), 4.5);
  // 4000 general accidents in a department of 200: 4000 responsible + Poisson(0.5) colleagues
  // each, 2000 +- 45 in all.
  World w = world_with_record(kInspected, true, 200);
  auto ctx = context_with(std::vector<AccidentEvent>(4000, accident()));
  phase_consequences(w, p, ctx);
  EXPECT_EQ(w.inspectors.punishments[0], 4000);
  EXPECT_NEAR(ctx.tally[Metric::inspectors_punished] - 4000, 2000, 200);
  // Larger accidents: 1.5 colleagues each, 1500 +- 39 over 1000 accidents. The city, which
  // investigates them, blames a formal record (a substantive one it would exempt).
  World larger = world_with_record(kInspected, false, 200);
  ctx = context_with(std::vector<AccidentEvent>(1000, accident(Severity::Fatal, Grade::Larger)));
  phase_consequences(larger, p, ctx);
  EXPECT_NEAR(ctx.tally[Metric::inspectors_punished] - 1000, 1500, 160);
}

TEST(Accountability, BreadthCannotPunishMoreColleaguesThanTheDepartmentHas) {
  Params p = hand_params(AccountabilityRule::strict);
  p.accountability.breadth = 100;
  World w = world_with_record(kInspected, true, 3);
  const auto ctx = investigate_one(w, p);
  EXPECT_EQ(ctx.tally[Metric::inspectors_punished], 3);
  for (std::uint32_t j = 0; j < 3; ++j) EXPECT_EQ(w.inspectors.punishments[j], 1);
}

TEST(CriminalLiability, FatalReportedAccidentsAreProsecutedAtTheRate) {
  Params p = hand_params(AccountabilityRule::strict);
  p.courts.prosecution_rate = 1;
  World w = world_with_record(kInspected, true);
  auto ctx = investigate_one(w, p, accident(Severity::Fatal));
  EXPECT_EQ(w.enterprises.prosecutions[0], 1);
  EXPECT_EQ(ctx.tally[Metric::prosecutions], 1);
  ctx = investigate_one(w, p, accident(Severity::Serious));  // no death, no criminal case here
  EXPECT_EQ(w.enterprises.prosecutions[0], 1);
  p.courts.prosecution_rate = 0.25;
  ctx = context_with(std::vector<AccidentEvent>(8000, accident(Severity::Fatal)));
  phase_consequences(w, p, ctx);
  EXPECT_NEAR(ctx.tally[Metric::prosecutions], 2000, 150);  // sd 39
}

namespace {
// The first day of the step that ends January (day 30).
constexpr std::int64_t kMonthEnd = 30;
}  // namespace

TEST(DisciplineAudit, EveryRecordAuditedCatchesEveryFormalOne) {
  Params p = hand_params(AccountabilityRule::strict);
  p.discipline.audit_rate = 1;
  p.staff.audit_morale_loss = 0.05;
  World w = tiny_world(1, 0, 0.5f, 2);
  w.inspectors.formal_this_month[0] = 3;
  w.inspectors.substantive_this_month[0] = 5;
  w.inspectors.substantive_this_month[1] = 4;
  auto ctx = context_at(kMonthEnd);
  ASSERT_TRUE(ctx.month_ends);
  phase_consequences(w, p, ctx);
  EXPECT_EQ(ctx.tally[Metric::audits_formal_caught], 3);
  // Three records caught, one person handled: one handling's morale, not three.
  EXPECT_EQ(w.inspectors.punishments[0], 1);
  EXPECT_EQ(w.inspectors.punishments[1], 0);
  EXPECT_FLOAT_EQ(w.inspectors.morale[0], 0.45f);
  EXPECT_FLOAT_EQ(w.inspectors.morale[1], 0.5f);
  EXPECT_EQ(w.departments.inspections_this_year[0], 12);
  EXPECT_EQ(w.departments.audited_this_year[0], 12);
  EXPECT_EQ(w.departments.audited_formal_this_year[0], 3);
  EXPECT_EQ(w.inspectors.formal_this_month[0], 0);  // a new month starts
  EXPECT_EQ(w.inspectors.substantive_this_month[1], 0);
}

TEST(DisciplineAudit, CatchesAShareOfFormalRecordsOnlyAtMonthEnd) {
  Params p = hand_params(AccountabilityRule::strict);
  p.discipline.audit_rate = 0.1;
  World w = tiny_world(1, 0, 0.5f, 1);
  w.inspectors.formal_this_month[0] = 5000;
  auto mid = context_at(10);
  phase_consequences(w, p, mid);
  EXPECT_EQ(w.inspectors.formal_this_month[0], 5000);  // counted on until the month ends
  auto ctx = context_at(kMonthEnd);
  phase_consequences(w, p, ctx);
  EXPECT_NEAR(ctx.tally[Metric::audits_formal_caught], 500, 70);  // Binomial(5000, 0.1): sd 21
}
