#include "cli/common.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "scenario/file_paths.hpp"
#include "scenario/schedule.hpp"

namespace anjian::cli {

namespace fs = std::filesystem;

std::atomic<bool> g_interrupted{false};
namespace {
extern "C" void on_interrupt(int) { g_interrupted.store(true); }
}  // namespace
// SIGTERM too: a batch system or `kill` asks a run to stop the same way Ctrl-C does, and the run
// ends as cleanly (no result file, exit 130) instead of dying between two writes.
void install_interrupt_handler() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

void add_set_option(CLI::App& cmd, std::vector<std::string>& sets) {
  cmd.add_option("--set", sets,
                 "override one parameter, KEY=VALUE (repeatable), e.g. --set inspectors.skill_mean=0.6")
      ->expected(1)
      ->take_all();
}

Scenario load_with_overrides(const std::string& path, const std::vector<std::string>& sets) {
  Scenario scenario = load_scenario(path);
  for (const auto& assignment : sets) apply_assignment(scenario, assignment);
  return scenario;
}

void add_schedule_option(CLI::App& cmd, std::vector<std::string>& schedules) {
  cmd.add_option("--schedule", schedules,
                 "change one parameter at a date, WHEN:KEY=VALUE with WHEN year=N (recorded year, from 1 after the "
                 "burn-in) or day=N (calendar day from 1, burn-in included, as /series/day counts); repeatable; e.g. "
                 "--schedule year=3:accountability.rule=due_diligence")
      ->expected(1)
      ->take_all();
}

void apply_schedules(Scenario& scenario, const std::vector<std::string>& schedules) {
  for (const auto& text : schedules) add_scheduled_change(scenario.params, text, "--schedule " + text);
  if (!schedules.empty()) validate_params(scenario.params);
}

void add_override_options(CLI::App& cmd, RunOverrides& overrides, const std::string& whose) {
  cmd.add_option("-r,--replicates", overrides.replicates, "replicates (default: " + whose + " run.replicates)")
      ->check(CLI::Range(1, 100000));
  cmd.add_option("--years", overrides.years, "recorded years (default: " + whose + " time.years)")
      ->check(CLI::Range(0.003, 200.0));
  cmd.add_option("--burn-in", overrides.burn_in_years,
                 "years simulated before recording (default: " + whose + " time.burn_in_years)")
      ->check(CLI::Range(0.0, 200.0));
  cmd.add_option("--seed", overrides.seed, "base seed (default: " + whose + " run.seed)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{9007199254740991}));
}

void apply_overrides(Scenario& scenario, const RunOverrides& overrides) {
  const auto years = [](double y) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", y);
    return std::string(text);
  };
  if (overrides.replicates > 0) apply_assignment(scenario, "run.replicates=" + std::to_string(overrides.replicates));
  if (overrides.seed >= 0) apply_assignment(scenario, "run.seed=" + std::to_string(overrides.seed));
  if (overrides.years > 0) apply_assignment(scenario, "time.years=" + years(overrides.years));
  if (overrides.burn_in_years >= 0) apply_assignment(scenario, "time.burn_in_years=" + years(overrides.burn_in_years));
}

Progress::Progress(std::int64_t total, bool enabled) : total_(total) {
  if (enabled && isatty(STDERR_FILENO)) thread_ = std::thread([this] { loop(); });
}

Progress::~Progress() {
  done_.store(true);
  if (thread_.joinable()) thread_.join();
}

void Progress::loop() {
  const auto start = std::chrono::steady_clock::now();
  bool shown = false;
  while (!done_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed < 1.0) continue;
    const double fraction = total_ > 0 ? static_cast<double>(steps.load()) / static_cast<double>(total_) : 0.0;
    const int filled = static_cast<int>(fraction * 30);
    const double left = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
    std::fprintf(stderr, "\r[%.*s%.*s] %3.0f%%  %.1f s elapsed, about %.0f s left ", filled,
                 "##############################", 30 - filled, "------------------------------",
                 fraction * 100.0, elapsed, left);
    shown = true;
  }
  if (shown) std::fprintf(stderr, "\r%80s\r", "");
}

double peak_memory_mib() {
  // VmHWM is this program's own peak; ru_maxrss starts at the parent's size at fork and survives
  // exec, so under a large parent (pytest, a notebook) it reports the parent.
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    double kib = 0;
    if (line.rfind("VmHWM:", 0) == 0 && std::sscanf(line.c_str() + 6, "%lf", &kib) == 1) return kib / 1024.0;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void check_output_path(const std::string& path, const std::string& option) {
  std::error_code error;
  const fs::path dir = fs::absolute(path, error).parent_path();
  if (!is_directory_quietly(dir)) {
    throw ScenarioError(option + " " + path + ": directory " + dir.string() + " does not exist; create it first");
  }
  if (is_directory_quietly(path)) throw ScenarioError(option + " " + path + ": is a directory; give a file name");
  if (const std::string why = why_no_file(path); !why.empty() && why != kNoSuchFile) {
    throw ScenarioError(option + " " + path + ": " + why + "; give another file name");
  }
  note_leftovers(path);
}

// A writer killed between creating its temporary file and renaming it leaves <path>.tmp-<pid>.
// It never confuses a later run (each writes its own name), but it takes space; only the user
// can know that no other anjian, perhaps on another machine sharing the disk, is writing it.
void note_leftovers(const std::string& path) {
  const fs::path target = fs::absolute(path);
  const std::string prefix = target.filename().string() + ".tmp-";
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(target.parent_path(), error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && entry.is_regular_file(error)) {
      std::cerr << "anjian: note: " << entry.path().string()
                << " is left from an interrupted write; delete it unless another anjian is writing " << path << "\n";
    }
  }
}

void print_network_notes(const std::optional<NetworkSpec>& network) {
  if (!network) return;
  for (const auto& note : network->notes) std::cerr << "anjian: note: " << network->source << ": " << note << "\n";
}

}  // namespace anjian::cli
