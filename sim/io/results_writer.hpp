#pragma once
// Writes an ensemble's results to one HDF5 file laid out as docs/results-format.md specifies:
// /meta (provenance and units), /series (metric x replicate x step), /events/accidents and
// /agents (final state), the last two only when the scenario's output switches ask for them.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/hdf5_util.hpp"
#include "run/simulation.hpp"

namespace anjian {

// Version of the layout in docs/results-format.md; raised when a reader would misread a file.
inline constexpr std::int64_t kResultsFormatVersion = 1;

struct RunMeta {
  std::string scenario_name;
  std::string scenario_path;
  std::string scenario_yaml;  // fully resolved scenario text
  const NetworkSpec* network = nullptr;  // the GraphML county it ran on, if any: kept in /meta, labels in /agents
};

// Writes `result` to `path`. The file is written to `<path>.tmp-<pid>` beside it and renamed
// when complete, so `path` holds either its old content or the whole new file; the same inputs
// give byte-identical files. Throws IoError (nothing left behind) if the directory of `path`
// does not exist or writing fails, std::invalid_argument if `result` is inconsistent.
void write_results(const std::string& path, const EnsembleResult& result, const RunMeta& meta);

// The layout of one ensemble (meta, series, series_by and, as the output switches ask, events,
// agents and network) inside `group`: a result file's root, or one scenario of a comparison file.
// Throws std::invalid_argument if `result` is inconsistent.
void write_ensemble(const h5::Group& group, const EnsembleResult& result, const RunMeta& meta);

// Builds an HDF5 file in memory with `fill(root)` and publishes it at `path` as write_results
// does: atomically, byte-identical for identical content, nothing left behind on failure.
void write_hdf5_file(const std::string& path, const std::function<void(const h5::Group& root)>& fill);

// The bytes of an HDF5 file built in memory with `fill(root)`, as write_hdf5_file would write them,
// without touching the disk: the Python package reads in-memory runs through the same reader as
// files. `display_name` names the file in error messages.
std::vector<char> hdf5_image(const std::string& display_name, const std::function<void(const h5::Group& root)>& fill);

}  // namespace anjian
