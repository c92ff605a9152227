// Accidents (docs/ODD.md section 6, "Accident hazard"): an enterprise has an accident in a step with
// probability 1 - exp(-(a (1 - m q) + b * hazards) * (workers/ref)^theta * dt): its latent hazards
// and the risk its safety management q controls beyond them; severity follows the
// sector's pyramid, deaths of a fatal accident a truncated zeta law, and the enterprise and the
// township decide whether to conceal a reportable accident (section 6, "Concealment": a logit
// rising with death-target pressure and growth priority, falling with the chance that it comes to
// light, discipline oversight and severity); the media, records and insiders may expose what was
// concealed, and exposed deaths count against the township's death ceiling.

#include <algorithm>
#include <cmath>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "model/accidents.hpp"
#include "model/enterprise_outcomes.hpp"
#include "model/inspections.hpp"
#include "model/phases.hpp"
#include "model/public_reporting.hpp"

namespace anjian {

Grade accident_grade(std::int64_t deaths, std::int64_t serious_injuries) {
  if (deaths >= 30 || serious_injuries >= 100) return Grade::EspeciallyMajor;
  if (deaths >= 10 || serious_injuries >= 50) return Grade::Major;
  if (deaths >= 3 || serious_injuries >= 10) return Grade::Larger;
  return Grade::General;
}


double death_target_pressure(const Params& params, std::int32_t death_ceiling, std::int64_t deaths_reported_this_year,
                             std::int64_t deaths) {
  if (params.assessment.death_target <= 0.0) return 0.0;  // no county figure, no ceiling, no pressure
  // Share of the township's yearly ceiling used up if this accident is reported; the Hill form
  // makes pressure rise steeply as the ceiling nears, reach one half at it, and saturate beyond.
  // A ceiling of 0 (a zero-death target) is broken by any death: the load is taken as if the
  // ceiling were 0.5, so that one death already weighs 0.8 and more deaths weigh more.
  const double ceiling = death_ceiling > 0 ? static_cast<double>(death_ceiling) : 0.5;
  const double load = static_cast<double>(deaths_reported_this_year + deaths) / ceiling;
  return load * load / (1.0 + load * load);
}

double exposure_probability(const Params& params, std::int64_t deaths, std::int64_t injuries, double reward) {
  // Each casualty is a separate chance that the accident comes to light, by three channels: the
  // media, records (hospital, police, work-injury insurance, the family's petition) and insiders
  // reporting it to the hotline as willingly as citizens report hazards (rewards, protection,
  // trust). A death is as hard to hide as `death_salience` injuries.
  const double casualties = static_cast<double>(injuries) + params.media.death_salience * static_cast<double>(deaths);
  const double insider = std::min(1.0, params.concealment.insider_report * reporting_willingness(params, reward));
  const double hidden_per_casualty =
      (1.0 - params.media.activity) * (1.0 - params.concealment.record_discovery) * (1.0 - insider);
  return 1.0 - std::pow(hidden_per_casualty, casualties);
}

double concealment_probability(const Params& params, Severity severity, std::int64_t deaths, std::int64_t injuries,
                               double pressure, double growth_priority, double reward) {
  const auto& c = params.concealment;
  if (severity == Severity::NearMiss) return 1.0;  // never reported: nothing to report
  const double base = severity == Severity::Fatal ? c.fatal_propensity : c.injury_propensity;
  // Propensities of exactly 0 or 1 switch concealment off or make it certain, whatever the terms.
  if (base <= 0.0) return 0.0;
  if (base >= 1.0) return 1.0;
  if (severity == Severity::Fatal && deaths > 1 && c.per_extra_death <= 0.0) return 0.0;
  double log_odds = std::log(base / (1.0 - base));
  if (severity == Severity::Fatal) log_odds += static_cast<double>(deaths - 1) * std::log(c.per_extra_death);
  const double assessment_weight = c.target_weight + (params.assessment.death_veto ? c.veto_weight : 0.0);
  log_odds += assessment_weight * pressure;
  log_odds += c.growth_weight * growth_priority;
  log_odds -= c.discovery_weight * exposure_probability(params, deaths, injuries, reward);
  log_odds -= c.oversight_weight * params.discipline.audit_rate;
  return 1.0 / (1.0 + std::exp(-log_odds));
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
  if (!a.reported) {
    t[Metric::accidents_concealed] += 1;
    if (!a.exposed) return;
    t[Metric::accidents_exposed] += 1;
    t[Metric::deaths_exposed] += a.deaths;
    return;
  }
  t[Metric::accidents_reported] += 1;
  t[Metric::deaths_reported] += a.deaths;
  t[Metric::injuries_reported] += a.injuries;
}

}  // namespace

