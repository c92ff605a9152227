#pragma once
// Enterprise events (enterprise_events.cpp): under next-event sampling, what other phases
// call when they change an enterprise's rates.

#include <cstdint>

#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// Another phase changed enterprise i's rates (hazards, suspension): under next-event sampling its
// next event is drawn anew at the start of the next step. Safe to call from parallel tasks once
// the phase has called expect_rate_changes (which makes room for the marks: only needed before
// the first step, or in a world built by hand).
void expect_rate_changes(World& world);
void rates_changed(World& world, const Params& params, std::uint32_t i);

}  // namespace anjian
