#include "run/simulation.hpp"

#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>

#include "core/parallel.hpp"
#include "core/tsan_annotations.hpp"
#include "model/build_world.hpp"
#include "model/network.hpp"
#include "model/phases.hpp"
#include "run/scheduled_changes.hpp"
#include "scenario/schedule.hpp"

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
  if (!options.resume) result.final_world = build_world(params, key, options.network);
  const double build_seconds = seconds_since(build_start);
  result.series.assign(kMetricCount, std::vector<double>(static_cast<std::size_t>(steps), 0.0));

  // The parameters in effect: the scenario's, changed by its schedule at the start of each
  // change's step.
  Params current = params;
  ScheduledChanges changes(params);
  StepContext ctx;
  ctx.key = key;
  GroupTally month;
  month.reset(result.final_world);
  std::size_t first_recorded_accident = 0;
  std::int64_t first_step = 0;
  if (const RunState* state = options.resume) {
    first_step = state->next_step;
    result.final_world = state->world;
    ctx = state->ctx;
    ctx.roster.reset();
    ctx.seconds = {};
    month = state->month;
    first_recorded_accident = state->first_recorded_accident;
    for (int m = 0; m < kMetricCount; ++m) {
      const auto& kept = state->series[static_cast<std::size_t>(m)];
      std::copy_n(kept.begin(), std::min(kept.size(), result.series[m].size()), result.series[m].begin());
    }
    result.months = state->months;
    // This run's parameters as they stand at the resume step; where they differ from the state's,
    // the world follows them as it follows a schedule.
    changes.skip_before(first_step);
    for (const auto& change : ordered_schedule(params)) {
      if (change_step(params, change) < first_step) find_param(change.key)->set(current, change.value);
    }
    if (!differing_params(state->current, current).empty()) {
      StepContext at = ctx;
      at.begin_step(first_step, step_days);
      follow_parameters(result.final_world, state->current, current, options.network, at.first_day);
    }
  }
  ctx.time_phases = options.time_phases;
  std::optional<WarmWorkers> warm;
  if (options.warm_workers > 0) warm.emplace(options.warm_workers);
  for (std::int64_t t = first_step; t < burn_in + steps; ++t) {
    if (options.cancel && options.cancel->load(std::memory_order_relaxed)) break;
    // Without an accident list in the output, what every phase has seen is let go: a
    // province's ten years come to 4.4 million accidents, near-misses included (175 MB).
    if (!params.output.accident_events) ctx.forget_seen_accidents();
    ctx.begin_step(t, step_days);
    changes.apply(t, ctx.first_day, current, result.final_world, options.network);
    ctx.record_inspections = params.output.inspection_events && t >= burn_in;
    run_step(result.final_world, current, ctx);
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
    if (options.checkpoint && t == options.checkpoint_after_step) {
      RunState& state = *options.checkpoint;
      state.next_step = t + 1;
      state.current = current;
      state.world = result.final_world;
      state.ctx = ctx;
      state.ctx.roster.reset();
      state.month = month;
      state.first_recorded_accident = first_recorded_accident;
      state.series = result.series;
      state.months = result.months;
    }
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
  return std::move(run_ensembles({EnsembleSpec{params, options.network, {}}}, options).front());
}

std::vector<EnsembleResult> run_ensembles(const std::vector<EnsembleSpec>& specs, const RunOptions& options) {
  std::vector<EnsembleResult> ensembles;
  for (const auto& spec : specs) {
    const Params& first = specs.front().params;
    if (spec.params.run.seed != first.run.seed || spec.params.run.replicates != first.run.replicates) {
      throw std::invalid_argument(
          "run_ensembles: common random numbers need one run.seed and run.replicates for every scenario");
    }
    if (!spec.replicate_params.empty() &&
        spec.replicate_params.size() != static_cast<std::size_t>(spec.params.run.replicates)) {
      throw std::invalid_argument("run_ensembles: replicate_params needs one parameter set per replicate");
    }
    for (const auto& own : spec.replicate_params) {
      if (own.run.seed != spec.params.run.seed || !differing_params(own, spec.params, "time.").empty()) {
        throw std::invalid_argument(
            "run_ensembles: a replicate's parameters must keep the scenario's seed and period");
      }
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
    const auto run_job = [&](std::size_t job) {
      const std::size_t s = job / replicates, r = job % replicates;
      RunOptions own = options;
      own.network = specs[s].network;
      if (options.checkpoints) own.checkpoint = &(*options.checkpoints)[r];
      if (options.resume_states) own.resume = &(*options.resume_states)[r];
      // Spinning threads beyond the machine's cores would take turns with the one at work.
      if (jobs == 1) own.warm_workers = std::min(threads, tbb::info::default_concurrency()) - 1;
      const Params& params =
          specs[s].replicate_params.empty() ? specs[s].params : specs[s].replicate_params[r];
      ensembles[s].replicates[r] = run_replicate(params, r, own);
    };
    tsan::HandOver hand_over;  // what libtbb.so orders, told to ThreadSanitizer (core/tsan_annotations.hpp)
    hand_over.fork();
    tbb::parallel_for(std::size_t{0}, jobs, tsan::tasks(hand_over, run_job));
    hand_over.joined();
  });
  return ensembles;
}

}  // namespace anjian
