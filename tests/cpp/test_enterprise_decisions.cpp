// Enterprise decisions (docs/ODD.md section 3 step 8): the cost of a safety-management level on hand
// numbers, the monthly learning of perceived deterrence on a tiny world, and the logit choice
// with partial adjustment.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <random>

#include "model/build_world.hpp"
#include "model/enterprise_decisions.hpp"
#include "model/enterprise_decisions_kernel.hpp"
#include "model/inspections.hpp"
#include "model/phases.hpp"
#include "world_fixtures.hpp"

using namespace anjian;
using anjian::testing::context_at;
using anjian::testing::tiny_world;

namespace {

constexpr int kManufacturing = static_cast<int>(Sector::manufacturing);

// Round numbers for the hand calculation below.
Params hand_params() {
  Params p;
  auto& s = p.sectors[kManufacturing];
  s.hazard_arrival = 10;
  s.accident_base = 0.1;
  s.accident_per_hazard = 0.2;
  s.p_minor = 0.1;
  s.p_serious = 0.05;
  s.p_fatal = 0.05;
  p.hazards.removal_base = 1;
  p.hazards.removal_per_quality = 2;
  p.enforcement.major_hazard_share = 0;  // every order is the enterprise's choice...
  p.enforcement.fine_per_hazard = 2000;  // ...and refusing risks a continuing fine of what
  p.enforcement.repeat_fine_multiplier = 1;  // rectifying costs: it carries out half of them
  p.enterprises.compliance_cost = 40000;
  p.enterprises.accident_loss = 10000;
  p.deterrence.accident_fine = 100000;
  p.enforcement.rectification_cost = 2000;
  p.courts.prosecution_rate = 0.1;
  p.deterrence.criminal_liability_cost = 1000000;
  p.accidents.management_effect = 0.4;
  return p;
}

// The first day of the step that ends January (day 30) and one that does not (day 10).
constexpr std::int64_t kMonthEnd = 30;
constexpr std::int64_t kMidMonth = 10;

}  // namespace

TEST(EnterpriseDecisions, CostOfQualityOnHandNumbers) {
  const Params p = hand_params();
  const PerceivedDeterrence seen{2.0, 0.5, 1000.0};
  // q = 0.5, size factor 2: arrivals 10 * 2 * 0.5 = 10 a year; removal 1 + 2 * 0.5 by the
  // enterprise plus 2 * 0.5 * 0.5 by rectification orders = 2.5 a year: steady stock 4.
  EXPECT_DOUBLE_EQ(expected_hazard_stock(p, kManufacturing, 2.0f, 0.5, seen), 4.0);
  // A fifth of the found hazards major, eliminated for certain: orders remove 0.2 + 0.8 x 0.5 =
  // 0.6 of them, 2 x 0.5 x 0.6 = 0.6 a year, and the steady stock is 10 / 2.6.
  Params major = p;
  major.enforcement.major_hazard_share = 0.2;
  EXPECT_NEAR(expected_hazard_stock(major, kManufacturing, 2.0f, 0.5, seen), 10.0 / 2.6, 1e-12);
  // compliance 40000 * 2 * 0.25 = 20000; sanctions per hazard found: the fine 1000 and the
  // rectification of half of them at 2000 = 2000, so 2 * 0.5 * 4 * 2000 = 8000;
  // accidents (0.1 x (1 - 0.4 x 0.5) + 0.2 * 4) * 2 = 1.76 a year (management leaves 0.8 of the
  // risk without hazards) at 10000 + 100000 * 0.2 (harmful share) + 0.1 prosecutions x 1000000 x
  // 0.05 (fatal share) = 35000 each = 61600;
  // intrinsic value 30000 * 2 * 0.5 = 30000. Total 59600.
  Params quiet = p;
  quiet.media.activity = 0.0;
  EXPECT_NEAR(expected_annual_cost(quiet, kManufacturing, 2.0f, 30000.0f, 0.5, seen), 59600.0, 1e-6);
  // Active media add the reputation loss of publicised harmful accidents:
  // 1.76 accidents x 0.2 harmful x 0.1 media x 500000 = 17600.
  Params loud = quiet;
  loud.media.activity = 0.1;
  loud.enterprises.reputation_loss = 500000.0;
  EXPECT_NEAR(expected_annual_cost(loud, kManufacturing, 2.0f, 30000.0f, 0.5, seen), 77200.0, 1e-6);
}

