#include "io/checkpoint_file.hpp"

#include <cstring>
#include <type_traits>

#include "core/version.hpp"
#include "io/hdf5_util.hpp"
#include "io/results_writer.hpp"

namespace anjian {

namespace {

constexpr std::int64_t kCheckpointFormat = 1;

template <class V>
void put(const h5::Group& g, const std::string& name, const V& values) {
  using T = typename V::value_type;
  g.write_1d<T>(name, std::span<const T>(values.data(), values.size()));
}

template <class T, class V>
void get(const h5::Group& g, const std::string& name, V& into) {
  const std::vector<T> values = g.read_1d<T>(name);
  into.assign(values.begin(), values.end());
}

// Structures of the engine (event clocks, accidents), byte for byte: a checkpoint is read only by
// the build that wrote it.
template <class V>
void put_bytes(const h5::Group& g, const std::string& name, const V& values) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(values.data());
  g.write_1d<std::uint8_t>(name, std::span<const std::uint8_t>(bytes, values.size() * sizeof(values[0])));
}

template <class V>
void get_bytes(const h5::Group& g, const std::string& name, V& into) {
  using T = typename V::value_type;
  static_assert(std::is_trivially_copyable_v<T>);
  const auto bytes = g.read_1d<std::uint8_t>(name);
  if (bytes.size() % sizeof(T) != 0) throw CheckpointError(g.file_name() + ": " + name + " is damaged");
  into.resize(bytes.size() / sizeof(T));
  if (!bytes.empty()) std::memcpy(static_cast<void*>(into.data()), bytes.data(), bytes.size());
}

// Lists of lists as offsets and values.
template <class Lists>
void put_lists(const h5::Group& g, const std::string& name, const Lists& lists) {
  using T = std::decay_t<decltype(*lists.front().begin())>;
  std::vector<std::uint64_t> offsets{0};
  std::vector<T> values;
  for (const auto& list : lists) {
    values.insert(values.end(), list.begin(), list.end());
    offsets.push_back(values.size());
  }
  put(g, name + "_offsets", offsets);
  put(g, name + "_values", values);
}

template <class T, class Lists>
void get_lists(const h5::Group& g, const std::string& name, Lists& lists) {
  const auto offsets = g.read_1d<std::uint64_t>(name + "_offsets");
  const auto values = g.read_1d<T>(name + "_values");
  if (offsets.empty() || offsets.back() != values.size())
    throw CheckpointError(g.file_name() + ": " + name + " is damaged");
  lists.resize(offsets.size() - 1);
  for (std::size_t k = 0; k + 1 < offsets.size(); ++k)
    lists[k].assign(values.begin() + static_cast<std::ptrdiff_t>(offsets[k]),
                    values.begin() + static_cast<std::ptrdiff_t>(offsets[k + 1]));
}

template <class Table>
void put_table(const h5::Group& g, const Table& table) {
  Table::for_each_column([&](auto column, const char* name, auto&&...) { put(g, name, table.*column); });
}

template <class Table>
void get_table(const h5::Group& g, Table& table) {
  Table::for_each_column([&](auto column, const char* name, auto&&...) {
    using T = typename std::decay_t<decltype(table.*column)>::value_type;
    get<T>(g, name, table.*column);
  });
}

std::vector<std::vector<double>> tally_lists(const GroupTally& tally) {
  std::vector<std::vector<double>> lists;
  for (const auto& grouping : tally.values)
    for (const auto& metric : grouping) lists.push_back(metric);
  return lists;
}

void set_tally(GroupTally& tally, const std::vector<std::vector<double>>& lists, std::size_t first) {
  std::size_t k = first;
  for (auto& grouping : tally.values)
    for (auto& metric : grouping) metric = lists.at(k++);
}

constexpr std::size_t kTallyLists = static_cast<std::size_t>(kGroupingCount) * kGroupMetricCount;

void put_state(const h5::Group& g, const RunState& s) {
  g.set_attribute("next_step", s.next_step);
  std::vector<double> values;
  for (const auto& spec : param_specs()) values.push_back(spec.get(s.current));
  put(g, "params", values);
  const World& w = s.world;
  put_table(g.create_group("enterprises"), w.enterprises);
  put_table(g.create_group("inspectors"), w.inspectors);
  put_table(g.create_group("townships"), w.townships);
  const h5::Group d = g.create_group("departments");
  put_table(d, w.departments);
  put_lists(d, "complaints", w.departments.complaints);
  put_lists(d, "targets", w.departments.targets);
  put(d, "risk_bound", w.departments.risk_bound);
  const h5::Group world = g.create_group("world");
  world.set_attribute("targets_stale", std::int64_t{w.targets_stale});
  put(world, "newly_registered", w.newly_registered);
  put(world, "newly_assigned", w.newly_assigned);
  put(world, "registry",
      std::vector<double>{double(w.registry.known), w.registry.workers, w.registry.unregistered,
                          w.registry.orphaned});
  put(world, "hazard_stock", std::vector<std::int64_t>{w.hazard_stock.known, w.hazard_stock.latent});
  const h5::Group calendar = g.create_group("calendar");
  calendar.set_attribute("horizon", w.calendar.horizon);
  put_lists(calendar, "days", w.calendar.days);
  put_bytes(calendar, "clocks", w.calendar.clocks);
  std::vector<std::uint64_t> changed;
  w.calendar.changed.for_each_in(0, w.calendar.changed.size(), [&](std::size_t i) { changed.push_back(i); });
  calendar.set_attribute("changed_size", static_cast<std::int64_t>(w.calendar.changed.size()));
  put(calendar, "changed", changed);
  const h5::Group ctx = g.create_group("context");
  put_bytes(ctx, "accidents", s.ctx.accidents);
  put_bytes(ctx, "inspections", s.ctx.inspections);
  ctx.set_attribute("accidents_forgotten", static_cast<std::int64_t>(s.ctx.accidents_forgotten));
  ctx.set_attribute("accidents_seen_by_policy", static_cast<std::int64_t>(s.ctx.accidents_seen_by_policy));
  ctx.set_attribute("quality_means_known", std::int64_t{s.ctx.quality_means_known});
  ctx.set_attribute("quality_mean", s.ctx.quality_mean);
  ctx.set_attribute("perceived_rate_mean", s.ctx.perceived_rate_mean);
  ctx.set_attribute("first_recorded_accident", static_cast<std::int64_t>(s.first_recorded_accident));
  put_lists(ctx, "series", s.series);
  put_lists(ctx, "month", tally_lists(s.month));
  std::vector<std::vector<double>> months;
  for (const auto& m : s.months)
    for (auto& list : tally_lists(m)) months.push_back(std::move(list));
  put_lists(ctx, "months", months);
}

RunState get_state(const h5::Group& g, const RandomKey key) {
  RunState s;
  s.next_step = g.int_attribute("next_step");
  const auto values = g.read_1d<double>("params");
  const auto& specs = param_specs();
  if (values.size() != specs.size())
    throw CheckpointError(g.file_name() + ": its parameters are another build's");
  for (std::size_t k = 0; k < specs.size(); ++k) specs[k].set(s.current, values[k]);
  World& w = s.world;
  get_table(g.open_group("enterprises"), w.enterprises);
  get_table(g.open_group("inspectors"), w.inspectors);
  get_table(g.open_group("townships"), w.townships);
  const h5::Group d = g.open_group("departments");
  get_table(d, w.departments);
  get_lists<std::uint32_t>(d, "complaints", w.departments.complaints);
  get_lists<std::uint32_t>(d, "targets", w.departments.targets);
  get<double>(d, "risk_bound", w.departments.risk_bound);
  const h5::Group world = g.open_group("world");
  w.targets_stale = world.int_attribute("targets_stale") != 0;
  get<std::uint32_t>(world, "newly_registered", w.newly_registered);
  get<std::uint32_t>(world, "newly_assigned", w.newly_assigned);
  const auto registry = world.read_1d<double>("registry");
  const auto stock = world.read_1d<std::int64_t>("hazard_stock");
  if (registry.size() != 4 || stock.size() != 2) throw CheckpointError(g.file_name() + ": damaged");
  w.registry = {registry[0] != 0, registry[1], registry[2], registry[3]};
  w.hazard_stock = {stock[0] != 0, stock[1]};
  const h5::Group calendar = g.open_group("calendar");
  w.calendar.horizon = calendar.int_attribute("horizon");
  get_lists<std::uint32_t>(calendar, "days", w.calendar.days);
  get_bytes(calendar, "clocks", w.calendar.clocks);
  w.calendar.changed.assign(static_cast<std::size_t>(calendar.int_attribute("changed_size")));
  for (const auto i : calendar.read_1d<std::uint64_t>("changed")) w.calendar.changed.mark(i);
  const h5::Group ctx = g.open_group("context");
  s.ctx.key = key;
  get_bytes(ctx, "accidents", s.ctx.accidents);
  get_bytes(ctx, "inspections", s.ctx.inspections);
  s.ctx.accidents_forgotten = static_cast<std::uint64_t>(ctx.int_attribute("accidents_forgotten"));
  s.ctx.accidents_seen_by_policy = static_cast<std::size_t>(ctx.int_attribute("accidents_seen_by_policy"));
  s.ctx.quality_means_known = ctx.int_attribute("quality_means_known") != 0;
  s.ctx.quality_mean = ctx.real_attribute("quality_mean");
  s.ctx.perceived_rate_mean = ctx.real_attribute("perceived_rate_mean");
  s.first_recorded_accident = static_cast<std::size_t>(ctx.int_attribute("first_recorded_accident"));
  get_lists<double>(ctx, "series", s.series);
  std::vector<std::vector<double>> month, months;
  get_lists<double>(ctx, "month", month);
  set_tally(s.month, month, 0);
  get_lists<double>(ctx, "months", months);
  if (months.size() % kTallyLists != 0) throw CheckpointError(g.file_name() + ": damaged");
  s.months.resize(months.size() / kTallyLists);
  for (std::size_t m = 0; m < s.months.size(); ++m) set_tally(s.months[m], months, m * kTallyLists);
  return s;
}

std::string build_id() { return std::string(kVersion) + " " + kGitCommit; }

}  // namespace

