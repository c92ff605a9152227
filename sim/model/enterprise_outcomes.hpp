#pragma once
// What the enterprise-level phases (hazards, public reporting, accidents, enterprise events)
// hand to shared state; merge_outcomes is defined in accidents.cpp.

#include <cstdint>
#include <vector>

#include "model/metrics.hpp"
#include "model/step_context.hpp"
#include "model/world.hpp"

namespace anjian {

// What enterprises hand to shared state (tallies, the accident list, complaint queues, the
// register): collected per block of enterprises, merged in block order (merge_outcomes), so that
// results do not depend on threads.
struct ComplaintPush {
  std::uint16_t department;
  std::uint32_t enterprise;
};
struct EnterpriseOutcomes {
  Tally tally;
  std::vector<AccidentEvent> accidents;
  std::vector<ComplaintPush> complaints;
  std::vector<std::uint32_t> registered;
};
void merge_outcomes(World& world, StepContext& ctx, const EnterpriseOutcomes& out);

}  // namespace anjian
