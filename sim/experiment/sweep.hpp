#pragma once
// Running a design's runs and keeping what finishes: a journal of run records appended as each
// run ends (so a sweep killed at any moment loses only the runs in flight), a queue that hands
// out the runs left (one process, or many through MPI, sweep_mpi.hpp), and the result file
// assembled from the journal in run order, so that it is the same whatever order the runs
// finished in, however many processes ran them and however often the sweep was resumed.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "experiment/design.hpp"
#include "model/network.hpp"

namespace anjian {

// What one run left: its outcomes (design.outcomes order), the kept series (design.series
// metrics, each over the recorded steps) or, if it failed, why.
struct RunRecord {
  std::uint64_t run = 0;
  bool failed = false;
  std::string error;
  std::vector<double> outcomes;
  std::vector<double> series;
};

// The networks the policies' scenarios name, read once before any run.
struct SweepInputs {
  const Design& design;
  std::vector<std::optional<NetworkSpec>> networks;  // per policy
  explicit SweepInputs(const Design& design);
};

// Runs one run of the design on the calling thread's arena. A run that throws is a failed
// record; nullopt when `cancel` stopped it (nothing to keep).
std::optional<RunRecord> run_one(const SweepInputs& inputs, std::size_t run, const std::atomic<bool>* cancel);

// A design, its command-line overrides and the program's version, hashed: a journal belongs to
// one fingerprint, and --resume refuses another.
std::uint64_t design_fingerprint(const Design& design, const std::vector<std::string>& sets);

// The journal folder of a result file: <output>.journal/, one file per process (rank-N.bin).
std::string journal_folder(const std::string& output);

// Every good record in the journal folder by run (a record cut short by a kill is ignored).
// Throws ScenarioError if a journal belongs to another design.
std::map<std::uint64_t, RunRecord> read_journal(const std::string& folder, std::uint64_t fingerprint);

// Appends records to one process's journal file. Opening it keeps its good records and cuts off
// a torn last one; each record is one write(2), made durable (fdatasync) at most once a second
// and on close.
class JournalWriter {
 public:
  JournalWriter(const std::string& path, std::uint64_t fingerprint);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;
  void append(const RunRecord& record);
  void sync();

 private:
  std::string path_;
  int fd_ = -1;
  std::mutex mutex_;
  double last_sync_ = 0;
};

// Hands out run indices; thread-safe. nullopt when no run is left (or the sweep stops).
class RunQueue {
 public:
  virtual ~RunQueue() = default;
  virtual std::optional<std::size_t> next() = 0;
};

// The runs left, in order, for one process's threads.
class LocalQueue : public RunQueue {
 public:
  explicit LocalQueue(std::vector<std::size_t> runs) : runs_(std::move(runs)) {}
  std::optional<std::size_t> next() override;

 private:
  std::vector<std::size_t> runs_;
  std::atomic<std::size_t> at_{0};
};

// Runs from `queue` on `threads` threads (0 = all cores), one run per thread at a time, each
// finished run appended to `journal` and counted in `done`. Stops taking runs once `cancel` is
// set; runs in flight are abandoned.
void execute_runs(const SweepInputs& inputs, RunQueue& queue, JournalWriter& journal, int threads,
                  const std::atomic<bool>* cancel, std::atomic<std::int64_t>* done);

// The runs of the design without a record, in order.
std::vector<std::size_t> runs_left(const Design& design, const std::map<std::uint64_t, RunRecord>& done);

// Writes the sweep's result file (docs/experiments.md, "Result file") from a complete set of
// records; atomically, the same bytes for the same records.
void write_sweep_file(const std::string& path, const Design& design, const std::vector<std::string>& sets,
                      const std::map<std::uint64_t, RunRecord>& records);

struct SweepOptions {
  std::string output;
  std::vector<std::string> sets;  // the --set overrides the design was loaded with (for the record)
  bool resume = false;
  int threads = 0;
  const std::atomic<bool>* cancel = nullptr;
  std::atomic<std::int64_t>* done = nullptr;   // runs finished, including those found in the journal
  std::function<void(std::size_t left)> on_start;  // told how many runs are left before they run
};

// How a sweep ended: complete (the result file written) or stopped, and how many runs failed.
struct SweepEnd {
  bool complete = false;
  std::size_t failed = 0;
};

// A whole sweep in one process: opens (or, with resume, continues) the journal, runs what is
// left, and when nothing is left writes the result file and removes the journal. Not complete
// if cancelled (the journal keeps the finished runs). Throws ScenarioError if a journal exists
// without resume, or belongs to another design.
SweepEnd run_sweep(const Design& design, const SweepOptions& options);

// How a sweep starts: checks the journal against `resume`, creates the folder; returns the
// records already kept.
std::map<std::uint64_t, RunRecord> open_journal(const Design& design, const SweepOptions& options);
// When every run has a record: writes the result file from the journal, removes the journal
// folder.
SweepEnd finish_sweep(const Design& design, const SweepOptions& options);

}  // namespace anjian
