#include "experiment/sweep.hpp"

#include <fcntl.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "core/tsan_annotations.hpp"
#include "core/version.hpp"
#include "io/results_writer.hpp"
#include "model/metrics.hpp"
#include "run/outcomes.hpp"
#include "run/simulation.hpp"

namespace anjian {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'A', 'N', 'J', 'S', 'W', 'P', '0', '1'};
constexpr std::size_t kHeaderSize = sizeof(kMagic) + sizeof(std::uint64_t);

std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t hash = 0xcbf29ce484222325ULL) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 0x100000001b3ULL;
  return hash;
}

// A record on disk: payload size (u32), FNV-1a of the payload (u64), payload. The payload is
// run (u64), failed (u8), error, outcomes and series, each a u32 count then the items. Host byte
// order: a journal is read back by the machine type that wrote it.
class Bytes {
 public:
  template <class T>
  void put(const T& value) {
    const auto* p = reinterpret_cast<const char*>(&value);
    data.insert(data.end(), p, p + sizeof(T));
  }
  template <class T>
  void put_all(const T* items, std::size_t count) {
    put(static_cast<std::uint32_t>(count));
    const auto* p = reinterpret_cast<const char*>(items);
    data.insert(data.end(), p, p + count * sizeof(T));
  }
  std::vector<char> data;
};

class Reader {
 public:
  Reader(const char* data, std::size_t size) : data_(data), size_(size) {}
  template <class T>
  bool get(T& value) {
    if (size_ - at_ < sizeof(T)) return false;
    std::memcpy(&value, data_ + at_, sizeof(T));
    at_ += sizeof(T);
    return true;
  }
  template <class T>
  bool get_all(std::vector<T>& items) {
    std::uint32_t count = 0;
    if (!get(count) || (size_ - at_) / sizeof(T) < count) return false;
    items.resize(count);
    if (count > 0) std::memcpy(items.data(), data_ + at_, count * sizeof(T));  // data() may be null when empty
    at_ += count * sizeof(T);
    return true;
  }
  void skip(std::size_t bytes) { at_ += bytes; }
  std::size_t offset() const { return at_; }
  std::size_t left() const { return size_ - at_; }

 private:
  const char* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

std::vector<char> encode(const RunRecord& record) {
  Bytes payload;
  payload.put(record.run);
  payload.put(static_cast<std::uint8_t>(record.failed));
  payload.put_all(record.error.data(), record.error.size());
  payload.put_all(record.outcomes.data(), record.outcomes.size());
  payload.put_all(record.series.data(), record.series.size());
  Bytes frame;
  frame.put(static_cast<std::uint32_t>(payload.data.size()));
  frame.put(fnv1a(payload.data.data(), payload.data.size()));
  frame.data.insert(frame.data.end(), payload.data.begin(), payload.data.end());
  return frame.data;
}

// The good records of one journal file, and how many of its bytes they (and the header) fill.
struct JournalContent {
  std::vector<RunRecord> records;
  std::size_t good_bytes = 0;
  bool has_header = false;
  std::uint64_t fingerprint = 0;
};

JournalContent parse_journal(const std::vector<char>& bytes) {
  JournalContent content;
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) return content;
  content.has_header = true;
  std::memcpy(&content.fingerprint, bytes.data() + sizeof(kMagic), sizeof(std::uint64_t));
  content.good_bytes = kHeaderSize;
  Reader frames(bytes.data() + kHeaderSize, bytes.size() - kHeaderSize);
  while (true) {
    std::uint32_t size = 0;
    std::uint64_t checksum = 0;
    if (!frames.get(size) || !frames.get(checksum) || frames.left() < size) break;
    const char* payload = bytes.data() + kHeaderSize + frames.offset();
    if (fnv1a(payload, size) != checksum) break;
    Reader fields(payload, size);
    RunRecord record;
    std::uint8_t failed = 0;
    std::vector<char> error;
    if (!fields.get(record.run) || !fields.get(failed) || !fields.get_all(error) || !fields.get_all(record.outcomes) ||
        !fields.get_all(record.series)) {
      break;
    }
    record.failed = failed != 0;
    record.error.assign(error.begin(), error.end());
    content.records.push_back(std::move(record));
    frames.skip(size);
    content.good_bytes = kHeaderSize + frames.offset();
  }
  return content;
}

