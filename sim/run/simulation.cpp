#include "run/simulation.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "model/phases.hpp"

namespace anjian {

ReplicateResult run_replicate(const Params& params, std::uint64_t replicate, const RunOptions& options) {
  const RandomKey key{static_cast<std::uint64_t>(params.run.seed), replicate};
  const std::int64_t steps = params.step_count();
  const int step_days = static_cast<int>(params.time.step_days);

  ReplicateResult result;
  result.replicate = replicate;
  result.final_world = build_world(params, key, options.network);
  result.series.assign(kMetricCount, std::vector<double>(static_cast<std::size_t>(steps), 0.0));

  StepContext ctx;
  ctx.key = key;
  GroupTally month;
  month.reset(result.final_world);
  for (std::int64_t t = 0; t < steps; ++t) {
    if (options.cancel && options.cancel->load(std::memory_order_relaxed)) break;
    ctx.begin_step(t, step_days);
    run_step(result.final_world, params, ctx);
    for (int m = 0; m < kMetricCount; ++m) result.series[m][t] = ctx.tally.values[m];
    // Observation by township, sector and department, kept month by month.
    observe_groups(result.final_world, ctx, month);
    if (ctx.month_ends) {
      result.months.push_back(month);
      month.reset(result.final_world);
    }
    if (options.steps_done) options.steps_done->fetch_add(1, std::memory_order_relaxed);
  }
  result.accidents = std::move(ctx.accidents);
  return result;
}

EnsembleResult run_ensemble(const Params& params, const RunOptions& options) {
  EnsembleResult ensemble;
  ensemble.params = params;
  const std::int64_t steps = params.step_count();
  StepContext calendar;
  for (std::int64_t t = 0; t < steps; ++t) {
    ensemble.step_end_day.push_back((t + 1) * params.time.step_days);
    calendar.begin_step(t, static_cast<int>(params.time.step_days));
    if (calendar.month_ends) ensemble.month_end_day.push_back(ensemble.step_end_day.back());
  }

  const auto replicates = static_cast<std::size_t>(params.run.replicates);
  ensemble.replicates.resize(replicates);
  const int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  arena.execute([&] {
    // Replicates and the blocks inside them share the arena's threads; each replicate writes only
    // its own slot.
    tbb::parallel_for(std::size_t{0}, replicates, [&](std::size_t r) {
      ensemble.replicates[r] = run_replicate(params, r, options);
    });
  });
  return ensemble;
}

}  // namespace anjian
