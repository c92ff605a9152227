#pragma once
// What the fuzz targets share: a private directory for the files each input becomes (the readers
// under test take paths, as the program gives them), and the splitting of one input into parts.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace anjian::fuzz {

// A directory of this process, made on first use and reused by every input.
inline const std::string& work_dir() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/anjian-fuzz-XXXXXX";
    if (!mkdtemp(pattern.data())) std::abort();
    return pattern;
  }();
  return dir;
}

// Writes `bytes` to work_dir()/name and returns the path.
inline std::string write_file(const std::string& name, std::string_view bytes) {
  const std::string path = work_dir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

// Splits `text` at every line that is exactly `separator`.
inline std::vector<std::string_view> split_at_lines(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> parts;
  const std::string marker = "\n" + std::string(separator) + "\n";
  std::size_t start = 0;
  for (std::size_t at = text.find(marker); at != std::string_view::npos; at = text.find(marker, start)) {
    parts.push_back(text.substr(start, at - start));
    start = at + marker.size();
  }
  parts.push_back(text.substr(start));
  return parts;
}

// The lines of `text`, without their newlines.
inline std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t at = text.find('\n'); at != std::string_view::npos; at = text.find('\n', start)) {
    out.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  out.push_back(text.substr(start));
  return out;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace anjian::fuzz
