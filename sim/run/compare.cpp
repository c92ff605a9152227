#include "run/compare.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace anjian {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Moments {
  double n = 0, mean = 0, variance = 0;  // sample variance (n - 1)
};

Moments moments(const std::vector<double>& xs) {
  Moments m;
  m.n = static_cast<double>(xs.size());
  for (double x : xs) m.mean += x / m.n;
  if (xs.size() > 1) {
    for (double x : xs) m.variance += (x - m.mean) * (x - m.mean) / (m.n - 1);
  }
  return m;
}

// mean +- t(0.975, df) se; NaN ends when there are no degrees of freedom.
Interval interval(double mean, double se, double degrees_of_freedom) {
  if (!(degrees_of_freedom > 0) || !std::isfinite(se)) return {kNaN, kNaN};
  if (se == 0) return {mean, mean};
  const boost::math::students_t t(degrees_of_freedom);
  const double half = boost::math::quantile(boost::math::complement(t, 0.025)) * se;
  return {mean - half, mean + half};
}

void check_comparable(const std::vector<NamedResult>& results) {
  if (results.size() < 2) throw std::invalid_argument("compare: need a baseline and at least one alternative");
  const EnsembleResult& base = *results.front().result;
  for (const auto& named : results) {
    const EnsembleResult& r = *named.result;
    if (r.params.run.seed != base.params.run.seed || r.replicates.size() != base.replicates.size() ||
        r.step_end_day != base.step_end_day) {
      std::string keys;
      for (const auto& prefix : {"run.seed", "run.replicates", "time."}) {
        for (const auto& difference : differing_params(r.params, base.params, prefix)) keys += "; " + difference;
      }
      throw std::invalid_argument("compare: scenario '" + named.name + "' was not run with the seed, replicates and "
                                  "period of '" + results.front().name + "' (common random numbers need them equal)" +
                                  keys + "; set them equal");
    }
    if (r.replicates.empty()) throw std::invalid_argument("compare: scenario '" + named.name + "' has no replicates");
  }
}

CostEffectiveness cost_effectiveness(const std::vector<std::vector<double>>& base,
                                     const std::vector<std::vector<double>>& alternative) {
  const auto cost = static_cast<int>(Outcome::cost);
  const auto deaths = static_cast<int>(Outcome::deaths_true);
  CostEffectiveness ce;
  ce.cost = difference_of(base[cost], alternative[cost]);
  ce.deaths_averted = difference_of(alternative[deaths], base[deaths]);  // base - alternative
  ce.yuan_per_death_averted = kNaN;
  if (!(ce.deaths_averted.paired.low > 0)) {
    ce.verdict = CostVerdict::no_clear_deaths_averted;
  } else if (ce.cost.paired.high <= 0) {
    ce.verdict = CostVerdict::saves_money_and_lives;
  } else if (!(ce.cost.paired.low > 0)) {
    ce.verdict = CostVerdict::no_clear_cost_difference;
  } else {
    ce.verdict = CostVerdict::cost_per_death_averted;
    ce.yuan_per_death_averted = ce.cost.mean / ce.deaths_averted.mean;
  }
  return ce;
}

}  // namespace

std::string_view cost_verdict_name(CostVerdict verdict) {
  switch (verdict) {
    case CostVerdict::cost_per_death_averted: return "cost_per_death_averted";
    case CostVerdict::saves_money_and_lives: return "saves_money_and_lives";
    case CostVerdict::no_clear_deaths_averted: return "no_clear_deaths_averted";
    case CostVerdict::no_clear_cost_difference: return "no_clear_cost_difference";
  }
  return "?";
}

Difference difference_of(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("difference_of: samples of different sizes");
  std::vector<double> paired(a.size());
  for (std::size_t k = 0; k < a.size(); ++k) paired[k] = b[k] - a[k];
  const Moments d = moments(paired), ma = moments(a), mb = moments(b);

  Difference diff;
  diff.mean = d.mean;
  diff.paired_se = d.n > 1 ? std::sqrt(d.variance / d.n) : kNaN;
  diff.paired = interval(diff.mean, diff.paired_se, d.n - 1);
  // Welch: the two means as independent samples.
  const double va = ma.variance / ma.n, vb = mb.variance / mb.n;
  diff.unpaired_se = ma.n > 1 ? std::sqrt(va + vb) : kNaN;
  const double welch_df =
      (va + vb) > 0 ? (va + vb) * (va + vb) / (va * va / (ma.n - 1) + vb * vb / (mb.n - 1)) : ma.n + mb.n - 2;
  diff.unpaired = interval(mb.mean - ma.mean, diff.unpaired_se, ma.n > 1 ? welch_df : 0);
  return diff;
}

Comparison compare_results(const std::vector<NamedResult>& results) {
  check_comparable(results);
  const EnsembleResult& base = *results.front().result;
  Comparison c;
  c.seed = base.params.run.seed;
  c.replicates = static_cast<std::int64_t>(base.replicates.size());
  c.years = static_cast<double>(base.step_end_day.size()) * static_cast<double>(base.params.time.step_days) / 365.0;
  c.burn_in_years = base.params.time.burn_in_years;
  for (const auto& named : results) {
    c.scenarios.push_back(named.name);
    // [outcome][replicate]
    std::vector<std::vector<double>> values(kOutcomeCount);
    for (const auto& replicate : named.result->replicates) {
      const std::vector<double> v = outcome_values(replicate, named.result->params);
      for (int o = 0; o < kOutcomeCount; ++o) values[o].push_back(v[o]);
    }
    c.values.push_back(std::move(values));
  }
  for (int o = 0; o < kOutcomeCount; ++o) {
    OutcomeRow row;
    row.outcome = static_cast<Outcome>(o);
    row.base_mean = moments(c.values[0][o]).mean;
    for (std::size_t s = 1; s < results.size(); ++s) {
      row.alternative_mean.push_back(moments(c.values[s][o]).mean);
      row.difference.push_back(difference_of(c.values[0][o], c.values[s][o]));
    }
    c.rows.push_back(std::move(row));
  }
  for (std::size_t s = 1; s < results.size(); ++s)
    c.cost_effectiveness.push_back(cost_effectiveness(c.values[0], c.values[s]));
  return c;
}

}  // namespace anjian
