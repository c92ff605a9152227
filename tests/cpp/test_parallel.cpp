// Deterministic parallel helpers (core/parallel.hpp, core/marks.hpp): blocks combined in order,
// spinning workers that keep parallel sections from waiting for a sleeping thread, and marks
// that parallel tasks set; and items grouped by a counting sort (core/grouped.hpp).

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <numeric>
#include <thread>
#include <vector>

#include "core/grouped.hpp"
#include "core/marks.hpp"
#include "core/parallel.hpp"
#include "core/tsan_annotations.hpp"

using namespace anjian;

TEST(Parallel, ReduceBlocksFoldsInBlockOrder) {
  // Floating-point sums whose value depends on the order of addition.
  std::vector<double> x(10 * kBlockSize + 7);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = 1.0 / static_cast<double>(i + 1) * (i % 3 == 0 ? 1e8 : 1.0);
  double expected = 0.0;
  for (std::size_t b = 0; b < block_count(x.size()); ++b) {
    double part = 0.0;
    for (std::size_t i = b * kBlockSize; i < std::min(x.size(), (b + 1) * kBlockSize); ++i) part += x[i];
    expected += part;
  }
  for (int threads : {1, 2, 4}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    const double sum = reduce_blocks(
        x.size(), 0.0,
        [&](std::size_t, std::size_t begin, std::size_t end, double& part) {
          for (std::size_t i = begin; i < end; ++i) part += x[i];
        },
        [](double& total, double part) { total += part; });
    EXPECT_EQ(sum, expected) << threads << " threads";
  }
}

TEST(Parallel, SectionsRunEveryTaskOnceWhileWorkersAreKeptWarm) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
  std::vector<std::atomic<int>> runs(1000);
  {
    WarmWorkers warm(1);
    for (int section = 0; section < 50; ++section) {
      parallel_tasks(runs.size(), [&](std::size_t k) {
        runs[k].fetch_add(1);
        // A nested section must not restart the spinners while the outer one still has tasks.
        if (k % 100 == 0)
          for_each_block(
              10, [](std::size_t, std::size_t, std::size_t) {}, 1);
      });
    }
  }  // leaving the scope stops the spinners: no thread is left spinning, the test ends
  for (const auto& count : runs) EXPECT_EQ(count.load(), 50);
}

TEST(Parallel, KeepingWorkersWarmOnOneThreadDoesNotHang) {
  // With one thread the spinners only run when the thread waits in a section, and return at once.
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
  WarmWorkers warm(1);
  std::size_t sum = 0;
  parallel_tasks(10, [&](std::size_t k) { sum += k; });
  EXPECT_EQ(sum, 45u);
}

// ThreadSanitizer builds only (make sanitize-thread): the annotations of the hand-overs to TBB and
// tests/tsan.supp must not hide a race inside a parallel section. Two tasks wait for each other
// (relaxed atomics: no ordering) and then both write one variable; the child process running them
// must end with TSan's report and exit code 66 (whether it halts at the report or at exit).
TEST(Parallel, TsanStillSeesARaceBetweenTasks) {
#ifndef ANJIAN_TSAN
  GTEST_SKIP() << "only in ThreadSanitizer builds";
#else
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const auto race = [] {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
    std::atomic<int> started{0};
    int shared = 0;
    parallel_tasks(2, [&](std::size_t) {
      started.fetch_add(1, std::memory_order_relaxed);
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (started.load(std::memory_order_relaxed) < 2 && std::chrono::steady_clock::now() < until)
        std::this_thread::yield();
      shared += 1;
    });
    std::exit(shared == 2 ? 0 : 1);
  };
  EXPECT_EXIT(race(), testing::ExitedWithCode(66), "ThreadSanitizer: data race");
#endif
}

TEST(Marks, MarkedFromParallelTasksAndReadBackInOrder) {
  Marks marks;
  marks.assign(1000);
  EXPECT_FALSE(marks.any());
  // Every third entity, from parallel tasks that share words, some twice.
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
  parallel_tasks(1000, [&](std::size_t k) {
    if (k % 3 == 0) marks.mark(k);
    if (k % 6 == 0) marks.mark(k);
  });
  EXPECT_TRUE(marks.any());
  std::vector<std::size_t> seen;
  marks.for_each_in(0, 1000, [&](std::size_t i) { seen.push_back(i); });
  ASSERT_EQ(seen.size(), 334u);
  for (std::size_t k = 0; k < seen.size(); ++k) EXPECT_EQ(seen[k], 3 * k);
  // A range that starts and ends inside words.
  seen.clear();
  marks.for_each_in(70, 130, [&](std::size_t i) { seen.push_back(i); });
  EXPECT_EQ(seen, (std::vector<std::size_t>{72,  75,  78,  81,  84,  87,  90,  93,  96,  99,
                                            102, 105, 108, 111, 114, 117, 120, 123, 126, 129}));
  EXPECT_TRUE(marks.marked(999));
  EXPECT_FALSE(marks.marked(998));
  EXPECT_FALSE(marks.marked(5000));  // beyond the set: not marked
  marks.clear();
  EXPECT_FALSE(marks.any());
}

TEST(Grouped, ItemsByGroupInOrderAndTheRestLeftOut) {
  // Ten items by their remainder mod 4; group 3 stands for "left out" with three groups.
  const Grouped g = group_items(10, 3, [](std::size_t i) { return i % 4; });
  ASSERT_EQ(g.groups(), 3u);
  EXPECT_EQ(std::vector<std::uint32_t>(g.of(0).begin(), g.of(0).end()),
            (std::vector<std::uint32_t>{0, 4, 8}));
  EXPECT_EQ(std::vector<std::uint32_t>(g.of(1).begin(), g.of(1).end()),
            (std::vector<std::uint32_t>{1, 5, 9}));
  EXPECT_EQ(std::vector<std::uint32_t>(g.of(2).begin(), g.of(2).end()), (std::vector<std::uint32_t>{2, 6}));
  EXPECT_EQ(g.items.size(), 8u);  // 3 and 7 left out
}
