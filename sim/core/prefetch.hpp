#pragma once
// Prefetching for loops that reach scattered entities (a day's events, a step's visits): asking
// for the memory of the entity a few items ahead lets the cache misses overlap instead of
// stalling one after another (docs/performance.md, round 3). A helper that only prefetches must
// be `[[gnu::always_inline]]`: GCC deems a function without other effects free of them and
// drops its calls.

#include <cstddef>

namespace anjian {

// How many items ahead to prefetch: far enough that a miss (about 100 ns) is served before the
// item is reached, near enough that the lines are still in the cache.
inline constexpr std::size_t kPrefetchAhead = 8;

}  // namespace anjian