TEST(EnterpriseDecisions, ExpectedFinesMakeNegligenceDearer) {
  const Params p = hand_params();
  const auto gap = [&](const PerceivedDeterrence& seen) {  // cost of q = 0.2 over that of q = 0.8
    return expected_annual_cost(p, kManufacturing, 1.0f, 0.0f, 0.2, seen) -
           expected_annual_cost(p, kManufacturing, 1.0f, 0.0f, 0.8, seen);
  };
  // The steady stocks at q = 0.2 and 0.8 with 2 inspections a year finding half the hazards:
  // 8 / (1.4 + 0.5) and 2 / (2.6 + 0.5); fines of 1000 per hazard found add 2 * 0.5 * 1000 per
  // hazard of difference.
  const double h_low = 8.0 / 1.9, h_high = 2.0 / 3.1;
  EXPECT_NEAR(gap({2.0, 0.5, 1000.0}) - gap({2.0, 0.5, 0.0}), 1000.0 * (h_low - h_high), 1e-3);  // q passes through float
  EXPECT_GT(gap({2.0, 0.5, 1000.0}), gap({2.0, 0.5, 0.0}));
}

// Carrying out an order is a choice against the sanction for refusing: defiance is what a weak
// ladder buys (no re-inspection, no continuing fines, a lenient township).
TEST(EnterpriseDecisions, OrdersAreCarriedOutAsFarAsRefusingIsSanctioned) {
  Params p;
  p.enforcement.fine_per_hazard = 5000;
  p.enforcement.repeat_fine_multiplier = 3;
  p.enforcement.rectification_cost = 5000;
  p.enterprises.compliance_noise = 5000;
  // Re-inspected: refusing risks 15,000 yuan for certain against 5,000 to rectify: 1 / (1 + e^-2).
  const PerceivedDeterrence seen{1.0, 0.25, 0.0};
  EXPECT_DOUBLE_EQ(refusal_verification(p, seen), 1.0);
  EXPECT_NEAR(order_compliance(p, 1.0, 0.0), 1.0 / (1.0 + std::exp(-2.0)), 1e-12);
  // A township that halves the fine: 7,500 against 5,000.
  EXPECT_NEAR(order_compliance(p, 1.0, 0.5), 1.0 / (1.0 + std::exp(-0.5)), 1e-12);
  // Without re-inspection a refusal is verified only if a routine visit finds it anew within the
  // year, 1 - e^-0.25: refusing risks 3,300 yuan against 5,000.
  p.enforcement.follow_up = false;
  const double found_anew = 1.0 - std::exp(-0.25);
  EXPECT_NEAR(refusal_verification(p, seen), found_anew, 1e-12);
  EXPECT_LT(order_compliance(p, found_anew, 0.0), 0.5);
  // No continuing fine: rectifying only costs; a dearer rectification is refused more.
  p.enforcement.repeat_fine_multiplier = 1;
  const double cheap = order_compliance(p, 1.0, 0.0);
  EXPECT_DOUBLE_EQ(cheap, 0.5);
  p.enforcement.rectification_cost = 10000;
  EXPECT_LT(order_compliance(p, 1.0, 0.0), cheap);
  // Without private reasons the cheaper side, carrying out on a tie.
  p.enterprises.compliance_noise = 0;
  EXPECT_EQ(order_compliance(p, 1.0, 0.0), 0.0);
  p.enforcement.rectification_cost = 5000;
  EXPECT_EQ(order_compliance(p, 1.0, 0.0), 1.0);
}

