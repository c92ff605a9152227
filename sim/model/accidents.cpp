// Accidents (MODEL.md section 6, "Accident hazard"): an enterprise has an accident in a step with
// probability 1 - exp(-(a + b * hazards) * (workers/ref)^theta * dt); severity follows the
// sector's pyramid, deaths of a fatal accident a truncated zeta law, and the enterprise decides
// whether to conceal a reportable accident.

#include <algorithm>
#include <cmath>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "model/phases.hpp"

namespace anjian {

Grade accident_grade(std::int64_t deaths, std::int64_t serious_injuries) {
  if (deaths >= 30 || serious_injuries >= 100) return Grade::EspeciallyMajor;
  if (deaths >= 10 || serious_injuries >= 50) return Grade::Major;
  if (deaths >= 3 || serious_injuries >= 10) return Grade::Larger;
  return Grade::General;
}

double accident_rate(const Params& params, int sector, float size_factor, std::int64_t hazards) {
  const auto& s = params.sectors[sector];
  return (s.accident_base + s.accident_per_hazard * static_cast<double>(hazards)) * size_factor;
}

double concealment_probability(const Params& params, Severity severity, std::int64_t deaths) {
  const auto& c = params.concealment;
  switch (severity) {
    case Severity::NearMiss: return 1.0;  // never reported: nothing to report
    case Severity::Minor:
    case Severity::Serious: return c.injury_propensity;
    case Severity::Fatal:
      return c.fatal_propensity * std::pow(c.per_extra_death, static_cast<double>(deaths - 1));
  }
  return 0.0;
}

namespace {

Severity draw_severity(RandomStream& rng, const SectorParams& s) {
  const double u = rng.uniform();
  if (u < s.p_fatal) return Severity::Fatal;
  if (u < s.p_fatal + s.p_serious) return Severity::Serious;
  if (u < s.p_fatal + s.p_serious + s.p_minor) return Severity::Minor;
  return Severity::NearMiss;
}

// Fills deaths and injuries of an accident of the given severity in an enterprise of `workers`.
void draw_casualties(RandomStream& rng, const Params& params, const SectorParams& s,
                     std::int64_t workers, AccidentEvent& event) {
  std::int64_t deaths = 0, injuries = 0, serious = 0;
  switch (event.severity) {
    case Severity::NearMiss: break;
    case Severity::Minor: injuries = 1; break;
    case Severity::Serious:
      serious = injuries = std::min(workers, 1 + poisson(rng, params.accidents.extra_serious_injuries));
      break;
    case Severity::Fatal:
      deaths = zeta_truncated(rng, s.death_tail, workers);
      serious = injuries = std::min(workers - deaths,
                                    poisson(rng, params.accidents.injuries_per_death * static_cast<double>(deaths)));
      break;
  }
  event.deaths = static_cast<std::int32_t>(deaths);
  event.injuries = static_cast<std::int32_t>(injuries);
  event.grade = accident_grade(deaths, serious);
}

void tally_accident(const AccidentEvent& a, Tally& t) {
  static constexpr Metric by_severity[] = {Metric::accidents_near_miss, Metric::accidents_minor,
                                           Metric::accidents_serious, Metric::accidents_fatal};
  t[by_severity[static_cast<int>(a.severity)]] += 1;
  if (a.severity == Severity::NearMiss) return;
  t[Metric::accidents_true] += 1;
  t[Metric::deaths_true] += a.deaths;
  t[Metric::injuries_true] += a.injuries;
  if (a.grade != Grade::General) t[Metric::accidents_larger_or_worse] += 1;
  if (!a.reported) return;
  t[Metric::accidents_reported] += 1;
  t[Metric::deaths_reported] += a.deaths;
  t[Metric::injuries_reported] += a.injuries;
}

struct BlockAccidents {
  Tally tally;
  std::vector<AccidentEvent> events;
};

}  // namespace

void phase_accidents(World& world, const Params& params, StepContext& ctx) {
  auto& e = world.enterprises;
  std::vector<BlockAccidents> blocks(block_count(e.size()));
  for_each_block(e.size(), [&](std::size_t b, std::size_t begin, std::size_t end) {
    auto& out = blocks[b];
    for (std::size_t i = begin; i < end; ++i) {
      RandomStream rng(ctx.key, Stream::Accidents, i, ctx.step);
      const int sector = e.sector[i];
      const double p = probability_within(accident_rate(params, sector, e.size_factor[i], e.hazards[i]), ctx.years);
      if (!(rng.uniform() < p)) continue;

      const auto& s = params.sectors[sector];
      AccidentEvent event{ctx.first_day, static_cast<std::uint32_t>(i), e.sector[i], e.township[i],
                          draw_severity(rng, s), Grade::General, 0, 0, false};
      draw_casualties(rng, params, s, e.workers[i], event);
      event.reported = !bernoulli(rng, concealment_probability(params, event.severity, event.deaths));
      if (event.severity != Severity::NearMiss) {
        e.accidents[i] += 1;
        e.deaths[i] += event.deaths;
        // After a harmful accident the enterprise fixes part of what caused it.
        const auto cleaned = binomial(rng, e.hazards[i], params.accidents.hazard_cleanup_share);
        e.hazards[i] -= static_cast<std::int32_t>(cleaned);
        out.tally[Metric::hazards_removed_after_accident] += static_cast<double>(cleaned);
      }
      tally_accident(event, out.tally);
      out.events.push_back(event);
    }
  });
  for (auto& block : blocks) {
    ctx.tally += block.tally;
    ctx.accidents.insert(ctx.accidents.end(), block.events.begin(), block.events.end());
  }
}

}  // namespace anjian
