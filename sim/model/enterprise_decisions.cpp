// Enterprise decisions (MODEL.md section 3 step 8; section 4 "Deterrence", "Bounded rationality"):
// each month an enterprise learns what to expect from supervision (inspection rate, detection,
// fine per hazard found) from its own inspections and its peers', then chooses its
// safety-management quality q by a logit over expected yearly costs and moves part of the way.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "core/prefetch.hpp"
#include "core/vector_exp.hpp"
#include "model/phases.hpp"

namespace anjian {

namespace {

constexpr double kMonthsPerYear = 12.0;
// The levels of q an enterprise weighs each month: a handful keeps the choice O(1) per enterprise.
constexpr std::array<double, 9> kQualityLevels = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
// Floor on the removal rate of hazards, so that the expected stock stays finite when neither
// the enterprise nor inspectors remove any (it then grows for centuries: cost is prohibitive).
constexpr double kMinRemovalRate = 1e-3;  // 1/year

// The yearly cost of running at quality q, per unit of size factor: every term grows with size,
// the accidents' hazard term with its square (more hazards, each in a bigger workforce). The
// terms of a level that do not depend on the enterprise beyond its sector are computed once a
// month (LevelTerms, SectorTerms), the rest for each enterprise and level.
struct LevelTerms {
  double quality;
  double arrival;     // hazards/year per unit of size factor (hazards.cpp)
  double removal;     // own removal rate, 1/year per hazard (hazards.cpp)
  double compliance;  // yuan/year per unit of size factor
};

struct SectorTerms {
  double accident_base, accident_per_hazard;
  double loss_per_accident;  // yuan
};

LevelTerms level_terms(const Params& params, int sector, double quality) {
  const auto q = static_cast<float>(quality);
  return {quality, hazard_arrival_rate(params, sector, 1.0f, q), hazard_removal_rate(params, q),
          params.enterprises.compliance_cost * quality * quality};
}

SectorTerms sector_terms(const Params& params, int sector) {
  const auto& ep = params.enterprises;
  const auto& s = params.sectors[sector];
  // Harmful accidents cost a fine and, when the media publicise them, business.
  const double harmful_share = s.p_minor + s.p_serious + s.p_fatal;
  return {s.accident_base, s.accident_per_hazard,
          ep.accident_loss + (params.deterrence.accident_fine + params.media.activity * ep.reputation_loss) * harmful_share};
}

// What a level's cost depends on beyond the level and the sector: the enterprise's perception of
// supervision, its size and its culture, combined once per enterprise.
struct EnterpriseFactors {
  double inspected_detection;  // inspections/year x chance each finds a given hazard
  double rectification;        // removal rate by rectification orders, 1/year per hazard
  double hazard_accidents;     // accidents/year per hazard per unit of size factor
  double fine;                 // yuan per hazard found
  double safety_culture;       // yuan/year per unit of q
};

EnterpriseFactors enterprise_factors(const Params& params, const SectorTerms& sector, double size_factor,
                                     double safety_culture, const PerceivedDeterrence& seen) {
  const double inspected_detection = seen.inspection_rate * seen.detection;
  return {inspected_detection, inspected_detection * params.enforcement.rectification_rate,
          sector.accident_per_hazard * size_factor, seen.fine, safety_culture};
}

// Steady state of hazards.cpp's arrivals and self-removal, plus removal by rectification orders.
// Works on one level (T = double) or on a pair of levels at once (T = DoublePair).
template <class T>
T hazards_per_size(T arrival, T removal, const EnterpriseFactors& f) {
  const T rate = removal + f.rectification;
  return arrival / (rate < kMinRemovalRate ? T{} + kMinRemovalRate : rate);  // std::max, also lane-wise
}

template <class T>
T level_cost(T quality, T arrival, T removal, T compliance, const SectorTerms& sector, const EnterpriseFactors& f) {
  const T hazards = hazards_per_size(arrival, removal, f);
  const T penalties = f.inspected_detection * hazards * f.fine;
  // accidents.cpp's rate with the expected (real-valued) hazard stock.
  const T accidents = sector.accident_base + f.hazard_accidents * hazards;
  return compliance + penalties + accidents * sector.loss_per_accident - f.safety_culture * quality;
}

// Two doubles in one SSE2 register (baseline x86-64): the same IEEE operations lane by lane, so
// a pair of levels costs exactly what each would cost alone.
using DoublePair = double __attribute__((vector_size(16)));
constexpr std::size_t kLevelPairs = (kQualityLevels.size() + 1) / 2;
constexpr std::size_t kLevelQuads = (kQualityLevels.size() + 3) / 4;
constexpr float kNoWeight = -1000.0f;  // an exponent whose weight is 0
constexpr std::size_t kDecisionBatch = 16;  // enterprises a stage of the decisions runs over

// The month's terms of every sector and level, as columns of level pairs (the last pair padded
// with a level of no cost) so that an enterprise's nine costs take five vector steps.
struct LevelColumns {
  std::array<DoublePair, kLevelPairs> quality{}, arrival{}, removal{}, compliance{};
};

struct DecisionTerms {
  std::array<LevelColumns, kSectorCount> levels;
  std::array<SectorTerms, kSectorCount> sectors;
};

DecisionTerms decision_terms(const Params& params) {
  DecisionTerms terms;
  for (int s = 0; s < kSectorCount; ++s) {
    terms.sectors[s] = sector_terms(params, s);
    auto& columns = terms.levels[s];
    for (auto& pair : columns.removal) pair = DoublePair{1.0, 1.0};  // the padding level divides by 1
    for (std::size_t k = 0; k < kQualityLevels.size(); ++k) {
      const LevelTerms level = level_terms(params, s, kQualityLevels[k]);
      columns.quality[k / 2][k % 2] = level.quality;
      columns.arrival[k / 2][k % 2] = level.arrival;
      columns.removal[k / 2][k % 2] = level.removal;
      columns.compliance[k / 2][k % 2] = level.compliance;
    }
  }
  return terms;
}

// The costs of all levels for one enterprise, two levels at a time.
std::array<double, kQualityLevels.size()> level_costs(const LevelColumns& levels, const SectorTerms& sector,
                                                       const EnterpriseFactors& f) {
  std::array<double, 2 * kLevelPairs> pairs{};
  for (std::size_t p = 0; p < kLevelPairs; ++p) {
    const DoublePair cost = level_cost(levels.quality[p], levels.arrival[p], levels.removal[p], levels.compliance[p],
                                       sector, f);
    std::memcpy(&pairs[2 * p], &cost, sizeof cost);
  }
  std::array<double, kQualityLevels.size()> cost{};
  std::copy_n(pairs.begin(), cost.size(), cost.begin());
  return cost;
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

// Peers are the other enterprises of the same township and sector: they talk, and see each
// other's inspections. (A stand-in for the `peer` edges of the governance network.)
std::size_t peer_cell(const Enterprises& e, std::size_t i) {
  return static_cast<std::size_t>(e.township[i]) * kSectorCount + e.sector[i];
}

// Whether enterprise i went through anything since the last decision (beyond being there). It
// compares the columns as stored: building own_experience for every enterprise to test it was
// slower (province, 2 y on 1 thread: decisions 2.87 -> 3.05 s, median of 3).
bool has_experience(const Enterprises& e, std::size_t i) {
  return e.inspections[i] != e.inspections_seen[i] || e.hazards_exposed_this_month[i] != 0 ||
         e.violations_found[i] != e.violations_seen[i] || e.fines_this_month[i] != 0;
}

// Sums of experience per (township, sector) cell, the same as one pass in enterprise order would
// add them, found in parallel. Fixed parts of the enterprises each count their enterprises per
// cell (whole numbers: any order gives the same sums) and list those with experience; the
// listed ones' experience is then added in enterprise order. The rest would only add zeros
// (x + 0 = x), so the fines, the one sum that is not whole, come out bit for bit as one pass
// would give them. In a month only the inspected few are listed, and the serial part is small.
std::vector<Experience> cell_experience(const World& world) {
  const auto& e = world.enterprises;
  const std::size_t cell_count = world.townships.size() * kSectorCount;
  // Enough parts to share between threads, each with a count per cell; a county's few thousand
  // enterprises are one part (replicates run in parallel there, and more tasks only cost).
  constexpr std::size_t kParts = 8, kMinPartSize = 65536;
  const std::size_t part_size = std::max(kMinPartSize, (e.size() + kParts - 1) / kParts);
  struct Learned {  // an enterprise with experience, in its cell
    std::size_t cell;
    Experience own;
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
            part.experienced.push_back({cell, own});
          }
        }
      },
      part_size);
  std::vector<Experience> cells(cell_count);
  for (const Part& part : parts) {
    for (std::size_t c = 0; c < cell_count; ++c) cells[c].enterprises += part.enterprises[c];
  }
  for (const Part& part : parts) {
    for (const Learned& learned : part.experienced) cells[learned.cell] += learned.own;
  }
  return cells;
}

