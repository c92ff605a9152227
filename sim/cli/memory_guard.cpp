#include "cli/memory_guard.hpp"

#include <filesystem>
#include <iostream>

namespace anjian::cli {

namespace {

// Above this a result file is worth a warning even when the disk has room: it takes minutes to
// copy and as much memory to open whole.
constexpr double kLargeFileBytes = 2.0 * (1 << 30);

std::string reductions(const MemoryEstimate& e) {
  std::string advice = "fewer replicates (--replicates; every replicate's world is kept to the end) or "
                       "fewer enterprises (--set enterprises.count=...)";
  if (e.file_bytes * 2 > e.world_bytes)
    advice += ", a smaller result file (--set output.agents=false, --set output.accident_events=false, "
              "fewer --years)";
  return advice;
}

void warn_about_file(const MemoryEstimate& e, const std::string& output) {
  std::error_code error;
  const std::filesystem::space_info space =
      std::filesystem::space(std::filesystem::absolute(output).parent_path(), error);
  const bool no_room = !error && static_cast<double>(space.available) < e.file_bytes;
  if (!no_room && e.file_bytes < kLargeFileBytes) return;
  std::cerr << "anjian: warning: the result file " << output << " will be about " << format_bytes(e.file_bytes)
            << (no_room ? " but its disk has only " + format_bytes(static_cast<double>(space.available)) + " free"
                        : std::string())
            << "; --set output.agents=false, --set output.accident_events=false, fewer --replicates or --years, "
               "or a longer time.step_days make it smaller\n";
}

// Throws if the estimate is above the cap; see guard_memory.
void check_fits(const MemoryEstimate& e, double limit_mib) {
  if (limit_mib == kNoMemoryLimit) return;
  double cap = limit_mib * (1 << 20);
  std::string cap_text = "the --memory-limit of " + format_bytes(cap);
  if (limit_mib == kMachineMemoryLimit) {
    const std::optional<double> available = available_memory_bytes();
    if (!available) return;  // nothing to compare with (not Linux): run as before
    cap = *available;
    cap_text = "the " + format_bytes(cap) + " this machine has available (MemAvailable, or the cgroup's limit)";
  }
  if (e.total_bytes <= cap) return;
  throw ScenarioError("this run would take about " + format_bytes(e.total_bytes) + " of memory (worlds " +
                      format_bytes(e.world_bytes) + ", recorded results " + format_bytes(e.recorded_bytes) +
                      ", result file " + format_bytes(e.file_bytes) + " assembled in memory), more than " + cap_text +
                      "; nothing was run. Reduce it with " + reductions(e) +
                      ", or raise the cap on purpose with --memory-limit MIB (0 = do not check)");
}

}  // namespace

void add_memory_limit_option(CLI::App& cmd, double& limit_mib) {
  cmd.add_option("--memory-limit", limit_mib,
                 "memory a run may take, MiB (default: what the machine has available now; 0 = do not check). "
                 "A run estimated above it is refused before it starts")
      ->check(CLI::Range(0.0, 1e12));
}

MemoryEstimate guard_memory(const std::vector<EnsembleSpec>& specs, int threads, double limit_mib,
                            const std::string& output) {
  const MemoryEstimate e = estimate_memory(specs, threads);
  check_fits(e, limit_mib);
  warn_about_file(e, output);
  return e;
}

}  // namespace anjian::cli
