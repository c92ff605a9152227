#include "scenario/schedule.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "scenario/scenario.hpp"

namespace anjian {

namespace {

constexpr std::int64_t kWholeDaysPerYear = static_cast<std::int64_t>(kDaysPerYear);

std::int64_t burn_in_days(const Params& params) {
  return params.burn_in_step_count() * params.time.step_days;
}

std::int64_t run_days(const Params& params) {
  return (params.burn_in_step_count() + params.step_count()) * params.time.step_days;
}

std::string location(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

// What cannot change once a run has started, and why. A key is matched whole, or by a prefix
// ending in '.', or (sectors) by its field.
struct Fixed {
  std::string_view key;
  std::string_view reason;
};
constexpr std::string_view kBuilt = "it is drawn once, when the county is built";
constexpr Fixed kFixed[] = {
    {"run.", "the seed and the replicates hold for the whole run"},
    {"time.", "the run's length and steps hold for the whole run (a schedule's dates are counted in them)"},
    {"output.", "what the result file holds is chosen for the whole run"},
    {"engine.", "the sampling scheme holds for the whole run"},
    {"county.townships", "the county's townships are created when the county is built"},
    {"enterprises.count", "the county's enterprises are created when the county is built"},
    {"enterprises.unregistered_share",
     "who is registered is drawn once, when the county is built; later registrations come from public "
     "reports and "
     "the grid (citizens.*, hotline.*, grid.*)"},
    {"enterprises.workers_sigma", kBuilt},
    {"enterprises.reference_workers",
     "enterprises' size factors are computed once, when the county is built"},
    {"enterprises.size_exponent", "enterprises' size factors are computed once, when the county is built"},
    {"enterprises.safety_quality_mean",
     "the starting safety quality is drawn once, when the county is built; enterprises then choose it "
     "themselves"},
    {"enterprises.safety_quality_concentration",
     "the starting safety quality is drawn once, when the county is built; enterprises then choose it "
     "themselves"},
    {"enterprises.safety_culture_sd",
     "safety culture is drawn once, when the county is built (enterprises.safety_culture_mean can change: it "
     "shifts every enterprise's culture)"},
    {"deterrence.initial_perceived_rate",
     "first perceptions are set when the county is built; enterprises then learn"},
    {"inspectors.blame_chance_prior",
     "first beliefs are set when the county is built; inspectors then learn"},
    {"jurisdiction.orphan_share",
     "jurisdiction is drawn once, when the county is built; the committee office assigns orphans later "
     "(coordination.orphan_assignment_rate)"},
    {"jurisdiction.overlap_share", "jurisdiction is drawn once, when the county is built"},
    {"jurisdiction.special_equipment_share", "jurisdiction is drawn once, when the county is built"},
    {"townships.growth_priority_mean", kBuilt},
    {"staff.initial_tenure_years", "the first staff's tenure is drawn once, when the county is built"},
    {"experiment.treatment",
     "the virtual experiment's treated units are drawn when the county is built; experiment.start_day delays "
     "its start"},
    {"experiment.unit", "the virtual experiment's treated units are drawn when the county is built"},
    {"experiment.share", "the virtual experiment's treated units are drawn when the county is built"},
    {".share", "the county's enterprises are drawn once, when the county is built"},
    {".mean_workers", "the county's enterprises are drawn once, when the county is built"},
};

// Posts can be opened by a schedule (vacant until recruitment fills them) but not abolished.
constexpr std::string_view kPostKeys[] = {
    "departments.emergency_management_staff", "departments.construction_staff",
    "departments.natural_resources_staff", "departments.market_supervision_staff", "townships.office_staff"};

constexpr std::string_view kEntryExample =
    "for example\n    schedule:\n      - year: 3\n        set: {accountability.rule: due_diligence}";

// The value of `text` for `key`, checked as a scenario's would be.
double parse_change_value(std::string_view key, std::string_view text, const std::string& where) {
  if (const auto reason = unschedulable_reason(key); !reason.empty()) {
    throw ScenarioError(where + ": " + std::string(key) + " cannot change during a run: " + reason +
                        "; set it for the whole run instead (in the scenario or with --set)");
  }
  Params scratch;
  set_param(scratch, key, text, where);  // unknown key, type and range, with suggestions
  return find_param(key)->get(scratch);
}

// A date as written: a whole number from 1.
bool parse_date(std::string_view text, std::int64_t& at) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, at);
  if (ec == std::errc() && ptr == end) return at >= 1;
  double real = 0;
  auto [rptr, rec] = std::from_chars(text.data(), end, real);
  if (rec != std::errc() || rptr != end || real != static_cast<double>(static_cast<std::int64_t>(real)))
    return false;
  at = static_cast<std::int64_t>(real);
  return at >= 1;
}

std::string date_expected(std::string_view unit) {
  return unit == "year"
             ? "a whole number of years from 1 (recorded year 1 is the first after the burn-in)"
             : "a whole number of days from 1 (day 1 is the run's first, burn-in included, as /series/day "
               "counts)";
}

ScheduledChange::Unit unit_of(std::string_view word) {
  return word == "year" ? ScheduledChange::Unit::year : ScheduledChange::Unit::day;
}

// Walks a `set:` mapping (nested or dotted keys) and calls f(full key, value node, key node).
template <class F>
void for_each_leaf(const YAML::Node& node, const std::string& prefix, const std::string& file,
                   std::vector<std::string>& errors, F&& f) {
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    const std::string full = prefix.empty() ? key : prefix + "." + key;
    if (entry.second.IsMap()) {
      for_each_leaf(entry.second, full, file, errors, f);
    } else if (!entry.second.IsScalar()) {
      errors.push_back(location(file, entry.first.Mark()) + ": schedule: " + full +
                       ": expected a single value or a mapping of keys, found " +
                       (entry.second.IsSequence() ? "a list" : "nothing"));
    } else {
      f(full, entry.second, entry.first);
    }
  }
}

}  // namespace

