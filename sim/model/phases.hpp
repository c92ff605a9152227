#pragma once
// The phases of one step, in the order of MODEL.md section 3. Each is a function of the World,
// the parameters and the step context, implemented in its own file under sim/model/.

#include "core/random.hpp"
#include "model/step_context.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"

namespace anjian {

// 1. Policy and coordination: the committee office assigns orphan enterprises (monthly).
void phase_coordination(World& world, const Params& params, StepContext& ctx);
// 2. Hazards: new latent hazards arrive; the enterprise's own management removes some.
void phase_hazards(World& world, const Params& params, StepContext& ctx);
// 4. Inspection planning: departments turn working time into visits (complaints first).
void phase_inspection_planning(World& world, const Params& params, StepContext& ctx);
// 5. Inspections: detection, rectification orders and fines, or referral.
void phase_inspections(World& world, const Params& params, StepContext& ctx);
// 6. Accidents: occurrence from hazards, severity, deaths, injuries, concealment.
void phase_accidents(World& world, const Params& params, StepContext& ctx);
// 11. Observation: stocks at the end of the step.
void phase_observation(World& world, const Params& params, StepContext& ctx);

// Runs every phase in order for one step.
void run_step(World& world, const Params& params, StepContext& ctx);

// Functional forms shared by phases and tests (MODEL.md section 6).
double hazard_arrival_rate(const Params& params, int sector, float size_factor, float quality);
double hazard_removal_rate(const Params& params, float quality);
double accident_rate(const Params& params, int sector, float size_factor, std::int64_t hazards);
double concealment_probability(const Params& params, Severity severity, std::int64_t deaths);
double working_days_in(std::int64_t first_day, int days);
double detection_probability(const Params& params, float skill, bool substantive);
double enforcement_capture(const World& world, const Params& params, std::uint32_t township);
// Inspector behaviour (inspector_behaviour.cpp).
double blame_protection_gain(const Params& params);
double substantive_probability(const Params& params, double morale);
bool choose_substantive(const World& world, const Params& params, std::uint32_t inspector, RandomStream& rng);
// Planning support: risk bounds of risk-based targeting, after targets change.
void update_risk_bounds(World& world, const Params& params);

}  // namespace anjian
