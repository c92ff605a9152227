#include "model/metrics.hpp"

namespace anjian {

const MetricInfo& metric_info(Metric metric) {
  static constexpr MetricInfo infos[] = {
#define ANJIAN_METRIC(name, unit, meaning) {#name, unit, meaning},
#include "model/metrics.def"
#undef ANJIAN_METRIC
  };
  return infos[static_cast<int>(metric)];
}

}  // namespace anjian
