// Concealment (death targets with a veto, growth priority, media, oversight, severity), media
// exposure, and capture of enforcement: the forms by hand, the township tallies, and the
// directions of docs/ODD.md's patterns 5 and 6 over replicates.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <numeric>

#include "model/accidents.hpp"
#include "model/inspections.hpp"
#include "model/phases.hpp"
#include "model/public_reporting.hpp"
#include "replicate_stats.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"
#include "world_fixtures.hpp"

using namespace anjian;
using namespace anjian::testing;

namespace {

constexpr int kManufacturing = static_cast<int>(Sector::manufacturing);

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double logit(double p) { return std::log(p / (1.0 - p)); }

// No media, records, insiders or oversight: only the terms a test sets move the odds.
Params quiet() {
  Params p;
  p.media.activity = 0;
  p.concealment.record_discovery = 0;
  p.concealment.insider_report = 0;
  p.discipline.audit_rate = 0;
  p.concealment.injury_propensity = 0.3;
  p.concealment.fatal_propensity = 0.05;
  return p;
}

}  // namespace

TEST(Concealment, AtZeroPressureItIsTheBasePropensity) {
  const Params p = quiet();
  EXPECT_NEAR(concealment_probability(p, Severity::Minor, 0, 1, 0.0, 0.0), 0.3, 1e-12);
  EXPECT_NEAR(concealment_probability(p, Severity::Serious, 0, 2, 0.0, 0.0), 0.3, 1e-12);
  EXPECT_NEAR(concealment_probability(p, Severity::Fatal, 1, 0, 0.0, 0.0), 0.05, 1e-12);
  EXPECT_EQ(concealment_probability(p, Severity::NearMiss, 0, 0, 0.9, 0.9), 1.0);  // nothing to report
}

TEST(Concealment, PressureRaisesItMoreUnderTheVeto) {
  Params p = quiet();
  p.concealment.target_weight = 1.0;
  p.concealment.veto_weight = 2.0;
  p.assessment.death_veto = false;
  const double without_veto = concealment_probability(p, Severity::Fatal, 1, 0, 0.5, 0.0);
  EXPECT_NEAR(without_veto, logistic(logit(0.05) + 0.5 * 1.0), 1e-12);
  p.assessment.death_veto = true;
  const double with_veto = concealment_probability(p, Severity::Fatal, 1, 0, 0.5, 0.0);
  EXPECT_NEAR(with_veto, logistic(logit(0.05) + 0.5 * 3.0), 1e-12);
  EXPECT_GT(with_veto, without_veto);
  EXPECT_GT(without_veto, 0.05);
}

TEST(Concealment, DeathTargetPressureGrowsTowardsAndBeyondTheTarget) {
  Params p;
  p.assessment.death_target = 2.0;
  EXPECT_EQ(death_target_pressure(p, 0, 0), 0.0);
  EXPECT_NEAR(death_target_pressure(p, 0, 1), 0.25 / 1.25, 1e-12);  // load 1/2
  EXPECT_NEAR(death_target_pressure(p, 1, 1), 0.5, 1e-12);          // exactly at the target
  EXPECT_NEAR(death_target_pressure(p, 3, 1), 4.0 / 5.0, 1e-12);    // load 2
  double previous = 0;
  for (int reported = 0; reported < 20; ++reported) {
    const double pressure = death_target_pressure(p, reported, 1);
    EXPECT_GT(pressure, previous);
    EXPECT_LT(pressure, 1.0);
    previous = pressure;
  }
  p.assessment.death_target = 0;  // no target, no pressure
  EXPECT_EQ(death_target_pressure(p, 10, 3), 0.0);
}