// An unregistered workshop, or an orphan no department claims, knows no regulator that can fine
// it has it on a list: it learns from its own experience only, and a month in which only its
// peers were inspected teaches it nothing.
TEST(EnterpriseDecisions, OffEveryRegulatorsListLearnsOnlyFromOwnExperience) {
  Params p;
  p.deterrence.learning_rate = 0.5;
  p.deterrence.peer_weight = 0.5;
  p.enterprises.adjustment_rate = 0;
  for (const bool orphan : {false, true}) {
    World w = tiny_world(2, 0, 0.5f);  // peers: one township, one sector
    auto& e = w.enterprises;
    if (orphan) e.primary_department[1] = kNoDepartment;
    else e.registered[1] = 0;
    for (std::size_t i = 0; i < 2; ++i) {
      e.perceived_inspection_rate[i] = 1.0f;
      e.perceived_detection[i] = 0.2f;
      e.perceived_fine[i] = 1000.0f;
    }
    // Enterprise 0 was inspected, 5 of 10 hazards found, 10,000 yuan fined; enterprise 1 nothing.
    e.inspections = {1, 0};
    e.violations_found = {5, 0};
    e.hazards_exposed_this_month = {10, 0};
    e.fines_this_month = {10000.0, 0.0};
    auto ctx = context_at(kMonthEnd);
    phase_enterprise_decisions(w, p, ctx);
    EXPECT_FLOAT_EQ(e.perceived_inspection_rate[1], 0.5f) << orphan;  // its own rate, 0: halfway there
    EXPECT_FLOAT_EQ(e.perceived_detection[1], 0.2f) << orphan;         // nothing seen: unchanged
    EXPECT_FLOAT_EQ(e.perceived_fine[1], 1000.0f) << orphan;
    EXPECT_FLOAT_EQ(e.perceived_fine[0], 1500.0f) << orphan;           // 0 learns from itself as ever
  }
}

TEST(EnterpriseDecisions, LearnsFromOwnAndPeersInspections) {
  Params p;
  p.deterrence.learning_rate = 0.5;
  p.deterrence.peer_weight = 0.5;
  p.enterprises.adjustment_rate = 0;  // only the learning here
  World w = tiny_world(3, 0, 0.5f);   // one township, one sector: the three are peers
  auto& e = w.enterprises;
  for (std::size_t i = 0; i < 3; ++i) {
    e.perceived_inspection_rate[i] = 1.0f;
    e.perceived_detection[i] = 0.2f;
    e.perceived_fine[i] = 1000.0f;
  }
  // This month: enterprise 0 had two inspections that found 5 of the 10 hazards it had and paid
  // 10000 yuan; enterprise 1 none; enterprise 2 one that found none of its 4 hazards.
  e.inspections = {2, 0, 1};
  e.violations_found = {5, 0, 0};
  e.hazards_exposed_this_month = {10, 0, 4};
  e.fines_this_month = {10000.0, 0.0, 0.0};

  auto ctx = context_at(kMonthEnd);
  ASSERT_TRUE(ctx.month_ends);
  phase_enterprise_decisions(w, p, ctx);

  // Rate: 0 sees 24/year itself and (0 + 1)/2 * 12 = 6 in its peers: 15; 1 + 0.5 * (15 - 1) = 8.
  // 1 sees 0 and 18: 9, so 5. 2 sees 12 and 12: 12, so 6.5.
  EXPECT_FLOAT_EQ(e.perceived_inspection_rate[0], 8.0f);
  EXPECT_FLOAT_EQ(e.perceived_inspection_rate[1], 5.0f);
  EXPECT_FLOAT_EQ(e.perceived_inspection_rate[2], 6.5f);
  // Detection: 0 saw 5/10 itself and 0/4 in peers: 0.25, so 0.225. 1 saw nothing itself, 5/14 in
  // peers. 2 saw 0/4 itself and 5/10 in peers: 0.25, so 0.225.
  EXPECT_FLOAT_EQ(e.perceived_detection[0], 0.225f);
  EXPECT_FLOAT_EQ(e.perceived_detection[1], static_cast<float>(0.2 + 0.5 * (5.0 / 14.0 - 0.2)));
  EXPECT_FLOAT_EQ(e.perceived_detection[2], 0.225f);
  // Fine per hazard found: 2000 wherever it was observed (by 0 itself, by 1 and 2 through 0).
  for (std::size_t i = 0; i < 3; ++i) EXPECT_FLOAT_EQ(e.perceived_fine[i], 1500.0f) << i;
  // The month's counters start again; q did not move (no adjustment).
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(e.inspections_seen[i], e.inspections[i]);
    EXPECT_EQ(e.violations_seen[i], e.violations_found[i]);
    EXPECT_EQ(e.hazards_exposed_this_month[i], 0);
    EXPECT_EQ(e.fines_this_month[i], 0.0);
    EXPECT_EQ(e.safety_quality[i], 0.5f);
  }
  // A month without any inspection anywhere: the rate decays, detection and fine stay.
  auto next = context_at(kMonthEnd + 28);
  ASSERT_TRUE(next.month_ends);
  phase_enterprise_decisions(w, p, next);
  EXPECT_FLOAT_EQ(e.perceived_inspection_rate[0], 4.0f);
  EXPECT_FLOAT_EQ(e.perceived_detection[0], 0.225f);
  EXPECT_FLOAT_EQ(e.perceived_fine[0], 1500.0f);
}

