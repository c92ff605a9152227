// exp_nonpositive, the monthly decisions' vectorised exponential (sim/core/vector_exp.hpp).

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/vector_exp.hpp"

namespace anjian {
namespace {

float lane0(FloatQuad v) { return v[0]; }

TEST(VectorExp, WithinTwoUlpOfTheTrueValueOverTheWholeRange) {
  double worst_ulp = 0;
  for (float x = 0.0f; x >= -87.0f; x -= 0.001953125f) {  // 44,545 arguments, 2^-9 apart
    const FloatQuad quad = exp_nonpositive(FloatQuad{x, x / 2, x / 3, x / 5});
    for (int lane = 0; lane < 4; ++lane) {
      const float arg = lane == 0 ? x : x / static_cast<float>(lane == 1 ? 2 : lane == 2 ? 3 : 5);
      const double exact = std::exp(static_cast<double>(arg));
      const double ulp = std::nextafter(static_cast<float>(exact), 2.0f) - static_cast<float>(exact);
      worst_ulp = std::max(worst_ulp, std::abs(quad[lane] - exact) / ulp);
    }
  }
  EXPECT_LE(worst_ulp, 2.0);
}

TEST(VectorExp, ZeroGivesOneExactlyAndTheFarTailGivesZero) {
  EXPECT_EQ(lane0(exp_nonpositive(FloatQuad{0.0f, 0, 0, 0})), 1.0f);
  EXPECT_EQ(lane0(exp_nonpositive(FloatQuad{-87.5f, 0, 0, 0})), 0.0f);
  EXPECT_EQ(lane0(exp_nonpositive(FloatQuad{-1000.0f, 0, 0, 0})), 0.0f);
  EXPECT_EQ(lane0(exp_nonpositive(FloatQuad{-std::numeric_limits<float>::infinity(), 0, 0, 0})), 0.0f);
  EXPECT_GT(lane0(exp_nonpositive(FloatQuad{-87.0f, 0, 0, 0})), 0.0f);
}

}  // namespace
}  // namespace anjian
