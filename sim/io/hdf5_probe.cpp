#include "io/hdf5_probe.hpp"

#include <hdf5.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "io/hdf5_util.hpp"

namespace anjian {

namespace {

// Reads one attribute's value whatever its type; false if HDF5 refuses.
herr_t read_attribute(hid_t object, const char* name, const H5A_info_t*, void* failures) {
  const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  const hid_t type = attribute >= 0 ? H5Aget_type(attribute) : H5I_INVALID_HID;
  const hid_t space = attribute >= 0 ? H5Aget_space(attribute) : H5I_INVALID_HID;
  bool ok = attribute >= 0 && type >= 0 && space >= 0;
  if (ok) {
    const hssize_t points = H5Sget_simple_extent_npoints(space);
    const std::size_t size = H5Tget_size(type);
    ok = points >= 0 && size > 0 && static_cast<double>(points) * static_cast<double>(size) < 1e9;
    if (ok) {
      std::vector<char> buffer(static_cast<std::size_t>(points) * size + 1);
      ok = H5Aread(attribute, type, buffer.data()) >= 0;
      if (ok && H5Tis_variable_str(type) > 0) H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer.data());
    }
  }
  if (space >= 0) H5Sclose(space);
  if (type >= 0) H5Tclose(type);
  if (attribute >= 0) H5Aclose(attribute);
  if (!ok) ++*static_cast<int*>(failures);
  return 0;
}

// Opens every object, reads its attributes, and for datasets their type and shape.
herr_t visit_object(hid_t root, const char* name, const H5O_info_t*, void* failures) {
  const hid_t object = H5Oopen(root, name, H5P_DEFAULT);
  if (object < 0) {
    ++*static_cast<int*>(failures);
    return 0;
  }
  H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, nullptr, read_attribute, failures);
  if (H5Iget_type(object) == H5I_DATASET) {
    const hid_t type = H5Dget_type(object), space = H5Dget_space(object);
    if (type < 0 || space < 0 || H5Sget_simple_extent_npoints(space) < 0) ++*static_cast<int*>(failures);
    if (type >= 0) H5Tclose(type);
    if (space >= 0) H5Sclose(space);
  }
  H5Oclose(object);
  return 0;
}

// The child's work: 0 if every object's metadata could be read, 1 otherwise.
int probe_here(const std::string& path) {
  h5::silence_hdf5_errors();
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return 1;
  int failures = 0;
  if (H5Ovisit(file, H5_INDEX_NAME, H5_ITER_INC, visit_object, &failures) < 0) ++failures;
  H5Fclose(file);
  return failures == 0 ? 0 : 1;
}

// How a child's probe of the file ended.
struct ProbeOutcome {
  enum Kind { readable, looping, crashed, unreadable, unknown } kind = unknown;
  int signal = 0;  // for crashed
};

ProbeOutcome probe_in_child(const std::string& path, double timeout_seconds) {
  const pid_t child = fork();
  if (child < 0) return {};  // cannot probe (no processes left): read as before
  if (child == 0) {
    // A crash here is the answer, not a bug report: die quietly by the signal (no handler of a
    // sanitizer, fuzzer or Python's faulthandler inherited from the parent prints or saves anything).
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) signal(sig, SIG_DFL);
    // Never outlive the parent or the deadline: a looping HDF5 must not be left running when the
    // parent is killed (a fuzzer's timeout) before it could kill the child.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    alarm(static_cast<unsigned>(timeout_seconds) + 1);
    _exit(probe_here(path));
  }

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  int status = 0;
  pid_t done = 0;
  while ((done = waitpid(child, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (done == 0) {
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    return {ProbeOutcome::looping};
  }
  if (done < 0) return {};  // the child was reaped elsewhere (a SIGCHLD handler): nothing to conclude
  if (WIFSIGNALED(status)) return {ProbeOutcome::crashed, WTERMSIG(status)};
  return {WEXITSTATUS(status) == 0 ? ProbeOutcome::readable : ProbeOutcome::unreadable};
}

}  // namespace

void probe_hdf5_file(const std::string& path, double timeout_seconds) {
  // A child forked from a multi-threaded process (TBB's workers, Python's) inherits every lock as
  // it was at that moment, and one another thread held then (HDF5's global lock, the allocator's)
  // is never released in the child, which then waits for ever. A file on which HDF5 loops loops
  // every time; a lock caught by a fork is a matter of the moment: a second child, after the
  // first hangs, tells them apart. Each has half the time (reading a sound file's metadata takes
  // milliseconds), so a looping file is refused as soon as before.
  const double each = timeout_seconds / 2;
  ProbeOutcome outcome = probe_in_child(path, each);
  if (outcome.kind == ProbeOutcome::looping) outcome = probe_in_child(path, each);
  switch (outcome.kind) {
    case ProbeOutcome::looping:
      throw IoError("'" + path + "' is damaged: reading its structure does not end (HDF5 loops); restore it from a "
                    "copy or run the scenario again");
    case ProbeOutcome::crashed:
      throw IoError("'" + path + "' is damaged: reading its structure crashes the HDF5 library (" +
                    strsignal(outcome.signal) + "); restore it from a copy or run the scenario again");
    case ProbeOutcome::unreadable:
      throw IoError("'" + path + "' is damaged: HDF5 cannot read every group, dataset and attribute in it; restore "
                    "it from a copy or run the scenario again");
    case ProbeOutcome::readable:
    case ProbeOutcome::unknown:
      return;
  }
}

}  // namespace anjian
