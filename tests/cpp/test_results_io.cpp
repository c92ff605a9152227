// The HDF5 result file: values round-trip, identical inputs give identical bytes, and a failed
// write never damages what is already at the target (docs/results-format.md).

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>

#include "io/hdf5_util.hpp"
#include "io/results_reader.hpp"
#include "io/results_writer.hpp"
#include "model/build_world.hpp"
#include "model/metrics.hpp"
#include "model/world.hpp"
#include "run/simulation.hpp"

namespace anjian {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kReplicates = 2;
constexpr std::size_t kSteps = 3;

// A value unique to (replicate, metric, step), with a fraction so that doubles are exercised.
double series_value(std::size_t r, std::size_t m, std::size_t t) {
  return 1000.0 * static_cast<double>(r) + 10.0 * static_cast<double>(m) + static_cast<double>(t) + 0.25;
}

std::vector<AccidentEvent> accidents_of(std::size_t r) {
  if (r == 0) {
    return {AccidentEvent{0, 1, 0, 3, Severity::NearMiss, Grade::General, 0, 0, false},
            AccidentEvent{7, 4, 2, 0, Severity::Fatal, Grade::Major, 11, 2, false, true}};
  }
  return {AccidentEvent{14, 2, 4, 19, Severity::Serious, Grade::General, 0, 3, true}};
}

EnsembleResult make_result() {
  EnsembleResult result;
  Params& p = result.params;
  p.run.seed = 42;
  p.run.replicates = static_cast<std::int64_t>(kReplicates);
  p.time.step_days = 7;
  p.enterprises.count = 5;
  p.departments.emergency_management_staff = 2;
  result.step_end_day = {7, 14, 21};
  for (std::size_t r = 0; r < kReplicates; ++r) {
    ReplicateResult replicate;
    replicate.replicate = r;
    replicate.series.assign(kMetricCount, std::vector<double>(kSteps));
    for (std::size_t m = 0; m < static_cast<std::size_t>(kMetricCount); ++m)
      for (std::size_t t = 0; t < kSteps; ++t) replicate.series[m][t] = series_value(r, m, t);
    replicate.accidents = accidents_of(r);
    replicate.final_world = build_world(p, RandomKey{1, r});
    // Counters are zero after build_world; give them distinct values so the check means something.
    auto& e = replicate.final_world.enterprises;
    for (std::size_t i = 0; i < e.size(); ++i) {
      e.hazards[i] = static_cast<std::int32_t>(10 * r + i);
      e.deaths[i] = static_cast<std::int32_t>(r + 2 * i);
    }
    auto& inspectors = replicate.final_world.inspectors;
    for (std::size_t i = 0; i < inspectors.size(); ++i) {
      inspectors.inspections[i] = static_cast<std::int32_t>(100 * r + i + 1);
      inspectors.capacity_credit[i] = 0.5;
    }
    result.replicates.push_back(std::move(replicate));
  }
  return result;
}

RunMeta make_meta() {
  return RunMeta{"baseline-test", "scenarios/baseline.yaml",
                 "# resolved\nrun:\n  seed: 42\n  replicates: 2\nname: \"县 baseline\"\n"};
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> directory_entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class ResultsIo : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ =
        fs::temp_directory_path() / ("anjian-results-io-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(dir_, ignored);
  }
  fs::path dir_;
};

TEST_F(ResultsIo, MetaSeriesAndEventsRoundTrip) {
  const EnsembleResult result = make_result();
  const fs::path path = dir_ / "out.h5";
  write_results(path.string(), result, make_meta());
  const ResultsFile file = read_results(path.string());

  EXPECT_EQ(file.program, "anjian");
  EXPECT_EQ(file.format_version, kResultsFormatVersion);
  EXPECT_FALSE(file.version.empty());
  EXPECT_FALSE(file.git_commit.empty());
  EXPECT_EQ(file.scenario_name, "baseline-test");
  EXPECT_EQ(file.scenario_path, "scenarios/baseline.yaml");
  EXPECT_EQ(file.scenario_yaml, make_meta().scenario_yaml);
  EXPECT_EQ(file.seed, 42);
  EXPECT_EQ(file.replicates, 2);
  EXPECT_EQ(file.step_days, 7);
  EXPECT_EQ(file.steps, 3);
  EXPECT_EQ(file.time_unit, "day");
  EXPECT_EQ(file.step_end_day, result.step_end_day);

  ASSERT_EQ(file.series.size(), static_cast<std::size_t>(kMetricCount));
  ASSERT_EQ(file.units.size(), static_cast<std::size_t>(kMetricCount));
  for (std::size_t m = 0; m < static_cast<std::size_t>(kMetricCount); ++m) {
    const MetricInfo& info = metric_info(static_cast<int>(m));
    const std::string name(info.name);
    EXPECT_EQ(file.units.at(name), info.unit);
    ASSERT_EQ(file.series.at(name).size(), kReplicates * kSteps) << name;
    for (std::size_t r = 0; r < kReplicates; ++r)
      for (std::size_t t = 0; t < kSteps; ++t)
        EXPECT_EQ(file.value(name, r, t), series_value(r, m, t)) << name;
  }

  ASSERT_TRUE(file.has_accident_events);
  ASSERT_EQ(file.accidents.size(), 3u);
  ASSERT_EQ(file.accident_replicate, (std::vector<std::uint32_t>{0, 0, 1}));
  std::size_t row = 0;
  for (std::size_t r = 0; r < kReplicates; ++r) {
    for (const AccidentEvent& expected : accidents_of(r)) {
      const AccidentEvent& got = file.accidents[row++];
      EXPECT_EQ(got.day, expected.day);
      EXPECT_EQ(got.enterprise, expected.enterprise);
      EXPECT_EQ(got.sector, expected.sector);
      EXPECT_EQ(got.township, expected.township);
      EXPECT_EQ(got.severity, expected.severity);
      EXPECT_EQ(got.grade, expected.grade);
      EXPECT_EQ(got.deaths, expected.deaths);
      EXPECT_EQ(got.injuries, expected.injuries);
      EXPECT_EQ(got.reported, expected.reported);
      EXPECT_EQ(got.exposed, expected.exposed);
    }
  }
  EXPECT_TRUE(file.has_agents);
}

template <h5::Element T>
void expect_agent_column(const h5::Group& group, const std::string& name, const EnsembleResult& result,
                         const HugeVector<T>& (*column)(const World&)) {
  const h5::Array2<T> stored = group.read_2d<T>(name);
  ASSERT_EQ(stored.rows, result.replicates.size()) << name;
  for (std::size_t r = 0; r < stored.rows; ++r) {
    const HugeVector<T>& expected = column(result.replicates[r].final_world);
    ASSERT_EQ(stored.cols, expected.size()) << name;
    for (std::size_t i = 0; i < stored.cols; ++i)
      EXPECT_EQ(stored.values[r * stored.cols + i], expected[i]) << name << " [" << r << "," << i << "]";
  }
}

TEST_F(ResultsIo, AgentsRoundTripWithoutInternalColumns) {
  const EnsembleResult result = make_result();
  const fs::path path = dir_ / "agents.h5";
  write_results(path.string(), result, make_meta());

  const h5::File file = h5::File::open_read_only(path.string());
  const h5::Group agents = file.root().open_group("agents");
  // Every saved column of the column tables round-trips; bookkeeping columns stay out.
  const h5::Group e = agents.open_group("enterprises");
  std::vector<std::string> enterprise_columns;
#define ANJIAN_COLUMN(type, name, saved, unit, description)                                         \
  if (saved) {                                                                                      \
    enterprise_columns.push_back(#name);                                                            \
    expect_agent_column<type>(e, #name, result,                                                     \
                              [](const World& w) -> const auto& { return w.enterprises.name; });    \
    EXPECT_EQ(e.open_dataset(#name).string_attribute("unit"), unit);                               \
  }
#include "model/enterprise_columns.def"
#undef ANJIAN_COLUMN
  std::sort(enterprise_columns.begin(), enterprise_columns.end());
  EXPECT_EQ(e.children(), enterprise_columns);

  const h5::Group i = agents.open_group("inspectors");
  std::vector<std::string> inspector_columns;
#define ANJIAN_COLUMN(type, name, saved, unit, description)                                         \
  if (saved) {                                                                                      \
    inspector_columns.push_back(#name);                                                             \
    expect_agent_column<type>(i, #name, result,                                                     \
                              [](const World& w) -> const auto& { return w.inspectors.name; });     \
  }
#include "model/inspector_columns.def"
#undef ANJIAN_COLUMN
  std::sort(inspector_columns.begin(), inspector_columns.end());
  EXPECT_EQ(i.children(), inspector_columns);
  EXPECT_FALSE(i.contains("capacity_credit"));
}

TEST_F(ResultsIo, AttributesDescribeEveryColumn) {
  const fs::path path = dir_ / "attrs.h5";
  write_results(path.string(), make_result(), make_meta());
  const h5::File file = h5::File::open_read_only(path.string());
  const h5::Group root = file.root();
  const h5::Group series = root.open_group("series");
  const h5::Dataset deaths = series.open_dataset("deaths_true");
  EXPECT_EQ(deaths.string_attribute("unit"), "deaths");
  EXPECT_FALSE(deaths.string_attribute("description").empty());
  EXPECT_EQ(deaths.dims(), (std::vector<hsize_t>{kReplicates, kSteps}));

  const h5::Group accidents = root.open_group("events").open_group("accidents");
  EXPECT_EQ(accidents.string_attribute("severity_codes"), "0=near_miss,1=minor,2=serious,3=fatal");
  EXPECT_EQ(accidents.string_attribute("grade_codes"), "0=general,1=larger,2=major,3=especially_major");
  EXPECT_EQ(accidents.string_attribute("sector_codes").rfind("0=manufacturing,", 0), 0u);
  for (const std::string& column : accidents.children()) {
    const h5::Dataset dataset = accidents.open_dataset(column);
    EXPECT_TRUE(dataset.has_attribute("unit")) << column;
    EXPECT_TRUE(dataset.has_attribute("description")) << column;
  }
}

TEST_F(ResultsIo, OutputSwitchesLeaveOutEventsAndAgents) {
  EnsembleResult result = make_result();
  result.params.output.accident_events = false;
  result.params.output.agents = false;
  const fs::path path = dir_ / "lean.h5";
  write_results(path.string(), result, make_meta());
  const ResultsFile file = read_results(path.string());
  EXPECT_FALSE(file.has_accident_events);
  EXPECT_TRUE(file.accidents.empty());
  EXPECT_FALSE(file.has_agents);
  EXPECT_EQ(file.series.size(), static_cast<std::size_t>(kMetricCount));
}

TEST_F(ResultsIo, NoAccidentsGivesEmptyColumns) {
  EnsembleResult result = make_result();
  for (auto& replicate : result.replicates) replicate.accidents.clear();
  const fs::path path = dir_ / "quiet.h5";
  write_results(path.string(), result, make_meta());
  const ResultsFile file = read_results(path.string());
  EXPECT_TRUE(file.has_accident_events);
  EXPECT_TRUE(file.accidents.empty());
  EXPECT_TRUE(file.accident_replicate.empty());
}

TEST_F(ResultsIo, SameInputsGiveIdenticalBytes) {
  const EnsembleResult result = make_result();
  const fs::path first = dir_ / "first.h5";
  const fs::path second = dir_ / "second.h5";
  write_results(first.string(), result, make_meta());
  // HDF5 timestamps have one-second resolution: without the pause a recorded time could match
  // by luck.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  write_results(second.string(), result, make_meta());
  const std::string a = file_bytes(first);
  ASSERT_FALSE(a.empty());
  EXPECT_TRUE(a == file_bytes(second)) << "two writes of the same result differ";
}

TEST_F(ResultsIo, MissingDirectoryIsAnErrorAndCreatesNothing) {
  const fs::path missing = dir_ / "no-such-dir";
  try {
    write_results((missing / "out.h5").string(), make_result(), make_meta());
    FAIL() << "expected IoError";
  } catch (const IoError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(missing.string()), std::string::npos) << message;
    EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
    EXPECT_NE(message.find("create"), std::string::npos) << message;
  }
  EXPECT_FALSE(fs::exists(missing));
  EXPECT_TRUE(directory_entries(dir_).empty());
}

// Simulates a full disk: writes beyond a few KiB fail with EFBIG while the temp file is written.
TEST_F(ResultsIo, FailedWriteLeavesExistingFileUntouched) {
  const fs::path path = dir_ / "precious.h5";
  write_text(path, "results of last week");

  rlimit old_limit{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  auto* old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old_limit;
  small.rlim_cur = 2048;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  bool threw = false;
  std::string message;
  try {
    write_results(path.string(), make_result(), make_meta());
  } catch (const IoError& error) {
    threw = true;
    message = error.what();
  }
  setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_TRUE(threw);
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_EQ(file_bytes(path), "results of last week");
  EXPECT_EQ(directory_entries(dir_), (std::vector<std::string>{"precious.h5"}))
      << "temporary file left behind";
}

TEST_F(ResultsIo, UncreatableTempFileLeavesExistingFileUntouched) {
  const fs::path path = dir_ / "precious.h5";
  write_text(path, "results of last week");
  // Something that is not ours squats on the temporary name: writing fails, and the squatter stays.
  const fs::path squatter = dir_ / ("precious.h5.tmp-" + std::to_string(::getpid()));
  fs::create_directory(squatter);
  EXPECT_THROW(write_results(path.string(), make_result(), make_meta()), IoError);
  EXPECT_EQ(file_bytes(path), "results of last week");
  EXPECT_TRUE(fs::is_directory(squatter));
}

TEST_F(ResultsIo, OverwritesAnExistingResult) {
  const fs::path path = dir_ / "out.h5";
  write_text(path, "old");
  write_results(path.string(), make_result(), make_meta());
  EXPECT_EQ(read_results(path.string()).replicates, 2);
  EXPECT_EQ(directory_entries(dir_), (std::vector<std::string>{"out.h5"}));
}

TEST_F(ResultsIo, InconsistentResultIsRejectedBeforeWriting) {
  EnsembleResult result = make_result();
  result.replicates[1].series[0].pop_back();
  EXPECT_THROW(write_results((dir_ / "bad.h5").string(), result, make_meta()), std::invalid_argument);
  EXPECT_TRUE(directory_entries(dir_).empty());
}

TEST_F(ResultsIo, ReaderExplainsWhatIsWrongWithAFile) {
  auto message_of = [](const fs::path& path) {
    try {
      read_results(path.string());
    } catch (const IoError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of(dir_ / "absent.h5").find("does not exist"), std::string::npos);

  write_text(dir_ / "notes.txt", "not hdf5 at all");
  EXPECT_NE(message_of(dir_ / "notes.txt").find("not an HDF5 file"), std::string::npos);

  {
    h5::File other = h5::File::create_in_memory("other.h5");
    other.root().create_group("data");
    const std::vector<char> image = other.close_to_image();
    write_text(dir_ / "other.h5", std::string(image.begin(), image.end()));
  }
  EXPECT_NE(message_of(dir_ / "other.h5").find("not an anjian result file"), std::string::npos);
}

// docs/results-format.md is the contract: it must name every metric the writer emits.
TEST(ResultsFormatDoc, ListsEveryMetric) {
  std::ifstream in(std::string(ANJIAN_SOURCE_DIR) + "/docs/results-format.md");
  ASSERT_TRUE(in) << "docs/results-format.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  for (int m = 0; m < kMetricCount; ++m) {
    const std::string name(metric_info(m).name);
    EXPECT_NE(text.str().find("| `" + name + "` |"), std::string::npos)
        << "docs/results-format.md does not list metric " << name;
  }
}

}  // namespace
}  // namespace anjian
