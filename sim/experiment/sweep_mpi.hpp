#pragma once
// A sweep across the ranks of an MPI job (`mpirun -n N anjian sweep ...`): rank 0 keeps the
// queue of runs left and hands them out one at a time to every rank that asks (a dynamic
// queue, so fast and slow ranks finish together); every rank runs its runs on its own threads
// and appends them to its own journal file; rank 0 writes the result file from all journals
// once every rank is done. The file is the same for any number of ranks. Built only when Open
// MPI is found (ANJIAN_WITH_MPI).

#include "experiment/sweep.hpp"

namespace anjian {

// True when this process was started by mpirun or srun (Open MPI's or PMIx's environment), the
// only case in which MPI is initialised.
bool launched_by_mpi();

// MPI initialised for the life of the object (threads: serialized), finalised after.
class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Processes of this job on this node, to share the node's cores among them.
  int local_size() const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

// run_sweep across the job's ranks; every rank calls it with the same design and options (a
// bad journal is reported by rank 0 and thrown on every rank, with an empty message on the
// others). Returns what run_sweep returns, on every rank.
SweepEnd run_sweep_mpi(const MpiSession& mpi, const Design& design, const SweepOptions& options);

}  // namespace anjian
