#include "io/results_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/version.hpp"
#include <sstream>

#include "io/digest.hpp"
#include "io/hdf5_util.hpp"
#include "model/network.hpp"
#include "model/metrics.hpp"
#include "scenario/schedule.hpp"

namespace anjian {

namespace {

namespace fs = std::filesystem;

// ---- Checks before anything touches the disk ---------------------------------------------------

void check_output_directory(const std::string& path) {
  const fs::path target(path);
  const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code error;
  if (!fs::exists(directory, error)) {
    throw IoError("cannot write results to '" + path + "': directory '" + directory.string() +
                  "' does not exist; create it first (mkdir -p '" + directory.string() + "')");
  }
  if (!fs::is_directory(directory, error)) {
    throw IoError("cannot write results to '" + path + "': '" + directory.string() + "' is not a directory");
  }
  if (fs::is_directory(target, error)) {
    throw IoError("cannot write results to '" + path + "': it is a directory; give a file name");
  }
}

void require(bool condition, const std::string& what) {
  if (!condition) throw std::invalid_argument("write_results: inconsistent result: " + what);
}

template <class Table>
void check_columns_sized(const Table& table, std::size_t n, const std::string& what) {
  Table::for_each_column([&](auto column, const char* name, auto&&...) {
    require((table.*column).size() == n, what + ": column " + name + " has a different length");
  });
}

// Every replicate must fill the same rectangular arrays; a mismatch is a bug upstream, and is
// caught before a file is created.
void check_consistent(const EnsembleResult& result) {
  const std::size_t steps = result.step_end_day.size();
  require(result.replicates.size() <= std::numeric_limits<std::uint32_t>::max(),
          "too many replicates for the uint32 replicate column");
  for (std::size_t r = 0; r < result.replicates.size(); ++r) {
    const auto& replicate = result.replicates[r];
    const std::string what = "replicate " + std::to_string(r);
    require(replicate.series.size() == static_cast<std::size_t>(kMetricCount),
            what + " has " + std::to_string(replicate.series.size()) + " series, expected " +
                std::to_string(kMetricCount));
    for (const auto& series : replicate.series)
      require(series.size() == steps, what + " has a series of " + std::to_string(series.size()) +
                                          " steps, expected " + std::to_string(steps));
    if (!result.params.output.agents) continue;
    const World& first = result.replicates.front().final_world;
    const World& world = replicate.final_world;
    require(world.enterprises.size() == first.enterprises.size(),
            what + " has a different number of enterprises than replicate 0");
    require(world.inspectors.size() == first.inspectors.size(),
            what + " has a different number of inspectors than replicate 0");
    check_columns_sized(world.enterprises, first.enterprises.size(), what);
    check_columns_sized(world.inspectors, first.inspectors.size(), what);
    check_columns_sized(world.departments, first.departments.size(), what);
    check_columns_sized(world.townships, first.townships.size(), what);
  }
}

// ---- /meta -------------------------------------------------------------------------------------

void write_meta(const h5::Group& root, const EnsembleResult& result, const RunMeta& meta) {
  const h5::Group group = root.create_group("meta");
  group.set_attribute("program", std::string_view("anjian"));
  group.set_attribute("format_version", kResultsFormatVersion);
  group.set_attribute("version", std::string_view(kVersion));
  group.set_attribute("git_commit", std::string_view(kGitCommit));
  group.set_attribute("scenario_name", std::string_view(meta.scenario_name));
  group.set_attribute("scenario_path", std::string_view(meta.scenario_path));
  group.set_attribute("seed", static_cast<std::int64_t>(result.params.run.seed));
  group.set_attribute("replicates", static_cast<std::int64_t>(result.replicates.size()));
  group.set_attribute("step_days", static_cast<std::int64_t>(result.params.time.step_days));
  group.set_attribute("steps", static_cast<std::int64_t>(result.step_end_day.size()));
  group.set_attribute("burn_in_steps", result.params.burn_in_step_count());
  group.set_attribute("time_unit", std::string_view("day"));
  // A scenario can outgrow the 64 KiB an attribute may hold in an object header: a dataset.
  group.write_string("scenario", meta.scenario_yaml);
  group.set_attribute("scenario_sha256", std::string_view(sha256_hex(meta.scenario_yaml)));
  if (meta.network) {  // the input county itself: /network holds the end state, not the input
    group.set_attribute("network_source", std::string_view(meta.network->source));
    group.set_attribute("network_sha256", std::string_view(sha256_hex(meta.network->graphml)));
    group.write_string("network_graphml", meta.network->graphml);
  }

  const h5::Group units = group.create_group("units");
  for (int m = 0; m < kMetricCount; ++m) {
    const MetricInfo& info = metric_info(m);
    units.set_attribute(std::string(info.name), info.unit);
  }
}

// ---- /series -----------------------------------------------------------------------------------

void describe(const h5::Object& object, std::string_view unit, std::string_view description) {
  object.set_attribute("unit", unit);
  object.set_attribute("description", description);
}

void write_series(const h5::Group& root, const EnsembleResult& result) {
  const h5::Group group = root.create_group("series");
  const auto day = group.write_1d<std::int64_t>("day", result.step_end_day);
  describe(day, "day",
           "calendar day on which each step ends, counted from 1 (step t covers the days after "
           "day[t-1] up to day[t])");

  const hsize_t replicates = result.replicates.size();
  const hsize_t steps = result.step_end_day.size();
  for (int m = 0; m < kMetricCount; ++m) {
    const MetricInfo& info = metric_info(m);
    const auto dataset = group.create_dataset<double>(std::string(info.name), {replicates, steps});
    for (hsize_t r = 0; r < replicates; ++r)
      dataset.write_row<double>(r, result.replicates[r].series[static_cast<std::size_t>(m)]);
    describe(dataset, info.unit, info.meaning);
  }
}

// ---- /schedule ---------------------------------------------------------------------------------

// The scenario's dated changes, in the order the run applied them: on which day each acted, the
// recorded year of that day, the key and the value (docs/results-format.md, "/schedule").
void write_schedule(const h5::Group& root, const Params& params) {
  const h5::Group group = root.create_group("schedule");
  std::vector<std::int64_t> days, years;
  std::string keys, values;
  for (const auto& change : ordered_schedule(params)) {
    // The first day of the step the change acted at: a day that falls inside a longer step acts from its start.
    const std::int64_t step = change_step(params, change);
    days.push_back(step * params.time.step_days + 1);
    // The year of the step, as /series counts it (by the step's last day).
    years.push_back(recorded_year_of_day(params, (step + 1) * params.time.step_days));
    if (days.size() > 1) {
      keys.push_back('\n');
      values.push_back('\n');
    }
    keys.append(change.key);
    values.append(change_value_text(change));
  }
  describe(group.write_1d<std::int64_t>("day", days), "day",
           "calendar day, counted from 1 with the burn-in included as /series/day counts, from whose start the change acted");
  describe(group.write_1d<std::int64_t>("year", years), "year",
           "recorded year of the first step under the new value, as /series counts years (by the step's last day; 0 or "
           "less inside the burn-in)");
  describe(group.write_string("key", keys), "-", "the parameter changed, one per line");
  describe(group.write_string("value", values), "-", "its new value as YAML writes it, one per line");
}

// ---- /series_by --------------------------------------------------------------------------------

// /series_by/<grouping>/<metric>: [replicates x months x groups], from group_metrics.def.
void write_series_by_group(const h5::Group& root, const EnsembleResult& result) {
  const h5::Group group = root.create_group("series_by");
  describe(group.write_1d<std::int64_t>("month_end_day", result.month_end_day), "day",
           "calendar day on which each recorded month ends, counted from 1");
  if (result.replicates.empty()) return;
  const auto& first = result.replicates.front();
  const hsize_t replicates = result.replicates.size();
  const hsize_t months = first.months.size();
  for (int g = 0; g < kGroupingCount; ++g) {
    const auto grouping = static_cast<Grouping>(g);
    const h5::Group by = group.create_group(std::string(grouping_name(grouping)));
    if (grouping == Grouping::department) {
      by.set_attribute("last_column", std::string_view("enterprises no department is responsible for"));
    }
    const hsize_t groups = months > 0 ? first.months.front().groups(grouping) : 0;
    for (int m = 0; m < kGroupMetricCount; ++m) {
      std::vector<double> values;
      values.reserve(replicates * months * groups);
      for (const auto& rep : result.replicates) {
        for (const auto& month : rep.months) {
          const auto& column = month.values[g][m];
          values.insert(values.end(), column.begin(), column.end());
        }
      }
      const GroupMetricInfo& info = group_metric_info(m);
      const auto dataset = by.create_dataset<double>(std::string(info.name), {replicates, months, groups});
      dataset.write<double>(values);
      describe(dataset, info.unit, info.meaning);
    }
  }
}

// ---- /events/accidents -------------------------------------------------------------------------

std::string sector_codes() {
  std::string codes;
  for (int s = 0; s < kSectorCount; ++s) {
    if (s > 0) codes += ',';
    codes += std::to_string(s);
    codes += '=';
    codes += sector_name(s);
  }
  return codes;
}

// One column of the accident table, gathered over all replicates in row order.
template <h5::Element T, class Get>
void write_accident_column(const h5::Group& group, const EnsembleResult& result, const std::string& name,
                           std::string_view unit, std::string_view description, Get get) {
  std::vector<T> column;
  for (std::size_t r = 0; r < result.replicates.size(); ++r)
    for (const AccidentEvent& event : result.replicates[r].accidents)
      column.push_back(static_cast<T>(get(static_cast<std::uint32_t>(r), event)));
  describe(group.write_1d<T>(name, column), unit, description);
}

void write_accidents(const h5::Group& events, const EnsembleResult& result) {
  const h5::Group group = events.create_group("accidents");
  group.set_attribute("description",
                      std::string_view("one row per accident (near-misses included), ordered by "
                                       "replicate, then day, then enterprise"));
  group.set_attribute("sector_codes", sector_codes());
  group.set_attribute("severity_codes", std::string_view("0=near_miss,1=minor,2=serious,3=fatal"));
  group.set_attribute("grade_codes", std::string_view("0=general,1=larger,2=major,3=especially_major"));
  group.set_attribute("reported_codes", std::string_view("0=not_reported,1=reported"));
  group.set_attribute("exposed_codes", std::string_view("0=not_exposed,1=exposed"));

  using E = const AccidentEvent&;
  write_accident_column<std::uint32_t>(group, result, "replicate", "-",
                                       "replicate: row of /series and /agents",
                                       [](std::uint32_t r, E) { return r; });
  write_accident_column<std::int64_t>(
      group, result, "day", "day",
      "calendar day, counted from 0, on which the step of the accident began (the accident's own "
      "day when time.step_days is 1)",
      [](std::uint32_t, E e) { return e.day; });
  write_accident_column<std::uint32_t>(group, result, "enterprise", "-",
                                       "enterprise id: column of /agents/enterprises",
                                       [](std::uint32_t, E e) { return e.enterprise; });
  write_accident_column<std::uint8_t>(group, result, "sector", "code",
                                      "sector of the enterprise (see sector_codes)",
                                      [](std::uint32_t, E e) { return e.sector; });
  write_accident_column<std::uint32_t>(group, result, "township", "-", "township id of the enterprise",
                                       [](std::uint32_t, E e) { return e.township; });
  write_accident_column<std::uint8_t>(group, result, "severity", "code",
                                      "worst harm in the accident (see severity_codes)",
                                      [](std::uint32_t, E e) { return e.severity; });
  write_accident_column<std::uint8_t>(group, result, "grade", "code",
                                      "accident grade of State Council Decree 493 (see grade_codes)",
                                      [](std::uint32_t, E e) { return e.grade; });
  write_accident_column<std::int32_t>(group, result, "deaths", "deaths", "deaths in the accident",
                                      [](std::uint32_t, E e) { return e.deaths; });
  write_accident_column<std::int32_t>(group, result, "injuries", "injuries",
                                      "injuries (minor and serious) in the accident",
                                      [](std::uint32_t, E e) { return e.injuries; });
  write_accident_column<std::uint8_t>(group, result, "reported", "flag",
                                      "1 if the accident was reported to the government (see "
                                      "reported_codes; near-misses are never reportable)",
                                      [](std::uint32_t, E e) { return e.reported ? 1 : 0; });
  write_accident_column<std::uint8_t>(group, result, "exposed", "flag",
                                      "1 if the accident was concealed and then exposed by the media (it "
                                      "stays unreported; see exposed_codes)",
                                      [](std::uint32_t, E e) { return e.exposed ? 1 : 0; });
}

// ---- /events/inspections -----------------------------------------------------------------------

// One column of the inspection table, gathered over all replicates in row order.
template <h5::Element T, class Get>
void write_inspection_column(const h5::Group& group, const EnsembleResult& result, const std::string& name,
                             std::string_view unit, std::string_view description, Get get) {
  std::size_t rows = 0;
  for (const auto& replicate : result.replicates) rows += replicate.inspections.size();
  std::vector<T> column;
  column.reserve(rows);
  for (std::size_t r = 0; r < result.replicates.size(); ++r)
    for (const InspectionEvent& event : result.replicates[r].inspections)
      column.push_back(static_cast<T>(get(static_cast<std::uint32_t>(r), event)));
  describe(group.write_1d<T>(name, column), unit, description);
}

void write_inspections(const h5::Group& events, const EnsembleResult& result) {
  const h5::Group group = events.create_group("inspections");
  group.set_attribute("description",
                      std::string_view("one row per inspection, ordered by replicate, then day; within a day "
                                       "the departments' visits in inspector order, then the experimental "
                                       "team's in enterprise order"));
  group.set_attribute("sector_codes", sector_codes());
  // HDF5 lists a group's datasets by name; this keeps the table's order for readers.
  std::string columns = "replicate";
#define ANJIAN_INSPECTION_COLUMN(type, name, unit, codes, description) columns += "," #name;
#include "model/inspection_event_columns.def"
#undef ANJIAN_INSPECTION_COLUMN
  group.set_attribute("columns", std::string_view(columns));
  write_inspection_column<std::uint32_t>(group, result, "replicate", "-", "replicate: row of /series and /agents",
                                         [](std::uint32_t r, const InspectionEvent&) { return r; });
  // The columns of inspection_event_columns.def, in its order.
#define ANJIAN_INSPECTION_COLUMN(type, name, unit, codes, description)                                       \
  if (std::string_view(codes).size() > 0) group.set_attribute(#name "_codes", std::string_view(codes));     \
  write_inspection_column<type>(group, result, #name, unit, description,                                    \
                                [](std::uint32_t, const InspectionEvent& event) { return event.name; });
#include "model/inspection_event_columns.def"
#undef ANJIAN_INSPECTION_COLUMN
}

// ---- /agents -----------------------------------------------------------------------------------

// One agent column as a [replicates x agents] dataset, one row per replicate's final world.
template <class Table, h5::Element T>
void write_agent_column(const h5::Group& group, const EnsembleResult& result, Table World::*table,
                        HugeVector<T> Table::*column, const std::string& name, std::string_view unit,
                        std::string_view description) {
  const hsize_t replicates = result.replicates.size();
  const hsize_t agents = replicates > 0 ? (result.replicates.front().final_world.*table.*column).size() : 0;
  const h5::Dataset dataset = group.create_dataset<T>(name, {replicates, agents});
  for (hsize_t r = 0; r < replicates; ++r)
    dataset.write_row<T>(r, result.replicates[r].final_world.*table.*column);
  describe(dataset, unit, description);
}

// /agents/<name>: every saved column of one agent table.
template <class Table>
h5::Group write_agent_table(const h5::Group& agents, const EnsembleResult& result, const char* name,
                            Table World::*table) {
  h5::Group group = agents.create_group(name);
  Table::for_each_column([&](auto column, const char* column_name, bool saved, std::string_view unit,
                             std::string_view description) {
    if (saved) write_agent_column(group, result, table, column, column_name, unit, description);
  });
  return group;
}

std::string department_kind_codes() {
  std::string codes;
  for (int k = 0; k <= static_cast<int>(DepartmentKind::township_office); ++k) {
    if (k) codes += ',';
    codes += std::to_string(k);
    codes += '=';
    codes += department_kind_name(static_cast<DepartmentKind>(k));
  }
  return codes;
}

// /agents/labels/<table>/{node_id,name}: the GraphML file's own id and name of each agent, one
// per line in id order (a department the reader added has an empty id).
void write_labels(const h5::Group& labels, const char* table, const std::vector<NetworkSpec::Label>& rows) {
  const h5::Group group = labels.create_group(table);
  std::string ids, names;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ids += (i ? "\n" : "") + rows[i].id;
    names += (i ? "\n" : "") + rows[i].name;
  }
  group.write_string("node_id", ids);
  group.write_string("name", names);
}

void write_agents(const h5::Group& root, const EnsembleResult& result, const NetworkSpec* network) {
  const h5::Group agents = root.create_group("agents");
  agents.set_attribute("description",
                       std::string_view("final state of every agent: one row per replicate, one "
                                        "column per agent id"));
  write_agent_table(agents, result, "enterprises", &World::enterprises).set_attribute("sector_codes", sector_codes());
  write_agent_table(agents, result, "inspectors", &World::inspectors);
  write_agent_table(agents, result, "departments", &World::departments)
      .set_attribute("kind_codes", department_kind_codes());
  write_agent_table(agents, result, "townships", &World::townships);
  if (!network) return;
  const h5::Group labels = agents.create_group("labels");
  write_labels(labels, "townships", network->township_labels);
  write_labels(labels, "departments", network->department_labels);
  write_labels(labels, "enterprises", network->enterprise_labels);
}

// ---- /network ---------------------------------------------------------------------------------

void write_network(const h5::Group& root, const EnsembleResult& result) {
  if (result.replicates.empty()) return;
  const h5::Group group = root.create_group("network");
  group.set_attribute("description",
                      std::string_view("the governance network of replicate 0 at the end of the run, as GraphML "
                                       "(vertex attribute kind, edge attribute relation)"));
  std::ostringstream graphml;
  write_network_graphml(graphml, network_of_world(result.replicates.front().final_world));
  group.write_string("graphml", graphml.str());
}

// ---- The file ----------------------------------------------------------------------------------

[[noreturn]] void fail_system(const std::string& action, const std::string& path, int error) {
  throw IoError("cannot write results to '" + path + "': " + action + " failed: " + std::strerror(error));
}

// Owns a POSIX descriptor so that every exit path closes it.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closing can report a write error late (NFS, quotas), so its result counts.
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

void write_all(int fd, const std::vector<char>& bytes, const std::string& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_system("writing", path, errno);
    done += static_cast<std::size_t>(n);
  }
}

// Writes the bytes to the temporary name, makes them durable, and only then gives them the final
// name: a crash or a power cut leaves either the old file or the complete new one under `path`.
void publish(const std::vector<char>& bytes, const std::string& temp_path, const std::string& path) {
  Descriptor file(::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
  if (file.get() < 0) fail_system("creating '" + temp_path + "'", path, errno);
  write_all(file.get(), bytes, path);
  if (::fsync(file.get()) != 0) fail_system("flushing to disk", path, errno);
  if (file.close() != 0) fail_system("closing", path, errno);
  if (std::rename(temp_path.c_str(), path.c_str()) != 0)
    fail_system("renaming '" + temp_path + "'", path, errno);
  // The rename itself is durable only once the directory is flushed; failing here loses nothing.
  const fs::path directory = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : ".";
  Descriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
}

}  // namespace

void write_ensemble(const h5::Group& group, const EnsembleResult& result, const RunMeta& meta) {
  check_consistent(result);
  write_meta(group, result, meta);
  write_series(group, result);
  write_series_by_group(group, result);
  if (!result.params.schedule.empty()) write_schedule(group, result.params);
  const auto& output = result.params.output;
  if (output.accident_events || output.inspection_events) {
    const h5::Group events = group.create_group("events");
    if (output.accident_events) write_accidents(events, result);
    if (output.inspection_events) write_inspections(events, result);
  }
  if (result.params.output.agents) write_agents(group, result, meta.network);
  if (result.params.output.network) write_network(group, result);
}

std::vector<char> hdf5_image(const std::string& display_name, const std::function<void(const h5::Group& root)>& fill) {
  h5::File file = h5::File::create_in_memory(display_name);
  fill(file.root());
  return file.close_to_image();
}

void write_hdf5_file(const std::string& path, const std::function<void(const h5::Group& root)>& fill) {
  check_output_directory(path);
  const std::vector<char> image = hdf5_image(path, fill);
  const std::string temp_path = path + ".tmp-" + std::to_string(::getpid());
  try {
    publish(image, temp_path, path);
  } catch (...) {
    // Only a regular file at the temporary name can be ours; never delete anything else.
    std::error_code ignored;
    if (fs::is_regular_file(fs::symlink_status(temp_path, ignored))) fs::remove(temp_path, ignored);
    throw;
  }
}

void write_results(const std::string& path, const EnsembleResult& result, const RunMeta& meta) {
  check_consistent(result);  // an inconsistent result is refused before the directory is looked at
  write_hdf5_file(path, [&](const h5::Group& root) { write_ensemble(root, result, meta); });
}

}  // namespace anjian
