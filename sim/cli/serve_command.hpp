#pragma once
// `anjian serve`: the trainer for officials, a bilingual browser app and its JSON API
// (sim/serve/, web/, docs/trainer.md).

#include <CLI/CLI.hpp>

#include "serve/server.hpp"

namespace anjian::cli {

CLI::App* add_serve_command(CLI::App& app, serve::ServeOptions& options);
int serve_command(serve::ServeOptions options);

}  // namespace anjian::cli
