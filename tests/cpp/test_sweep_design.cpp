// Experiment designs and the sweep journal: the samplers' structure (Latin hypercube strata,
// Saltelli's A/AB/B rows, Morris's one-at-a-time trajectories) and records surviving a torn write.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "experiment/design.hpp"
#include "experiment/sweep.hpp"

namespace anjian {
namespace {

namespace fs = std::filesystem;

TEST(SweepDesign, LatinHypercubeHasOnePointPerStratum) {
  const std::size_t k = 3, n = 10;
  const auto unit = unit_design(SamplingMethod::lhs, k, n, 4, 5);
  ASSERT_EQ(unit.size(), n * k);
  for (std::size_t f = 0; f < k; ++f) {
    std::set<int> strata;
    for (std::size_t i = 0; i < n; ++i) strata.insert(static_cast<int>(std::floor(unit[i * k + f] * n)));
    EXPECT_EQ(strata.size(), n);
  }
  EXPECT_EQ(unit, unit_design(SamplingMethod::lhs, k, n, 4, 5));  // same seed, same design
  EXPECT_NE(unit, unit_design(SamplingMethod::lhs, k, n, 4, 6));
}

TEST(SweepDesign, SaltelliRowsAreABAndTheMixes) {
  const std::size_t k = 4, n = 32;
  const auto unit = unit_design(SamplingMethod::sobol, k, n, 4, 1);
  ASSERT_EQ(unit.size(), n * (k + 2) * k);
  // The Sobol sequence's first point after the origin is 1/2 in every dimension.
  for (std::size_t f = 0; f < k; ++f) EXPECT_EQ(unit[f], 0.5);
  double sum = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const double* a = &unit[j * (k + 2) * k];
    const double* b = a + (k + 1) * k;
    for (std::size_t i = 0; i < k; ++i) {
      const double* ab = a + (i + 1) * k;
      for (std::size_t f = 0; f < k; ++f) EXPECT_EQ(ab[f], f == i ? b[f] : a[f]);
    }
    for (std::size_t f = 0; f < k; ++f) sum += a[f] + b[f];
  }
  EXPECT_NEAR(sum / (2.0 * n * k), 0.5, 0.02);  // low discrepancy: the mean is very near 1/2
}

TEST(SweepDesign, MorrisTrajectoriesMoveOneFactorByDelta) {
  const std::size_t k = 5, r = 20, p = 4;
  const auto unit = unit_design(SamplingMethod::morris, k, r, p, 9);
  ASSERT_EQ(unit.size(), r * (k + 1) * k);
  const double delta = static_cast<double>(p) / (2.0 * (p - 1));
  for (std::size_t t = 0; t < r; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t s = 0; s < k; ++s) {
      const double* x = &unit[(t * (k + 1) + s) * k];
      const double* y = x + k;
      std::size_t changes = 0;
      for (std::size_t f = 0; f < k; ++f) {
        EXPECT_GE(y[f], 0.0);
        EXPECT_LE(y[f], 1.0);
        if (x[f] != y[f]) {
          ++changes;
          moved.insert(f);
          EXPECT_NEAR(std::abs(y[f] - x[f]), delta, 1e-12);
        }
      }
      EXPECT_EQ(changes, 1u);
    }
    EXPECT_EQ(moved.size(), k);  // every factor moves once
  }
}

TEST(SweepJournal, KeepsGoodRecordsAndCutsATornOne) {
  const fs::path folder = fs::temp_directory_path() / ("anjian-journal-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::string file = (folder / "rank-0.bin").string();
  {
    JournalWriter journal(file, 42);
    journal.append(RunRecord{3, false, "", {1.5, 2.5}, {}});
    journal.append(RunRecord{1, true, "bad shares", {NAN, NAN}, {}});
  }
  {
    std::ofstream tail(file, std::ios::app | std::ios::binary);
    tail << "\x40\x00\x00\x00partial";  // a record cut short by a kill
  }
  auto records = read_journal(folder.string(), 42);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records.at(3).outcomes, (std::vector<double>{1.5, 2.5}));
  EXPECT_TRUE(records.at(1).failed);
  EXPECT_EQ(records.at(1).error, "bad shares");
  {
    JournalWriter journal(file, 42);  // resumes: the torn bytes go, new records follow the good ones
    journal.append(RunRecord{0, false, "", {7.0, 8.0}, {}});
  }
  records = read_journal(folder.string(), 42);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records.at(0).outcomes, (std::vector<double>{7.0, 8.0}));
  EXPECT_THROW(read_journal(folder.string(), 43), ScenarioError);  // another design's journal
  fs::remove_all(folder);
}

}  // namespace
}  // namespace anjian
