#include "run/simulation.hpp"

#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>

#include "core/parallel.hpp"
#include "model/network.hpp"
#include "model/phases.hpp"

namespace anjian {

std::optional<NetworkSpec> load_scenario_network(const Scenario& scenario) {
  if (scenario.network.empty()) return std::nullopt;
  try {
    return read_network_graphml(scenario.network);
  } catch (const NetworkError& e) {
    throw ScenarioError(e.what());
  }
}

ReplicateResult run_replicate(const Params& params, std::uint64_t replicate, const RunOptions& options) {
  const RandomKey key{static_cast<std::uint64_t>(params.run.seed), replicate};
  const std::int64_t burn_in = params.burn_in_step_count();
  const std::int64_t steps = params.step_count();
  const int step_days = static_cast<int>(params.time.step_days);

  using Clock = std::chrono::steady_clock;
  const auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  ReplicateResult result;
  result.replicate = replicate;
  const auto build_start = Clock::now();
  result.final_world = build_world(params, key, options.network);
  const double build_seconds = seconds_since(build_start);
  result.series.assign(kMetricCount, std::vector<double>(static_cast<std::size_t>(steps), 0.0));

  StepContext ctx;
  ctx.key = key;
  ctx.time_phases = options.time_phases;
  GroupTally month;
  month.reset(result.final_world);
  std::size_t first_recorded_accident = 0;
  std::optional<WarmWorkers> warm;
  if (options.warm_workers > 0) warm.emplace(options.warm_workers);
  for (std::int64_t t = 0; t < burn_in + steps; ++t) {
    if (options.cancel && options.cancel->load(std::memory_order_relaxed)) break;
    // Without an accident list in the output, what every phase has seen is let go: a
    // province's ten years come to 4.4 million accidents, near-misses included (175 MB).
    if (!params.output.accident_events) ctx.forget_seen_accidents();
    ctx.begin_step(t, step_days);
    ctx.record_inspections = params.output.inspection_events && t >= burn_in;
    run_step(result.final_world, params, ctx);
    if (t < burn_in) {
      // Warm-up: the world evolves (accidents included), nothing is recorded.
      first_recorded_accident = ctx.accidents.size();
      month.reset(result.final_world);
    } else {
      const std::int64_t recorded = t - burn_in;
      for (int m = 0; m < kMetricCount; ++m) result.series[m][recorded] = ctx.tally.values[m];
      // Observation by township, sector and department, kept month by month.
      const auto observe_start = ctx.time_phases ? Clock::now() : Clock::time_point{};
      observe_groups(result.final_world, ctx, month);
      if (ctx.time_phases)
        ctx.seconds[static_cast<std::size_t>(Timed::group_observation)] += seconds_since(observe_start);
      if (ctx.month_ends) {
        result.months.push_back(month);
        month.reset(result.final_world);
      }
    }
    if (options.steps_done) options.steps_done->fetch_add(1, std::memory_order_relaxed);
  }
  warm.reset();
  if (params.output.accident_events) {
    ctx.accidents.erase(ctx.accidents.begin(),
                        ctx.accidents.begin() + static_cast<std::ptrdiff_t>(first_recorded_accident));
    result.accidents = std::move(ctx.accidents);
  }
  result.inspections = std::move(ctx.inspections);
  result.seconds = ctx.seconds;
  result.seconds[static_cast<std::size_t>(Timed::build_world)] = build_seconds;
  return result;
}

namespace {

// An ensemble with its calendar filled in and one empty slot per replicate.
EnsembleResult empty_ensemble(const Params& params) {
  EnsembleResult ensemble;
  ensemble.params = params;
  const std::int64_t burn_in = params.burn_in_step_count();
  StepContext calendar;
  for (std::int64_t t = burn_in; t < burn_in + params.step_count(); ++t) {
    ensemble.step_end_day.push_back((t + 1) * params.time.step_days);
    calendar.begin_step(t, static_cast<int>(params.time.step_days));
    if (calendar.month_ends) ensemble.month_end_day.push_back(ensemble.step_end_day.back());
  }
  ensemble.replicates.resize(static_cast<std::size_t>(params.run.replicates));
  return ensemble;
}

}  // namespace

EnsembleResult run_ensemble(const Params& params, const RunOptions& options) {
  return std::move(run_ensembles({EnsembleSpec{params, options.network}}, options).front());
}

std::vector<EnsembleResult> run_ensembles(const std::vector<EnsembleSpec>& specs, const RunOptions& options) {
  std::vector<EnsembleResult> ensembles;
  for (const auto& spec : specs) {
    const Params& first = specs.front().params;
    if (spec.params.run.seed != first.run.seed || spec.params.run.replicates != first.run.replicates) {
      throw std::invalid_argument(
          "run_ensembles: common random numbers need one run.seed and run.replicates for every scenario");
    }
    ensembles.push_back(empty_ensemble(spec.params));
  }
  if (specs.empty()) return ensembles;

  const auto replicates = static_cast<std::size_t>(specs.front().params.run.replicates);
  const int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  arena.execute([&] {
    // Every (scenario, replicate) pair and the blocks inside it share the arena's threads; each
    // pair writes only its own slot.
    const std::size_t jobs = specs.size() * replicates;
    tbb::parallel_for(std::size_t{0}, jobs, [&](std::size_t job) {
      const std::size_t s = job / replicates, r = job % replicates;
      RunOptions own = options;
      own.network = specs[s].network;
      // Spinning threads beyond the machine's cores would take turns with the one at work.
      if (jobs == 1) own.warm_workers = std::min(threads, tbb::info::default_concurrency()) - 1;
      ensembles[s].replicates[r] = run_replicate(specs[s].params, r, own);
    });
  });
  return ensembles;
}

}  // namespace anjian