TEST(EnterpriseDecisions, NothingChangesBeforeTheMonthEnds) {
  Params p;
  p.enterprises.adjustment_rate = 1;
  World w = tiny_world(10, 0, 0.5f);
  w.enterprises.inspections.assign(10, 3);
  auto ctx = context_at(kMidMonth);
  ASSERT_FALSE(ctx.month_ends);
  phase_enterprise_decisions(w, p, ctx);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(w.enterprises.safety_quality[i], 0.5f);
    EXPECT_EQ(w.enterprises.perceived_inspection_rate[i], 0.0f);
  }
  // The stocks are recorded every step.
  EXPECT_DOUBLE_EQ(ctx.tally[Metric::safety_quality_mean], 0.5);
}

TEST(EnterpriseDecisions, NearlyNoiselessChoicePicksTheCheapestLevel) {
  Params p;
  p.enterprises.decision_noise = 1;  // yuan: the cheapest level wins
  p.enterprises.adjustment_rate = 0.5;
  World w = tiny_world(4, 0, 0.5f);
  auto& e = w.enterprises;
  // Intrinsic value far above every cost: the highest level; far below: the lowest.
  e.safety_culture = {1.0e8f, 1.0e8f, -1.0e8f, -1.0e8f};
  auto ctx = context_at(kMonthEnd);
  phase_enterprise_decisions(w, p, ctx);
  EXPECT_FLOAT_EQ(e.safety_quality[0], 0.7f);  // 0.5 + 0.5 * (0.9 - 0.5)
  EXPECT_FLOAT_EQ(e.safety_quality[1], 0.7f);
  EXPECT_FLOAT_EQ(e.safety_quality[2], 0.3f);  // 0.5 + 0.5 * (0.1 - 0.5)
  EXPECT_FLOAT_EQ(e.safety_quality[3], 0.3f);
}

// Every lane of the vectors decides: 4 lanes with SSE2, 8 with AVX2. The AVX2 kernel once called
// its helpers (load, level_cost, exp_nonpositive) out of line in clang's UBSan build, where they
// were compiled without AVX and took eight-float vectors under another calling convention: lanes
// 4 to 7 of every eight came back as garbage, and the first four enterprises showed nothing.
TEST(EnterpriseDecisions, NearlyNoiselessChoicePicksTheCheapestLevelInEveryLane) {
  Params p;
  p.enterprises.decision_noise = 1;
  p.enterprises.adjustment_rate = 0.5;
  constexpr std::size_t kEnterprises = 37;  // four vectors of eight, and a part of one
  World w = tiny_world(kEnterprises, 0, 0.5f);
  auto& e = w.enterprises;
  for (std::size_t i = 0; i < kEnterprises; ++i) e.safety_culture[i] = (i * 7 % 3 == 0) ? 1.0e8f : -1.0e8f;
  auto ctx = context_at(kMonthEnd);
  phase_enterprise_decisions(w, p, ctx);
  for (std::size_t i = 0; i < kEnterprises; ++i)
    EXPECT_FLOAT_EQ(e.safety_quality[i], e.safety_culture[i] > 0 ? 0.7f : 0.3f) << "enterprise " << i;
}

TEST(EnterpriseDecisions, VeryNoisyChoiceIsUniformOverTheLevels) {
  Params p;
  p.enterprises.decision_noise = 1.0e10;  // costs do not matter
  p.enterprises.adjustment_rate = 1;
  World w = tiny_world(20000, 0, 0.5f);
  auto ctx = context_at(kMonthEnd);
  phase_enterprise_decisions(w, p, ctx);
  const auto& q = w.enterprises.safety_quality;
  // Uniform on 0.1..0.9: mean 0.5, sd 0.258 / sqrt(20000) = 0.0018.
  EXPECT_NEAR(std::accumulate(q.begin(), q.end(), 0.0) / 20000.0, 0.5, 0.008);
  EXPECT_GT(std::count(q.begin(), q.end(), 0.1f), 1800);  // 2222 expected at each level
  EXPECT_GT(std::count(q.begin(), q.end(), 0.9f), 1800);
}

