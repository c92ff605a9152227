#pragma once
// A damaged HDF5 file can crash the HDF5 library itself (1.10 dereferences some corrupted
// metadata without checking it), which no try/catch can answer. So before a file is read, a
// child process reads every object's metadata and attributes; if the child crashes or hangs,
// the caller gets an IoError instead of dying with it.

#include <string>

namespace anjian {

// Throws IoError naming `path` if reading the metadata of every object in it crashes the child,
// hangs in two children one after the other (half of `timeout_seconds` each), or fails. The
// raw data is not read (HDF5 reads it without interpreting it).
void probe_hdf5_file(const std::string& path, double timeout_seconds = 10);

}  // namespace anjian
