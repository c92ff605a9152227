// Enterprise events by next-event sampling (docs/ODD.md section 6 "Hazard arrival", "Accident
// hazard", "Reporting"; docs/performance.md).
// An enterprise's own events (a hazard arises, its management removes one, the public reports
// one, grid members find it, an accident) are competing exponential clocks whose rates change
// only at its events or at known days. So the engine draws the waiting time to the next event
// from the total rate, picks which event by the rates' shares, and touches the enterprise only
// then; a day costs work for the enterprises with an event that day, not for all of them.
//
// Rates change at the enterprise's own events (drawn anew after each), when another phase
// changes them (inspections, suspensions: calendar.changed, drawn anew the next day), at known
// days (end of a suspension, start of a reporting reward: a wake-up event) and after the monthly
// decisions (quality q): no draw reaches past that horizon, and every enterprise is drawn anew
// there. The draws of enterprise i come from its n-th stream (EnterpriseEvents, i, n), one per
// event (which event, its details, the next waiting time) or fresh waiting time, so they do not
// depend on threads; each day's events run in the order the calendar was filled, in fixed
// chunks whose outcomes merge in order. An enterprise's calendar state is one EventClock
// (world.hpp), and its columns are prefetched a few events ahead: at province scale a day's
// events are scattered cache misses (docs/performance.md, round 3).

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "core/prefetch.hpp"
#include "model/accidents.hpp"
#include "model/enterprise_events.hpp"
#include "model/enterprise_outcomes.hpp"
#include "model/hazards.hpp"
#include "model/inspections.hpp"
#include "model/phases.hpp"
#include "model/public_reporting.hpp"

