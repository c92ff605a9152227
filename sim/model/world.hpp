#pragma once
// The state of one simulated jurisdiction, as columns (structure of arrays): one contiguous
// vector per field, indexed by entity id. Behaviour lives in the phase files, not here.

#include <cstdint>
#include <vector>

#include "core/random.hpp"
#include "scenario/params.hpp"

namespace anjian {

struct Enterprises {
  std::vector<std::uint8_t> sector;           // Sector
  std::vector<std::uint32_t> township;        // township id
  std::vector<std::uint32_t> workers;         // headcount
  std::vector<std::uint8_t> registered;       // 1 = known to the regulator
  std::vector<float> safety_quality;          // q in [0,1]
  std::vector<float> size_factor;             // (workers / reference_workers)^theta, cached
  std::vector<std::int32_t> hazards;          // latent hazards now
  std::vector<std::int32_t> inspections;      // inspections received so far
  std::vector<std::int32_t> accidents;        // reportable accidents so far (true)
  std::vector<std::int32_t> deaths;           // deaths so far (true)

  std::size_t size() const { return sector.size(); }
  void resize(std::size_t n);
};

struct Inspectors {
  std::vector<float> skill;                   // chance to find a given hazard
  std::vector<double> capacity_credit;        // inspections owed but not yet whole
  std::vector<std::int32_t> inspections;      // inspections done so far
  std::vector<std::int32_t> hazards_found;    // hazards found so far

  std::size_t size() const { return skill.size(); }
  void resize(std::size_t n);
};

struct World {
  Enterprises enterprises;
  Inspectors inspectors;
  std::uint32_t townships = 0;
  std::vector<std::uint32_t> registered_ids;  // enterprises visible to inspection planning
};

// Draws a world from the scenario: sectors by share, lognormal workforces, Beta safety quality,
// registration, townships; inspectors with normal skill. Uses the Init* streams at step 0.
World build_world(const Params& params, RandomKey key);

}  // namespace anjian
