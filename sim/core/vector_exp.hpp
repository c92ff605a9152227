// exp(x) of four single-precision numbers x <= 0 at once, in baseline x86-64 SSE2 registers
// (GCC/Clang vector extensions; no -march flag needed). The monthly enterprise decisions weigh
// nine levels of q by exp(-cost difference / noise) for every enterprise; glibc's expf, one call
// per level, was a third of their instructions (docs/performance.md).
//
// Cody and Waite's reduction x = n ln 2 + r with |r| <= ln 2 / 2 and Cephes' degree-7 polynomial
// for e^r (Moshier, Cephes expf.c): within 2 ulp of the true value (tests/cpp/test_vector_exp.cpp).
// Arguments below -87 (results under 1.6e-38, no weight against the best level's 1) give 0.
// The same operations on any x86-64 machine, so the same numbers (glibc picks an expf by CPU).

#pragma once

#include <cstdint>
#include <cstring>

namespace anjian {

using FloatQuad = float __attribute__((vector_size(16)));
using IntQuad = std::int32_t __attribute__((vector_size(16)));

inline FloatQuad exp_nonpositive(FloatQuad x) {
  constexpr float kLowest = -87.0f;              // e^-87 is about 1.6e-38, still a normal float
  constexpr float kRoundingShift = 12582912.0f;  // 1.5 x 2^23: adding it rounds to an integer
  const FloatQuad lowest = FloatQuad{} + kLowest;
  const FloatQuad clamped = x < kLowest ? lowest : x;
  const FloatQuad n = (clamped * 1.44269504088896341f + kRoundingShift) - kRoundingShift;  // round(x / ln 2)
  // ln 2 in two parts, the first exact in a few bits, so that n x ln 2 loses nothing.
  const FloatQuad r = (clamped - n * 0.693359375f) - n * -2.12194440e-4f;
  FloatQuad p = FloatQuad{} + 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const FloatQuad e_r = p * r * r + r + 1.0f;
  // 2^n from its bits: n is in [-126, 0], so the biased exponent n + 127 is in [1, 127].
  const IntQuad exponent = (__builtin_convertvector(n, IntQuad) + 127) << 23;
  FloatQuad two_to_n;
  std::memcpy(&two_to_n, &exponent, sizeof two_to_n);
  const FloatQuad result = e_r * two_to_n;
  return x < kLowest ? FloatQuad{} : result;
}

}  // namespace anjian
