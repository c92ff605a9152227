#pragma once
// Metric identifiers and the per-step tally, generated from metrics.def.

#include <array>
#include <string_view>

namespace anjian {

enum class Metric : int {
#define ANJIAN_METRIC(name, unit, meaning) name,
#include "model/metrics.def"
#undef ANJIAN_METRIC
};

inline constexpr int kMetricCount = 0
#define ANJIAN_METRIC(name, unit, meaning) +1
#include "model/metrics.def"
#undef ANJIAN_METRIC
    ;

struct MetricInfo {
  std::string_view name;
  std::string_view unit;
  std::string_view meaning;
};
const MetricInfo& metric_info(Metric metric);
inline const MetricInfo& metric_info(int metric) { return metric_info(static_cast<Metric>(metric)); }

// Values of every metric for one step. Sums are exact in double up to 2^53.
struct Tally {
  std::array<double, kMetricCount> values{};
  double& operator[](Metric m) { return values[static_cast<int>(m)]; }
  double operator[](Metric m) const { return values[static_cast<int>(m)]; }
  Tally& operator+=(const Tally& other) {
    for (int i = 0; i < kMetricCount; ++i) values[i] += other.values[i];
    return *this;
  }
};

}  // namespace anjian
