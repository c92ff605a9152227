#include "model/group_metrics.hpp"

#include <cstdint>

#include "core/parallel.hpp"

namespace anjian {

const GroupMetricInfo& group_metric_info(int metric) {
  static constexpr GroupMetricInfo infos[] = {
#define ANJIAN_GROUP_METRIC(name, unit, meaning) {#name, unit, meaning},
#include "model/group_metrics.def"
#undef ANJIAN_GROUP_METRIC
  };
  return infos[metric];
}

std::string_view grouping_name(Grouping grouping) {
  switch (grouping) {
    case Grouping::township: return "township";
    case Grouping::sector: return "sector";
    case Grouping::department: return "department";
  }
  return "?";
}

void GroupTally::reset(const World& world) {
  const std::size_t sizes[kGroupingCount] = {world.townships.size(), static_cast<std::size_t>(kSectorCount),
                                             world.departments.size() + 1};
  for (int g = 0; g < kGroupingCount; ++g) {
    for (auto& column : values[g]) column.assign(sizes[g], 0.0);
  }
}

namespace {

// The group an accident counts for: its township, its sector or its responsible department (the
// last column when no department claims the enterprise).
std::size_t accident_group(const World& world, Grouping grouping, const AccidentEvent& event) {
  switch (grouping) {
    case Grouping::township:
      return event.township;
    case Grouping::sector:
      return event.sector;
    case Grouping::department: {
      const auto primary = world.enterprises.primary_department[event.enterprise];
      return primary == kNoDepartment ? world.departments.size() : primary;
    }
  }
  return 0;
}

// The group a visit counts for: the township and sector of the enterprise, or the inspecting
// department. (The visit's findings are not kept per visit.)
std::size_t visit_group(const World& world, Grouping grouping, const PlannedVisit& visit) {
  switch (grouping) {
    case Grouping::township:
      return visit.township;
    case Grouping::sector:
      return visit.sector;
    case Grouping::department:
      return world.inspectors.department[visit.inspector];
  }
  return 0;
}

// Adds this step's accidents and visits to one grouping's columns.
void observe_grouping(const World& world, const StepContext& ctx, Grouping grouping,
                      std::array<std::vector<double>, kGroupMetricCount>& values) {
  const auto add = [&](GroupMetric metric, std::size_t group, double amount) {
    values[static_cast<int>(metric)][group] += amount;
  };
  for (std::size_t a = ctx.step_accidents_begin; a < ctx.accidents.size(); ++a) {
    const auto& event = ctx.accidents[a];
    if (event.severity == Severity::NearMiss) continue;
    const std::size_t group = accident_group(world, grouping, event);
    add(GroupMetric::accidents_true, group, 1);
    add(GroupMetric::deaths_true, group, event.deaths);
    add(GroupMetric::injuries_true, group, event.injuries);
    if (event.reported) {
      add(GroupMetric::accidents_reported, group, 1);
      add(GroupMetric::deaths_reported, group, event.deaths);
    }
  }
  for (const auto& visit : ctx.visits) {
    const std::size_t group = visit_group(world, grouping, visit);
    add(GroupMetric::inspections, group, 1);
    if (!visit.substantive) add(GroupMetric::inspections_formal, group, 1);
    add(GroupMetric::hazards_found, group, visit.hazards_found);
  }
}

// Latent hazards by township, sector and department at the month's end, from a pass over every
// enterprise in blocks. Integer sums: exact in any order, so the same numbers as one pass.
void add_latent_hazards(GroupTally& month, const World& world) {
  const auto& e = world.enterprises;
  const std::size_t orphans = month.groups(Grouping::department) - 1;  // the last department column
  const int m = static_cast<int>(GroupMetric::latent_hazards);
  struct Sums {
    std::vector<std::int64_t> township, sector, department;
  };
  const Sums zero{std::vector<std::int64_t>(month.groups(Grouping::township)),
                  std::vector<std::int64_t>(month.groups(Grouping::sector)),
                  std::vector<std::int64_t>(month.groups(Grouping::department))};
  // Each partial holds a value per township, department and sector: large blocks, few partials.
  const Sums sums = reduce_blocks(
      e.size(), zero,
      [&](std::size_t, std::size_t begin, std::size_t end, Sums& s) {
        for (std::size_t i = begin; i < end; ++i) {
          s.township[e.township[i]] += e.hazards[i];
          s.sector[e.sector[i]] += e.hazards[i];
          s.department[e.primary_department[i] == kNoDepartment ? orphans : e.primary_department[i]] +=
              e.hazards[i];
        }
      },
      [](Sums& total, const Sums& part) {
        for (std::size_t g = 0; g < total.township.size(); ++g) total.township[g] += part.township[g];
        for (std::size_t g = 0; g < total.sector.size(); ++g) total.sector[g] += part.sector[g];
        for (std::size_t g = 0; g < total.department.size(); ++g) total.department[g] += part.department[g];
      },
      kBlockSize * 64);
  const auto add = [&](Grouping grouping, const std::vector<std::int64_t>& values) {
    auto& column = month.values[static_cast<int>(grouping)][m];
    for (std::size_t g = 0; g < values.size(); ++g) column[g] += static_cast<double>(values[g]);
  };
  add(Grouping::township, sums.township);
  add(Grouping::sector, sums.sector);
  add(Grouping::department, sums.department);
}

}  // namespace

void observe_groups(const World& world, const StepContext& ctx, GroupTally& month) {
  // The groupings' columns are apart: one task each, where a step has enough to share (a
  // county's few dozen visits are quicker on one thread). Every amount is a whole number, so the
  // sums are exact in any order.
  const auto observe = [&](std::size_t g) {
    observe_grouping(world, ctx, static_cast<Grouping>(g), month.values[g]);
  };
  constexpr std::size_t kParallelItems = 1024;
  if (ctx.visits.size() + ctx.accidents.size() - ctx.step_accidents_begin >= kParallelItems) {
    parallel_tasks(kGroupingCount, observe);
  } else {
    for (std::size_t g = 0; g < kGroupingCount; ++g) observe(g);
  }
  if (ctx.month_ends) add_latent_hazards(month, world);
}

}  // namespace anjian
