#pragma once
// Running a scenario: the step loop for one replicate, and ensembles of replicates run in
// parallel. Results stay in memory; io/ writes them.

#include <atomic>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "model/group_metrics.hpp"
#include "model/step_context.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"
#include "scenario/scenario.hpp"

namespace anjian {

struct ReplicateResult {
  std::uint64_t replicate = 0;
  // series[metric][step]: the metrics of metrics.def for every step.
  std::vector<std::vector<double>> series;
  std::vector<AccidentEvent> accidents;  // in (day, enterprise) order; empty without output.accident_events
  // Recorded inspections by day (StepContext::inspections); empty without output.inspection_events.
  std::vector<InspectionEvent> inspections;
  std::vector<GroupTally> months;        // metrics by township, sector and department, per month
  World final_world;
  PhaseSeconds seconds{};                // wall time by phase (not written to the result file)
};

struct EnsembleResult {
  Params params;
  std::vector<std::int64_t> step_end_day;  // calendar day on which each step ends (from 1)
  std::vector<std::int64_t> month_end_day;  // calendar day on which each recorded month ends
  std::vector<ReplicateResult> replicates;
};

// Everything a replicate's step loop carries from one step to the next: a checkpoint. A run
// resumed from it gives the same results as one that never stopped.
struct RunState {
  std::int64_t next_step = 0;  // the first step not yet run (from 0, burn-in included)
  Params current;              // the parameters in effect (the schedule applied so far)
  World world;
  StepContext ctx;
  GroupTally month;            // the month in progress, by group
  std::size_t first_recorded_accident = 0;
  std::vector<std::vector<double>> series;  // recorded so far (zeros after)
  std::vector<GroupTally> months;
};

struct RunOptions {
  int threads = 0;                                   // 0 = all cores
  std::atomic<std::int64_t>* steps_done = nullptr;   // progress counter, bumped after each step
  const std::atomic<bool>* cancel = nullptr;         // set to stop early (result is then partial)
  const NetworkSpec* network = nullptr;              // a county's structure read from GraphML
  bool time_phases = false;                          // keep each replicate's wall time by phase
  // Other threads of the arena that spin through the serial parts of each step (WarmWorkers,
  // core/parallel.hpp); run_ensembles sets it when one replicate has the threads to itself.
  int warm_workers = 0;
  // Checkpoint and branch (one replicate): keep the state after step `checkpoint_after_step`
  // (from 0, burn-in included) in *checkpoint; or start from *resume instead of building the
  // world. A resumed run's parameters are run_replicate's: where they differ from the state's, they
  // change at the resume step as a schedule's would (branching a warm county into a policy).
  std::int64_t checkpoint_after_step = -1;
  RunState* checkpoint = nullptr;
  const RunState* resume = nullptr;
  // The same for an ensemble (run_ensemble): replicate r keeps (*checkpoints)[r] (sized by the
  // caller) or resumes from (*resume_states)[r].
  std::vector<RunState>* checkpoints = nullptr;
  const std::vector<RunState>* resume_states = nullptr;
};

// Simulates params.burn_in_step_count() steps unrecorded, then records params.step_count() steps.
// The county structure a scenario names with `network:` (none if it names none), read and checked
// before any run; a bad GraphML file is the scenario's fault, so it throws ScenarioError.
std::optional<NetworkSpec> load_scenario_network(const Scenario& scenario);

ReplicateResult run_replicate(const Params& params, std::uint64_t replicate,
                              const RunOptions& options = {});
// Runs params.run.replicates replicates; identical output for any thread count.
EnsembleResult run_ensemble(const Params& params, const RunOptions& options = {});

// One scenario of a comparison: its parameters and, optionally, a county read from GraphML.
struct EnsembleSpec {
  EnsembleSpec(Params p, const NetworkSpec* n = nullptr, std::vector<Params> per_replicate = {})
      : params(std::move(p)), network(n), replicate_params(std::move(per_replicate)) {}
  Params params;
  const NetworkSpec* network = nullptr;
  // If not empty, replicate k runs with replicate_params[k] instead of params (a posterior's
  // draw k, run/posterior.hpp); each must share params' run and time settings.
  std::vector<Params> replicate_params;
};

// Runs several scenarios with common random numbers: replicate k of every scenario uses the key
// (seed, k), so differences between scenarios are paired. All specs must share run.seed and
// run.replicates (std::invalid_argument otherwise). One task arena runs every (scenario,
// replicate) pair; the output is identical for any thread count. options.network is ignored
// (each spec names its own); the progress counter counts the steps of all scenarios.
std::vector<EnsembleResult> run_ensembles(const std::vector<EnsembleSpec>& specs, const RunOptions& options = {});

}  // namespace anjian
