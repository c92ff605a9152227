#pragma once
// Scenario parameters: the Params struct and the table of their specifications, both generated
// from params.def and sectors.def so that each parameter is declared exactly once.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace anjian {

// The model's calendar: a year of 365 days (time.step_days, rates per year).
inline constexpr double kDaysPerYear = 365.0;

enum class ParamType { Real, Integer, Boolean, Choice };

// Enumerations of word-valued parameters, from choices.def.
#define ANJIAN_ENUM(Type, ...) enum class Type : std::uint8_t { __VA_ARGS__ };
#include "scenario/choices.def"
#undef ANJIAN_ENUM

// Sectors, in the order of sectors.def.
enum class Sector : std::uint8_t {
#define ANJIAN_SECTOR(sector, ...) sector,
#include "scenario/sectors.def"
};
inline constexpr int kSectorCount = 0
#define ANJIAN_SECTOR(sector, ...) +1
#include "scenario/sectors.def"
    ;
std::string_view sector_name(int sector);

struct SectorParams {
#define ANJIAN_SECTOR_FIELD(field, unit, min, max, meaning, ...) double field = 0.0;
#include "scenario/sectors.def"
};

// One dated change of a parameter: a scenario's `schedule:` entry, --schedule, or
// Scenario.with_schedule (scenario/schedule.hpp; docs/experiments.md, "Dated changes").
struct ScheduledChange {
  enum class Unit : std::uint8_t { day, year };
  Unit unit = Unit::day;
  // day: calendar day from 1, burn-in included, as /series/day counts; year: recorded year from 1
  // (the first year after the burn-in), as results count years. The change acts from the start of
  // that day (of the step that contains it).
  std::int64_t at = 1;
  std::string key;    // a parameter key, as `anjian params` prints it
  double value = 0;   // in the parameter's units, as ParamSpec::get gives it (a choice: its index)
  std::string where;  // where it was written, for messages: file:line:column or --schedule ...
};

#define ANJIAN_CPP_TYPE_Real double
#define ANJIAN_CPP_TYPE_Integer std::int64_t
#define ANJIAN_CPP_TYPE_Boolean bool

struct Params {
#define ANJIAN_SECTION_BEGIN(section) struct section##_params {
#define ANJIAN_PARAM(section, name, type, def, unit, min, max, meaning, ...) \
  ANJIAN_CPP_TYPE_##type name = def;
#define ANJIAN_CHOICE(section, name, Type, def, meaning, ...) Type name = Type::def;
#define ANJIAN_SECTION_END(section) \
  }                                 \
  section;
#include "scenario/params.def"
#undef ANJIAN_PARAM
#undef ANJIAN_CHOICE

  std::array<SectorParams, kSectorCount> sectors = default_sectors();

  static std::array<SectorParams, kSectorCount> default_sectors();

  // Dated changes of the parameters above, in the order they were written (later ones win on the
  // same day); empty: every value holds for the whole run.
  std::vector<ScheduledChange> schedule;

  // Derived quantities used by the engine.
  double step_years() const { return static_cast<double>(time.step_days) / 365.0; }
  std::int64_t step_count() const;          // recorded steps (time.years)
  std::int64_t burn_in_step_count() const;  // steps simulated before them (time.burn_in_years)
};

// Where a parameter's default comes from (params.def, "source..."); none only for a declaration
// that forgot it, which the tests refuse.
enum class SourceKind { none, data, calibrated, assumed, setting };

struct ParamSource {
  SourceKind kind = SourceKind::none;
  std::string note;  // the figure and its [reference key] (data), the target (calibrated), or why
};

// One parameter as the scenario schema sees it. Values travel as double (integers are exact up
// to 2^53, booleans are 0 or 1, choices are the index of their word), so that reading,
// validation and printing share one path.
struct ParamSpec {
  std::string key;
  ParamType type;
  std::string unit;
  double default_value;
  double min;
  double max;
  std::string meaning;
  std::vector<std::string> choices;  // the words of a Choice, in enumerator order
  ParamSource source;
  double (*get)(const Params&);
  void (*set)(Params&, double);
};

const std::vector<ParamSpec>& param_specs();
const ParamSpec* find_param(std::string_view key);
std::string_view type_name(ParamType type);
std::string_view source_kind_name(SourceKind kind);
// "key: a vs b" for each parameter whose value differs, in table order (keys starting with
// `prefix` only, if given).
std::vector<std::string> differing_params(const Params& a, const Params& b, std::string_view prefix = "");
// The reference keys a note cites, "[key]" each, in order: keys of docs/references.md.
std::vector<std::string> cited_references(std::string_view note);
// A value as it would be written in YAML: shortest round-tripping real, integer, true/false.
std::string format_value(const ParamSpec& spec, double value);

}  // namespace anjian
