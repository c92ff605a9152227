// Counter-based streams: reproducible, independent across keys, and drawing the right laws.

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "core/distributions.hpp"
#include "core/random.hpp"

using namespace anjian;

namespace {

std::vector<std::uint64_t> first_words(RandomKey key, Stream stream, std::uint64_t entity, std::uint64_t step, int n) {
  RandomStream rng(key, stream, entity, step);
  std::vector<std::uint64_t> words(n);
  for (auto& w : words) w = rng();
  return words;
}

// Mean and variance of n draws of f(rng) where each draw uses its own entity, as the engine does.
template <class F>
std::pair<double, double> moments(int n, F&& draw) {
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    RandomStream rng({7, 0}, Stream::Hazards, static_cast<std::uint64_t>(i), 3);
    const double x = draw(rng);
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  return {mean, sum2 / n - mean * mean};
}

}  // namespace

TEST(Random, SameCounterGivesSameWords) {
  EXPECT_EQ(first_words({1, 2}, Stream::Hazards, 5, 9, 10), first_words({1, 2}, Stream::Hazards, 5, 9, 10));
}

TEST(Random, EveryCounterPartChangesTheWords) {
  const auto base = first_words({1, 2}, Stream::Hazards, 5, 9, 4);
  EXPECT_NE(base, first_words({2, 2}, Stream::Hazards, 5, 9, 4));    // seed
  EXPECT_NE(base, first_words({1, 3}, Stream::Hazards, 5, 9, 4));    // replicate
  EXPECT_NE(base, first_words({1, 2}, Stream::Accidents, 5, 9, 4));  // stream
  EXPECT_NE(base, first_words({1, 2}, Stream::Hazards, 6, 9, 4));    // entity
  EXPECT_NE(base, first_words({1, 2}, Stream::Hazards, 5, 10, 4));   // step
}

TEST(Random, LongStreamsDoNotRepeatBlocks) {
  const auto words = first_words({1, 1}, Stream::Planning, 0, 0, 4000);
  std::vector<std::uint64_t> sorted = words;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
}

TEST(Random, UniformIsOpenUnitIntervalWithRightMoments) {
  auto [mean, var] = moments(200000, [](RandomStream& r) {
    const double u = r.uniform();
    EXPECT_GT(u, 0.0);
    EXPECT_LT(u, 1.0);
    return u;
  });
  // Standard error of the mean is sqrt(1/12/n) ~ 0.00065.
  EXPECT_NEAR(mean, 0.5, 0.003);
  EXPECT_NEAR(var, 1.0 / 12.0, 0.001);
}

TEST(Random, AdjacentEntitiesAreUncorrelated) {
  const int n = 100000;
  double sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
  for (int i = 0; i < n; ++i) {
    const double x = RandomStream({3, 0}, Stream::Accidents, i, 0).uniform();
    const double y = RandomStream({3, 0}, Stream::Accidents, i + 1, 0).uniform();
    sx += x, sy += y, sxy += x * y, sxx += x * x, syy += y * y;
  }
  const double cov = sxy / n - (sx / n) * (sy / n);
  const double r = cov / std::sqrt((sxx / n - sx * sx / n / n) * (syy / n - sy * sy / n / n));
  EXPECT_LT(std::abs(r), 0.015);  // 4.7 standard errors of 1/sqrt(n)
}

TEST(Distributions, PoissonMeanAndVariance) {
  for (double lambda : {0.01, 0.7, 4.0, 60.0}) {
    auto [mean, var] = moments(100000, [&](RandomStream& r) { return static_cast<double>(poisson(r, lambda)); });
    EXPECT_NEAR(mean, lambda, 5 * std::sqrt(lambda / 100000)) << lambda;
    EXPECT_NEAR(var, lambda, 0.05 * lambda + 0.002) << lambda;
  }
}

TEST(Distributions, BinomialEdgesAndMean) {
  RandomStream rng({1, 0}, Stream::Inspection, 0, 0);
  EXPECT_EQ(binomial(rng, 0, 0.5), 0);
  EXPECT_EQ(binomial(rng, 10, 0.0), 0);
  EXPECT_EQ(binomial(rng, 10, 1.0), 10);
  auto [mean, var] = moments(100000, [](RandomStream& r) { return static_cast<double>(binomial(r, 20, 0.3)); });
  EXPECT_NEAR(mean, 6.0, 0.03);
  EXPECT_NEAR(var, 4.2, 0.1);
}

TEST(Distributions, ZetaMatchesItsLawAndRespectsTheCap) {
  // P(1) = 1/zeta(3.5) = 0.8875, P(2) = 2^-3.5 / zeta(3.5) = 0.0785.
  const int n = 200000;
  int ones = 0, twos = 0;
  for (int i = 0; i < n; ++i) {
    RandomStream rng({5, 0}, Stream::Accidents, i, 0);
    const auto k = zeta_truncated(rng, 3.5, 1000);
    ones += k == 1;
    twos += k == 2;
  }
  EXPECT_NEAR(ones / double(n), 0.8875, 0.004);
  EXPECT_NEAR(twos / double(n), 0.0785, 0.003);
  for (int i = 0; i < 20000; ++i) {
    RandomStream rng({5, 0}, Stream::Accidents, i, 1);
    const auto k = zeta_truncated(rng, 1.5, 4);
    EXPECT_GE(k, 1);
    EXPECT_LE(k, 4);
  }
}

TEST(Distributions, UnitExponentialMatchesItsLaw) {
  // Mean 1 and variance 1 (sd of the mean 0.0022 for 200,000 draws), and the tail beyond 3
  // holds e^-3 = 0.0498 of them (sd 0.0005): the ziggurat's rare path covers the tail.
  const auto [mean, var] = moments(200000, [](RandomStream& r) { return unit_exponential(r); });
  EXPECT_NEAR(mean, 1.0, 0.01);
  EXPECT_NEAR(var, 1.0, 0.03);
  int beyond = 0;
  for (int i = 0; i < 200000; ++i) {
    RandomStream rng({7, 0}, Stream::EnterpriseEvents, static_cast<std::uint64_t>(i), 0);
    const double x = unit_exponential(rng);
    ASSERT_GE(x, 0.0);
    beyond += x > 3.0;
  }
  EXPECT_NEAR(beyond / 200000.0, std::exp(-3.0), 0.0025);
}

TEST(Distributions, BetaHasTheRequestedMean) {
  auto [mean, var] = moments(100000, [](RandomStream& r) { return beta_mean_concentration(r, 0.6, 8.0); });
  EXPECT_NEAR(mean, 0.6, 0.003);
  EXPECT_NEAR(var, 0.6 * 0.4 / 9.0, 0.002);  // mean(1-mean)/(concentration+1)
}

TEST(Distributions, ProbabilityWithinIsOneMinusExp) {
  EXPECT_DOUBLE_EQ(probability_within(0.0, 1.0), 0.0);
  EXPECT_NEAR(probability_within(365.0, 1.0 / 365.0), 1.0 - std::exp(-1.0), 1e-15);
}
