#pragma once
// The probability laws the model draws from, over a RandomStream. Standard laws come from
// Boost.Random; the zeta law (deaths per fatal accident) is Devroye's rejection sampler.

#include <cstdint>

#include "core/random.hpp"

namespace anjian {

bool bernoulli(RandomStream& rng, double p);
std::int64_t poisson(RandomStream& rng, double mean);
std::int64_t binomial(RandomStream& rng, std::int64_t trials, double p);
double normal(RandomStream& rng, double mean, double sd);
// Exponential with rate 1, by Boost's ziggurat: one word and a table lookup nearly always, where
// -log(uniform) costs a logarithm every time.
double unit_exponential(RandomStream& rng);
double lognormal_with_mean(RandomStream& rng, double mean, double sigma);
// Beta with the given mean in (0,1) and concentration a+b.
double beta_mean_concentration(RandomStream& rng, double mean, double concentration);
// Zeta (discrete power law) P(k) proportional to k^-alpha, k >= 1, truncated to k <= cap.
std::int64_t zeta_truncated(RandomStream& rng, double alpha, std::int64_t cap);
// Uniform integer in [0, n).
std::uint64_t uniform_index(RandomStream& rng, std::uint64_t n);
// Probability that an event with the given rate (per year) happens within dt years.
double probability_within(double rate_per_year, double dt_years);

}  // namespace anjian
