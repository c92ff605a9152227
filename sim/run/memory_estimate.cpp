#include "run/memory_estimate.hpp"

#include <tbb/info.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <type_traits>

#include "model/group_metrics.hpp"
#include "model/metrics.hpp"
#include "model/network.hpp"

namespace anjian {

namespace {

// ---- Calibration (docs/reliability.md: measured peaks of scenarios/scale and the county) -----

// The program, its libraries and the thread pool before any world exists.
constexpr double kBaseBytes = 30.0 * (1 << 20);
// What an enterprise costs beyond its columns and its clock: department target lists, the
// calendar's ring of days, the bits of Marks, registration lists (fitted to the measured peaks).
constexpr double kEnterpriseExtraBytes = 48;
// Accidents and near-misses per enterprise-year in the county baseline's mechanisms (a province's
// ten years: 4.4 million), and what each costs in memory (AccidentEvent) and in the file (a row
// of /events/accidents).
constexpr double kAccidentsPerEnterpriseYear = 0.5;
constexpr double kAccidentEventBytes = sizeof(AccidentEvent);
constexpr double kAccidentRowBytes = 33;
// Inspections per filled post and recorded year (county baseline: about 5,000 a year from 36
// posts; a post's time allows up to about 190), and what each costs in memory (InspectionEvent)
// and in the file (a row of /events/inspections: the replicate and the columns of
// inspection_event_columns.def).
constexpr double kInspectionsPerPostYear = 190;
constexpr double kInspectionEventBytes = sizeof(InspectionEvent);
constexpr double kInspectionRowBytes = 4 + 0
#define ANJIAN_INSPECTION_COLUMN(type, name, unit, codes, description) +sizeof(type)
#include "model/inspection_event_columns.def"
#undef ANJIAN_INSPECTION_COLUMN
    ;
// A vector grown by doubling holds up to twice what it keeps; on average about 1.5 times.
constexpr double kGrowthSlack = 1.5;
// The file is assembled in HDF5's memory buffer and copied out once: two images at the peak.
constexpr double kFileCopies = 2;
// GraphML text per vertex and per edge (about two edges per enterprise).
constexpr double kGraphmlVertexBytes = 120, kGraphmlEdgeBytes = 100;
constexpr double kHugePage = 2.0 * (1 << 20);

// Columns of 2 MiB or more sit on whole 2 MiB pages (core/huge_pages.hpp).
double column_bytes(double rows, std::size_t element) {
  const double bytes = rows * static_cast<double>(element);
  return bytes >= kHugePage ? std::ceil(bytes / kHugePage) * kHugePage : bytes;
}

template <class Table>
double table_bytes(double rows, bool saved_only = false) {
  double bytes = 0;
  Table::for_each_column([&](auto column, const char*, bool saved, auto&&...) {
    using Column = std::remove_reference_t<decltype(std::declval<Table&>().*column)>;
    if (!saved_only || saved) bytes += column_bytes(rows, sizeof(typename Column::value_type));
  });
  return bytes;
}

struct Counts {
  double enterprises = 0, inspectors = 0, departments = 0, townships = 0;
};

Counts counts_of(const EnsembleSpec& spec) {
  const Params& p = spec.params;
  Counts c;
  if (spec.network) {
    c.enterprises = static_cast<double>(spec.network->enterprises.size());
    c.townships = static_cast<double>(spec.network->township_growth_priority.size());
    c.departments = static_cast<double>(spec.network->departments.size());
    for (const auto& d : spec.network->departments) c.inspectors += d.staff;
  } else {
    const auto& d = p.departments;
    c.enterprises = static_cast<double>(p.enterprises.count);
    c.townships = static_cast<double>(p.county.townships);
    c.departments = kCountyDepartmentKinds + c.townships;
    c.inspectors = static_cast<double>(d.emergency_management_staff + d.construction_staff +
                                       d.natural_resources_staff + d.market_supervision_staff) +
                   c.townships * static_cast<double>(p.townships.office_staff);
  }
  return c;
}

double world_bytes(const Counts& c) {
  return table_bytes<Enterprises>(c.enterprises) + column_bytes(c.enterprises, sizeof(EventClock)) +
         c.enterprises * kEnterpriseExtraBytes + table_bytes<Inspectors>(c.inspectors) +
         table_bytes<Departments>(c.departments) + table_bytes<Townships>(c.townships);
}

double months_of(const Params& p) { return std::ceil(static_cast<double>(p.step_count() * p.time.step_days) / 28.0); }

// One replicate's /series and /series_by values (also what it keeps in memory for them).
double series_bytes(const Params& p, const Counts& c) {
  const double groups = c.townships + kSectorCount + c.departments + 1;
  return 8.0 * (kMetricCount * static_cast<double>(p.step_count()) + groups * kGroupMetricCount * months_of(p));
}

double accidents_of(const Params& p, const Counts& c) {
  const double years = static_cast<double>((p.burn_in_step_count() + p.step_count()) * p.time.step_days) / 365.0;
  return c.enterprises * years * kAccidentsPerEnterpriseYear;
}

// Recorded inspections of one replicate (output.inspection_events keeps none of the burn-in).
double inspections_of(const Params& p, const Counts& c) {
  const double years = static_cast<double>(p.step_count() * p.time.step_days) / 365.0;
  return c.inspectors * years * kInspectionsPerPostYear;
}

double file_bytes_of(const Params& p, const Counts& c) {
  const double replicates = static_cast<double>(p.run.replicates);
  double bytes = replicates * series_bytes(p, c);
  if (p.output.accident_events) bytes += replicates * accidents_of(p, c) * kAccidentRowBytes;
  if (p.output.inspection_events) bytes += replicates * inspections_of(p, c) * kInspectionRowBytes;
  if (p.output.agents) {
    bytes += replicates * (table_bytes<Enterprises>(c.enterprises, true) + table_bytes<Inspectors>(c.inspectors, true) +
                           table_bytes<Departments>(c.departments, true) + table_bytes<Townships>(c.townships, true));
  }
  if (p.output.network) {
    bytes += (c.enterprises + c.inspectors + c.departments + c.townships) * kGraphmlVertexBytes +
             2 * c.enterprises * kGraphmlEdgeBytes;
  }
  return bytes;
}

// The first number on the line of /proc/meminfo that starts with `key`, in bytes.
std::optional<double> meminfo_bytes(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::istringstream fields(line.substr(key.size() + 1));
    double kib = 0;
    if (fields >> kib) return kib * 1024;
  }
  return std::nullopt;
}

// A number in a cgroup v2 file of this process's cgroup ("max" or unreadable: nullopt).
std::optional<double> cgroup_bytes(const std::string& file) {
  std::ifstream self("/proc/self/cgroup");
  std::string line, path;
  while (std::getline(self, line)) {
    if (line.rfind("0::", 0) == 0) path = line.substr(3);
  }
  if (path.empty()) return std::nullopt;
  std::ifstream in("/sys/fs/cgroup" + path + "/" + file);
  double value = 0;
  if (in >> value) return value;
  return std::nullopt;
}

}  // namespace