AccidentSite accident_site(const Enterprises& e, std::uint32_t i) {
  return {.township = e.township[i], .workers = e.workers[i], .sector = e.sector[i]};
}

void accident_at(World& world, const Params& params, std::uint32_t i, const AccidentSite& site,
                 std::int64_t day, RandomStream& rng, RandomKey key, std::uint64_t media_counter,
                 EnterpriseOutcomes& out) {
  auto& e = world.enterprises;
  const auto& s = params.sectors[site.sector];
  AccidentEvent event{day, i, site.sector, site.township, draw_severity(rng, s), Grade::General, 0, 0, false};
  draw_casualties(rng, params, s, site.workers, event);
  // Pressure is read from the township's tally at the start of the step (of the day, under
  // next-event sampling); the tallies are updated when blocks merge, so the decision does not
  // depend on thread scheduling.
  const std::uint32_t t = site.township;
  const double pressure = death_target_pressure(params, world.townships.death_ceiling[t],
                                                world.townships.deaths_reported_this_year[t], event.deaths);
  const double reward = reward_for(world, params, i, day);
  event.reported = !bernoulli(rng, concealment_probability(params, event.severity, event.deaths, event.injuries,
                                                           pressure, world.townships.growth_priority[t], reward));
  if (!event.reported && event.severity != Severity::NearMiss) {
    RandomStream media(key, Stream::MediaExposure, i, media_counter);
    event.exposed = bernoulli(media, exposure_probability(params, event.deaths, event.injuries, reward));
  }
  if (event.severity != Severity::NearMiss) {
    e.accidents[i] += 1;
    e.deaths[i] += event.deaths;
    // After a harmful accident the enterprise fixes part of what caused it.
    const auto cleaned = binomial(rng, e.hazards[i], params.accidents.hazard_cleanup_share);
    e.hazards[i] -= static_cast<std::int32_t>(cleaned);
    out.tally[Metric::hazards_removed_after_accident] += static_cast<double>(cleaned);
  }
  tally_accident(event, out.tally);
  out.accidents.push_back(event);
}

void merge_outcomes(World& world, StepContext& ctx, const EnterpriseOutcomes& out) {
  ctx.tally += out.tally;
  ctx.accidents.insert(ctx.accidents.end(), out.accidents.begin(), out.accidents.end());
  auto& townships = world.townships;
  for (const auto& event : out.accidents) {
    townships.deaths_true_this_year[event.township] += event.deaths;
    // The assessment counts the deaths the county knows of: reported, or concealed and exposed
    // (a concealment that comes to light counts against the township all the same).
    if (event.reported || event.exposed) townships.deaths_reported_this_year[event.township] += event.deaths;
  }
  auto& complaints = world.departments.complaints;
  for (const auto& push : out.complaints) complaints[push.department].push_back(push.enterprise);
  world.newly_registered.insert(world.newly_registered.end(), out.registered.begin(), out.registered.end());
  for (auto i : out.registered) {
    world.registry.unregistered -= 1;
    world.registry.orphaned += world.enterprises.primary_department[i] == kNoDepartment;
  }
}

void phase_accidents(World& world, const Params& params, StepContext& ctx) {
  auto& e = world.enterprises;
  std::vector<EnterpriseOutcomes> blocks(block_count(e.size()));
  for_each_block(e.size(), [&](std::size_t b, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (is_suspended(e, i, ctx.first_day)) continue;  // no production, no accident
      RandomStream rng(ctx.key, Stream::Accidents, i, ctx.step);
      const double p = probability_within(accident_rate(params, e.sector[i], e.size_factor[i], e.safety_quality[i], e.hazards[i]), ctx.years);
      if (rng.uniform() < p) {
        const auto id = static_cast<std::uint32_t>(i);
        accident_at(world, params, id, accident_site(e, id), ctx.first_day, rng, ctx.key, ctx.step,
                    blocks[b]);
      }
    }
  });
  for (const auto& block : blocks) merge_outcomes(world, ctx, block);
}

}  // namespace anjian