// An observed ratio blended from own and peers' experience; none if neither observed anything.
std::optional<double> blend(double own_num, double own_den, double peer_num, double peer_den, double peer_weight) {
  const bool own = own_den > 0, peers = peer_den > 0;
  if (own && peers) return (1.0 - peer_weight) * own_num / own_den + peer_weight * peer_num / peer_den;
  if (own) return own_num / own_den;
  if (peers) return peer_num / peer_den;
  return std::nullopt;
}

void smooth(float& perceived, std::optional<double> observed, double learning_rate) {
  if (observed) perceived = static_cast<float>(perceived + learning_rate * (*observed - perceived));
}

void learn(Enterprises& e, std::size_t i, const Experience& own, const Experience& peers, const Params& params) {
  const double w = params.deterrence.peer_weight;
  const double alpha = params.deterrence.learning_rate;
  const double month = 1.0 / kMonthsPerYear;
  smooth(e.perceived_inspection_rate[i], blend(own.inspections, month, peers.inspections, peers.enterprises * month, w),
         alpha);
  smooth(e.perceived_detection[i], blend(own.found, own.exposed, peers.found, peers.exposed, w), alpha);
  smooth(e.perceived_fine[i], blend(own.fines, own.found, peers.fines, peers.found, w), alpha);
}

