#pragma once
// `anjian sweep DESIGN.yaml -o out.h5`: runs an experiment design (docs/experiments.md) in one
// process or, under mpirun, across ranks; resumable after any stop with --resume.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace anjian::cli {

struct SweepArgs {
  std::string design;
  std::vector<std::string> sets;  // overrides of the base scenario
  std::string output;
  bool resume = false;
  bool check = false;             // validate and describe the design, run nothing
  int threads = 0;
  bool quiet = false;
};

CLI::App* add_sweep_command(CLI::App& app, SweepArgs& args);
// argc and argv are MPI's to see when the program was started by mpirun.
int sweep_command(const SweepArgs& args, int& argc, char**& argv);

}  // namespace anjian::cli
