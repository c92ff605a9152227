#pragma once
// Checkpoint files (docs/experiments.md, "Checkpoint and branch"): the whole loop state of every
// replicate of a run after one step (run/simulation.hpp, RunState), in HDF5, to resume from.
// A checkpoint holds the engine's own structures and is read only by the build that wrote it.

#include <string>
#include <vector>

#include "run/simulation.hpp"

namespace anjian {

class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Checkpoint {
  std::string scenario_yaml;  // the resolved scenario of the run that wrote it
  std::string scenario_name;
  std::int64_t seed = 0;
  std::int64_t step_days = 1;
  std::int64_t burn_in_steps = 0;
  std::int64_t day = 0;              // calendar day (from 1, burn-in included) after which it was taken
  std::vector<RunState> replicates;  // replicate r's state
};

// Written to a temporary name and renamed, like a result file. Throws IoError.
void write_checkpoint(const std::string& path, const Checkpoint& checkpoint);
// Throws CheckpointError naming the file: not a checkpoint, another build's, damaged.
Checkpoint read_checkpoint(const std::string& path);

}  // namespace anjian