namespace anjian {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();
// The laws' yearly rates per day: a multiplication where a division would cost several times as
// much at every event (province scale: millions a day).
constexpr double kYearsPerDay = 1.0 / kDaysPerYear;
// Scheduled enterprises per parallel task: fixed, so that chunks (and the order in which their
// outcomes merge) do not depend on the number of threads.
constexpr std::size_t kChunk = 1024;

// The day of a time t >= 0 (finite): truncation, which there equals std::floor, and costs no
// call into libm (without SSE 4.1, std::floor is one, at every event and scheduling).
std::int64_t day_of(double t) { return static_cast<std::int64_t>(t); }

// Rates per day of enterprise i's own events, constant until its next event or rates_change_day.
struct Rates {
  double arrival = 0, removal = 0, report = 0, patrol = 0, mine_search = 0, accident = 0;
  double total() const { return arrival + removal + report + patrol + mine_search + accident; }
};

// What the rates share across enterprises, computed once a step: the reporting rate per hazard
// with and without a reward, and the grid's patrol rate.
struct Constants {
  Constants(const World& world, const Params& params)
      : parameters(params),
        patrol(grid_discovery_rate(world, params) / kDaysPerYear),
        mine_search(illegal_mining_discovery_rate(world, params) / kDaysPerYear),
        report_unrewarded(public_report_rate(params, 1, 0.0) / kDaysPerYear),
        report_rewarded(public_report_rate(params, 1, params.hotline.reward) / kDaysPerYear),
        reward_trial(params.experiment.treatment == Treatment::reporting_reward) {}
  const Params& parameters;  // for the laws shared with the daily phases (their headers)
  double patrol;             // per day, for an unregistered enterprise
  double mine_search;        // per day, for an unregistered mine: natural resources' search for illegal mining
  double report_unrewarded;  // per hazard and day
  double report_rewarded;
  bool reward_trial;  // rewards only for treated enterprises, from the trial's start
};

RateInputs rate_inputs(const Enterprises& e, std::uint32_t i) {
  return {.size_factor = e.size_factor[i],
          .safety_quality = e.safety_quality[i],
          .hazards = e.hazards[i],
          .suspended_until = e.suspended_until[i],
          .sector = e.sector[i],
          .registered = e.registered[i] != 0,
          .treated = e.treated[i] != 0};
}

// hazards.cpp's, accidents.cpp's and public_reporting.cpp's laws (yearly rates), per day, from an
// enterprise's copy of what they depend on.
Rates rates_on(const RateInputs& in, const Constants& c, std::int64_t day) {
  Rates r;
  const Params& params = c.parameters;
  // A suspended enterprise does not produce: no new hazards, no accidents.
  if (!is_suspended(in.suspended_until, day)) {
    r.arrival = hazard_arrival_rate(params, in.sector, in.size_factor, in.safety_quality) * kYearsPerDay;
    r.accident = accident_rate(params, in.sector, in.size_factor, in.safety_quality, in.hazards) * kYearsPerDay;
  }
  if (in.hazards > 0) {
    r.removal = hazard_removal_rate(params, in.safety_quality) * in.hazards * kYearsPerDay;
    const bool rewarded = c.reward_trial ? reward_for(c.parameters, in.treated, day) > 0 : true;
    r.report = in.hazards * (rewarded ? c.report_rewarded : c.report_unrewarded);
  }
  if (!in.registered) r.patrol = c.patrol;
  if (!in.registered && in.sector == static_cast<std::uint8_t>(Sector::mining)) r.mine_search = c.mine_search;
  return r;
}

// The first day after `day` on which an enterprise's rates change by the calendar alone.
std::int64_t rates_change_day(const RateInputs& in, const Constants& c, std::int64_t day,
                              std::int64_t horizon) {
  std::int64_t change = horizon;
  if (day < in.suspended_until) change = std::min<std::int64_t>(change, in.suspended_until);
  const std::int64_t reward_start = c.parameters.experiment.start_day;
  if (c.reward_trial && in.treated && day < reward_start) change = std::min(change, reward_start);
  return change;
}

RandomStream event_stream(RandomKey key, std::uint32_t i, std::uint32_t draw) {
  return RandomStream(key, Stream::EnterpriseEvents, i, draw);
}

enum class Draw : std::uint8_t {
  fresh,    // after an event, or when no earlier waiting time is left to rescale
  rescale,  // the rates changed: the waiting time left keeps its unit exponential
};

// Sets enterprise i's next event after time t (in days) from its current rates (its clock's
// inputs) and returns its time. A fresh draw is Exp(1) / rate. When only the rates changed, the waiting time
// left, Exp(old rate) by memorylessness, becomes (left x old rate) / new rate: the same unit exponential on
// the new clock, so the change costs no draw (Anderson's next-reaction method). A known change of rates
// before the event (end of a suspension, start of a reward) wakes the enterprise then instead. `event_rng`,
// the stream of the event just handled, continues into the fresh draw after it, so that an event costs one
// stream (one Philox block, more only for an accident's details).
double schedule(EventClock& clock, const Constants& c, RandomKey key, std::uint32_t i, double t,
                std::int64_t horizon, Draw how, RandomStream* event_rng = nullptr) {
  const std::int64_t day = day_of(t);
  const double rate = rates_on(clock.inputs, c, day).total();
  const double left = clock.time - t;
  double next = kNever;
  if (rate > 0) {
    const bool can_rescale = how == Draw::rescale && !clock.wakes && clock.rate > 0 && left < kNever;
    if (can_rescale) {
      next = t + left * (clock.rate / rate);
    } else {
      if (event_rng) {
        next = t + unit_exponential(*event_rng) / rate;
      } else {
        RandomStream rng = event_stream(key, i, clock.draws++);
        next = t + unit_exponential(rng) / rate;
      }
    }
  }
  const std::int64_t change = rates_change_day(clock.inputs, c, day, horizon);
  clock.wakes = next >= static_cast<double>(change) && change < horizon;
  if (clock.wakes) next = static_cast<double>(change);
  clock.rate = rate;
  clock.time = next;
  return next;
}

// Which event happens, chosen by the rates' shares.
enum class EventKind : std::uint8_t { arrival, removal, report, patrol, mine_search, accident };

EventKind choose_event(const Rates& r, double u) {
  double x = u * r.total();
  if ((x -= r.arrival) < 0) return EventKind::arrival;
  if ((x -= r.removal) < 0) return EventKind::removal;
  if ((x -= r.report) < 0) return EventKind::report;
  if ((x -= r.patrol) < 0) return EventKind::patrol;
  if ((x -= r.mine_search) < 0) return EventKind::mine_search;
  if (r.accident > 0) return EventKind::accident;
  // Rounding left x at zero or above and there is no accident rate: the last kind with a rate.
  return r.mine_search > 0 ? EventKind::mine_search : EventKind::patrol;
}

// Handles enterprise i's event at time t with its own stream (EnterpriseEvents, i, draw). What
// the event changes in the enterprise's columns it also changes in its clock's inputs.
void fire_event(World& world, const Params& params, const Constants& c, RandomKey key, std::uint32_t i, double t,
                std::uint32_t draw, RandomStream& rng, EnterpriseOutcomes& out) {
  auto& e = world.enterprises;
  EventClock& clock = world.calendar.clocks[i];
  RateInputs& in = clock.inputs;
  const std::int64_t day = day_of(t);
  switch (choose_event(rates_on(in, c, day), rng.uniform())) {
    case EventKind::arrival:
      in.hazards = ++e.hazards[i];
      out.tally[Metric::hazards_arrived] += 1;
      break;
    case EventKind::removal:
      in.hazards = --e.hazards[i];
      out.tally[Metric::hazards_self_removed] += 1;
      break;
    case EventKind::report:
      out.tally[Metric::reports_filed] += 1;
      if (bernoulli(rng, params.hotline.handling_quality)) {
        out.tally[Metric::reports_handled] += 1;
        act_on_handled_report(world, i, out);
        in.registered = true;
      }
      break;
    case EventKind::patrol:
      if (!in.registered) register_enterprise(e, i, Metric::unregistered_found_by_grid, out);
      in.registered = true;
      break;
    case EventKind::mine_search:  // an illegal mine found by natural resources (public_reporting.cpp)
      if (!in.registered) register_enterprise(e, i, Metric::unregistered_found_by_natural_resources, out);
      in.registered = true;
      break;
    case EventKind::accident:
      accident_at(world, params, i, clock.site, day, rng, key, draw, out);
      in.hazards = e.hazards[i];  // part cleaned up after a harmful accident
      break;
  }
}

std::size_t ring_bucket(std::int64_t day) { return static_cast<std::size_t>(day % EventCalendar::kRingDays); }

std::uint64_t ring_bit(std::int64_t day) { return std::uint64_t{1} << ring_bucket(day); }

// Calendar entries drawn by one parallel task, to be entered afterwards in a fixed order: the
// tasks' in task order, each task's in the order it drew them. The ring bucket travels with each
// enterprise (reading it back from its clock would cost a cache miss per enterprise), and
// group() sorts them by bucket, keeping that order, so that the buckets can be filled in parallel
// (enter_in_order).
class Entries {
 public:
  void add(std::uint32_t enterprise, std::int64_t day) {
    drawn_.push_back({enterprise, static_cast<std::uint8_t>(ring_bucket(day))});
  }

