// Enterprise decisions (docs/ODD.md section 3 step 8; section 4 "Deterrence", "Bounded rationality"):
// each month an enterprise learns what to expect from supervision (inspection rate, detection,
// fine per hazard found) from its own inspections and its peers', then chooses its
// safety-management quality q by a logit over expected yearly costs and moves part of the way.
// What it values safety at is its culture plus the attention recent penalties drew (fading).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <type_traits>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "core/prefetch.hpp"
#include "core/vector_exp.hpp"
#include "model/enterprise_decisions.hpp"
#include "model/accidents.hpp"
#include "model/enterprise_decisions_kernel.hpp"
#include "model/hazards.hpp"
#include "model/inspections.hpp"
#include "model/inspector_behaviour.hpp"
#include "model/phases.hpp"

namespace anjian {

namespace {

constexpr double kMonthsPerYear = 12.0;

LevelTerms<double> level_terms(const Params& params, double quality) {
  return {quality, 1.0 - quality, hazard_removal_rate(params, static_cast<float>(quality)),
          params.enterprises.compliance_cost * quality * quality, management_factor(params, quality)};
}

// What an accident costs the enterprise (yuan): harmful ones a fine and, when the media
// publicise them, business; fatal ones may bring its responsible person to court (Criminal Law
// art. 134, major-liability accident).
double loss_per_accident(const Params& params, int sector) {
  const auto& ep = params.enterprises;
  const auto& s = params.sectors[sector];
  const double harmful_share = s.p_minor + s.p_serious + s.p_fatal;
  return ep.accident_loss +
         (params.deterrence.accident_fine + params.media.activity * ep.reputation_loss) * harmful_share +
         params.courts.prosecution_rate * params.deterrence.criminal_liability_cost * s.p_fatal;
}

}  // namespace

double refusal_verification(const Params& params, const PerceivedDeterrence& seen) {
  if (params.enforcement.follow_up) return 1.0;
  return 1.0 - std::exp(-seen.inspection_rate * seen.detection);
}

double order_compliance(const Params& params, double verification, double capture) {
  const auto& f = params.enforcement;
  const double refusal_sanction = f.fine_per_hazard * f.repeat_fine_multiplier * (1.0 - capture);
  const double saving = verification * refusal_sanction - f.rectification_cost;  // of carrying it out
  const double noise = params.enterprises.compliance_noise;
  if (noise <= 0.0) return saving >= 0.0 ? 1.0 : 0.0;
  return 1.0 / (1.0 + std::exp(-saving / noise));
}

namespace {

// Share of found hazards an order removes, as the enterprise plans it: major hazards for
// certain, the others as it would choose at a first order (order_compliance, without the
// township's leniency, which the inspection applies).
double rectified_share(const Params& params, const PerceivedDeterrence& seen) {
  const double major = params.enforcement.major_hazard_share;
  return major + (1.0 - major) * order_compliance(params, refusal_verification(params, seen), 0.0);
}

// Where orders are re-inspected a refusal is verified for certain, so the share an order removes
// is the same for every enterprise: worked out once a month, not once per enterprise (an exp for
// each of a province's million enterprises). Otherwise it depends on what each one perceives.
std::optional<double> rectified_share_for_all(const Params& params) {
  if (!params.enforcement.follow_up) return std::nullopt;
  return rectified_share(params, PerceivedDeterrence{});
}

// An enterprise's terms from its perception of supervision, its size and its culture; `loss` is
// loss_per_accident of its sector, `rectified` the rectified_share of its perception.
EnterpriseTerms<double> enterprise_terms(const Params& params, int sector, double loss, double size_factor,
                                         double safety_culture, const PerceivedDeterrence& seen, double rectified) {
  const auto& s = params.sectors[sector];
  const double inspected_detection =
      seen.inspection_rate * seen.detection;  // chance a hazard is found, per year
  // A found hazard costs the sanctions learned and the rectification the order imposes. Without
  // the latter an order costs nothing, and inspections that fix hazards for free would replace
  // the enterprise's own safety effort (more inspectors, less safety management).
  const double sanctions = seen.fine + rectified * params.enforcement.rectification_cost;
  const double per_hazard = inspected_detection * sanctions + s.accident_per_hazard * size_factor * loss;
  return {inspected_detection * rectified, s.hazard_arrival * per_hazard,
          s.accident_base * loss, safety_culture};
}

// What one enterprise, or a cell of peers, went through since the last decision.
struct Experience {
  double enterprises = 0, inspections = 0, exposed = 0, found = 0, fines = 0;

