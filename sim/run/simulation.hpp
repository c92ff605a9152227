#pragma once
// Running a scenario: the step loop for one replicate, and ensembles of replicates run in
// parallel. Results stay in memory; io/ writes them.

#include <atomic>
#include <cstdint>
#include <optional>
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

struct RunOptions {
  int threads = 0;                                   // 0 = all cores
  std::atomic<std::int64_t>* steps_done = nullptr;   // progress counter, bumped after each step
  const std::atomic<bool>* cancel = nullptr;         // set to stop early (result is then partial)
  const NetworkSpec* network = nullptr;              // a county's structure read from GraphML
  bool time_phases = false;                          // keep each replicate's wall time by phase
  // Other threads of the arena that spin through the serial parts of each step (WarmWorkers,
  // core/parallel.hpp); run_ensembles sets it when one replicate has the threads to itself.
  int warm_workers = 0;
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
  Params params;
  const NetworkSpec* network = nullptr;
};

// Runs several scenarios with common random numbers: replicate k of every scenario uses the key
// (seed, k), so differences between scenarios are paired. All specs must share run.seed and
// run.replicates (std::invalid_argument otherwise). One task arena runs every (scenario,
// replicate) pair; the output is identical for any thread count. options.network is ignored
// (each spec names its own); the progress counter counts the steps of all scenarios.
std::vector<EnsembleResult> run_ensembles(const std::vector<EnsembleSpec>& specs, const RunOptions& options = {});

}  // namespace anjian
