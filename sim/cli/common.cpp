#include "cli/common.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace anjian::cli {

namespace fs = std::filesystem;

std::atomic<bool> g_interrupted{false};
namespace {
extern "C" void on_interrupt(int) { g_interrupted.store(true); }
}  // namespace
void install_interrupt_handler() { std::signal(SIGINT, on_interrupt); }

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
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void check_output_path(const std::string& path, const std::string& option) {
  const fs::path dir = fs::absolute(path).parent_path();
  if (!fs::is_directory(dir)) {
    throw ScenarioError(option + " " + path + ": directory " + dir.string() + " does not exist; create it first");
  }
  if (fs::is_directory(path)) throw ScenarioError(option + " " + path + ": is a directory; give a file name");
}

void print_network_notes(const std::optional<NetworkSpec>& network) {
  if (!network) return;
  for (const auto& note : network->notes) std::cerr << "anjian: note: " << network->source << ": " << note << "\n";
}

}  // namespace anjian::cli
