#pragma once
// Writes a comparison (anjian compare) to one HDF5 file, laid out as docs/results-format.md
// ("Comparison files") specifies: /meta, /scenarios/<name> (each scenario as a result file lays
// out its root), /comparison/<outcome> (per-replicate values, means, paired and unpaired
// intervals) and /comparison/cost_effectiveness.

#include <string>
#include <vector>

#include "io/results_writer.hpp"
#include "run/compare.hpp"

namespace anjian {

struct ComparedScenario {
  const EnsembleResult* result;
  RunMeta meta;  // meta.scenario_name is the name used in the comparison
};

// Same guarantees as write_results: atomic, byte-identical for identical inputs, IoError if the
// directory does not exist or writing fails. `scenarios` are in comparison order (baseline first).
void write_comparison(const std::string& path, const Comparison& comparison,
                      const std::vector<ComparedScenario>& scenarios);

}  // namespace anjian