TEST(Concealment, GrowthPriorityRaisesItMediaOversightAndSeverityLowerIt) {
  Params p = quiet();
  const double base = concealment_probability(p, Severity::Fatal, 1, 0, 0.0, 0.0);
  EXPECT_NEAR(concealment_probability(p, Severity::Fatal, 1, 0, 0.0, 0.8),
              logistic(logit(0.05) + 0.8 * p.concealment.growth_weight), 1e-12);
  // More deaths: the odds shrink by per_extra_death each.
  EXPECT_NEAR(concealment_probability(p, Severity::Fatal, 3, 0, 0.0, 0.0),
              logistic(logit(0.05) + 2 * std::log(p.concealment.per_extra_death)), 1e-12);
  p.discipline.audit_rate = 0.1;
  EXPECT_NEAR(concealment_probability(p, Severity::Fatal, 1, 0, 0.0, 0.0),
              logistic(logit(0.05) - 0.1 * p.concealment.oversight_weight), 1e-12);
  p = quiet();
  p.media.activity = 0.2;
  p.media.death_salience = 5;
  const double exposure = 1 - std::pow(0.8, 5 + 1);  // one death and one injury
  EXPECT_NEAR(exposure_probability(p, 1, 1), exposure, 1e-12);
  EXPECT_NEAR(concealment_probability(p, Severity::Fatal, 1, 1, 0.0, 0.0),
              logistic(logit(0.05) - exposure * p.concealment.discovery_weight), 1e-12);
  EXPECT_LT(concealment_probability(p, Severity::Fatal, 1, 1, 0.0, 0.0), base);
}

TEST(Concealment, RecordsAndInsidersBringItToLightAndRewardsMakeInsidersSpeak) {
  Params p = quiet();
  p.media.death_salience = 5;
  p.concealment.record_discovery = 0.1;
  EXPECT_NEAR(exposure_probability(p, 1, 0), 1 - std::pow(0.9, 5), 1e-12);
  p.concealment.insider_report = 0.5;
  const double insider = 0.5 * reporting_willingness(p, 0.0);
  EXPECT_NEAR(exposure_probability(p, 0, 2), 1 - std::pow(0.9 * (1 - insider), 2), 1e-12);
  // A reward for reporting a concealed accident makes insiders more willing: more exposure, and
  // so less concealment.
  EXPECT_GT(exposure_probability(p, 1, 0, 50000.0), exposure_probability(p, 1, 0, 0.0));
  EXPECT_LT(concealment_probability(p, Severity::Fatal, 1, 0, 0.0, 0.0, 50000.0),
            concealment_probability(p, Severity::Fatal, 1, 0, 0.0, 0.0, 0.0));
}

TEST(Concealment, PropensitiesOfZeroAndOneAreAbsolute) {
  Params p = quiet();
  p.concealment.fatal_propensity = 0;
  EXPECT_EQ(concealment_probability(p, Severity::Fatal, 1, 0, 1.0, 1.0), 0.0);
  p.concealment.injury_propensity = 1;
  p.media.activity = 1;
  EXPECT_EQ(concealment_probability(p, Severity::Minor, 0, 1, 0.0, 0.0), 1.0);
  p.concealment.fatal_propensity = 0.5;
  p.concealment.per_extra_death = 0;
  EXPECT_EQ(concealment_probability(p, Severity::Fatal, 2, 0, 1.0, 1.0), 0.0);
}

TEST(Concealment, TheAccidentsPhaseKeepsTheTownshipTallies) {
  Params p = quiet();
  auto& s = p.sectors[kManufacturing];
  s.accident_base = 1e6;  // one accident each
  s.p_fatal = 1.0;
  p.concealment.fatal_propensity = 0;  // all reported
  World w = tiny_world(200, 0, 0.5f);
  auto ctx = context_at(0);
  phase_accidents(w, p, ctx);
  const double deaths = ctx.tally[Metric::deaths_true];
  EXPECT_GE(deaths, 200);
  EXPECT_EQ(w.townships.deaths_true_this_year[0], deaths);
  EXPECT_EQ(w.townships.deaths_reported_this_year[0], deaths);

  p.concealment.fatal_propensity = 1;  // all concealed
  ctx = context_at(1);
  phase_accidents(w, p, ctx);
  EXPECT_EQ(w.townships.deaths_true_this_year[0], deaths + ctx.tally[Metric::deaths_true]);
  EXPECT_EQ(w.townships.deaths_reported_this_year[0], deaths);  // unchanged
  EXPECT_EQ(ctx.tally[Metric::accidents_concealed], 200);
  EXPECT_EQ(ctx.tally[Metric::accidents_exposed], 0);  // no media
}

