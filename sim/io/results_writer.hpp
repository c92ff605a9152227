#pragma once
// Writes an ensemble's results to one HDF5 file laid out as docs/results-format.md specifies:
// /meta (provenance and units), /series (metric x replicate x step), /events/accidents and
// /agents (final state), the last two only when the scenario's output switches ask for them.

#include <cstdint>
#include <string>
#include <vector>

#include "run/simulation.hpp"

namespace anjian {

// Version of the layout in docs/results-format.md; raised when a reader would misread a file.
inline constexpr std::int64_t kResultsFormatVersion = 1;

struct RunMeta {
  std::string scenario_name;
  std::string scenario_path;
  std::string scenario_yaml;  // fully resolved scenario text
};

// Writes `result` to `path`. The file is written to `<path>.tmp-<pid>` beside it and renamed
// when complete, so `path` holds either its old content or the whole new file; the same inputs
// give byte-identical files. Throws IoError (nothing left behind) if the directory of `path`
// does not exist or writing fails, std::invalid_argument if `result` is inconsistent.
void write_results(const std::string& path, const EnsembleResult& result, const RunMeta& meta);

// The bytes write_results would write, without touching the disk: the Python package reads
// results of an in-memory run through the same reader as a file. `display_name` names the
// image in error messages.
std::vector<char> results_image(const EnsembleResult& result, const RunMeta& meta, const std::string& display_name);

}  // namespace anjian
