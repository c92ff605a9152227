#include "cli/sweep_command.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/common.hpp"
#include "experiment/design.hpp"
#include "experiment/sweep.hpp"
#ifdef ANJIAN_WITH_MPI
#include "experiment/sweep_mpi.hpp"
#endif

namespace anjian::cli {

namespace {

// Runs done, the rate and the time left: on a terminal a line redrawn twice a second, in a log
// (a batch job's output) a line every 30 s.
class SweepProgress {
 public:
  SweepProgress(std::size_t total, bool enabled) : total_(total) {
    if (enabled) thread_ = std::thread([this] { loop(); });
  }
  ~SweepProgress() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  void start(std::size_t left) {
    kept_.store(total_ - left);
    started_.store(true);
  }
  std::atomic<std::int64_t> done{0};

 private:
  void loop() {
    const bool terminal = isatty(STDERR_FILENO) != 0;
    const auto start = std::chrono::steady_clock::now();
    double last_line = 0;
    bool shown = false;
    while (!stop_.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      if (!started_.load()) continue;
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (elapsed < 1.0 || (!terminal && elapsed - last_line < 30.0)) continue;
      last_line = elapsed;
      const auto now = static_cast<std::size_t>(done.load()), fresh = now - std::min(now, kept_.load());
      const double rate = static_cast<double>(fresh) / elapsed;
      const double left = rate > 0 ? static_cast<double>(total_ - now) / rate : 0.0;
      std::fprintf(stderr, "%s%3.0f%%  %zu/%zu runs  %.2f runs/s  %.0f s elapsed, about %.0f min %02.0f s left%s",
                   terminal ? "\r" : "", 100.0 * static_cast<double>(now) / static_cast<double>(total_), now, total_,
                   rate, elapsed, std::floor(left / 60), std::fmod(left, 60.0), terminal ? "  " : "\n");
      shown = terminal;
    }
    if (shown) std::fprintf(stderr, "\r%90s\r", "");
  }
  std::size_t total_;
  std::atomic<std::size_t> kept_{0};
  std::atomic<bool> started_{false}, stop_{false};
  std::thread thread_;
};

std::string describe(const Design& design) {
  std::string text = design.path + ": ok (" + std::string(method_name(design.method)) + ", " +
                     std::to_string(design.factors.size()) + " factor(s), " + std::to_string(design.point_count()) +
                     " point(s) x " + std::to_string(design.policies.size()) + " polic" +
                     (design.policies.size() == 1 ? "y" : "ies") + " x " + std::to_string(design.replicates) +
                     " replicate(s) = " + std::to_string(design.run_count()) + " runs)";
  return text;
}

}  // namespace

CLI::App* add_sweep_command(CLI::App& app, SweepArgs& args) {
  auto* cmd = app.add_subcommand(
      "sweep", "run an experiment design (factors x policies x replicates) and write one HDF5 file; resumable, MPI-aware");
  cmd->footer(
      "A design file names a base scenario, the uncertain factors with their ranges, a sampling method\n"
      "(grid, lhs, sobol, morris or list), the policies every point runs under and the outcomes to keep\n"
      "(docs/experiments.md). Every point, policy and replicate k uses the seed (seed, k): common random numbers.\n"
      "Finished runs go to OUTPUT.journal/ as they end; after a stop (Ctrl-C, a kill, a time limit) the same\n"
      "command with --resume runs only what is left, and the file is the same as an uninterrupted sweep's.\n\n"
      "  anjian sweep scenarios/sweeps/county_lhs.yaml -o results/lhs.h5\n"
      "  anjian sweep design.yaml -o out.h5 --resume           finish a stopped sweep\n"
      "  anjian sweep design.yaml --check                     validate and count the runs\n"
      "  mpirun -n 8 anjian sweep design.yaml -o out.h5       the same file, across 8 processes\n\n"
      "Exit codes: 0 ok, 1 run or output failure, 2 bad input (nothing run), 130 interrupted (finished runs kept).");
  cmd->add_option("design", args.design, "design file (YAML), e.g. scenarios/sweeps/county_lhs.yaml")->required();
  cmd->add_option("-o,--output", args.output, "result file (default results/<design name>.h5)");
  cmd->add_flag("--resume", args.resume, "continue the sweep whose runs are kept in OUTPUT.journal/ (starts afresh if none)");
  cmd->add_flag("--check", args.check, "validate the design and print how many runs it makes; run nothing");
  cmd->add_option("-t,--threads", args.threads,
                  "worker threads per process (default: the cores, shared among the processes of an MPI job on a node); "
                  "results do not depend on it")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("-q,--quiet", args.quiet, "print nothing but errors");
  add_set_option(*cmd, args.sets);
  return cmd;
}

int sweep_command(const SweepArgs& args, int& argc, char**& argv) {
  const Design design = load_design(args.design, args.sets);
  if (args.check) {
    std::cout << describe(design) << "\n";
    return 0;
  }
  SweepOptions options;
  options.output = args.output;
  if (options.output.empty()) {
    std::filesystem::create_directories("results");
    options.output = "results/" + design.name + ".h5";
  }
  check_output_path(options.output, "-o");
  options.sets = args.sets;
  options.resume = args.resume;
  options.threads = args.threads;
  options.cancel = &g_interrupted;
  install_interrupt_handler();

  int rank = 0;
  SweepEnd end;
  const auto start = std::chrono::steady_clock::now();
#ifdef ANJIAN_WITH_MPI
  if (launched_by_mpi()) {
    MpiSession mpi(argc, argv);
    rank = mpi.rank();
    if (args.threads == 0) {
      options.threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / mpi.local_size());
    }
    SweepProgress progress(design.run_count(), rank == 0 && !args.quiet);
    options.done = &progress.done;
    options.on_start = [&](std::size_t left) { progress.start(left); };
    try {
      end = run_sweep_mpi(mpi, design, options);
    } catch (const ScenarioError&) {
      if (rank != 0) return kExitBadInput;  // rank 0 says why
      throw;
    }
  } else
#endif
  {
    SweepProgress progress(design.run_count(), !args.quiet);
    options.done = &progress.done;
    options.on_start = [&](std::size_t left) { progress.start(left); };
    end = run_sweep(design, options);
  }
  (void)argc;
  (void)argv;
  if (rank != 0) return end.complete ? 0 : kExitInterrupted;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!end.complete) {
    std::cerr << "anjian: interrupted; the finished runs are kept in " << journal_folder(options.output)
              << "; run the same command with --resume to finish\n";
    return kExitInterrupted;
  }
  if (end.failed > 0) {
    std::cerr << "anjian: " << end.failed << " of " << design.run_count()
              << " runs failed; runs/status marks them and runs/errors says why\n";
  }
  if (!args.quiet) {
    std::printf("%s\nresults: %s (%.1f s)\n", describe(design).c_str(), options.output.c_str(), seconds);
  }
  return 0;
}

}  // namespace anjian::cli