TEST(EnterpriseDecisions, BuildTimeStateIsDrawnAndPerceptionsStartAtTheirInitialValues) {
  Params p;
  p.enterprises.count = 20000;
  p.enterprises.safety_culture_mean = 30000;
  p.enterprises.safety_culture_sd = 10000;
  const World w = build_world(p, RandomKey{3, 0});
  const auto& e = w.enterprises;
  const double mean = std::accumulate(e.safety_culture.begin(), e.safety_culture.end(), 0.0) / 20000.0;
  EXPECT_NEAR(mean, 30000, 300);  // sd of the mean: 71
  const PerceivedDeterrence start = initial_perception(p);
  EXPECT_DOUBLE_EQ(start.inspection_rate, p.deterrence.initial_perceived_rate);
  EXPECT_DOUBLE_EQ(start.fine, p.enforcement.fine_per_hazard);
  EXPECT_GT(start.detection, 0.0);
  EXPECT_LE(start.detection, detection_probability(p, static_cast<float>(p.inspectors.skill_mean), true));
  for (std::size_t i = 0; i < e.size(); i += 997) {
    EXPECT_FLOAT_EQ(e.perceived_inspection_rate[i], static_cast<float>(start.inspection_rate));
    EXPECT_FLOAT_EQ(e.perceived_detection[i], static_cast<float>(start.detection));
    EXPECT_FLOAT_EQ(e.perceived_fine[i], static_cast<float>(start.fine));
  }
}

// The kernel's lanes (SSE2 quads, and AVX2 octets where the processor has them) choose exactly the
// levels the scalar reference rule chooses, enterprise by enterprise, on random inputs across the
// range the decisions meet (from no rectification to much, costs from nothing to prohibitive, any
// culture), in every lane of every vector.
namespace {

using Kernel = void (*)(const Levels&, float, DecisionBlock&, std::size_t);

void expect_kernel_matches_scalar_rule(Kernel kernel, const char* name) {
  std::mt19937_64 gen(20261203);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  auto block = std::make_unique<DecisionBlock>();
  std::size_t differences = 0;
  for (int round = 0; round < 16; ++round) {
    Params p;
    p.enterprises.compliance_cost *= 0.25 + 4.0 * unit(gen);
    p.hazards.removal_per_quality *= 4.0 * unit(gen);
    const Levels levels = all_levels(p);
    const float inverse_noise = 1.0f / (100.0f + 20000.0f * unit(gen));
    for (std::size_t j = 0; j < kBlockSize; ++j) {
      block->rectification[j] = round % 4 == 0 ? 0.0f : 5.0f * unit(gen) * unit(gen);
      block->hazard_cost[j] = std::pow(10.0f, 7.0f * unit(gen)) - 1.0f;
      block->base_cost[j] = std::pow(10.0f, 6.0f * unit(gen)) - 1.0f;
      block->safety_culture[j] = -2e4f + 2e5f * unit(gen);
      block->uniform[j] = j % 97 == 0 ? std::nextafter(1.0f, 0.0f) : unit(gen);
    }
    kernel(levels, inverse_noise, *block, kBlockSize);
    for (std::size_t j = 0; j < kBlockSize; ++j) {
      const EnterpriseTerms<float> f{block->rectification[j], block->hazard_cost[j], block->base_cost[j],
                                     block->safety_culture[j]};
      const std::int32_t scalar = choose_level(levels, inverse_noise, f, block->uniform[j]);
      if (block->level[j] != scalar && ++differences <= 5) {
        ADD_FAILURE() << name << ": enterprise " << j << " (lane " << j % kLanes << ") chose level "
                      << block->level[j] << ", the scalar rule " << scalar;
      }
    }
  }
  EXPECT_EQ(differences, 0u) << name;
}

}  // namespace

TEST(DecisionKernel, QuadsChooseExactlyAsTheScalarRule) {
  expect_kernel_matches_scalar_rule(choose_levels_quads, "quads");
}

TEST(DecisionKernel, Avx2ChoosesExactlyAsTheScalarRule) {
#if defined(__x86_64__)
  if (!__builtin_cpu_supports("avx2")) GTEST_SKIP() << "no AVX2 on this processor";
  expect_kernel_matches_scalar_rule(choose_levels_avx2, "avx2");
#else
  GTEST_SKIP() << "AVX2 is x86-64's";
#endif
}

TEST(DecisionKernel, DispatchChoosesExactlyAsTheScalarRule) {
  expect_kernel_matches_scalar_rule(choose_levels, "dispatch");
}
