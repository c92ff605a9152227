// The memory estimate's parts follow what a run keeps: every replicate's world, the series of
// every step, the result file's optional parts, and the replicates in flight.

#include <gtest/gtest.h>

#include "run/memory_estimate.hpp"

namespace anjian {
namespace {

MemoryEstimate estimate(void (*change)(Params&), int threads = 2) {
  Params params;
  change(params);
  return estimate_memory({EnsembleSpec{params, nullptr}}, threads);
}

TEST(MemoryEstimate, WorldsGrowWithEnterprisesAndReplicates) {
  const auto base = estimate([](Params& p) { p.run.replicates = 2; });
  const auto more_replicates = estimate([](Params& p) { p.run.replicates = 4; });
  const auto more_enterprises = estimate([](Params& p) {
    p.run.replicates = 2;
    p.enterprises.count *= 10;
  });
  EXPECT_DOUBLE_EQ(more_replicates.world_bytes, 2 * base.world_bytes);
  EXPECT_GT(more_enterprises.world_bytes, 8 * base.world_bytes);
  EXPECT_GT(more_enterprises.total_bytes, base.total_bytes);
}

TEST(MemoryEstimate, OutputSwitchesShrinkTheFile) {
  const auto full = estimate([](Params& p) {
    p.output.agents = p.output.accident_events = p.output.network = true;
  });
  const auto series_only = estimate([](Params& p) {
    p.output.agents = p.output.accident_events = p.output.network = false;
  });
  EXPECT_GT(series_only.file_bytes, 0);
  EXPECT_LT(series_only.file_bytes, full.file_bytes);
  EXPECT_LT(series_only.recorded_bytes, full.recorded_bytes);
}

TEST(MemoryEstimate, InspectionEventsAreCountedWhenTheyAreKept) {
  // A province's ten years: 5,000 posts make millions of inspections, hundreds of MB kept and written.
  const auto province = [](Params& p) {
    p.enterprises.count = 1000000;
    p.county.townships = 2000;
    p.departments.emergency_management_staff = 500;
    p.townships.office_staff = 2;
    p.output.agents = p.output.accident_events = p.output.network = false;
  };
  const auto without = estimate(province);
  const auto with = estimate([](Params& p) {
    p.enterprises.count = 1000000;
    p.county.townships = 2000;
    p.departments.emergency_management_staff = 500;
    p.townships.office_staff = 2;
    p.output.agents = p.output.accident_events = p.output.network = false;
    p.output.inspection_events = true;
  });
  EXPECT_GT(with.recorded_bytes - without.recorded_bytes, 300.0 * (1 << 20));
  EXPECT_GT(with.file_bytes - without.file_bytes, 200.0 * (1 << 20));
  EXPECT_GT(with.total_bytes, without.total_bytes + 600.0 * (1 << 20));
  EXPECT_FALSE(Params{}.output.inspection_events);  // off unless asked for
}

TEST(MemoryEstimate, SeriesGrowWithYears) {
  const auto short_run = estimate([](Params& p) { p.time.years = 1; });
  const auto long_run = estimate([](Params& p) { p.time.years = 10; });
  EXPECT_GT(long_run.recorded_bytes, 5 * short_run.recorded_bytes);
}

TEST(MemoryEstimate, AMachineHasSomeMemoryAvailable) {
  const auto available = available_memory_bytes();
  ASSERT_TRUE(available.has_value());
  EXPECT_GT(*available, 1 << 20);
}

TEST(MemoryEstimate, BytesAreFormattedInBinaryUnits) {
  EXPECT_EQ(format_bytes(512), "512 bytes");
  EXPECT_EQ(format_bytes(1.5 * (1 << 20)), "1.5 MiB");
  EXPECT_EQ(format_bytes(300.0 * (1 << 30)), "300 GiB");
}

}  // namespace
}  // namespace anjian