std::vector<char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void write_all(int fd, const std::vector<char>& bytes, const std::string& path) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) throw IoError(path + ": cannot write the sweep journal: " + std::strerror(errno));
    written += static_cast<std::size_t>(n);
  }
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : "\n") + word;
  return text;
}

}  // namespace

SweepInputs::SweepInputs(const Design& d) : design(d) {
  for (const auto& policy : design.policies) networks.push_back(load_scenario_network(policy.scenario));
}

std::optional<RunRecord> run_one(const SweepInputs& inputs, std::size_t run, const std::atomic<bool>* cancel) {
  const Design& design = inputs.design;
  const RunIndex at = run_index(design, run);
  RunRecord record;
  record.run = run;
  try {
    Params params = run_params(design, at.point, at.policy);
    validate_params(params);
    params.output.accident_events = false;  // a sweep keeps outcomes only; the dynamics do not depend on it
    params.output.inspection_events = false;
    RunOptions options;
    options.threads = 1;
    options.cancel = cancel;
    options.network = inputs.networks[at.policy] ? &*inputs.networks[at.policy] : nullptr;
    const ReplicateResult result = run_replicate(params, at.replicate, options);
    if (cancel && cancel->load()) return std::nullopt;
    const std::vector<double> all = outcome_values(result, params);
    for (int o : design.outcomes) record.outcomes.push_back(all[static_cast<std::size_t>(o)]);
    for (int m : design.series) {
      const auto& s = result.series[static_cast<std::size_t>(m)];
      record.series.insert(record.series.end(), s.begin(), s.end());
    }
  } catch (const std::exception& e) {
    if (cancel && cancel->load()) return std::nullopt;
    record.failed = true;
    record.error = e.what();
    record.outcomes.assign(design.outcomes.size(), std::numeric_limits<double>::quiet_NaN());
    record.series.clear();
  }
  return record;
}

std::uint64_t design_fingerprint(const Design& design, const std::vector<std::string>& sets) {
  std::string text = design.text + "\n--\n" + joined(sets) + "\n--\n" + kVersion + " " + kGitCommit;
  for (const auto& policy : design.policies) text += "\n--\n" + policy.name + "\n" + to_yaml(policy.scenario);
  return fnv1a(text.data(), text.size());
}

std::string journal_folder(const std::string& output) { return output + ".journal"; }

std::map<std::uint64_t, RunRecord> read_journal(const std::string& folder, std::uint64_t fingerprint) {
  std::map<std::uint64_t, RunRecord> records;
  if (!fs::is_directory(folder)) return records;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".bin") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    JournalContent content = parse_journal(read_bytes(file.string()));
    if (content.has_header && content.fingerprint != fingerprint) {
      throw ScenarioError(file.string() + ": this journal belongs to another design, scenario or program version; "
                          "restore the design it was started with, or delete " + folder + " to start again");
    }
    for (auto& record : content.records) records[record.run] = std::move(record);
  }
  return records;
}

JournalWriter::JournalWriter(const std::string& path, std::uint64_t fingerprint) : path_(path) {
  const JournalContent content = parse_journal(read_bytes(path));
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw IoError(path + ": cannot open the sweep journal: " + std::strerror(errno));
  if (content.has_header && content.fingerprint != fingerprint) {
    ::close(fd_);
    throw ScenarioError(path + ": this journal belongs to another design; delete its folder to start again");
  }
  // Keep the good records, cut a record torn by a kill.
  if (::ftruncate(fd_, static_cast<off_t>(content.good_bytes)) != 0 ||
      ::lseek(fd_, static_cast<off_t>(content.good_bytes), SEEK_SET) < 0) {
    ::close(fd_);
    throw IoError(path + ": cannot prepare the sweep journal: " + std::strerror(errno));
  }
  if (!content.has_header) {
    Bytes header;
    header.data.assign(kMagic, kMagic + sizeof(kMagic));
    header.put(fingerprint);
    write_all(fd_, header.data, path_);
  }
  sync();
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) {
    ::fdatasync(fd_);
    ::close(fd_);
  }
}

