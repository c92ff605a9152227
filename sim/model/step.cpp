// One step: the phases of docs/ODD.md section 3 in the fixed order of phase_table.def.

#include <chrono>

#include "model/phases.hpp"

namespace anjian {

std::int64_t month_of_day(std::int64_t day) {
  static constexpr int kMonthEnds[12] = {31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};
  const std::int64_t year = day / 365;
  const std::int64_t day_of_year = day % 365;
  int m = 0;
  while (day_of_year >= kMonthEnds[m]) ++m;
  return year * 12 + m;
}

void StepContext::begin_step(std::int64_t step_index, int step_days) {
  step = step_index;
  days = step_days;
  first_day = step_index * step_days;
  years = static_cast<double>(step_days) / 365.0;
  const std::int64_t last_day = first_day + step_days - 1;
  month = month_of_day(last_day);
  month_ends = month_of_day(last_day + 1) != month_of_day(first_day);
  year_ends = (last_day + 1) / 365 != first_day / 365;
  year_starts = first_day % 365 < step_days;
  tally = Tally{};
  visits.clear();
  roster.reset();
  step_accidents_begin = accidents.size();
}

const DepartmentStaff& step_roster(const World& world, StepContext& ctx) {
  if (!ctx.roster) ctx.roster = std::make_shared<const DepartmentStaff>(department_staff(world));
  return *ctx.roster;
}

void StepContext::forget_seen_accidents() {
  accidents.erase(accidents.begin(),
                  accidents.begin() + static_cast<std::ptrdiff_t>(accidents_seen_by_policy));
  accidents_forgotten += accidents_seen_by_policy;
  accidents_seen_by_policy = 0;
}

namespace {

bool runs_under(PhaseScheme scheme, Sampling sampling) {
  switch (scheme) {
    case PhaseScheme::both:
      return true;
    case PhaseScheme::daily:
      return sampling == Sampling::daily;
    case PhaseScheme::next_event:
      return sampling != Sampling::daily;
  }
  return true;
}

}  // namespace

void run_step(World& world, const Params& params, StepContext& ctx) {
  // With ctx.time_phases (`anjian run --stats`) each phase's wall time is added to ctx.seconds;
  // one clock read between phases, since the end of one is the start of the next.
  using Clock = std::chrono::steady_clock;
  Clock::time_point lap = ctx.time_phases ? Clock::now() : Clock::time_point{};
  const auto timed = [&](Timed which, void (*phase)(World&, const Params&, StepContext&)) {
    phase(world, params, ctx);
    if (!ctx.time_phases) return;
    const auto now = Clock::now();
    ctx.seconds[static_cast<std::size_t>(which)] += std::chrono::duration<double>(now - lap).count();
    lap = now;
  };
  // Next-event sampling runs each enterprise's own events (steps 2, 3 and 6) at their times in
  // one phase; the daily reference scheme draws each once per enterprise and step.
  const Sampling sampling = params.engine.sampling;
#define ANJIAN_PHASE(name, label, scheme) \
  if (runs_under(PhaseScheme::scheme, sampling)) timed(Timed::name, phase_##name);
#include "model/phase_table.def"
#undef ANJIAN_PHASE
}

}  // namespace anjian
