#include "cli/serve_command.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "serve/run_queue.hpp"

namespace anjian::cli {

namespace fs = std::filesystem;

namespace {

fs::path program_dir() {
  std::error_code ignored;
  return fs::read_symlink("/proc/self/exe", ignored).parent_path();
}

// The scenario library beside the program (an installed copy), else the source tree's.
fs::path default_scenarios_dir() {
  const fs::path beside = program_dir() / "scenarios";
  return fs::is_regular_file(beside / "county_baseline.yaml") ? beside
                                                              : fs::path(ANJIAN_SOURCE_DIR) / "scenarios";
}

}  // namespace

CLI::App* add_serve_command(CLI::App& app, serve::ServeOptions& options) {
  auto* cmd = app.add_subcommand(
      "serve",
      "serve the trainer for officials: a browser app (Chinese, or English by a switch) to choose a county,\n"
      "set reforms under a budget, compare them with the status quo and play guided exercises or a classroom "
      "game");
  cmd->footer(
      "Open the address it prints in a browser. Each run is a paired comparison of the policy with the "
      "status\n"
      "quo under common random numbers, capped per request (--max-replicates, --max-years, "
      "--max-enterprises)\n"
      "and queued (--queue; beyond it the API answers 429). Classroom sessions are kept in the SQLite file "
      "of\n"
      "--sessions, so a restarted server loses none. On any address other than the loopback the API needs "
      "an\n"
      "access token: --token, or one the server makes up and prints in the address.\n\n"
      "  anjian serve                                  http://127.0.0.1:8080/\n"
      "  anjian serve --host 0.0.0.0 --port 8000       a classroom network (prints the address with its "
      "token)\n\n"
      "The API is described in docs/trainer.md. Exit codes: 0 stopped by Ctrl-C or SIGTERM, 1 cannot listen "
      "or\n"
      "read the app, 2 bad option.");
  cmd->add_option("--host", options.host, "address to listen on (0.0.0.0 = every network of the machine)");
  cmd->add_option("--port", options.port, "TCP port")->check(CLI::Range(1, 65535));
  cmd->add_option("--token", options.token,
                  "access token the API requires (default: none on the loopback, a "
                  "random one elsewhere; also ANJIAN_TOKEN)")
      ->envname("ANJIAN_TOKEN");
  cmd->add_option("--web", options.web_dir, "the built app (default: web/ beside the program)");
  cmd->add_option(
      "--scenarios", options.scenarios_dir,
      "scenario library: county_baseline.yaml, problem_*.yaml, reform_*.yaml (default: the project's "
      "scenarios/)");
  cmd->add_option("--sessions", options.sessions_path,
                  "SQLite file of the classroom sessions (created if missing)");
  cmd->add_option("-t,--threads", options.threads, "engine threads per run (default: all cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--max-replicates", options.limits.max_replicates, "replicates one run may ask for")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--max-years", options.limits.max_years, "recorded years one run may ask for")
      ->check(CLI::Range(0.1, 50.0));
  cmd->add_option("--max-enterprises", options.limits.max_enterprises, "enterprises one run may ask for")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--queue", options.limits.queue_length, "runs queued or running at once; more get 429")
      ->check(CLI::Range(1, 1000));
  return cmd;
}

int serve_command(serve::ServeOptions options) {
  if (options.web_dir.empty()) options.web_dir = program_dir() / "web";
  if (options.scenarios_dir.empty()) options.scenarios_dir = default_scenarios_dir();
  if (options.sessions_path.empty()) options.sessions_path = "anjian_sessions.sqlite";
  if (options.limits.default_replicates > options.limits.max_replicates)
    options.limits.default_replicates = options.limits.max_replicates;
  if (options.limits.default_years > options.limits.max_years)
    options.limits.default_years = options.limits.max_years;
  if (options.token.empty() && !serve::is_loopback(options.host)) {
    options.token = serve::random_id(32);
    std::cout
        << "anjian serve: --host " << options.host
        << " is reachable from other machines, so the API needs the access token in the address below\n";
  }
  return serve::serve(options);
}

}  // namespace anjian::cli