// The logit weights of the levels (the padding ones 0). The noise scales with size like every
// cost term, so costs per unit of size face the noise itself.
using LevelWeights = std::array<float, 4 * kLevelQuads>;

LevelWeights level_weights(const Enterprises& e, std::size_t i, const Params& params,
                           const DecisionTerms& terms) {
  const PerceivedDeterrence seen{e.perceived_inspection_rate[i], e.perceived_detection[i], e.perceived_fine[i]};
  const int sector = e.sector[i];
  const SectorTerms& sector_terms = terms.sectors[sector];
  const auto cost = level_costs(terms.levels[sector], sector_terms,
                                enterprise_factors(params, sector_terms, e.size_factor[i], e.safety_culture[i], seen));
  const double best = *std::min_element(cost.begin(), cost.end());
  // Single precision is ample for choice weights: four levels a vector step.
  const auto scale = static_cast<float>(1.0 / params.enterprises.decision_noise);
  std::array<FloatQuad, kLevelQuads> exponents{};
  for (auto& quad : exponents) quad = FloatQuad{} + kNoWeight;  // the padding levels weigh nothing
  for (std::size_t k = 0; k < cost.size(); ++k) exponents[k / 4][k % 4] = -static_cast<float>(cost[k] - best) * scale;
  LevelWeights weight{};
  for (std::size_t v = 0; v < kLevelQuads; ++v) {
    const FloatQuad w = exp_nonpositive(exponents[v]);
    std::memcpy(&weight[4 * v], &w, sizeof w);
  }
  return weight;
}

