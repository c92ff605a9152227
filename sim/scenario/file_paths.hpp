#pragma once
// Questions about a path the user wrote (a scenario, design, network or output file), asked
// without exceptions. std::filesystem's throwing queries end a run with a bare
// filesystem_error on a name too long or a loop of links; such a path is bad input, answered
// where it is read, with the file and the fix.

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace anjian {

inline constexpr std::string_view kNoSuchFile = "no such file";

// Why PATH names no file: "" when something is there, else "no such file" or the system's reason
// ("File name too long", "Too many levels of symbolic links", "Permission denied").
inline std::string why_no_file(const std::filesystem::path& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (std::filesystem::exists(status)) return {};
  if (!error || error == std::errc::no_such_file_or_directory || error == std::errc::not_a_directory) {
    return std::string(kNoSuchFile);
  }
  return error.message();
}

// Why a file that would not open did not: it is there but unreadable, or why_no_file.
inline std::string why_unopened(const std::filesystem::path& path) {
  const std::string missing = why_no_file(path);
  return missing.empty() ? "permission denied" : missing;
}

inline bool is_directory_quietly(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_directory(path, error);
}

// The path with its links resolved as far as they exist, or its plain absolute form where the
// system cannot say (a name too long is then reported when the file is opened).
inline std::filesystem::path canonical_quietly(const std::filesystem::path& path) {
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error) return path.lexically_normal();
  std::filesystem::path resolved = std::filesystem::weakly_canonical(absolute, error);
  return error ? absolute.lexically_normal() : resolved;
}

}  // namespace anjian