  // A counting sort by bucket; stable, so each bucket's enterprises keep the order drawn.
  void group() {
    start_.fill(0);
    for (const Drawn& d : drawn_) ++start_[d.bucket + 1];
    for (std::size_t b = 0; b < kBuckets; ++b) start_[b + 1] += start_[b];
    auto next = start_;
    grouped_.resize(drawn_.size());
    for (const Drawn& d : drawn_) grouped_[next[d.bucket]++] = d.enterprise;
    drawn_ = {};
  }

  std::size_t size() const { return grouped_.size(); }

  // The enterprises of ring bucket b, once grouped.
  std::span<const std::uint32_t> bucket(std::size_t b) const {
    return {grouped_.data() + start_[b], grouped_.data() + start_[b + 1]};
  }

 private:
  static constexpr auto kBuckets = static_cast<std::size_t>(EventCalendar::kRingDays);
  struct Drawn {
    std::uint32_t enterprise;
    std::uint8_t bucket;
  };
  std::vector<Drawn> drawn_;
  std::vector<std::uint32_t> grouped_;
  std::array<std::uint32_t, kBuckets + 1> start_{};
};

// Enters every task's grouped entries in the calendar, in task order: what entering them one by
// one in that order would give, with each bucket filled by its own task. A county's few
// thousand entries a day are entered on one thread: there, parallel tasks cost more than they
// save (100 county replicates ran 11% slower).
void enter_in_order(EventCalendar& calendar, const std::vector<Entries>& tasks) {
  constexpr std::size_t kParallelEntries = 16384;
  const auto fill = [&](std::size_t b) {
    auto& bucket = calendar.days[b];
    for (const Entries& task : tasks) {
      const auto entries = task.bucket(b);
      bucket.insert(bucket.end(), entries.begin(), entries.end());
    }
  };
  std::size_t entries = 0;
  for (const Entries& task : tasks) entries += task.size();
  if (entries < kParallelEntries) {
    for (std::size_t b = 0; b < calendar.days.size(); ++b) fill(b);
  } else {
    parallel_tasks(calendar.days.size(), fill);
  }
}

std::vector<std::uint32_t>& bucket(EventCalendar& calendar, std::int64_t day) {
  return calendar.days[ring_bucket(day)];
}

// Adds enterprise i's entry for the day of `time` to `entries`, unless the bucket of that day
// already holds one. An enterprise drawn anew may fall on a day whose bucket still holds its
// earlier entry; that entry, the first, is the one that runs (what counts is the clock's time
// when the day comes), so a bucket never holds an enterprise twice and a day needs no pass to
// drop duplicates. Only the task that draws i touches its clock.
void add_entry(EventClock& clock, std::uint32_t i, double time, Entries& entries) {
  const auto day = static_cast<std::int64_t>(time);
  if (clock.entered & ring_bit(day)) return;
  clock.entered |= ring_bit(day);
  entries.add(i, day);
}

// First day after `day` on which the rates may change for everyone: the start of the step after
// the next step that ends a month (the enterprise decisions then choose q anew).
std::int64_t next_horizon(std::int64_t day, int step_days) {
  for (std::int64_t step = day / step_days + 1;; ++step) {
    const std::int64_t start = step * step_days;
    if (month_of_day(start) != month_of_day(start - step_days)) return start;
  }
}

// What enterprise i's events read and write: its clock and its hazards (core/prefetch.hpp).
[[gnu::always_inline]] inline void prefetch_event_state(const World& world, std::uint32_t i) {
  __builtin_prefetch(&world.enterprises.hazards[i], 1);
  __builtin_prefetch(&world.calendar.clocks[i], 1);
}

// What scheduling enterprise i from its columns reads: the columns of its rate inputs.
[[gnu::always_inline]] inline void prefetch_rate_inputs(const World& world, std::uint32_t i) {
  const auto& e = world.enterprises;
  __builtin_prefetch(&e.sector[i]);
  __builtin_prefetch(&e.size_factor[i]);
  __builtin_prefetch(&e.safety_quality[i]);
  __builtin_prefetch(&e.hazards[i]);
  __builtin_prefetch(&e.suspended_until[i]);
  __builtin_prefetch(&e.registered[i]);
  __builtin_prefetch(&e.treated[i]);
  __builtin_prefetch(&world.calendar.clocks[i], 1);
}

// Schedules enterprise i anew from time t after a change of its rates, from its columns, and
// adds its calendar entry when its next event falls before the horizon.
void reschedule_one(World& world, const Constants& c, RandomKey key, double t, std::uint32_t i,
                    Entries& entries) {
  auto& calendar = world.calendar;
  EventClock& clock = calendar.clocks[i];
  clock.inputs = rate_inputs(world.enterprises, i);
  const double next = schedule(clock, c, key, i, t, calendar.horizon, Draw::rescale);
  if (next < static_cast<double>(calendar.horizon)) add_entry(clock, i, next, entries);
}

// Schedules every enterprise anew from time t (a new month: the buckets were emptied), in
// parallel blocks whose entries are entered in block order.
void reschedule_all(World& world, const Constants& c, RandomKey key, double t) {
  auto& calendar = world.calendar;
  const std::size_t n = world.enterprises.size();
  std::vector<Entries> scheduled(block_count(n));
  for_each_block(n, [&](std::size_t b, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      calendar.clocks[i].entered = 0;
      reschedule_one(world, c, key, t, static_cast<std::uint32_t>(i), scheduled[b]);
    }
    scheduled[b].group();
  });
  enter_in_order(calendar, scheduled);
}