MemoryEstimate estimate_memory(const std::vector<EnsembleSpec>& specs, int threads) {
  MemoryEstimate e;
  double jobs = 0, largest_working = 0;
  for (const auto& spec : specs) {
    const Params& p = spec.params;
    const Counts c = counts_of(spec);
    const double replicates = static_cast<double>(p.run.replicates);
    jobs += replicates;
    e.world_bytes += replicates * world_bytes(c);
    const double accident_bytes = accidents_of(p, c) * kAccidentEventBytes * kGrowthSlack;
    const double inspection_bytes = inspections_of(p, c) * kInspectionEventBytes * kGrowthSlack;
    e.recorded_bytes += replicates * (series_bytes(p, c) + (p.output.accident_events ? accident_bytes : 0) +
                                      (p.output.inspection_events ? inspection_bytes : 0));
    // Without an accident list, a replicate forgets the accidents each step: only its lists of
    // planned visits and changed enterprises remain, a few bytes per enterprise.
    largest_working = std::max(largest_working, p.output.accident_events ? 0.0 : 8 * c.enterprises);
    e.file_bytes += file_bytes_of(p, c);
  }
  const double workers = threads > 0 ? threads : tbb::info::default_concurrency();
  e.working_bytes = std::min(jobs, workers) * largest_working;
  e.total_bytes = kBaseBytes + e.world_bytes + e.working_bytes + e.recorded_bytes + kFileCopies * e.file_bytes;
  return e;
}

std::optional<double> available_memory_bytes() {
  std::optional<double> available = meminfo_bytes("MemAvailable");
  const std::optional<double> limit = cgroup_bytes("memory.max");
  if (limit) {
    const double room = *limit - cgroup_bytes("memory.current").value_or(0);
    available = available ? std::min(*available, room) : room;
  }
  return available;
}

std::string format_bytes(double bytes) {
  static const char* const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 5) {
    bytes /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, bytes >= 100 || unit == 0 ? "%.0f %s" : "%.3g %s", bytes, units[unit]);
  return text;
}

}  // namespace anjian
