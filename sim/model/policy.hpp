#pragma once
// Policy (policy.cpp): campaigns and what they do to inspection time.

#include <cstddef>
#include <cstdint>

#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// Policy (policy.cpp): whether a department runs a campaign on a day, and what it does to the
// time its inspectors give to inspections.
bool in_campaign(const Departments& d, std::size_t k, std::int64_t day);
double campaign_capacity_factor(const Departments& d, const Params& params, std::size_t k, std::int64_t day);

}  // namespace anjian
