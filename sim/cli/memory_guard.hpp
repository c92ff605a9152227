#pragma once
// Refuses a run that would not fit in memory before anything is built, and warns before a
// result file too large for its disk (run/memory_estimate.hpp has the figures).

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "run/memory_estimate.hpp"

namespace anjian::cli {

inline constexpr double kNoMemoryLimit = 0;       // --memory-limit 0: do not check
inline constexpr double kMachineMemoryLimit = -1;  // default: what the machine has available

// --memory-limit MIB on a subcommand.
void add_memory_limit_option(CLI::App& cmd, double& limit_mib);

// Throws ScenarioError (exit 2) naming the estimate, the cap and what to change if the run would
// take more than `limit_mib` (kMachineMemoryLimit: the machine's available memory); prints a
// warning on standard error if the result file will be large or larger than its disk's free
// space. Returns the estimate (for --stats).
MemoryEstimate guard_memory(const std::vector<EnsembleSpec>& specs, int threads, double limit_mib,
                            const std::string& output);

}  // namespace anjian::cli