  Experience& operator+=(const Experience& o) {
    enterprises += o.enterprises;
    inspections += o.inspections;
    exposed += o.exposed;
    found += o.found;
    fines += o.fines;
    return *this;
  }
  Experience operator+(const Experience& o) const { return Experience(*this) += o; }
  Experience operator-(const Experience& o) const {
    return {enterprises - o.enterprises, inspections - o.inspections, exposed - o.exposed, found - o.found,
            fines - o.fines};
  }
};

Experience own_experience(const Enterprises& e, std::size_t i) {
  return {1.0, static_cast<double>(e.inspections[i] - e.inspections_seen[i]),
          static_cast<double>(e.hazards_exposed_this_month[i]),
          static_cast<double>(e.violations_found[i] - e.violations_seen[i]), e.fines_this_month[i]};
}

// The cases of enterprise i that its department published this month (enforcement.case_publicity):
// to those who read of one, it is one more enterprise's month, with its inspection, the hazards
// it had and those found, and its fine. Only penalised cases are published, and readers do not
// correct for that: publicity raises what they expect of inspections, detection and fines.
Experience published_experience(const Enterprises& e, std::size_t i) {
  const auto cases = static_cast<double>(e.published_cases_this_month[i]);
  return {cases, cases, static_cast<double>(e.published_exposed_this_month[i]),
          static_cast<double>(e.published_found_this_month[i]), e.published_fines_this_month[i]};
}

// Peers are the other enterprises of the same township and sector: they talk, and see each
// other's inspections. (A stand-in for the `peer` edges of the governance network.) A published
// case reaches the whole township: the rest of its enterprises learn of it as of a peer's.
std::size_t peer_cell(const Enterprises& e, std::size_t i) {
  return static_cast<std::size_t>(e.township[i]) * kSectorCount + e.sector[i];
}

// Whether enterprise i went through anything since the last decision (beyond being there). It
// compares the columns as stored: building own_experience for every enterprise to test it was
// slower (province, 2 y on 1 thread: decisions 2.87 -> 3.05 s, median of 3).
bool has_experience(const Enterprises& e, std::size_t i) {
  return e.inspections[i] != e.inspections_seen[i] || e.hazards_exposed_this_month[i] != 0 ||
         e.violations_found[i] != e.violations_seen[i] || e.fines_this_month[i] != 0 ||
         e.published_cases_this_month[i] != 0;
}

// Sums of experience per (township, sector) cell, the same as one pass in enterprise order would
// add them, found in parallel. Fixed parts of the enterprises each count their enterprises per
// cell (whole numbers: any order gives the same sums) and list those with experience; the
// listed ones' experience is then added in enterprise order. The rest would only add zeros
// (x + 0 = x), so the fines, the one sum that is not whole, come out bit for bit as one pass
// would give them. In a month only the inspected few are listed, and the serial part is small.
// The cases published per cell are summed alike.
struct CellExperience {
  std::vector<Experience> cells;      // per (township, sector) cell: what its enterprises went through
  std::vector<Experience> published;  // per cell: its cases published this month
};

CellExperience cell_experience(const World& world) {
  const auto& e = world.enterprises;
  const std::size_t cell_count = world.townships.size() * kSectorCount;
  // Enough parts to share between threads, each with a count per cell; a county's few thousand
  // enterprises are one part (replicates run in parallel there, and more tasks only cost).
  constexpr std::size_t kParts = 8, kMinPartSize = 65536;
  const std::size_t part_size = std::max(kMinPartSize, (e.size() + kParts - 1) / kParts);
  struct Learned {  // an enterprise with experience, in its cell
    std::size_t cell;
    Experience own;
    Experience published;
  };
  struct Part {
    std::vector<std::uint32_t> enterprises;  // per cell
    std::vector<Learned> experienced;        // in enterprise order
  };
  std::vector<Part> parts(block_count(e.size(), part_size));
  for_each_block(
      e.size(),
      [&](std::size_t p, std::size_t begin, std::size_t end) {
        Part& part = parts[p];
        part.enterprises.assign(cell_count, 0);
        for (std::size_t i = begin; i < end; ++i) {
          const std::size_t cell = peer_cell(e, i);
          part.enterprises[cell] += 1;
          if (has_experience(e, i)) {
            Experience own = own_experience(e, i);
            own.enterprises = 0;  // counted apart
            part.experienced.push_back({cell, own, published_experience(e, i)});
          }
        }
      },
      part_size);
  CellExperience out{std::vector<Experience>(cell_count), std::vector<Experience>(cell_count)};
  for (const Part& part : parts) {
    for (std::size_t c = 0; c < cell_count; ++c) out.cells[c].enterprises += part.enterprises[c];
  }
  for (const Part& part : parts) {
    for (const Learned& learned : part.experienced) {
      out.cells[learned.cell] += learned.own;
      out.published[learned.cell] += learned.published;
    }
  }
  return out;
}

// Cases published in each township this month: the sums of its cells'.
std::vector<Experience> township_published(const std::vector<Experience>& published, std::size_t townships) {
  std::vector<Experience> out(townships);
  for (std::size_t c = 0; c < published.size(); ++c) out[c / kSectorCount] += published[c];
  return out;
}

// An observed ratio blended from own and peers' experience; none if neither observed anything.
std::optional<double> blend(double own_num, double own_den, double peer_num, double peer_den, double peer_weight) {
  const bool own = own_den > 0, peers = peer_den > 0 && peer_weight > 0;
  if (own && peers) return (1.0 - peer_weight) * own_num / own_den + peer_weight * peer_num / peer_den;
  if (own) return own_num / own_den;
  if (peers) return peer_num / peer_den;
  return std::nullopt;
}

void smooth(float& perceived, std::optional<double> observed, double learning_rate) {
  if (observed) perceived = static_cast<float>(perceived + learning_rate * (*observed - perceived));
}

void learn(Enterprises& e, std::size_t i, const Experience& own, const Experience& peers, const Params& params) {
  // An unregistered workshop knows that no regulator has it on a list, and an orphan that no
  // department with the power to fine does (the township office that visits it can only refer):
  // what inspectors do to its claimed neighbours tells it nothing of its own chances, so it
  // learns from its own experience only.
  const bool on_a_regulators_list = e.registered[i] && !is_orphan(e, i);
  const double w = on_a_regulators_list ? params.deterrence.peer_weight : 0.0;
  const double alpha = params.deterrence.learning_rate;
  const double month = 1.0 / kMonthsPerYear;
  smooth(e.perceived_inspection_rate[i], blend(own.inspections, month, peers.inspections, peers.enterprises * month, w),
         alpha);
  smooth(e.perceived_detection[i], blend(own.found, own.exposed, peers.found, peers.exposed, w), alpha);
  smooth(e.perceived_fine[i], blend(own.fines, own.found, peers.fines, peers.found, w), alpha);
}

// Eight uniforms on [0, 1) from one Philox block, for enterprises first .. first + 7 (first a
// multiple of 8): 24 bits each, exact in single precision, from the block's eight 32-bit halves.
void decision_uniforms(RandomKey key, std::int64_t step, std::size_t first, float* out) {
  RandomStream rng(key, Stream::EnterpriseDecision, first / kLanes, static_cast<std::uint64_t>(step));
  for (std::size_t k = 0; k < kLanes; k += 2) {
    const std::uint64_t word = rng();
    out[k] = static_cast<float>(static_cast<std::uint32_t>(word) >> 8) * 0x1.0p-24f;
    out[k + 1] = static_cast<float>(word >> 40) * 0x1.0p-24f;
  }
}

// Partial adjustment from q towards the chosen level.
float adjusted_quality(const Params& params, double q, std::int32_t level) {
  return static_cast<float>(
      std::clamp(q + params.enterprises.adjustment_rate * (kQualityLevels[level] - q), 0.0, 1.0));
}

void begin_new_month(Enterprises& e, std::size_t i) {
  e.inspections_seen[i] = e.inspections[i];
  e.violations_seen[i] = e.violations_found[i];
  e.hazards_exposed_this_month[i] = 0;
  e.fines_this_month[i] = 0;
  e.published_cases_this_month[i] = 0;
  e.published_exposed_this_month[i] = 0;
  e.published_found_this_month[i] = 0;
  e.published_fines_this_month[i] = 0;
}

// The means change only with the monthly decisions: a pass over all enterprises then (or when
// the step's context has not seen them yet), the last values carried over in between.
void record_stocks(const World& world, StepContext& ctx) {
  if (!ctx.month_ends && ctx.quality_means_known) {
    ctx.tally[Metric::safety_quality_mean] = ctx.quality_mean;
    ctx.tally[Metric::perceived_inspection_rate_mean] = ctx.perceived_rate_mean;
    return;
  }
  const auto& e = world.enterprises;
  struct Sums {
    double quality = 0, rate = 0;
  };
  const Sums sums = reduce_blocks(
      e.size(), Sums{},
      [&](std::size_t, std::size_t begin, std::size_t end, Sums& s) {
        for (std::size_t i = begin; i < end; ++i) {
          s.quality += e.safety_quality[i];
          s.rate += e.perceived_inspection_rate[i];
        }
      },
      [](Sums& sum, const Sums& part) {
        sum.quality += part.quality;
        sum.rate += part.rate;
      });
  const double n = std::max<double>(1.0, static_cast<double>(e.size()));
  ctx.quality_mean = sums.quality / n;
  ctx.perceived_rate_mean = sums.rate / n;
  ctx.quality_means_known = true;
  ctx.tally[Metric::safety_quality_mean] = ctx.quality_mean;
  ctx.tally[Metric::perceived_inspection_rate_mean] = ctx.perceived_rate_mean;
}

}  // namespace

Levels all_levels(const Params& params) {
  Levels levels;
  for (std::size_t k = 0; k < kLevels; ++k) levels[k] = level_terms(params, kQualityLevels[k]);
  return levels;
}

namespace {

// e^x for one x <= 0: the kernel's exponential in a vector of one lane, so that the weights are
// the kernel's to the last bit.
float exp_nonpositive_one(float x) {
  using OneLane = FloatLanes<1>::type;
  return exp_nonpositive(OneLane{x})[0];
}

}  // namespace

std::int32_t choose_level(const Levels& levels, float inverse_noise, const EnterpriseTerms<float>& f,
                          float uniform) {
  std::array<float, kLevels> cost;
  float cheapest = std::numeric_limits<float>::infinity();
  for (std::size_t k = 0; k < kLevels; ++k) {
    cost[k] = level_cost(in_lanes<float>(levels[k]), f);
    cheapest = cost[k] < cheapest ? cost[k] : cheapest;  // as the lanes do it
  }
  std::array<float, kLevels> running;  // running sums of the weights; the last is their total
  float total = 0.0f;
  for (std::size_t k = 0; k < kLevels; ++k) {
    total += exp_nonpositive_one((cheapest - cost[k]) * inverse_noise);
    running[k] = total;
  }
  // The number of running sums at or below u x total, leaving out those that already equal the
  // total: a level of weight 0 is never chosen.
  const float u = uniform * total;
  std::int32_t chosen = 0;
  for (std::size_t k = 0; k + 1 < kLevels; ++k) chosen += running[k] <= u && running[k] < total;
  return chosen;
}

double expected_hazard_stock(const Params& params, int sector, float size_factor, double quality,
                             const PerceivedDeterrence& seen) {
  const EnterpriseTerms<double> f =
      enterprise_terms(params, sector, loss_per_accident(params, sector), size_factor, 0.0, seen,
                       rectified_share(params, seen));
  return size_factor * params.sectors[sector].hazard_arrival *
         steady_hazards_per_arrival(level_terms(params, quality), f);
}

double expected_annual_cost(const Params& params, int sector, float size_factor, float safety_culture, double quality,
                            const PerceivedDeterrence& seen) {
  const EnterpriseTerms<double> f =
      enterprise_terms(params, sector, loss_per_accident(params, sector), size_factor, safety_culture, seen,
                       rectified_share(params, seen));
  return size_factor * level_cost(level_terms(params, quality), f);
}

PerceivedDeterrence initial_perception(const Params& params) {
  // What the law and the department's reputation promise: the nominal fine, and inspectors of
  // average skill working in the mix of modes an average-morale inspector would choose.
  const double substantive =
      substantive_probability(params, params.inspectors.morale_mean, initial_beliefs(params));
  const auto skill = static_cast<float>(params.inspectors.skill_mean);
  const double detection = substantive * detection_probability(params, skill, true) +
                           (1.0 - substantive) * detection_probability(params, skill, false);
  return {params.deterrence.initial_perceived_rate, detection, params.enforcement.fine_per_hazard};
}

void init_enterprise_decisions(World& world, const Params& params, RandomKey key) {
  auto& e = world.enterprises;
  const PerceivedDeterrence start = initial_perception(params);
  for_each_block(e.size(), [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      RandomStream rng(key, Stream::InitSafetyCulture, i, 0);
      e.safety_culture[i] =
          static_cast<float>(normal(rng, params.enterprises.safety_culture_mean, params.enterprises.safety_culture_sd));
      e.perceived_inspection_rate[i] = static_cast<float>(start.inspection_rate);
      e.perceived_detection[i] = static_cast<float>(start.detection);
      e.perceived_fine[i] = static_cast<float>(start.fine);
      begin_new_month(e, i);
    }
  });
}

