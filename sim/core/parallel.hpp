#pragma once
// Deterministic data parallelism: work is cut into fixed blocks of entities whatever the thread
// count, each block writes only its own slot, and slots are combined in block order. So sums,
// event lists and every draw are the same for 1 or 64 threads.

#include <tbb/parallel_for.h>

#include <cstddef>
#include <vector>

namespace anjian {

inline constexpr std::size_t kBlockSize = 4096;

inline std::size_t block_count(std::size_t n, std::size_t block_size = kBlockSize) {
  return (n + block_size - 1) / block_size;
}

// Calls body(block, begin, end) for every block of [0, n), possibly in parallel. A smaller
// block_size suits work that is heavy per item (scattered memory) but has few items.
template <class Body>
void for_each_block(std::size_t n, Body&& body, std::size_t block_size = kBlockSize) {
  const std::size_t blocks = block_count(n, block_size);
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
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
