#pragma once
// Reads a result file written by write_results back into memory: provenance, the series and
// the accident events. docs/results-format.md describes the layout.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/step_context.hpp"

namespace anjian {

struct ResultsFile {
  // /meta
  std::string program;  // always "anjian"
  std::int64_t format_version = 0;
  std::string version;
  std::string git_commit;
  std::string scenario_name;
  std::string scenario_path;
  std::string scenario_yaml;
  std::int64_t seed = 0;
  std::int64_t replicates = 0;
  std::int64_t step_days = 0;
  std::int64_t steps = 0;
  std::string time_unit;
  std::map<std::string, std::string> units;  // metric -> unit, from /meta/units

  // /series
  std::vector<std::int64_t> step_end_day;             // [steps]
  std::map<std::string, std::vector<double>> series;  // metric -> [replicates x steps], row-major

  // /events/accidents; empty unless has_accident_events
  bool has_accident_events = false;
  std::vector<AccidentEvent> accidents;
  std::vector<std::uint32_t> accident_replicate;  // parallel to accidents

  bool has_agents = false;  // /agents is present (read it with io/hdf5_util.hpp if needed)

  // The value of `metric` in one replicate at one step; throws std::out_of_range if absent.
  double value(const std::string& metric, std::size_t replicate, std::size_t step) const;
};

// Throws IoError with a message for people if the file is missing, is not HDF5, is not an
// anjian result file, comes from a newer format, or is damaged.
ResultsFile read_results(const std::string& path);

}  // namespace anjian
