#pragma once
// `anjian serve`: the trainer's JSON API and its browser app from one process. The API (all
// under /api/, docs/trainer.md) plans runs through the scenario validator, queues them on the
// engine in-process and keeps classroom sessions in SQLite; every other path is looked up in the
// app's bundle, read into memory at start, so no request path reaches the file system.

#include <filesystem>
#include <string>

#include "serve/trainer.hpp"

namespace anjian::serve {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string token;                    // required on /api/ when not empty
  std::filesystem::path web_dir;        // the built app (index.html and assets/)
  std::filesystem::path scenarios_dir;  // county_baseline.yaml, problem_*.yaml, reform_*.yaml
  std::string sessions_path;            // SQLite file of the classroom sessions
  int threads = 0;                      // engine threads per run (0 = all cores)
  Limits limits;
};

// True for 127.0.0.0/8, ::1 and "localhost": only the machine itself can connect.
bool is_loopback(const std::string& host);

// Serves until SIGINT or SIGTERM; returns the process exit code.
int serve(const ServeOptions& options);

}  // namespace anjian::serve
