#pragma once
// Building a world (build_world.cpp): the departments, townships, enterprises and inspectors of
// a scenario or a network, and the behavioural state they start with.

#include "core/random.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

struct NetworkSpec;  // network.hpp

// Draws a world from the scenario: sectors by share, lognormal workforces, Beta safety quality,
// registration, townships, jurisdiction (with orphans and overlaps); departments and their
// inspectors. Uses the Init* streams at step 0. With a network (read from GraphML), the
// townships, departments and enterprises and their jurisdiction come from it instead, and the
// scenario's counts and shares for them are not used.
World build_world(const Params& params, RandomKey key, const NetworkSpec* network = nullptr);

// The concerns of build_world, in its order (each reads what the ones before it built).
// Departments: the scenario's county bureaus and township offices, or the network's.
void build_departments(World& world, const Params& params, const NetworkSpec* network);
// Townships: their growth priority, drawn or the network's.
void build_townships(World& world, const Params& params, RandomKey key, const NetworkSpec* network);
// Enterprises: sector, workforce, township, registration, jurisdiction, safety quality and a
// steady-state hazard stock; then their safety culture, first perceptions and treatment.
// build_world then breaks the county's death figure down to townships by these workforces
// (assign_death_ceilings, assessment.hpp).
void build_enterprises(World& world, const Params& params, RandomKey key, const NetworkSpec* network);
// Inspectors: each department's posts filled, with skill and morale; then their beliefs about
// blame and the tenure and experience of the staff in post.
void build_inspectors(World& world, const Params& params, RandomKey key);

}  // namespace anjian
