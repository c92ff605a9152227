// The monthly enterprise decisions' logit choice in vector lanes (enterprise_decisions_kernel.hpp).

// Vectors of lanes (below) are passed only between functions inlined into choose_levels_avx2 or
// choose_levels_quads, never in a call between code built for different instruction sets, which is
// what this warning is about.
#pragma GCC diagnostic ignored "-Wpsabi"

#include "model/enterprise_decisions_kernel.hpp"

#include <cstring>
#include <limits>

#include "core/vector_exp.hpp"

namespace anjian {

namespace {

// The levels' costs, weights and logit choice run over several enterprises at once, one in each
// lane of a vector of floats (GCC/Clang vector extensions): four lanes in an SSE2 register on
// baseline x86-64, eight in an AVX2 register where the processor has it. The same
// single-precision operations lane by lane either way, so the same numbers. Single precision is
// ample: its rounding, 6e-8 of a cost, is well under a yuan for costs up to a million yuan a
// year, against a logit noise of thousands (enterprises.decision_noise, 5,000 yuan a year by
// default).
using Octet = FloatLanes<8>::type;

template <class V>
[[gnu::always_inline]] inline V load(const float* from) {
  V v;
  std::memcpy(&v, from, sizeof v);
  return v;
}

// Logit choice among the levels for the first `count` enterprises of the block (a multiple of
// kLanes): weights exp(-(cost - cheapest cost) / noise), the noise scaling with size like every
// cost term, and the level where the enterprise's uniform falls among the weights' running sums.
// V is FloatQuad or
// Octet: the caller is compiled for the instruction set that has it.
template <class V>
[[gnu::always_inline]] inline void choose_levels_in(const Levels& levels, float inverse_noise,
                                                    DecisionBlock& block, std::size_t count) {
  using Ints = typename IntLanesOf<V>::type;
  std::array<LevelTerms<V>, kLevels> level;
  for (std::size_t k = 0; k < kLevels; ++k) level[k] = in_lanes<V>(levels[k]);
  for (std::size_t first = 0; first < count; first += sizeof(V) / sizeof(float)) {
    const EnterpriseTerms<V> f{load<V>(&block.rectification[first]), load<V>(&block.hazard_cost[first]),
                               load<V>(&block.base_cost[first]), load<V>(&block.safety_culture[first])};
    std::array<V, kLevels> cost;
    V cheapest = V{} + std::numeric_limits<float>::infinity();
    for (std::size_t k = 0; k < kLevels; ++k) {
      cost[k] = level_cost(level[k], f);
      cheapest = cost[k] < cheapest ? cost[k] : cheapest;
    }
    // Running sums of the weights; the last is their total.
    std::array<V, kLevels> running;
    V total{};
    for (std::size_t k = 0; k < kLevels; ++k) {
      total += exp_nonpositive((cheapest - cost[k]) * inverse_noise);
      running[k] = total;
    }
    // The chosen level is the number of running sums at or below u x total. Sums that already
    // equal the total (levels of weight 0 at the top) do not count, so a level of weight 0 is
    // never chosen, even where u x total rounds up to the total.
    const V u = load<V>(&block.uniform[first]) * total;
    Ints chosen{};
    for (std::size_t k = 0; k + 1 < kLevels; ++k) chosen -= (running[k] <= u) & (running[k] < total);
    std::memcpy(&block.level[first], &chosen, sizeof chosen);
  }
}

}  // namespace

#if defined(__x86_64__)
[[gnu::target("avx2"), gnu::flatten]] void choose_levels_avx2(const Levels& levels, float inverse_noise,
                                                              DecisionBlock& block, std::size_t count) {
  choose_levels_in<Octet>(levels, inverse_noise, block, count);
}
#endif

// Four lanes: SSE2 on baseline x86-64 (NEON on 64-bit ARM).
[[gnu::flatten]] void choose_levels_quads(const Levels& levels, float inverse_noise, DecisionBlock& block,
                                          std::size_t count) {
  choose_levels_in<FloatQuad>(levels, inverse_noise, block, count);
}

void choose_levels(const Levels& levels, float inverse_noise, DecisionBlock& block, std::size_t count) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return choose_levels_avx2(levels, inverse_noise, block, count);
#endif
  choose_levels_quads(levels, inverse_noise, block, count);
}

}  // namespace anjian