void write_checkpoint(const std::string& path, const Checkpoint& checkpoint) {
  write_hdf5_file(path, [&](const h5::Group& root) {
    root.set_attribute("program", "anjian");
    root.set_attribute("kind", "checkpoint");
    root.set_attribute("checkpoint_format", kCheckpointFormat);
    root.set_attribute("build", build_id());
    root.set_attribute("scenario_name", checkpoint.scenario_name);
    root.set_attribute("seed", checkpoint.seed);
    root.set_attribute("step_days", checkpoint.step_days);
    root.set_attribute("burn_in_steps", checkpoint.burn_in_steps);
    root.set_attribute("day", checkpoint.day);
    root.set_attribute("replicates", static_cast<std::int64_t>(checkpoint.replicates.size()));
    root.write_string("scenario", checkpoint.scenario_yaml);
    const h5::Group replicates = root.create_group("replicates");
    for (std::size_t r = 0; r < checkpoint.replicates.size(); ++r)
      put_state(replicates.create_group(std::to_string(r)), checkpoint.replicates[r]);
  });
}

Checkpoint read_checkpoint(const std::string& path) {
  h5::File file = [&] {
    try {
      return h5::File::open_read_only(path);
    } catch (const IoError& e) {
      throw CheckpointError(e.what());
    }
  }();
  const h5::Group root = file.root();
  try {
    if (!root.has_attribute("kind") || root.string_attribute("kind") != "checkpoint")
      throw CheckpointError(path +
                            ": not an anjian checkpoint (write one with anjian run --checkpoint-at-day)");
    if (root.string_attribute("build") != build_id())
      throw CheckpointError(path + ": written by anjian " + root.string_attribute("build") + ", this is " +
                            build_id() +
                            "; a checkpoint holds the engine's own state, so write it again with this build");
    Checkpoint c;
    c.scenario_name = root.string_attribute("scenario_name");
    c.scenario_yaml = root.read_string("scenario");
    c.seed = root.int_attribute("seed");
    c.step_days = root.int_attribute("step_days");
    c.burn_in_steps = root.int_attribute("burn_in_steps");
    c.day = root.int_attribute("day");
    const h5::Group replicates = root.open_group("replicates");
    const auto n = root.int_attribute("replicates");
    for (std::int64_t r = 0; r < n; ++r)
      c.replicates.push_back(
          get_state(replicates.open_group(std::to_string(r)),
                    RandomKey{static_cast<std::uint64_t>(c.seed), static_cast<std::uint64_t>(r)}));
    return c;
  } catch (const IoError& e) {
    throw CheckpointError(path + ": damaged checkpoint (" + e.what() + ")");
  }
}

}  // namespace anjian
