#pragma once
// Monthly metrics by township, sector and department (group_metrics.def): the flows of a month
// accumulate step by step; stocks are read at the month's end.

#include <array>
#include <string_view>
#include <vector>

#include "model/step_context.hpp"
#include "model/world.hpp"

namespace anjian {

enum class GroupMetric : int {
#define ANJIAN_GROUP_METRIC(name, unit, meaning) name,
#include "model/group_metrics.def"
#undef ANJIAN_GROUP_METRIC
};
inline constexpr int kGroupMetricCount = 0
#define ANJIAN_GROUP_METRIC(name, unit, meaning) +1
#include "model/group_metrics.def"
#undef ANJIAN_GROUP_METRIC
    ;
struct GroupMetricInfo {
  std::string_view name, unit, meaning;
};
const GroupMetricInfo& group_metric_info(int metric);

enum class Grouping : int { township, sector, department };
inline constexpr int kGroupingCount = 3;
std::string_view grouping_name(Grouping grouping);

// One month's values: values[grouping][metric][group]. Department groups have one extra
// column, the last, for enterprises no department is responsible for (orphans, blind spots).
struct GroupTally {
  std::array<std::array<std::vector<double>, kGroupMetricCount>, kGroupingCount> values;

  void reset(const World& world);
  std::size_t groups(Grouping g) const { return values[static_cast<int>(g)][0].size(); }
};

// Adds this step's accidents and visits to the month's flows; at the month's end, also its stocks.
void observe_groups(const World& world, const StepContext& ctx, GroupTally& month);

}  // namespace anjian
