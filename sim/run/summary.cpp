#include "run/summary.hpp"

#include <cmath>
#include <cstdio>

namespace anjian {

std::vector<YearRow> yearly_means(const EnsembleResult& result) {
  std::vector<YearRow> rows;
  if (result.replicates.empty()) return rows;
  const auto& days = result.step_end_day;
  const double n = static_cast<double>(result.replicates.size());
  const std::int64_t burn_in_days = result.params.burn_in_step_count() * result.params.time.step_days;
  for (std::size_t t = 0; t < days.size(); ++t) {
    // Recorded years count from 1 after the burn-in; days[t] is the calendar day (burn-in included).
    const int year = static_cast<int>((days[t] - burn_in_days - 1) / 365) + 1;
    if (rows.empty() || rows.back().year != year) rows.push_back(YearRow{year});
    YearRow& row = rows.back();
    row.days += static_cast<double>(result.params.time.step_days);
    for (const auto& rep : result.replicates) {
      auto at = [&](Metric m) { return rep.series[static_cast<int>(m)][t] / n; };
      row.accidents_true += at(Metric::accidents_true);
      row.accidents_reported += at(Metric::accidents_reported);
      row.deaths_true += at(Metric::deaths_true);
      row.deaths_reported += at(Metric::deaths_reported);
      row.injuries_true += at(Metric::injuries_true);
      row.injuries_reported += at(Metric::injuries_reported);
      row.near_misses += at(Metric::accidents_near_miss);
      row.inspections += at(Metric::inspections);
      row.formal_inspections += at(Metric::inspections_formal);
      row.hazards_found += at(Metric::hazards_found);
    }
    row.latent_hazards_end = 0;
    row.workers = 0;
    for (const auto& rep : result.replicates) {
      row.latent_hazards_end += rep.series[static_cast<int>(Metric::latent_hazards)][t] / n;
      row.workers += rep.series[static_cast<int>(Metric::workers)][t] / n;
    }
  }
  return rows;
}

std::string format_summary(const EnsembleResult& result, const std::string& scenario_name) {
  const auto rows = yearly_means(result);
  std::string out;
  char line[256];
  const auto& p = result.params;
  std::snprintf(line, sizeof line,
                "%s: %lld enterprises, %zu inspection posts, %.0f workers; mean of %lld replicate(s), seed %lld\n",
                scenario_name.c_str(), static_cast<long long>(result.replicates.front().final_world.enterprises.size()),
                result.replicates.front().final_world.inspectors.size(), rows.empty() ? 0.0 : rows.front().workers,
                static_cast<long long>(p.run.replicates), static_cast<long long>(p.run.seed));
  out += line;
  if (p.time.burn_in_years > 0) {
    std::snprintf(line, sizeof line, "(the first %.4g year(s) were a burn-in: simulated, not recorded)\n",
                  p.time.burn_in_years);
    out += line;
  }
  out += "year  accidents (true/reported)  deaths (true/reported)  deaths/100k workers  injuries (true/reported)  inspections  formal %  hazards found  latent hazards\n";
  YearRow total;
  for (const auto& r : rows) {
    std::snprintf(line, sizeof line, "%4d  %12.1f / %-10.1f  %9.2f / %-10.2f  %19.2f  %11.1f / %-10.1f  %11.0f  %8.1f  %13.0f  %14.0f%s\n",
                  r.year, r.accidents_true, r.accidents_reported, r.deaths_true, r.deaths_reported,
                  r.deaths_per_100k_workers(), r.injuries_true, r.injuries_reported, r.inspections,
                  r.inspections > 0 ? 100.0 * r.formal_inspections / r.inspections : 0.0,
                  r.hazards_found, r.latent_hazards_end, r.days < 365 ? "  (partial year)" : "");
    out += line;
    total.accidents_true += r.accidents_true;
    total.accidents_reported += r.accidents_reported;
    total.deaths_true += r.deaths_true;
    total.deaths_reported += r.deaths_reported;
    total.near_misses += r.near_misses;
    total.days += r.days;
  }
  if (total.days > 0) {
    const double per_year = 365.0 / total.days;
    std::snprintf(line, sizeof line,
                  "per year: %.1f true accidents with injury or death (%.1f reported), %.2f true deaths "
                  "(%.2f reported), %.0f near-misses\n",
                  total.accidents_true * per_year, total.accidents_reported * per_year,
                  total.deaths_true * per_year, total.deaths_reported * per_year, total.near_misses * per_year);
    out += line;
  }
  return out;
}

}  // namespace anjian
