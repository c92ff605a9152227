#pragma once
// Staff (staff.cpp): morale, skill, turnover and specialisation of inspectors.

#include <cstdint>

#include "core/random.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// Staff (staff.cpp): morale events (also remembered in the morale target), the morale target,
// the monthly chance of leaving, skill growth, specialisation, and the build-time tenure and
// experience of the staff in post.
inline constexpr std::uint8_t kNoSpecialisation = 255;
void shift_morale(Inspectors& in, std::uint32_t inspector, double delta);
double morale_target(const Params& params, double enterprises_per_inspector, double memory);
double turnover_probability(const Params& params, double morale);
double skill_learning_rate(const Params& params);
double skill_after(const Params& params, double skill, double years);
bool is_specialist(const Inspectors& in, std::uint32_t inspector, int sector);
void init_staff(World& world, const Params& params, RandomKey key);

}  // namespace anjian