TEST(Concealment, MediaExposeConcealedAccidentsWithTheirProbability) {
  Params p = quiet();
  auto& s = p.sectors[kManufacturing];
  s.accident_base = 1e6;
  s.p_fatal = 0;
  s.p_serious = 0;
  s.p_minor = 1.0;  // one injury each
  p.concealment.injury_propensity = 1;
  p.media.activity = 0.3;
  World w = tiny_world(10000, 0, 0.5f);
  auto ctx = context_at(0);
  phase_accidents(w, p, ctx);
  EXPECT_EQ(ctx.tally[Metric::accidents_concealed], 10000);
  EXPECT_NEAR(ctx.tally[Metric::accidents_exposed], 3000, 230);  // sd 46
  for (const auto& a : ctx.accidents) EXPECT_FALSE(a.reported);
  const double flagged = static_cast<double>(
      std::count_if(ctx.accidents.begin(), ctx.accidents.end(), [](const AccidentEvent& a) { return a.exposed; }));
  EXPECT_EQ(flagged, ctx.tally[Metric::accidents_exposed]);
}

TEST(Capture, OversightByMediaAndDisciplineTempersIt) {
  Params p;
  p.enforcement.capture_strength = 0.5;
  p.media.activity = 0;
  p.discipline.audit_rate = 0;
  World w = tiny_world(1, 0, 0.5f);
  w.townships.growth_priority[0] = 0.8f;
  EXPECT_NEAR(enforcement_capture(w, p, 0), 0.8 * 0.5, 1e-6);
  p.media.activity = 0.2;
  p.discipline.audit_rate = 0.1;
  EXPECT_NEAR(oversight(p), 1 - 0.8 * 0.9, 1e-12);
  EXPECT_NEAR(enforcement_capture(w, p, 0), 0.8 * 0.5 * 0.8 * 0.9, 1e-6);
  p.media.activity = 1;  // everything comes to light
  EXPECT_EQ(enforcement_capture(w, p, 0), 0.0);
}

// ---- Directions over replicates (fixed seeds, tiny world) ----------------------------------------

namespace {

EnsembleResult run_with(const std::vector<std::string>& assignments) { return run_tiny(assignments); }

std::vector<std::string> with(std::vector<std::string> base, const std::vector<std::string>& extra) {
  base.insert(base.end(), extra.begin(), extra.end());
  return base;
}

// Per replicate: share of the quantity `truth` that `reported` misses.
std::vector<double> missing_share(const EnsembleResult& r, Metric truth, Metric reported) {
  const auto t = run_totals(r, truth), k = run_totals(r, reported);
  std::vector<double> share;
  for (std::size_t i = 0; i < t.size(); ++i) share.push_back(t[i] > 0 ? (t[i] - k[i]) / t[i] : 0.0);
  return share;
}

void report(const char* what, const MeanSe& a, const MeanSe& b) {
  std::cout << "[directional] " << what << ": " << a.mean << " (se " << a.se << ") vs " << b.mean << " (se " << b.se
            << "), z = " << z_above(a, b) << "\n";
}

// Many fatal accidents in a small world, so that shares of deaths are estimated well.
const std::vector<std::string> kDeadly = {"run.replicates=8", "time.years=2", "enterprises.count=600",
                                          "sectors.manufacturing.p_fatal=0.05", "sectors.trade.p_fatal=0.05",
                                          "sectors.construction.p_fatal=0.05"};

}  // namespace