// Schedules the enterprises marked in calendar.changed anew from time t, in enterprise order:
// fixed ranges of enterprises in parallel, their entries entered in range order.
void reschedule_changed(World& world, const Constants& c, RandomKey key, double t) {
  auto& calendar = world.calendar;
  const auto& changed = calendar.changed;
  // A day's few thousand marks among a province's million: ranges with a few hundred each.
  constexpr std::size_t kRange = 65536;
  const std::size_t n = changed.size();
  std::vector<Entries> scheduled(block_count(n, kRange));
  for_each_block(
      n,
      [&](std::size_t b, std::size_t begin, std::size_t end) {
        std::vector<std::uint32_t> ids;  // the range's marked enterprises: scattered, so prefetched
        changed.for_each_in(begin, end, [&](std::size_t i) { ids.push_back(static_cast<std::uint32_t>(i)); });
        for (std::size_t k = 0; k < ids.size(); ++k) {
          if (k + kPrefetchAhead < ids.size()) prefetch_rate_inputs(world, ids[k + kPrefetchAhead]);
          reschedule_one(world, c, key, t, ids[k], scheduled[b]);
        }
        scheduled[b].group();
      },
      kRange);
  enter_in_order(calendar, scheduled);
}

bool by_enterprise(const AccidentEvent& a, const AccidentEvent& b) { return a.enterprise < b.enterprise; }

