#pragma once
// The state of one simulated jurisdiction, as columns (structure of arrays): one contiguous
// vector per field, indexed by entity id. Behaviour lives in the phase files, not here.

#include <cstdint>
#include <vector>

#include "core/random.hpp"
#include "scenario/params.hpp"

namespace anjian {

// Columns are declared in enterprise_columns.def and inspector_columns.def.
struct Enterprises {
#define ANJIAN_COLUMN(type, name, saved, unit, description) std::vector<type> name;
#include "model/enterprise_columns.def"
#undef ANJIAN_COLUMN

  std::size_t size() const { return sector.size(); }
  void resize(std::size_t n);
};

struct Inspectors {
#define ANJIAN_COLUMN(type, name, saved, unit, description) std::vector<type> name;
#include "model/inspector_columns.def"
#undef ANJIAN_COLUMN

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
