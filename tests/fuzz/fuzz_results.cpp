// libFuzzer target: the result-file reader (what anjian.open checks a file with). An IoError is
// the expected answer to a truncated or damaged file; any other exception, a crash or a hang is
// a finding.

#include "fuzz_files.hpp"
#include "io/hdf5_util.hpp"
#include "io/results_reader.hpp"

using namespace anjian;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = fuzz::write_file("result.h5", fuzz::as_text(data, size));
  try {
    (void)read_results(path);
  } catch (const IoError&) {
  }
  return 0;
}