void JournalWriter::append(const RunRecord& record) {
  const std::vector<char> frame = encode(record);
  std::lock_guard lock(mutex_);
  write_all(fd_, frame, path_);
  if (now_seconds() - last_sync_ >= 1.0) {
    ::fdatasync(fd_);
    last_sync_ = now_seconds();
  }
}

void JournalWriter::sync() {
  std::lock_guard lock(mutex_);
  ::fdatasync(fd_);
  last_sync_ = now_seconds();
}

std::optional<std::size_t> LocalQueue::next() {
  const std::size_t at = at_.fetch_add(1);
  if (at >= runs_.size()) return std::nullopt;
  return runs_[at];
}

void execute_runs(const SweepInputs& inputs, RunQueue& queue, JournalWriter& journal, int threads,
                  const std::atomic<bool>* cancel, std::atomic<std::int64_t>* done) {
  const int workers = threads > 0 ? threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(workers);
  arena.execute([&] {
    // One run per thread at a time: a county's run is too small to share out, and many runs at
    // once keep every core busy without the step's synchronisation.
    const auto worker = [&](int) {
      while (!(cancel && cancel->load())) {
        const std::optional<std::size_t> run = queue.next();
        if (!run) return;
        const std::optional<RunRecord> record = run_one(inputs, *run, cancel);
        if (!record) return;
        journal.append(*record);
        if (done) done->fetch_add(1);
      }
    };
    tsan::HandOver hand_over;  // what libtbb.so orders, told to ThreadSanitizer (core/tsan_annotations.hpp)
    hand_over.fork();
    tbb::parallel_for(0, workers, 1, tsan::tasks(hand_over, worker));
    hand_over.joined();
  });
  journal.sync();
}

std::vector<std::size_t> runs_left(const Design& design, const std::map<std::uint64_t, RunRecord>& done) {
  std::vector<std::size_t> left;
  for (std::size_t run = 0; run < design.run_count(); ++run) {
    if (!done.contains(run)) left.push_back(run);
  }
  return left;
}

