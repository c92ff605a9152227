#pragma once
// What the `anjian` subcommands share: exit codes, scenario arguments, interruption, progress.

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "model/network.hpp"
#include "scenario/scenario.hpp"

namespace anjian::cli {

// Exit codes: 0 ok, 1 run or output failure, 2 bad input, 130 interrupted.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInterrupted = 130;

// Set by SIGINT or SIGTERM once install_interrupt_handler() has run; runs poll it and stop early.
extern std::atomic<bool> g_interrupted;
void install_interrupt_handler();

// --set KEY=VALUE (repeatable) on a subcommand.
void add_set_option(CLI::App& cmd, std::vector<std::string>& sets);
Scenario load_with_overrides(const std::string& path, const std::vector<std::string>& sets);
// --schedule WHEN:KEY=VALUE (repeatable): a dated change (docs/experiments.md, "Dated changes").
void add_schedule_option(CLI::App& cmd, std::vector<std::string>& schedules);
// Adds the --schedule changes to the scenario's own and checks them against the run; call it
// after --set and the run options, which may lengthen the run.
void apply_schedules(Scenario& scenario, const std::vector<std::string>& schedules);

// The run options `run` and `compare` share; each overrides one parameter when given.
struct RunOverrides {
  std::int64_t replicates = 0;  // 0 = run.replicates
  double years = 0;             // 0 = time.years
  double burn_in_years = -1;    // < 0 = time.burn_in_years
  std::int64_t seed = -1;       // < 0 = run.seed
};
// -r/--replicates, --years, --burn-in, --seed; `whose` names the default, e.g. "the scenario's".
void add_override_options(CLI::App& cmd, RunOverrides& overrides, const std::string& whose);
void apply_overrides(Scenario& scenario, const RunOverrides& overrides);

// Prints a progress bar on a terminal once a run has taken more than a second; silent otherwise.
class Progress {
 public:
  Progress(std::int64_t total, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  std::atomic<std::int64_t> steps{0};

 private:
  void loop();
  std::int64_t total_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// Fails before a long run, not after it: the file's directory must exist and the path must not be
// a directory. `option` names the flag in the message (e.g. "-o").
void check_output_path(const std::string& path, const std::string& option);
// Names on standard error the temporary files that killed writers of `path` left behind.
void note_leftovers(const std::string& path);

double peak_memory_mib();

// Says on stderr what the GraphML reader added to a county (departments the file lacks).
void print_network_notes(const std::optional<NetworkSpec>& network);

}  // namespace anjian::cli
