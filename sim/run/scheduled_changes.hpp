#pragma once
// A scenario's dated changes (scenario/schedule.hpp) in the step loop: at the start of a change's
// step the parameters in effect change, and what the world keeps of the parameters from its build
// (posts, budgets, attention, authority, target lists, safety culture, the event calendar's
// waiting times) follows, so that the new value acts from that day on.

#include <cstdint>
#include <vector>

#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

struct NetworkSpec;

class ScheduledChanges {
 public:
  explicit ScheduledChanges(const Params& base);
  // Applies the changes due at the start of `step` (from 0, burn-in included; call once per step,
  // in order) to `current`, and brings `world` in line when a value changed. `first_day` is the
  // step's first calendar day (from 0). Returns whether a value changed: a change to the value
  // already in effect changes nothing at all, not even the draws.
  bool apply(std::int64_t step, std::int64_t first_day, Params& current, World& world,
             const NetworkSpec* network);
  // Passes over the changes due before `step` without applying them (a run resumed there has them).
  void skip_before(std::int64_t step);

 private:
  std::vector<ScheduledChange> ordered_;
  std::vector<std::int64_t> steps_;
  std::size_t next_ = 0;
};

// Brings what the world derived from the parameters at its build in line with `after` (the
// parameters were `before`). Posts are only opened (vacant until the yearly recruitment fills
// them); scenario validation refuses fewer.
void follow_parameters(World& world, const Params& before, const Params& after, const NetworkSpec* network,
                       std::int64_t first_day);

}  // namespace anjian
