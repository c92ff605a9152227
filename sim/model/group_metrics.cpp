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

// Adds `amount` of a metric to the township, sector and responsible department of an accident.
void add_for_accident(GroupTally& month, const World& world, const AccidentEvent& event, GroupMetric metric,
                      double amount) {
  const auto primary = world.enterprises.primary_department[event.enterprise];
  const int m = static_cast<int>(metric);
  const auto department = primary == kNoDepartment ? world.departments.size() : primary;
  month.values[static_cast<int>(Grouping::township)][m][event.township] += amount;
  month.values[static_cast<int>(Grouping::sector)][m][event.sector] += amount;
  month.values[static_cast<int>(Grouping::department)][m][department] += amount;
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
  for (std::size_t a = ctx.step_accidents_begin; a < ctx.accidents.size(); ++a) {
    const auto& event = ctx.accidents[a];
    if (event.severity == Severity::NearMiss) continue;
    add_for_accident(month, world, event, GroupMetric::accidents_true, 1);
    add_for_accident(month, world, event, GroupMetric::deaths_true, event.deaths);
    add_for_accident(month, world, event, GroupMetric::injuries_true, event.injuries);
    if (event.reported) {
      add_for_accident(month, world, event, GroupMetric::accidents_reported, 1);
      add_for_accident(month, world, event, GroupMetric::deaths_reported, event.deaths);
    }
  }
  auto& by_department = month.values[static_cast<int>(Grouping::department)];
  for (const auto& visit : ctx.visits) {
    // The visit's findings are not kept per visit; the enterprise's township and sector get the
    // inspection, the inspecting department gets it too.
    const auto department = world.inspectors.department[visit.inspector];
    for (auto grouping : {Grouping::township, Grouping::sector}) {
      const auto group = grouping == Grouping::township ? visit.township : std::uint32_t{visit.sector};
      month.values[static_cast<int>(grouping)][static_cast<int>(GroupMetric::inspections)][group] += 1;
      if (!visit.substantive) {
        month.values[static_cast<int>(grouping)][static_cast<int>(GroupMetric::inspections_formal)][group] += 1;
      }
    }
    for (auto grouping : {Grouping::township, Grouping::sector}) {
      const auto group = grouping == Grouping::township ? visit.township : std::uint32_t{visit.sector};
      month.values[static_cast<int>(grouping)][static_cast<int>(GroupMetric::hazards_found)][group] += visit.hazards_found;
    }
    by_department[static_cast<int>(GroupMetric::hazards_found)][department] += visit.hazards_found;
    by_department[static_cast<int>(GroupMetric::inspections)][department] += 1;
    if (!visit.substantive) by_department[static_cast<int>(GroupMetric::inspections_formal)][department] += 1;
  }
  if (ctx.month_ends) add_latent_hazards(month, world);
}

}  // namespace anjian