std::int64_t change_day(const Params& params, const ScheduledChange& change) {
  if (change.unit == ScheduledChange::Unit::day) return change.at;
  return burn_in_days(params) + (change.at - 1) * kWholeDaysPerYear + 1;
}

std::int64_t change_step(const Params& params, const ScheduledChange& change) {
  return (change_day(params, change) - 1) / params.time.step_days;
}

std::int64_t recorded_year_of_day(const Params& params, std::int64_t day) {
  const std::int64_t after = day - burn_in_days(params) - 1;  // days after the burn-in, from 0
  return (after >= 0 ? after / kWholeDaysPerYear : -((-after + kWholeDaysPerYear - 1) / kWholeDaysPerYear)) + 1;
}

std::string unschedulable_reason(std::string_view key) {
  for (const auto& fixed : kFixed) {
    const bool match = fixed.key.front() == '.'  ? key.starts_with("sectors.") && key.ends_with(fixed.key)
                       : fixed.key.back() == '.' ? key.starts_with(fixed.key)
                                                 : key == fixed.key;
    if (match) return std::string(fixed.reason);
  }
  return {};
}

void read_schedule(Params& params, const YAML::Node& node, const std::string& file,
                   std::vector<std::string>& errors) {
  if (!node.IsSequence()) {
    errors.push_back(location(file, node.Mark()) + ": schedule: expected a list of dated changes, " +
                     std::string(kEntryExample));
    return;
  }
  for (const auto& entry : node) {
    const std::string at_entry = location(file, entry.Mark());
    if (!entry.IsMap()) {
      errors.push_back(at_entry + ": schedule: each entry is a mapping with year: or day: and set:, " +
                       std::string(kEntryExample));
      continue;
    }
    std::string unit;
    YAML::Node date, settings;
    bool ok = true;
    for (const auto& field : entry) {
      const std::string name = field.first.as<std::string>();
      const std::string where = location(file, field.first.Mark());
      if (name == "year" || name == "day") {
        if (!unit.empty()) {
          errors.push_back(where + ": schedule: an entry has one date, found both " + unit + ": and " + name +
                           ":; write two entries");
          ok = false;
        }
        unit = name;
        date = field.second;
      } else if (name == "set") {
        settings = field.second;
      } else {
        errors.push_back(where + ": schedule: unknown key '" + name +
                         "' in an entry; an entry has year: or day: (when) and set: (the keys it changes)");
        ok = false;
      }
    }
    if (unit.empty()) {
      errors.push_back(at_entry +
                       ": schedule: the entry has no date; add year: N (recorded year) or day: N "
                       "(calendar day from 1, burn-in included)");
      ok = false;
    }
    std::int64_t at = 0;
    if (!unit.empty() && (!date.IsScalar() || !parse_date(date.Scalar(), at))) {
      errors.push_back(location(file, date.Mark()) + ": schedule: " + unit + ": expected " +
                       date_expected(unit) + ", found '" +
                       (date.IsScalar() ? date.Scalar() : std::string("a list or mapping")) + "'");
      ok = false;
    }
    if (!settings || !settings.IsMap() || settings.size() == 0) {
      errors.push_back(at_entry + ": schedule: the entry needs set: with the keys it changes, " +
                       std::string(kEntryExample));
      ok = false;
    }
    if (!ok) continue;
    for_each_leaf(settings, "", file, errors,
                  [&](const std::string& key, const YAML::Node& value, const YAML::Node& key_node) {
                    // Point at the key when the key is wrong, at the value when the value is.
                    const ParamSpec* spec = find_param(key);
                    const std::string at_key = location(file, key_node.Mark());
                    const std::string where =
                        spec && unschedulable_reason(key).empty() ? location(file, value.Mark()) : at_key;
                    if (spec && spec->type != ParamType::Choice && value.Tag() == "!") {
                      errors.push_back(where + ": " + key + ": expected " +
                                       std::string(type_name(spec->type)) + ", found the quoted text \"" +
                                       value.Scalar() + "\"; write it without quotes");
                      return;
                    }
                    try {
                      const double v = parse_change_value(key, value.Scalar(), where);
                      params.schedule.push_back({unit_of(unit), at, key, v, at_key});
                    } catch (const ScenarioError& error) {
                      errors.push_back(error.what());
                    }
                  });
  }
}