// Merges the sorted runs [runs[k], runs[k + 1]) of `items` into one sorted run, pair by pair: the
// same order as a stable sort of the whole when no two runs hold equal items.
template <class T, class Less>
void merge_sorted_runs(std::vector<T>& items, std::vector<std::size_t> runs, Less less) {
  const auto at = [&](std::size_t k) { return items.begin() + static_cast<std::ptrdiff_t>(runs[k]); };
  while (runs.size() > 2) {
    std::vector<std::size_t> merged{runs.front()};
    for (std::size_t k = 0; k + 2 < runs.size(); k += 2) {
      std::inplace_merge(at(k), at(k + 1), at(k + 2), less);
      merged.push_back(runs[k + 2]);
    }
    if (runs.size() % 2 == 0) merged.push_back(runs.back());  // an odd number of runs: the last waits
    runs = std::move(merged);
  }
}

// Runs every event of `day`: the enterprises in its bucket whose next event still falls on it.
void run_day(World& world, const Params& params, const Constants& c, StepContext& ctx, std::int64_t day) {
  auto& calendar = world.calendar;
  auto& clocks = calendar.clocks;
  std::vector<std::uint32_t> due;
  due.swap(bucket(calendar, day));
  // In the (thread-independent) order the calendar was filled, in fixed chunks whose outcomes
  // merge in order; each enterprise is in the bucket once, so each chunk owns its enterprises.
  const double day_end = static_cast<double>(day + 1);
  // What each chunk produced, and the later days its draws fell on.
  const std::size_t chunks = (due.size() + kChunk - 1) / kChunk;
  std::vector<EnterpriseOutcomes> outcomes(chunks);
  std::vector<Entries> later(chunks);
  parallel_tasks(chunks, [&](std::size_t k) {
    const std::size_t end = std::min(due.size(), (k + 1) * kChunk);
    for (std::size_t j = k * kChunk; j < std::min(end, k * kChunk + kPrefetchAhead); ++j)
      prefetch_event_state(world, due[j]);
    for (std::size_t j = k * kChunk; j < end; ++j) {
      if (j + kPrefetchAhead < end) prefetch_event_state(world, due[j + kPrefetchAhead]);
      const std::uint32_t i = due[j];
      EventClock& clock = clocks[i];
      clock.entered &= ~ring_bit(day);
      // An entry left by an earlier draw that was replaced (rescaled to another day).
      // That is std::floor(clock.time) != day without the call into libm; an infinite time (no
      // rate left) is skipped alike.
      if (!(clock.time >= static_cast<double>(day) && clock.time < day_end)) continue;
      double t = clock.time;
      while (t < day_end) {  // every event of this day, in time order
        if (clock.wakes) {
          t = schedule(clock, c, ctx.key, i, t, calendar.horizon, Draw::fresh);
          continue;
        }
        const std::uint32_t draw = clock.draws++;
        RandomStream rng = event_stream(ctx.key, i, draw);
        fire_event(world, params, c, ctx.key, i, t, draw, rng, outcomes[k]);
        t = schedule(clock, c, ctx.key, i, t, calendar.horizon, Draw::fresh, &rng);
      }
      if (t < static_cast<double>(calendar.horizon)) add_entry(clock, i, t, later[k]);
    }
    later[k].group();
    std::stable_sort(outcomes[k].accidents.begin(), outcomes[k].accidents.end(), by_enterprise);
  });
  // The bucket gets its vector back, emptied: the ring's vectors keep their capacity.
  due.clear();
  bucket(calendar, day).swap(due);
  enter_in_order(calendar, later);
  // The run's accident list is in (day, enterprise) order, as under the daily scheme: each
  // chunk's accidents were sorted in its task, and the chunks' sorted runs are merged.
  std::vector<std::size_t> runs{ctx.accidents.size()};  // where each chunk's run starts, and the end
  for (const auto& chunk : outcomes) {
    merge_outcomes(world, ctx, chunk);
    runs.push_back(ctx.accidents.size());
  }
  merge_sorted_runs(ctx.accidents, runs, by_enterprise);
}

}  // namespace

