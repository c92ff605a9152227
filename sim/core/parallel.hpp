#pragma once
// Deterministic data parallelism: work is cut into fixed blocks of entities whatever the thread
// count, each block writes only its own slot, and slots are combined in block order. So sums,
// event lists and every draw are the same for 1 or 64 threads.

#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <atomic>
#include <cstddef>
#include <vector>

#include "core/tsan_annotations.hpp"

namespace anjian {

inline constexpr std::size_t kBlockSize = 4096;

// Keeps the other threads of the arena spinning, for as long as it lives, while the thread that
// made it runs the serial parts of a simulation step, so that the next parallel section starts
// at once. TBB lets an idle worker fall asleep some 100-200 us after its last task, and the
// sleeper joined the next section 180-280 us late on the development machine (a virtual one;
// BM_SectionAfterSerialGap); a province day has four such gaps (docs/performance.md, round 8).
// OpenMP runtimes do the same with an active wait policy; TBB has no such setting. Worth it only
// where one replicate has the threads to itself: in an ensemble the other threads run other
// replicates.
class WarmWorkers {
 public:
  explicit WarmWorkers(int workers);
  ~WarmWorkers();
  WarmWorkers(const WarmWorkers&) = delete;
  WarmWorkers& operator=(const WarmWorkers&) = delete;

  // Around each parallel section on the thread that made a WarmWorkers (parallel_tasks calls
  // them): the spinners stop, so that the workers take the section's tasks, and start again
  // after it. Nested sections count; elsewhere these do nothing.
  static void pause();
  static void resume();

 private:
  void start();
  void spin();
  int workers_;
  int depth_ = 0;  // parallel sections entered and not left
  std::atomic<bool> stop_{false};
  [[no_unique_address]] tsan::HandOver hand_over_;  // to the spinners (ThreadSanitizer builds only)
  tbb::task_group spinners_;
  WarmWorkers* outer_;  // an enclosing one on the same thread, if any
};

// Calls body(k) for every k in [0, n), possibly in parallel: every parallel section of the
// simulation goes through here. The tsan:: calls tell ThreadSanitizer what libtbb.so orders and
// it cannot see; they are empty in other builds.
template <class Body>
void parallel_tasks(std::size_t n, Body&& body) {
  WarmWorkers::pause();
  tsan::HandOver hand_over;
  hand_over.fork();
  tbb::parallel_for(std::size_t{0}, n, tsan::tasks(hand_over, body));
  hand_over.joined();
  WarmWorkers::resume();
}

inline std::size_t block_count(std::size_t n, std::size_t block_size = kBlockSize) {
  return (n + block_size - 1) / block_size;
}

// Calls body(block, begin, end) for every block of [0, n), possibly in parallel. A smaller
// block_size suits work that is heavy per item (scattered memory) but has few items.
template <class Body>
void for_each_block(std::size_t n, Body&& body, std::size_t block_size = kBlockSize) {
  const std::size_t blocks = block_count(n, block_size);
  parallel_tasks(blocks, [&](std::size_t b) {
    const std::size_t begin = b * block_size;
    const std::size_t end = std::min(n, begin + block_size);
    body(b, begin, end);
  });
}

// Runs body(block, begin, end, partial) with a fresh Partial per block, then folds the partials
// in block order with merge(total, partial). The result does not depend on scheduling.
template <class Partial, class Body, class Merge>
Partial reduce_blocks(std::size_t n, const Partial& zero, Body&& body, Merge&& merge,
                      std::size_t block_size = kBlockSize) {
  std::vector<Partial> partials(block_count(n, block_size), zero);
  for_each_block(n, [&](std::size_t b, std::size_t begin, std::size_t end) {
    body(b, begin, end, partials[b]);
  }, block_size);
  Partial total = zero;
  for (auto& partial : partials) merge(total, partial);
  return total;
}

}  // namespace anjian
