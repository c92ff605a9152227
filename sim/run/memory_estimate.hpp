#pragma once
// What a run will take before it starts: memory (agents, event calendar, replicates in flight,
// kept results, the result file assembled in memory) and the size of the result file, so that
// the program can refuse a run that would exhaust the machine instead of being killed by the
// kernel halfway. The figures are calibrated against measured peaks (docs/reliability.md).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "run/simulation.hpp"

namespace anjian {

struct MemoryEstimate {
  double world_bytes = 0;     // every replicate's world (agents and calendar), kept to the end
  double working_bytes = 0;   // what only the replicates in flight hold (accidents seen, lists)
  double recorded_bytes = 0;  // series, monthly tallies and the accident and inspection lists of every replicate
  double file_bytes = 0;      // the result file, assembled in memory before it is written
  double total_bytes = 0;     // the estimated peak of the whole process
};

// `threads` as RunOptions::threads (0 = all cores): it bounds the replicates in flight.
MemoryEstimate estimate_memory(const std::vector<EnsembleSpec>& specs, int threads);

// Bytes this process may still take: the smaller of the kernel's MemAvailable and the room left
// under a cgroup (v2) memory limit; nullopt if neither can be read.
std::optional<double> available_memory_bytes();

// "1.2 GiB", "350 MiB": binary units, three significant digits.
std::string format_bytes(double bytes);

}  // namespace anjian
