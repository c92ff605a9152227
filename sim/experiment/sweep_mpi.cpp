#include "experiment/sweep_mpi.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace anjian {

namespace {

constexpr int kAsk = 1;       // worker -> rank 0: runs finished so far (int64); wants a run
constexpr int kGive = 2;      // rank 0 -> worker: a run index, or -1 when none is left
constexpr int kFinished = 3;  // worker -> rank 0: runs finished in all (int64); asks no more

// A non-zero rank's view of the queue: asks rank 0, one question at a time.
class RemoteQueue : public RunQueue {
 public:
  explicit RemoteQueue(const std::atomic<std::int64_t>& finished) : finished_(finished) {}
  std::optional<std::size_t> next() override {
    std::lock_guard lock(mutex_);
    if (exhausted_) return std::nullopt;
    std::int64_t finished = finished_.load();
    std::int64_t run = -1;
    MPI_Send(&finished, 1, MPI_INT64_T, 0, kAsk, MPI_COMM_WORLD);
    MPI_Recv(&run, 1, MPI_INT64_T, 0, kGive, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (run < 0) {
      exhausted_ = true;
      return std::nullopt;
    }
    return static_cast<std::size_t>(run);
  }

 private:
  const std::atomic<std::int64_t>& finished_;
  std::mutex mutex_;
  bool exhausted_ = false;
};

// Rank 0's server: answers the other ranks from the shared queue until each has said it is
// finished, adding their finished runs to `done` for the progress line. It polls (2 ms) rather
// than blocks in MPI_Recv, which would spin a core that rank 0's own runs need.
void serve(RunQueue& queue, int ranks, const std::atomic<bool>* cancel, std::atomic<std::int64_t>* done) {
  std::vector<std::int64_t> reported(static_cast<std::size_t>(ranks), 0);
  int finished = 0;
  while (finished < ranks - 1) {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (!flag) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    std::int64_t count = 0;
    MPI_Recv(&count, 1, MPI_INT64_T, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    auto& seen = reported[static_cast<std::size_t>(status.MPI_SOURCE)];
    if (done) done->fetch_add(count - seen);
    seen = count;
    if (status.MPI_TAG == kFinished) {
      ++finished;
      continue;
    }
    std::int64_t run = -1;
    if (!(cancel && cancel->load())) {
      if (auto next = queue.next()) run = static_cast<std::int64_t>(*next);
    }
    MPI_Send(&run, 1, MPI_INT64_T, status.MPI_SOURCE, kGive, MPI_COMM_WORLD);
  }
}

// Every rank learns whether rank 0 succeeded; on failure all throw (rank 0 with the message).
void agree(bool ok, const std::string& message, int rank) {
  int flag = ok ? 1 : 0;
  MPI_Bcast(&flag, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!flag) throw ScenarioError(rank == 0 ? message : std::string());
}

}  // namespace

bool launched_by_mpi() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr ||
         std::getenv("PMI_RANK") != nullptr;
}

MpiSession::MpiSession(int& argc, char**& argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw std::runtime_error("this MPI library cannot be called from a helper thread (MPI_THREAD_SERIALIZED)");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

int MpiSession::local_size() const {
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
  int size = 1;
  MPI_Comm_size(node, &size);
  MPI_Comm_free(&node);
  return size;
}

SweepEnd run_sweep_mpi(const MpiSession& mpi, const Design& design, const SweepOptions& options) {
  const int rank = mpi.rank();
  std::map<std::uint64_t, RunRecord> kept;
  std::string problem;
  if (rank == 0) {
    try {
      kept = open_journal(design, options);
    } catch (const ScenarioError& e) {
      problem = e.what();
    }
  }
  agree(problem.empty(), problem, rank);

  const SweepInputs inputs(design);
  const std::uint64_t fingerprint = design_fingerprint(design, options.sets);
  std::atomic<std::int64_t> mine{0};
  {
    JournalWriter journal(journal_folder(options.output) + "/rank-" + std::to_string(rank) + ".bin", fingerprint);
    if (rank == 0) {
      const std::vector<std::size_t> left = runs_left(design, kept);
      if (options.done) options.done->store(static_cast<std::int64_t>(kept.size()));
      if (options.on_start) options.on_start(left.size());
      LocalQueue queue(left);
      std::thread server(serve, std::ref(queue), mpi.size(), options.cancel, options.done);
      execute_runs(inputs, queue, journal, options.threads, options.cancel, options.done);
      server.join();
    } else {
      RemoteQueue queue(mine);
      execute_runs(inputs, queue, journal, options.threads, options.cancel, &mine);
      std::int64_t finished = mine.load();
      MPI_Send(&finished, 1, MPI_INT64_T, 0, kFinished, MPI_COMM_WORLD);
    }
  }
  MPI_Barrier(MPI_COMM_WORLD);  // every journal closed and synced
  SweepEnd end;
  if (rank == 0) {
    try {
      end = finish_sweep(design, options);
    } catch (const std::exception& e) {
      problem = e.what();
    }
  }
  agree(problem.empty(), problem, rank);
  std::int64_t shared[2] = {end.complete ? 1 : 0, static_cast<std::int64_t>(end.failed)};
  MPI_Bcast(shared, 2, MPI_INT64_T, 0, MPI_COMM_WORLD);
  return SweepEnd{shared[0] != 0, static_cast<std::size_t>(shared[1])};
}

}  // namespace anjian
