#pragma once
// Items 0 .. n-1 grouped by a key, each group's items in increasing order, in one array filled by
// a counting sort: group k's items are items[offset[k]] up to items[offset[k + 1]]. Built every
// step (inspectors by department, visits by task), where a vector per group grew by reallocation.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace anjian {

struct Grouped {
  std::vector<std::uint32_t> items;
  std::vector<std::size_t> offset;  // one per group, and the end

  std::size_t groups() const { return offset.size() - 1; }
  std::span<const std::uint32_t> of(std::size_t k) const {
    return {items.data() + offset[k], offset[k + 1] - offset[k]};
  }
};

// Groups items 0 .. n-1 by group_of(i) in [0, groups); an item whose group_of is `groups` or more
// is left out. group_of is called twice per item.
template <class GroupOf>
Grouped group_items(std::size_t n, std::size_t groups, GroupOf&& group_of) {
  Grouped g;
  g.offset.assign(groups + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = group_of(i);
    if (k < groups) ++g.offset[k + 1];
  }
  for (std::size_t k = 0; k < groups; ++k) g.offset[k + 1] += g.offset[k];
  g.items.resize(g.offset.back());
  std::vector<std::size_t> next(g.offset.begin(), g.offset.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = group_of(i);
    if (k < groups) g.items[next[k]++] = static_cast<std::uint32_t>(i);
  }
  return g;
}

}  // namespace anjian