void expect_rate_changes(World& world) {
  auto& changed = world.calendar.changed;
  if (changed.size() != world.enterprises.size()) changed.assign(world.enterprises.size());
}

void rates_changed(World& world, const Params& params, std::uint32_t i) {
  if (params.engine.sampling == Sampling::next_event) world.calendar.changed.mark(i);
}

void phase_enterprise_events(World& world, const Params& params, StepContext& ctx) {
  auto& calendar = world.calendar;
  count_mines(world);
  const Constants c(world, params);
  const auto start = static_cast<double>(ctx.first_day);
  if (calendar.horizon < 0 || ctx.first_day >= calendar.horizon) {
    // A new month's rates (or the first step): everyone is rescheduled; old entries are stale.
    if (calendar.horizon < 0) {
      calendar.clocks.assign(world.enterprises.size(), EventClock{});
      for_each_block(calendar.clocks.size(), [&](std::size_t, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
          calendar.clocks[i].site = accident_site(world.enterprises, static_cast<std::uint32_t>(i));
      });
    }
    for (auto& day : calendar.days) day.clear();
    calendar.changed.assign(world.enterprises.size());
    calendar.horizon = next_horizon(ctx.first_day, ctx.days);
    reschedule_all(world, c, ctx.key, start);
  } else if (calendar.changed.any()) {
    // Rates changed by yesterday's inspections or suspensions: the waiting times left are
    // rescaled to the new rates from now.
    reschedule_changed(world, c, ctx.key, start);
    calendar.changed.clear();
  }
  for (std::int64_t day = ctx.first_day; day < ctx.first_day + ctx.days; ++day) run_day(world, params, c, ctx, day);
}

}  // namespace anjian
