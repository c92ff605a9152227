// exp(x) of several single-precision numbers x <= 0 at once, in vector registers (GCC/Clang
// vector extensions: four lanes are one baseline x86-64 SSE2 register; no -march flag needed).
// The monthly enterprise decisions weigh nine levels of q by exp(-cost difference / noise) for
// every enterprise; glibc's expf, one call per level, was a third of their instructions
// (docs/performance.md).
//
// Cody and Waite's reduction x = n ln 2 + r with |r| <= ln 2 / 2 and Cephes' degree-7 polynomial
// for e^r (Moshier, Cephes expf.c): within 2 ulp of the true value (tests/cpp/test_vector_exp.cpp).
// Arguments below -87 (results under 1.6e-38, no weight against the best level's 1) give 0.
// The same operations on any x86-64 machine, so the same numbers (glibc picks an expf by CPU).

#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace anjian {

// A vector of N single-precision lanes (alias templates would drop the attribute, hence the struct).
template <std::size_t N>
struct FloatLanes {
  typedef float type __attribute__((vector_size(4 * N)));
};
using FloatQuad = FloatLanes<4>::type;

// The vector of 32-bit integers as wide as the float vector F.
template <class F>
struct IntLanesOf {
  typedef std::int32_t type __attribute__((vector_size(sizeof(F))));
};

template <class F>
[[gnu::always_inline]] inline F exp_nonpositive(F x) {
  using I = typename IntLanesOf<F>::type;
  constexpr float kLowest = -87.0f;              // e^-87 is about 1.6e-38, still a normal float
  constexpr float kRoundingShift = 12582912.0f;  // 1.5 x 2^23: adding it rounds to an integer
  const F lowest = F{} + kLowest;
  const F clamped = x < kLowest ? lowest : x;
  const F n = (clamped * 1.44269504088896341f + kRoundingShift) - kRoundingShift;  // round(x / ln 2)
  // ln 2 in two parts, the first exact in a few bits, so that n x ln 2 loses nothing.
  const F r = (clamped - n * 0.693359375f) - n * -2.12194440e-4f;
  F p = F{} + 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const F e_r = p * r * r + r + 1.0f;
  // 2^n from its bits: n is in [-126, 0], so the biased exponent n + 127 is in [1, 127].
  const I exponent = (__builtin_convertvector(n, I) + 127) << 23;
  F two_to_n;
  std::memcpy(&two_to_n, &exponent, sizeof two_to_n);
  const F result = e_r * two_to_n;
  return x < kLowest ? F{} : result;
}

}  // namespace anjian