// Logit choice among the levels by their weights, then partial adjustment towards the chosen one.
float choose_quality(const Enterprises& e, std::size_t i, const Params& params, const LevelWeights& weight,
                     double uniform) {
  float total = 0;
  for (std::size_t k = 0; k < kQualityLevels.size(); ++k) total += weight[k];
  // The first level whose weight exceeds what is left of u. Written without an early exit (the
  // exit's branch is mispredicted at random): once u falls below a weight the rest left is
  // negative, below every later weight (>= 0), so counting the levels passed gives that level.
  double u = uniform * total;
  std::size_t choice = 0;
  for (std::size_t k = 0; k + 1 < kQualityLevels.size(); ++k) {
    choice += u >= weight[k];
    u -= weight[k];
  }
  const double q = e.safety_quality[i];
  return static_cast<float>(std::clamp(q + params.enterprises.adjustment_rate * (kQualityLevels[choice] - q), 0.0, 1.0));
}

void begin_new_month(Enterprises& e, std::size_t i) {
  e.inspections_seen[i] = e.inspections[i];
  e.violations_seen[i] = e.violations_found[i];
  e.hazards_exposed_this_month[i] = 0;
  e.fines_this_month[i] = 0;
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

double expected_hazard_stock(const Params& params, int sector, float size_factor, double quality,
                             const PerceivedDeterrence& seen) {
  const LevelTerms level = level_terms(params, sector, quality);
  const EnterpriseFactors f = enterprise_factors(params, sector_terms(params, sector), size_factor, 0.0, seen);
  return size_factor * hazards_per_size(level.arrival, level.removal, f);
}

double expected_annual_cost(const Params& params, int sector, float size_factor, float safety_culture, double quality,
                            const PerceivedDeterrence& seen) {
  const LevelTerms level = level_terms(params, sector, quality);
  const SectorTerms terms = sector_terms(params, sector);
  const EnterpriseFactors f = enterprise_factors(params, terms, size_factor, safety_culture, seen);
  return size_factor * level_cost(quality, level.arrival, level.removal, level.compliance, terms, f);
}

PerceivedDeterrence initial_perception(const Params& params) {
  // What the law and the department's reputation promise: the nominal fine, and inspectors of
  // average skill working in the mix of modes an average-morale inspector would choose.
  const double substantive = substantive_probability(params, params.inspectors.morale_mean);
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
    const std::vector<Experience> cells = cell_experience(world);
    const DecisionTerms terms = decision_terms(params);
    for_each_block(e.size(), [&](std::size_t, std::size_t begin, std::size_t end) {
      // The block's uniforms first (the same draws): a Philox block is a chain of ten dependent
      // multiplication rounds; in a loop of their own the chains of many enterprises overlap.
      std::array<double, kBlockSize> uniforms;
      for (std::size_t i = begin; i < end; ++i) {
        uniforms[i - begin] = RandomStream(ctx.key, Stream::EnterpriseDecision, i, ctx.step).uniform();
      }
      // Then in batches, stage by stage: each stage is a chain of dependent operations (the
      // learning's divisions, the levels' costs and exponentials, the logit's running sums), and
      // in a loop of its own over a batch the processor runs several enterprises' chains at once.
      for (std::size_t first = begin; first < end; first += kDecisionBatch) {
        const std::size_t last = std::min(end, first + kDecisionBatch);
        for (std::size_t i = first; i < last; ++i) {
          // The peer cells (townships x sectors) outgrow the L2 cache at province scale.
          if (i + kPrefetchAhead < end) __builtin_prefetch(&cells[peer_cell(e, i + kPrefetchAhead)]);
          const Experience own = own_experience(e, i);
          learn(e, i, own, cells[peer_cell(e, i)] - own, params);
          begin_new_month(e, i);
        }
        std::array<LevelWeights, kDecisionBatch> weights;
        for (std::size_t i = first; i < last; ++i) weights[i - first] = level_weights(e, i, params, terms);
        for (std::size_t i = first; i < last; ++i) {
          e.safety_quality[i] = choose_quality(e, i, params, weights[i - first], uniforms[i - begin]);
        }
      }
    });
  }
  record_stocks(world, ctx);
}

}  // namespace anjian