void phase_enterprise_decisions(World& world, const Params& params, StepContext& ctx) {
  if (ctx.month_ends) {
    auto& e = world.enterprises;
    const CellExperience experience = cell_experience(world);
    const std::vector<Experience>& cells = experience.cells;
    // What an enterprise reads of its township's published cases beyond its own cell (whose
    // cases its peers' experience holds already).
    const std::vector<Experience> township_cases = township_published(experience.published, world.townships.size());
    const Levels levels = all_levels(params);
    const auto inverse_noise = static_cast<float>(1.0 / params.enterprises.decision_noise);
    std::array<double, kSectorCount> losses;  // per accident, by sector: the same all month
    for (int s = 0; s < kSectorCount; ++s) losses[s] = loss_per_accident(params, s);
    // Managerial attention bought by penalties fades month by month.
    const auto attention_kept = static_cast<float>(std::exp(-1.0 / (kMonthsPerYear * params.deterrence.attention_years)));
    const std::optional<double> rectified_everywhere = rectified_share_for_all(params);
    for_each_block(e.size(), [&](std::size_t, std::size_t begin, std::size_t end) {
      DecisionBlock block;
      const std::size_t n = end - begin;
      // Whole vectors of lanes: the padding enterprises past the end decide nothing.
      const std::size_t count = (n + kLanes - 1) / kLanes * kLanes;
      for (std::size_t j = 0; j < count; j += kLanes)
        decision_uniforms(ctx.key, ctx.step, begin + j, &block.uniform[j]);
      for (std::size_t i = begin; i < end; ++i) {
        // The peer cells (townships x sectors) outgrow the L2 cache at province scale.
        if (i + kPrefetchAhead < end) __builtin_prefetch(&cells[peer_cell(e, i + kPrefetchAhead)]);
        const Experience own = own_experience(e, i);
        const std::size_t cell = peer_cell(e, i);
        learn(e, i, own, cells[cell] - own + (township_cases[e.township[i]] - experience.published[cell]), params);
        begin_new_month(e, i);
        const PerceivedDeterrence seen{e.perceived_inspection_rate[i], e.perceived_detection[i],
                                       e.perceived_fine[i]};
        const int sector = e.sector[i];
        e.safety_attention[i] *= attention_kept;
        const double rectified = rectified_everywhere ? *rectified_everywhere : rectified_share(params, seen);
        const EnterpriseTerms<double> f = enterprise_terms(params, sector, losses[sector], e.size_factor[i],
                                                           e.safety_culture[i] + e.safety_attention[i], seen, rectified);
        block.rectification[i - begin] = static_cast<float>(f.rectification);
        block.hazard_cost[i - begin] = static_cast<float>(f.hazard_cost);
        block.base_cost[i - begin] = static_cast<float>(f.base_cost);
        block.safety_culture[i - begin] = static_cast<float>(f.safety_culture);
      }
      for (std::size_t j = n; j < count; ++j)
        block.rectification[j] = block.hazard_cost[j] = block.base_cost[j] = block.safety_culture[j] = 0.0f;
      choose_levels(levels, inverse_noise, block, count);
      for (std::size_t i = begin; i < end; ++i) {
        e.safety_quality[i] = adjusted_quality(params, e.safety_quality[i], block.level[i - begin]);
      }
    });
  }
  record_stocks(world, ctx);
}

}  // namespace anjian
