#pragma once
// Memory for the columns of a million enterprises, on 2 MiB pages where the kernel offers them
// (transparent huge pages in "madvise" mode, Debian's default). A day's events and inspections
// reach enterprises scattered over a table of hundreds of MiB: with 4 KiB pages nearly every
// such access also misses the TLB and walks the page table; with 2 MiB pages the TLB covers the
// table. Small vectors take the ordinary allocator. The advice changes speed only, never values.

#include <sys/mman.h>

#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#include "core/parallel.hpp"

namespace anjian {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// The kernel zeroes a page when it is first touched, on the thread that touches it: for a
// province's columns a third of a second on one thread while the vector fills them. Touching
// the fresh pages from every thread first shares that work. (`rounded` is whole huge pages.)
inline void touch_in_parallel(char* memory, std::size_t rounded) {
  constexpr std::size_t kSmallPageBytes = 4096;  // whichever pages the kernel gave
  parallel_tasks(rounded / kHugePageBytes, [&](std::size_t k) {
    volatile char* page = memory + k * kHugePageBytes;  // stores the compiler must keep
    for (std::size_t b = 0; b < kHugePageBytes; b += kSmallPageBytes) page[b] = 0;
  });
}

template <class T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) return std::allocator<T>{}.allocate(n);
    const std::size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    void* p = std::aligned_alloc(kHugePageBytes, rounded);
    if (p == nullptr) throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE);  // advice: refused (no THP) means 4 KiB pages, as before
    touch_in_parallel(static_cast<char*>(p), rounded);
    return static_cast<T*>(p);
  }

  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kHugePageBytes) {
      std::allocator<T>{}.deallocate(p, n);
    } else {
      std::free(p);
    }
  }

  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
};

// A column of a big table.
template <class T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace anjian
