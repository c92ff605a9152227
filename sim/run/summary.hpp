#pragma once
// A short, readable account of an ensemble: yearly means over replicates of the headline
// metrics, with units, for the terminal.

#include <string>
#include <vector>

#include "run/simulation.hpp"

namespace anjian {

struct YearRow {
  int year = 0;            // 1-based simulated year
  double days = 0;         // days covered (the last year may be partial)
  double accidents_true = 0, accidents_reported = 0;
  double deaths_true = 0, deaths_reported = 0;
  double injuries_true = 0, injuries_reported = 0;
  double near_misses = 0, inspections = 0, formal_inspections = 0, hazards_found = 0;
  double latent_hazards_end = 0;
  double workers = 0;
  double deaths_per_100k_workers() const { return workers > 0 ? deaths_true / workers * 1e5 : 0.0; }
};

// Means over replicates, one row per simulated year.
std::vector<YearRow> yearly_means(const EnsembleResult& result);
std::string format_summary(const EnsembleResult& result, const std::string& scenario_name);

}  // namespace anjian
