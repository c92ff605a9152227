#include "io/results_reader.hpp"

#include <filesystem>
#include <string_view>
#include <stdexcept>

#include "io/hdf5_probe.hpp"
#include "io/hdf5_util.hpp"
#include "io/results_writer.hpp"

namespace anjian {

namespace {

void check_is_anjian_file(const std::string& path, const h5::Group& root) {
  const bool tagged = root.contains("meta") && root.open_group("meta").has_attribute("program") &&
                      root.open_group("meta").string_attribute("program") == "anjian";
  if (!tagged) {
    throw IoError("'" + path + "' is an HDF5 file but not an anjian result file (it has no /meta " +
                  "group with program = \"anjian\")");
  }
}

h5::File open_result_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw IoError("result file '" + path + "' does not exist");
  if (std::filesystem::is_directory(path, error))
    throw IoError("'" + path + "' is a directory, not a result file");
  h5::silence_hdf5_errors();
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 <= 0) {
    throw IoError("'" + path + "' is not an HDF5 file, so not an anjian result file" +
                  (is_hdf5 < 0 ? " (it cannot be read)" : ""));
  }
  try {
    probe_hdf5_file(path);  // a damaged file fails here, not by crashing this process
  } catch (const IoError& damaged) {
    // A run's temporary file or a truncated copy is named as such by the opening itself, with
    // what to do; the probe only says that the structure cannot be read. (Not where the probe
    // saw the library crash: then it is not called in this process.)
    if (std::string_view(damaged.what()).find("crashes") == std::string_view::npos) h5::File::open_read_only(path);
    throw;
  }
  return h5::File::open_read_only(path);
}

void read_meta(const h5::Group& root, ResultsFile& out) {
  const h5::Group meta = root.open_group("meta");
  out.program = meta.string_attribute("program");
  out.format_version = meta.int_attribute("format_version");
  if (out.format_version > kResultsFormatVersion) {
    throw IoError("'" + meta.file_name() + "' has result format " + std::to_string(out.format_version) +
                  " from a newer anjian (" + meta.string_attribute("version") +
                  "); this build reads format " + std::to_string(kResultsFormatVersion) + " and older");
  }
  out.version = meta.string_attribute("version");
  out.git_commit = meta.string_attribute("git_commit");
  out.scenario_name = meta.string_attribute("scenario_name");
  out.scenario_path = meta.string_attribute("scenario_path");
  out.scenario_yaml = meta.read_string("scenario");
  out.seed = meta.int_attribute("seed");
  out.replicates = meta.int_attribute("replicates");
  out.step_days = meta.int_attribute("step_days");
  out.steps = meta.int_attribute("steps");
  out.time_unit = meta.string_attribute("time_unit");

  const h5::Group units = meta.open_group("units");
  for (const std::string& metric : units.attribute_names())
    out.units[metric] = units.string_attribute(metric);
}

void read_series(const h5::Group& root, ResultsFile& out) {
  const h5::Group group = root.open_group("series");
  out.step_end_day = group.read_1d<std::int64_t>("day");
  const auto steps = static_cast<std::size_t>(out.steps);
  const auto replicates = static_cast<std::size_t>(out.replicates);
  if (out.step_end_day.size() != steps) {
    throw IoError("'" + group.file_name() + "' is damaged: /series/day has " +
                  std::to_string(out.step_end_day.size()) + " steps but /meta says " + std::to_string(steps));
  }
  for (const std::string& name : group.children()) {
    if (name == "day") continue;
    auto values = group.read_2d<double>(name);
    if (values.rows != replicates || values.cols != steps) {
      throw IoError("'" + group.file_name() + "' is damaged: /series/" + name + " has shape [" +
                    std::to_string(values.rows) + " x " + std::to_string(values.cols) + "], expected [" +
                    std::to_string(replicates) + " x " + std::to_string(steps) + "]");
    }
    out.series[name] = std::move(values.values);
  }
}

// A code column must hold only the codes of its table; anything else means a damaged file.
template <class Enum>
Enum decode(std::uint8_t code, std::uint8_t max_code, const std::string& column, const std::string& file) {
  if (code > max_code) {
    throw IoError("'" + file + "' is damaged: /events/accidents/" + column + " holds the unknown code " +
                  std::to_string(code));
  }
  return static_cast<Enum>(code);
}

void read_accidents(const h5::Group& root, ResultsFile& out) {
  if (!root.contains("events") || !root.open_group("events").contains("accidents")) return;
  const h5::Group group = root.open_group("events").open_group("accidents");
  const std::string& file = group.file_name();
  out.has_accident_events = true;

  out.accident_replicate = group.read_1d<std::uint32_t>("replicate");
  const auto day = group.read_1d<std::int64_t>("day");
  const auto enterprise = group.read_1d<std::uint32_t>("enterprise");
  const auto sector = group.read_1d<std::uint8_t>("sector");
  const auto township = group.read_1d<std::uint32_t>("township");
  const auto severity = group.read_1d<std::uint8_t>("severity");
  const auto grade = group.read_1d<std::uint8_t>("grade");
  const auto deaths = group.read_1d<std::int32_t>("deaths");
  const auto injuries = group.read_1d<std::int32_t>("injuries");
  const auto reported = group.read_1d<std::uint8_t>("reported");
  // Files written before media exposure existed have no `exposed` column: nothing was exposed.
  const auto exposed = group.contains("exposed") ? group.read_1d<std::uint8_t>("exposed")
                                                 : std::vector<std::uint8_t>(reported.size(), 0);

  const std::size_t n = out.accident_replicate.size();
  for (std::size_t size : {day.size(), enterprise.size(), sector.size(), township.size(), severity.size(),
                           grade.size(), deaths.size(), injuries.size(), reported.size(), exposed.size()}) {
    if (size != n)
      throw IoError("'" + file + "' is damaged: the columns of /events/accidents differ in length");
  }
  out.accidents.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.accidents.push_back(AccidentEvent{
        day[i], enterprise[i], sector[i], township[i],
        decode<Severity>(severity[i], static_cast<std::uint8_t>(Severity::Fatal), "severity", file),
        decode<Grade>(grade[i], static_cast<std::uint8_t>(Grade::EspeciallyMajor), "grade", file), deaths[i],
        injuries[i], reported[i] != 0, exposed[i] != 0});
  }
}

}  // namespace

double ResultsFile::value(const std::string& metric, std::size_t replicate, std::size_t step) const {
  const auto& values = series.at(metric);
  const auto steps_per_row = static_cast<std::size_t>(steps);
  if (step >= steps_per_row || replicate >= static_cast<std::size_t>(replicates))
    throw std::out_of_range("ResultsFile::value: replicate or step out of range");
  return values.at(replicate * steps_per_row + step);
}

ResultsFile read_results(const std::string& path) {
  const h5::File file = open_result_file(path);
  const h5::Group root = file.root();
  check_is_anjian_file(path, root);
  ResultsFile out;
  read_meta(root, out);
  read_series(root, out);
  read_accidents(root, out);
  out.has_agents = root.contains("agents");
  return out;
}

}  // namespace anjian