void add_scheduled_change(Params& params, std::string_view unit, std::int64_t at, std::string_view key,
                          std::string_view value, const std::string& where) {
  if (unit != "year" && unit != "day") {
    throw ScenarioError(where +
                        ": the date is year=N (recorded year from 1) or day=N (calendar day from 1, "
                        "burn-in included), found '" +
                        std::string(unit) + "'");
  }
  if (at < 1) {
    throw ScenarioError(where + ": " + std::string(unit) + ": expected " + date_expected(unit) + ", found " +
                        std::to_string(at));
  }
  const double v = parse_change_value(key, value, where);
  params.schedule.push_back({unit_of(unit), at, std::string(key), v, where});
}

void add_scheduled_change(Params& params, std::string_view text, const std::string& where) {
  const auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  const std::string usage =
      "expected WHEN:KEY=VALUE with WHEN year=N (recorded year) or day=N (calendar day from 1, burn-in "
      "included), for example --schedule year=3:accountability.rule=due_diligence";
  const auto colon = text.find(':');
  const auto when = trim(text.substr(0, colon));
  const auto eq = when.find('=');
  if (colon == std::string_view::npos || eq == std::string_view::npos)
    throw ScenarioError(where + ": " + usage);
  const auto unit = trim(when.substr(0, eq));
  const auto date = trim(when.substr(eq + 1));
  const auto assignment = trim(text.substr(colon + 1));
  const auto set = assignment.find('=');
  if ((unit != "year" && unit != "day") || set == std::string_view::npos || set == 0)
    throw ScenarioError(where + ": " + usage);
  std::int64_t at = 0;
  if (!parse_date(date, at)) {
    throw ScenarioError(where + ": " + std::string(unit) + ": expected " + date_expected(unit) + ", found '" +
                        std::string(date) + "'");
  }
  add_scheduled_change(params, unit, at, trim(assignment.substr(0, set)), trim(assignment.substr(set + 1)),
                       where);
}

