// libFuzzer target: the GraphML county reader (`network:` in a scenario). A NetworkError is the
// expected answer to a damaged or nonsensical file; any other exception, a crash or a hang is a
// finding.

#include "fuzz_files.hpp"
#include "model/network.hpp"

using namespace anjian;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = fuzz::write_file("county.graphml", fuzz::as_text(data, size));
  try {
    (void)read_network_graphml(path);
  } catch (const NetworkError&) {
  }
  return 0;
}
