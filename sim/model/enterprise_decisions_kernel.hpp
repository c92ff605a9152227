#pragma once
// The monthly enterprise decisions' logit choice of a safety-management level, over a block of
// enterprises at once in vector lanes (enterprise_decisions_kernel.cpp). choose_level
// (enterprise_decisions.hpp) is the same rule for one enterprise, in plain floats; the kernel must
// give exactly its choices (tests/cpp/test_enterprise_decisions.cpp). The level and enterprise
// terms of the yearly cost are shared by both, and by the cost in doubles of
// enterprise_decisions.cpp.

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "core/parallel.hpp"

namespace anjian {

// The levels of q an enterprise weighs each month: a handful keeps the choice O(1) per enterprise.
inline constexpr std::array<double, 9> kQualityLevels = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
inline constexpr std::size_t kLevels = kQualityLevels.size();
// Floor on the removal rate of hazards, so that the expected stock stays finite when neither
// the enterprise nor inspectors remove any (it then grows for centuries: cost is prohibitive).
inline constexpr double kMinRemovalRate = 1e-3;  // 1/year

// The yearly cost of running at quality q, per unit of size factor: every term grows with size,
// the accidents' hazard term with its square (more hazards, each in a bigger workforce). With
// the hazards' steady stock h(q) = arrival (1 - q) / max(removal(q) + rectification, floor)
// (hazards.cpp's rates plus rectification orders), the cost is
//   compliance(q) - culture q + h(q) (fines + accident losses per hazard)
//     + (1 - m q) (losses of the accidents without hazards),
// the last the accident law's management term (accidents.hpp), which is what `level_cost` computes from a level's terms (the same for every enterprise) and an
// enterprise's terms. T is double or float for one enterprise, or a vector of lanes for several at once.
template <class T>
struct LevelTerms {
  T quality;
  T not_quality;  // 1 - q: hazards arise at the sector's rate times this
  T removal;      // own removal rate, 1/year per hazard (hazards.cpp)
  T compliance;   // yuan/year per unit of size factor
  T management;   // 1 - m q: share of the accident risk without hazards left (accidents.hpp)
};

template <class T>
struct EnterpriseTerms {
  T rectification;   // removal rate by rectification orders, 1/year per hazard
  T hazard_cost;     // yuan/year per unit of size factor and of (1 - q) / removal rate
  T base_cost;       // yuan/year per unit of size factor: accidents without hazards at q=0 x their loss
  T safety_culture;  // yuan/year per unit of q
};

// x as a T: itself, or in every lane.
template <class T>
[[gnu::always_inline]] inline T splat(double x) {
  if constexpr (std::is_same_v<T, double>) {
    return x;
  } else {
    return T{} + static_cast<float>(x);
  }
}

template <class T>
[[gnu::always_inline]] inline T steady_hazards_per_arrival(const LevelTerms<T>& level,
                                                           const EnterpriseTerms<T>& f) {
  const T rate = level.removal + f.rectification;
  const T floor = splat<T>(kMinRemovalRate);
  return level.not_quality / (rate < floor ? floor : rate);  // std::max, also lane-wise
}

template <class T>
[[gnu::always_inline]] inline T level_cost(const LevelTerms<T>& level, const EnterpriseTerms<T>& f) {
  return level.compliance - f.safety_culture * level.quality +
         f.hazard_cost * steady_hazards_per_arrival(level, f) + f.base_cost * level.management;
}

// A level's terms in single precision: in every lane of V, or in a float.
template <class V>
[[gnu::always_inline]] inline LevelTerms<V> in_lanes(const LevelTerms<double>& level) {
  return {splat<V>(level.quality), splat<V>(level.not_quality), splat<V>(level.removal),
          splat<V>(level.compliance), splat<V>(level.management)};
}

using Levels = std::array<LevelTerms<double>, kLevels>;

// Enterprises a decision's uniforms and padding come in (the wider vector of the kernel).
inline constexpr std::size_t kLanes = 8;

// A month's decisions over a block of enterprises, stage by stage: first the learning and each
// enterprise's terms (scalar, double), then the levels' costs, weights and logit choice in lanes.
struct DecisionBlock {
  std::array<float, kBlockSize> rectification, hazard_cost, base_cost, safety_culture, uniform;
  std::array<std::int32_t, kBlockSize> level;  // index in kQualityLevels
};

// Logit choice among the levels for the first `count` enterprises of the block (a multiple of
// kLanes): weights exp(-(cost - cheapest cost) / noise), the noise scaling with size like every
// cost term, and the level where the enterprise's uniform falls among the weights' running sums.
// choose_levels picks the widest lanes the processor has; the two below are each, for tests.
void choose_levels(const Levels& levels, float inverse_noise, DecisionBlock& block, std::size_t count);
void choose_levels_quads(const Levels& levels, float inverse_noise, DecisionBlock& block, std::size_t count);
#if defined(__x86_64__)
void choose_levels_avx2(const Levels& levels, float inverse_noise, DecisionBlock& block, std::size_t count);
#endif

}  // namespace anjian
