#include "core/distributions.hpp"

#include <algorithm>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

namespace anjian {

bool bernoulli(RandomStream& rng, double p) {
  if (p <= 0.0) return false;
  if (p >= 1.0) return true;
  return rng.uniform() < p;
}

std::int64_t poisson(RandomStream& rng, double mean) {
  if (mean <= 0.0) return 0;
  return boost::random::poisson_distribution<std::int64_t, double>(mean)(rng);
}

std::int64_t binomial(RandomStream& rng, std::int64_t trials, double p) {
  if (trials <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return trials;
  return boost::random::binomial_distribution<std::int64_t, double>(trials, p)(rng);
}

double unit_exponential(RandomStream& rng) {
  return boost::random::exponential_distribution<double>(1.0)(rng);
}

double normal(RandomStream& rng, double mean, double sd) {
  if (sd <= 0.0) return mean;
  return boost::random::normal_distribution<double>(mean, sd)(rng);
}

double lognormal_with_mean(RandomStream& rng, double mean, double sigma) {
  // exp(N(mu, sigma)) has mean exp(mu + sigma^2/2).
  const double mu = std::log(mean) - 0.5 * sigma * sigma;
  return std::exp(normal(rng, mu, sigma));
}

double beta_mean_concentration(RandomStream& rng, double mean, double concentration) {
  if (mean <= 0.0) return 0.0;
  if (mean >= 1.0) return 1.0;
  return boost::random::beta_distribution<double>(mean * concentration,
                                                  (1.0 - mean) * concentration)(rng);
}

std::int64_t zeta_truncated(RandomStream& rng, double alpha, std::int64_t cap) {
  if (cap <= 1) return 1;
  // Devroye (1986), X.6: rejection from a continuous Pareto envelope. Rejecting values above the
  // cap as well samples the truncated law exactly; k=1 is the likeliest value, so it ends fast.
  const double b = std::pow(2.0, alpha - 1.0);
  for (;;) {
    const double u = rng.uniform();
    const double v = rng.uniform();
    const double x = std::floor(std::pow(u, -1.0 / (alpha - 1.0)));
    if (!(x >= 1.0) || x > static_cast<double>(cap)) continue;
    const double t = std::pow(1.0 + 1.0 / x, alpha - 1.0);
    if (v * x * (t - 1.0) / (b - 1.0) <= t / b) return static_cast<std::int64_t>(x);
  }
}

std::uint64_t uniform_index(RandomStream& rng, std::uint64_t n) {
  return boost::random::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng);
}

double probability_within(double rate_per_year, double dt_years) {
  if (rate_per_year <= 0.0) return 0.0;
  return -std::expm1(-rate_per_year * dt_years);
}

}  // namespace anjian
