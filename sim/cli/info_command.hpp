#pragma once
// `anjian info FILE.h5`: a result or comparison file's provenance (version, commit, scenario and
// network fingerprints, seed, period) and contents, and how to cite the run.

#include <CLI/CLI.hpp>
#include <string>

namespace anjian::cli {

CLI::App* add_info_command(CLI::App& app, std::string& path);
int info_command(const std::string& path);

}  // namespace anjian::cli
