#pragma once
// A set of entities as one bit each, to which parallel tasks may add. Marking is an atomic OR,
// so the set does not depend on which task marked first, and reading it back gives the members
// in entity order without a sort.

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace anjian {

class Marks {
 public:
  std::size_t size() const { return size_; }

  // Room for entities 0 .. n-1, none marked.
  void assign(std::size_t n) {
    words_.assign((n + kBits - 1) / kBits, 0);
    size_ = n;
  }

  // Safe from parallel tasks, also for entities that share a word; i < size().
  void mark(std::size_t i) {
    std::atomic_ref<std::uint64_t>(words_[i / kBits]).fetch_or(bit(i), std::memory_order_relaxed);
  }

  bool marked(std::size_t i) const { return i < size_ && (words_[i / kBits] & bit(i)) != 0; }

  bool any() const {
    return std::any_of(words_.begin(), words_.end(), [](std::uint64_t w) { return w != 0; });
  }

  void clear() { std::fill(words_.begin(), words_.end(), 0); }

  // Calls f(i) for every marked i in [begin, end), in increasing order.
  template <class F>
  void for_each_in(std::size_t begin, std::size_t end, F&& f) const {
    end = std::min(end, size_);
    for (std::size_t w = begin / kBits; w * kBits < end; ++w) {
      std::uint64_t bits = words_[w];
      if (w == begin / kBits) bits &= ~std::uint64_t{0} << (begin % kBits);
      if (end - w * kBits < kBits) bits &= (std::uint64_t{1} << (end - w * kBits)) - 1;
      for (; bits != 0; bits &= bits - 1) f(w * kBits + static_cast<std::size_t>(std::countr_zero(bits)));
    }
  }

 private:
  static constexpr std::size_t kBits = 64;
  static std::uint64_t bit(std::size_t i) { return std::uint64_t{1} << (i % kBits); }
  std::vector<std::uint64_t> words_;
  std::size_t size_ = 0;
};

}  // namespace anjian
