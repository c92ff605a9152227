// Google Benchmark micro-benchmarks of the hot phases (issue 6; docs/performance.md), on the
// city scenario's world (100,000 enterprises) after a warm-up month. Each reports enterprise-days
// per second of the phase alone, against wall time (the phases run on every thread). Built with
// the project, not run by `make check`:
//
//     build/tests/bench/anjian_phase_benchmarks [--benchmark_filter=Events]

#include <benchmark/benchmark.h>
#include <tbb/info.h>

#include <chrono>
#include <optional>

#include "core/parallel.hpp"

#include "model/build_world.hpp"
#include "model/phases.hpp"
#include "scenario/scenario.hpp"

namespace {

using namespace anjian;

Params city_params(Sampling sampling) {
  Params params = load_scenario(ANJIAN_SOURCE_DIR "/scenarios/scale/city.yaml").params;
  params.engine.sampling = sampling;
  return params;
}

// A world and context run for a month, so that stocks, perceptions and the calendar are warm.
struct Warm {
  explicit Warm(Sampling sampling) : params(city_params(sampling)), world(build_world(params, {1, 0})) {
    ctx.key = {1, 0};
    for (std::int64_t day = 0; day < 31; ++day) step(day);
  }
  void step(std::int64_t day) {
    ctx.begin_step(day, 1);
    run_step(world, params, ctx);
  }
  Params params;
  World world;
  StepContext ctx;
};

void report_rate(benchmark::State& state, const World& world, double days_per_iteration) {
  state.counters["enterprise-days/s"] = benchmark::Counter(
      static_cast<double>(world.enterprises.size()) * days_per_iteration * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

// A whole step under each scheme (every phase), mid-month.
void BM_Step(benchmark::State& state, Sampling sampling) {
  Warm warm(sampling);
  std::int64_t day = 31;
  for (auto _ : state) warm.step(day++);  // month ends (decisions) come at their share
  report_rate(state, warm.world, 1.0);
}
BENCHMARK_CAPTURE(BM_Step, next_event, Sampling::next_event)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Step, daily, Sampling::daily)->Unit(benchmark::kMillisecond)->UseRealTime();

// Next-event sampling of enterprises' own events over February (days 31-58): everyone's
// schedule at its start, then each day's events.
void BM_EnterpriseEventsMonth(benchmark::State& state) {
  Warm warm(Sampling::next_event);
  for (auto _ : state) {
    warm.world.calendar.horizon = -1;
    for (std::int64_t day = 31; day < 59; ++day) {
      warm.ctx.begin_step(day, 1);
      phase_enterprise_events(warm.world, warm.params, warm.ctx);
    }
  }
  report_rate(state, warm.world, 28.0);
}
BENCHMARK(BM_EnterpriseEventsMonth)->Unit(benchmark::kMillisecond)->UseRealTime();

// The daily reference scheme's three draws per enterprise and day.
void BM_DailyHazardsReportsAccidents(benchmark::State& state) {
  Warm warm(Sampling::daily);
  for (auto _ : state) {
    warm.ctx.begin_step(40, 1);
    phase_hazards(warm.world, warm.params, warm.ctx);
    phase_public_reporting(warm.world, warm.params, warm.ctx);
    phase_accidents(warm.world, warm.params, warm.ctx);
  }
  report_rate(state, warm.world, 1.0);
}
BENCHMARK(BM_DailyHazardsReportsAccidents)->Unit(benchmark::kMillisecond)->UseRealTime();

// Monthly enterprise decisions (learning and the logit choice of q): a month's worth of days.
void BM_EnterpriseDecisions(benchmark::State& state) {
  Warm warm(Sampling::next_event);
  for (auto _ : state) {
    warm.ctx.begin_step(30, 1);  // ends January
    phase_enterprise_decisions(warm.world, warm.params, warm.ctx);
  }
  report_rate(state, warm.world, 31.0);
}
BENCHMARK(BM_EnterpriseDecisions)->Unit(benchmark::kMillisecond)->UseRealTime();

// Observation of stocks at the end of a step.
void BM_Observation(benchmark::State& state) {
  Warm warm(Sampling::next_event);
  for (auto _ : state) phase_observation(warm.world, warm.params, warm.ctx);
  report_rate(state, warm.world, 1.0);
}
BENCHMARK(BM_Observation)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace

// A parallel section of 800 us of work in 16 tasks after `gap_us` of work on one thread, with or
// without the other threads kept spinning through the gap (WarmWorkers): the section's own time
// (manual time). On two threads its ideal is 400 us; a worker that fell asleep in the gap joins
// late (docs/performance.md, round 8).
void work_for(double microseconds) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() <
         microseconds) {
  }
}

void BM_SectionAfterSerialGap(benchmark::State& state) {
  const auto gap = static_cast<double>(state.range(0));
  std::optional<WarmWorkers> warm;
  if (state.range(1) != 0) warm.emplace(tbb::info::default_concurrency() - 1);
  for (auto _ : state) {
    work_for(gap);
    const auto start = std::chrono::steady_clock::now();
    parallel_tasks(16, [](std::size_t) { work_for(50.0); });
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}
BENCHMARK(BM_SectionAfterSerialGap)
    ->ArgsProduct({{50, 200, 500}, {0, 1}})
    ->ArgNames({"gap_us", "warm"})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
