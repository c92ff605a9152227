#pragma once
// Dated changes of parameters (Params::schedule): a scenario's `schedule:` list, --schedule on the
// command line, Scenario.with_schedule in Python. Reading, checking against the run and the
// calendar of when each change acts; the step loop applies them (run/scheduled_changes.hpp).
// docs/experiments.md, "Dated changes", is the user's page.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/params.hpp"

namespace YAML {
class Node;
class Emitter;
}  // namespace YAML

namespace anjian {

// Calendar day, from 1 with the burn-in included (as /series/day counts), from whose start the
// change acts: a day as written; year y is the first day of recorded year y.
std::int64_t change_day(const Params& params, const ScheduledChange& change);
// The step (from 0, burn-in included) at whose start the change acts: the step holding its day.
std::int64_t change_step(const Params& params, const ScheduledChange& change);
// The recorded year (from 1 after the burn-in; 0 or less inside the burn-in) holding a calendar
// day counted from 1.
std::int64_t recorded_year_of_day(const Params& params, std::int64_t day);

// Why a parameter cannot change during a run ("" when it can): the run's shape, the output, or
// what is drawn once when the county is built.
std::string unschedulable_reason(std::string_view key);

// Appends the changes of a scenario file's `schedule:` node to params.schedule; each refused entry,
// key or value adds a message naming file:line:column to `errors`.
void read_schedule(Params& params, const YAML::Node& node, const std::string& file,
                   std::vector<std::string>& errors);
// Appends one change written as WHEN:KEY=VALUE, WHEN being year=N or day=N (the --schedule form).
// `where` names the source in messages (e.g. "--schedule year=3:..."). Throws ScenarioError.
void add_scheduled_change(Params& params, std::string_view text, const std::string& where);
// Appends one change: `unit` "year" or "day", the date, a key and its value as YAML text. Throws
// ScenarioError naming `where`.
void add_scheduled_change(Params& params, std::string_view unit, std::int64_t at, std::string_view key,
                          std::string_view value, const std::string& where);

// Checks the schedule against the run: every date inside it, no posts abolished. One message per
// problem, naming where the change was written and the fix.
void check_schedule(const Params& params, std::vector<std::string>& errors);

// The schedule in the order the step loop applies it: by step, then as written.
std::vector<ScheduledChange> ordered_schedule(const Params& params);
// "year 3" or "day 1100".
std::string change_date_text(const ScheduledChange& change);
// The value as YAML writes it (a choice as its word).
std::string change_value_text(const ScheduledChange& change);
// The value of a parameter in effect during step `step` (from 0, burn-in included): the base
// value, then every change due by that step.
double value_at_step(const Params& params, std::string_view key, std::int64_t step);

// `schedule:` as scenario YAML (nothing when the schedule is empty), for to_yaml.
void emit_schedule(YAML::Emitter& out, const Params& params);

}  // namespace anjian