void check_schedule(const Params& params, std::vector<std::string>& errors) {
  const std::int64_t days = run_days(params);
  const std::int64_t burn_in = burn_in_days(params);
  const std::int64_t last_year = recorded_year_of_day(params, days);
  for (const auto& change : params.schedule) {
    if (change_day(params, change) <= days) continue;
    if (change.unit == ScheduledChange::Unit::year) {
      errors.push_back(change.where + ": schedule: year " + std::to_string(change.at) +
                       " is beyond the run, which records years 1 to " + std::to_string(last_year) +
                       " (time.years: " + format_value(*find_param("time.years"), params.time.years) +
                       "); choose a year up to " + std::to_string(last_year) + " or lengthen time.years");
    } else {
      errors.push_back(
          change.where + ": schedule: day " + std::to_string(change.at) +
          " is beyond the run, whose days are 1 to " + std::to_string(days) + " (" +
          (burn_in > 0 ? "the burn-in's " + std::to_string(burn_in) + " included, " : std::string()) +
          "as /series/day counts); choose a day up to " + std::to_string(days) + " or lengthen time.years");
    }
  }
  // Posts: opened, never abolished.
  std::map<std::string, double, std::less<>> posts;
  for (const auto key : kPostKeys) posts[std::string(key)] = find_param(key)->get(params);
  for (const auto& change : ordered_schedule(params)) {
    const auto it = posts.find(change.key);
    if (it == posts.end()) continue;
    if (change.value < it->second) {
      const auto before = std::to_string(static_cast<std::int64_t>(it->second));
      errors.push_back(
          change.where + ": schedule: " + change.key + ": " + change_value_text(change) + " at " +
          change_date_text(change) + " is fewer than the " + before +
          " posts by then; a schedule can open posts (vacant until recruitment fills them) but not "
          "abolish them: keep at least " +
          before + ", or set the smaller staffing for the whole run");
    }
    it->second = std::max(it->second, change.value);
  }
}

std::vector<ScheduledChange> ordered_schedule(const Params& params) {
  std::vector<ScheduledChange> ordered = params.schedule;
  std::stable_sort(ordered.begin(), ordered.end(), [&](const ScheduledChange& a, const ScheduledChange& b) {
    return change_step(params, a) < change_step(params, b);
  });
  return ordered;
}

std::string change_date_text(const ScheduledChange& change) {
  return (change.unit == ScheduledChange::Unit::year ? "year " : "day ") + std::to_string(change.at);
}

std::string change_value_text(const ScheduledChange& change) {
  const ParamSpec* spec = find_param(change.key);
  return spec ? format_value(*spec, change.value) : std::to_string(change.value);
}

double value_at_step(const Params& params, std::string_view key, std::int64_t step) {
  const ParamSpec* spec = find_param(key);
  double value = spec->get(params);
  for (const auto& change : ordered_schedule(params)) {
    if (change_step(params, change) > step) break;
    if (change.key == key) value = change.value;
  }
  return value;
}

void emit_schedule(YAML::Emitter& out, const Params& params) {
  if (params.schedule.empty()) return;
  out << YAML::Key << "schedule" << YAML::Value << YAML::BeginSeq;
  for (const auto& change : params.schedule) {
    out << YAML::BeginMap;
    out << YAML::Key << (change.unit == ScheduledChange::Unit::year ? "year" : "day") << YAML::Value
        << change.at;
    out << YAML::Key << "set" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << change.key << YAML::Value << change_value_text(change);
    out << YAML::EndMap << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

}  // namespace anjian