TEST(ConcealmentDirection, DeathTargetsWithAVetoWidenTheGapBetweenTrueAndReportedDeaths) {
  // 16 replicates: with 8 the 2018 department map's draws left z at 2.9 (a gap of 0.11 vs 0.01).
  const auto vetoed =
      run_with(with(kDeadly, {"run.replicates=16", "assessment.death_target=1", "assessment.death_veto=true"}));
  const auto unconstrained = run_with(with(kDeadly, {"run.replicates=16", "assessment.death_target=0"}));
  const MeanSe gap_v = mean_se(missing_share(vetoed, Metric::deaths_true, Metric::deaths_reported));
  const MeanSe gap_f = mean_se(missing_share(unconstrained, Metric::deaths_true, Metric::deaths_reported));
  report("(true - reported) / true deaths, tight target with veto vs no target", gap_v, gap_f);
  EXPECT_GT(z_above(gap_v, gap_f), 3.0);
}

TEST(ConcealmentDirection, ActiveMediaLowerTheConcealedShare) {
  const auto quiet_media = run_with(with(kDeadly, {"media.activity=0.02"}));
  const auto active_media = run_with(with(kDeadly, {"media.activity=0.5"}));
  const MeanSe quiet_share = mean_se(missing_share(quiet_media, Metric::accidents_true, Metric::accidents_reported));
  const MeanSe active_share = mean_se(missing_share(active_media, Metric::accidents_true, Metric::accidents_reported));
  report("concealed share of reportable accidents, quiet (0.02) vs active (0.5) media", quiet_share, active_share);
  EXPECT_GT(z_above(quiet_share, active_share), 3.0);
}

TEST(CaptureDirection, GrowthPriorityRaisesLatentHazards) {
  const std::vector<std::string> base = {"run.replicates=8", "time.years=2"};
  const auto high = run_with(with(base, {"townships.growth_priority_mean=0.9", "enforcement.capture_strength=0.8"}));
  const auto low = run_with(with(base, {"townships.growth_priority_mean=0.1", "enforcement.capture_strength=0.8"}));
  // Mean stock of latent hazards over the run.
  const MeanSe h = mean_se(run_totals(high, Metric::latent_hazards));
  const MeanSe l = mean_se(run_totals(low, Metric::latent_hazards));
  report("latent hazard-days over 2 years, growth priority 0.9 vs 0.1", h, l);
  EXPECT_GT(z_above(h, l), 3.0);
  const MeanSe dh = mean_se(run_totals(high, Metric::deaths_true));
  const MeanSe dl = mean_se(run_totals(low, Metric::deaths_true));
  report("true deaths over 2 years (reported only), growth priority 0.9 vs 0.1", dh, dl);
}

TEST(ConcealmentInvariants, ConcealedAndExposedAddUp) {
  const auto r = run_with(with(kDeadly, {"run.replicates=2", "media.activity=0.3"}));
  for (const auto& rep : r.replicates) {
    const auto& s = rep.series;
    auto at = [&](Metric m, std::size_t t) { return s[static_cast<int>(m)][t]; };
    for (std::size_t t = 0; t < s[0].size(); ++t) {
      ASSERT_EQ(at(Metric::accidents_reported, t) + at(Metric::accidents_concealed, t), at(Metric::accidents_true, t));
      ASSERT_LE(at(Metric::accidents_exposed, t), at(Metric::accidents_concealed, t));
      ASSERT_LE(at(Metric::deaths_exposed, t), at(Metric::deaths_true, t) - at(Metric::deaths_reported, t));
    }
    double exposed = 0;
    for (const auto& a : rep.accidents) {
      ASSERT_FALSE(a.exposed && (a.reported || a.severity == Severity::NearMiss));
      exposed += a.exposed;
    }
    EXPECT_GT(exposed, 0);
    const auto& v = s[static_cast<int>(Metric::accidents_exposed)];
    EXPECT_EQ(exposed, std::accumulate(v.begin(), v.end(), 0.0));
    // Every queued complaint is flagged, and every flagged enterprise is queued exactly once.
    const auto& w = rep.final_world;
    std::vector<int> in_queue(w.enterprises.size(), 0);
    for (const auto& q : w.departments.complaints)
      for (auto i : q) in_queue[i] += 1;
    for (std::size_t i = 0; i < in_queue.size(); ++i) ASSERT_EQ(in_queue[i], w.enterprises.complaint_queued[i] != 0) << i;
  }
}