void write_sweep_file(const std::string& path, const Design& design, const std::vector<std::string>& sets,
                      const std::map<std::uint64_t, RunRecord>& records) {
  const std::size_t points = design.point_count(), policies = design.policies.size();
  const auto replicates = static_cast<std::size_t>(design.replicates);
  const std::size_t runs = design.run_count();
  if (records.size() != runs) throw std::invalid_argument("write_sweep_file: not every run has a record");
  const std::vector<hsize_t> shape{points, policies, replicates};
  const Params& first = design.policies.front().scenario.params;
  const auto steps = static_cast<std::size_t>(first.step_count());

  write_hdf5_file(path, [&](const h5::Group& root) {
    const h5::Group meta = root.create_group("meta");
    meta.set_attribute("program", std::string_view("anjian"));
    meta.set_attribute("kind", std::string_view("sweep"));
    meta.set_attribute("version", std::string_view(kVersion));
    meta.set_attribute("git_commit", std::string_view(kGitCommit));
    meta.write_string("design", design.text);
    meta.write_string("design_path", design.path);
    meta.write_string("set", joined(sets));
    const h5::Group scenarios = meta.create_group("policies");
    for (const auto& policy : design.policies) scenarios.write_string(policy.name, to_yaml(policy.scenario));

    const h5::Group d = root.create_group("design");
    d.set_attribute("name", std::string_view(design.name));
    d.set_attribute("method", method_name(design.method));
    d.set_attribute("samples", design.samples);
    d.set_attribute("levels", design.levels);
    d.set_attribute("seed", design.seed);
    d.set_attribute("replicates", design.replicates);
    std::vector<std::string> keys;
    std::vector<double> lower, upper;
    for (const auto& f : design.factors) {
      keys.push_back(f.key);
      lower.push_back(f.lower);
      upper.push_back(f.upper);
    }
    d.write_string("factors", joined(keys));
    d.write_2d<double>("points", points, design.factors.size(), design.points)
        .set_attribute("description", std::string_view("one row per design point, one column per factor (design/factors order), in the parameters' units"));
    d.write_1d<double>("lower", lower);
    d.write_1d<double>("upper", upper);
    std::vector<std::string> names;
    for (const auto& p : design.policies) names.push_back(p.name);
    d.write_string("policies", joined(names));

    std::vector<std::uint8_t> status(runs);
    std::string errors;
    for (const auto& [run, record] : records) {
      status[run] = record.failed ? 1 : 0;
      if (record.failed) errors += std::to_string(run) + "\t" + record.error + "\n";
    }
    const h5::Group r = root.create_group("runs");
    r.create_dataset<std::uint8_t>("status", shape).write<std::uint8_t>(status);
    r.open_dataset("status").set_attribute("description", std::string_view("0 finished, 1 failed (runs/errors says why)"));
    r.write_string("errors", errors);

    const h5::Group out = root.create_group("outcomes");
    for (std::size_t k = 0; k < design.outcomes.size(); ++k) {
      const OutcomeSpec& spec = outcome_spec(design.outcomes[k]);
      std::vector<double> values(runs);
      for (const auto& [run, record] : records) values[run] = record.outcomes[k];
      const h5::Dataset set = out.create_dataset<double>(std::string(spec.key), shape);
      set.write<double>(values);
      set.set_attribute("unit", spec.unit);
      set.set_attribute("description", spec.meaning);
    }

    if (!design.series.empty()) {
      const h5::Group series = root.create_group("series");
      std::vector<double> day;
      for (std::size_t t = 0; t < steps; ++t) {
        day.push_back(static_cast<double>((first.burn_in_step_count() + static_cast<std::int64_t>(t) + 1) * first.time.step_days));
      }
      series.write_1d<double>("day", day).set_attribute("unit", std::string_view("day"));
      for (std::size_t k = 0; k < design.series.size(); ++k) {
        const MetricInfo& info = metric_info(design.series[k]);
        std::vector<double> values(runs * steps, std::numeric_limits<double>::quiet_NaN());
        for (const auto& [run, record] : records) {
          if (record.failed) continue;
          if (record.series.size() != design.series.size() * steps) {
            throw std::invalid_argument("write_sweep_file: run " + std::to_string(run) + " has series of another length");
          }
          std::copy_n(record.series.begin() + static_cast<std::ptrdiff_t>(k * steps), steps,
                      values.begin() + static_cast<std::ptrdiff_t>(run * steps));
        }
        const h5::Dataset set =
            series.create_dataset<double>(std::string(info.name), {points, policies, replicates, steps});
        set.write<double>(values);
        set.set_attribute("unit", info.unit);
      }
    }
  });
}

std::map<std::uint64_t, RunRecord> open_journal(const Design& design, const SweepOptions& options) {
  const std::string folder = journal_folder(options.output);
  if (fs::exists(folder) && !options.resume) {
    throw ScenarioError(folder + " holds the runs of an unfinished sweep; add --resume to finish it, or delete the "
                        "folder to start again");
  }
  fs::create_directories(folder);
  return read_journal(folder, design_fingerprint(design, options.sets));
}

SweepEnd finish_sweep(const Design& design, const SweepOptions& options) {
  const std::string folder = journal_folder(options.output);
  const auto records = read_journal(folder, design_fingerprint(design, options.sets));
  SweepEnd end;
  for (const auto& [run, record] : records) end.failed += record.failed ? 1 : 0;
  if (records.size() < design.run_count()) return end;
  write_sweep_file(options.output, design, options.sets, records);
  fs::remove_all(folder);
  end.complete = true;
  return end;
}

SweepEnd run_sweep(const Design& design, const SweepOptions& options) {
  const auto kept = open_journal(design, options);
  const SweepInputs inputs(design);
  const std::vector<std::size_t> left = runs_left(design, kept);
  if (options.done) options.done->store(static_cast<std::int64_t>(kept.size()));
  if (options.on_start) options.on_start(left.size());
  {
    JournalWriter journal(journal_folder(options.output) + "/rank-0.bin", design_fingerprint(design, options.sets));
    LocalQueue queue(left);
    execute_runs(inputs, queue, journal, options.threads, options.cancel, options.done);
  }
  return finish_sweep(design, options);
}

}  // namespace anjian
