// The `anjian` command: run scenarios, compare them, validate them, list parameters.

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "cli/common.hpp"
#include "cli/compare_command.hpp"
#include "cli/sweep_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/info_command.hpp"
#include "cli/memory_guard.hpp"
#include "core/version.hpp"
#include "io/hdf5_util.hpp"
#include "io/checkpoint_file.hpp"
#include "io/results_writer.hpp"
#include "scenario/schedule.hpp"
#include "model/network.hpp"
#include "run/simulation.hpp"
#include "run/summary.hpp"
#include "scenario/scenario.hpp"

namespace fs = std::filesystem;
using namespace anjian;
using namespace anjian::cli;

namespace {

struct ScenarioArgs {
  std::string path;
  std::vector<std::string> sets;
  std::vector<std::string> schedules;
};

void add_scenario_args(CLI::App& cmd, ScenarioArgs& args) {
  cmd.add_option("scenario", args.path, "scenario file (YAML), e.g. scenarios/county_baseline.yaml")
      ->required();
  add_set_option(cmd, args.sets);
  add_schedule_option(cmd, args.schedules);
}

// The scenario with --set, the run options (if any) and then --schedule applied.
Scenario load_with_overrides(const ScenarioArgs& args, const RunOverrides& overrides = {}) {
  Scenario scenario = cli::load_with_overrides(args.path, args.sets);
  apply_overrides(scenario, overrides);
  apply_schedules(scenario, args.schedules);
  return scenario;
}

// Where the time went, phase by phase, summed over replicates (which may run at the same time).
void print_phase_seconds(const EnsembleResult& result) {
  PhaseSeconds total{};
  for (const auto& r : result.replicates) {
    for (std::size_t k = 0; k < kTimedCount; ++k) total[k] += r.seconds[k];
  }
  double sum = 0;
  for (double s : total) sum += s;
  std::printf("time by phase, summed over %zu replicate(s): %.3f s\n", result.replicates.size(), sum);
  for (std::size_t k = 0; k < kTimedCount; ++k) {
    if (total[k] > 0) std::printf("  %-26s %9.3f s %5.1f%%\n", kTimedNames[k], total[k], 100.0 * total[k] / sum);
  }
}

struct RunArgs {
  ScenarioArgs scenario;
  std::string output;
  RunOverrides overrides;
  int threads = 0;
  double memory_limit_mib = kMachineMemoryLimit;
  bool quiet = false, stats = false;
  std::int64_t checkpoint_day = 0;  // --checkpoint-at-day
  std::string checkpoint_out, from_checkpoint;
};

// Checks that `scenario` can continue `checkpoint`: same seed, replicates, steps and burn-in,
// a period reaching past it, and, of what a run cannot change, nothing changed (the levers may
// differ: they change at the branch point as a schedule's would).
void check_branch(const Scenario& scenario, const Checkpoint& checkpoint, const std::string& path) {
  const Params& p = scenario.params;
  const auto refuse = [&](const std::string& why) {
    throw ScenarioError("--from-checkpoint " + path + ": " + why);
  };
  if (p.run.seed != checkpoint.seed)
    refuse("it was taken with run.seed " + std::to_string(checkpoint.seed) + ", the scenario has " +
           std::to_string(p.run.seed) + "; pass --seed " + std::to_string(checkpoint.seed));
  if (p.run.replicates != static_cast<std::int64_t>(checkpoint.replicates.size()))
    refuse("it holds " + std::to_string(checkpoint.replicates.size()) + " replicate(s), the scenario asks for " +
           std::to_string(p.run.replicates) + "; pass --replicates " + std::to_string(checkpoint.replicates.size()));
  if (p.time.step_days != checkpoint.step_days || p.burn_in_step_count() != checkpoint.burn_in_steps)
    refuse("it was taken with time.step_days " + std::to_string(checkpoint.step_days) + " and " +
           std::to_string(checkpoint.burn_in_steps) + " burn-in step(s); the scenario must have the same");
  const std::int64_t next = checkpoint.replicates.front().next_step;
  if (next >= p.burn_in_step_count() + p.step_count())
    refuse("it was taken on day " + std::to_string(checkpoint.day) + ", at or after the end of this run; lengthen time.years");
  for (const auto& difference : differing_params(checkpoint.replicates.front().current, p)) {
    const std::string key = difference.substr(0, difference.find(':'));
    if (key == "time.years") continue;
    if (const auto reason = unschedulable_reason(key); !reason.empty())
      refuse(key + " differs from the checkpoint's (" + difference.substr(key.size() + 2) + "), but " + reason +
             "; branch only into levers a schedule could change");
  }
}

int run_command(const RunArgs& args) {
  Scenario scenario = load_with_overrides(args.scenario, args.overrides);
  if (args.checkpoint_day > 0 && args.checkpoint_out.empty())
    throw ScenarioError("--checkpoint-at-day " + std::to_string(args.checkpoint_day) + ": name the file with --checkpoint-out FILE");
  if (!args.checkpoint_out.empty() && args.checkpoint_day <= 0)
    throw ScenarioError("--checkpoint-out " + args.checkpoint_out + ": say when with --checkpoint-at-day DAY");
  const std::int64_t run_days = (scenario.params.burn_in_step_count() + scenario.params.step_count()) * scenario.params.time.step_days;
  if (args.checkpoint_day > 0 && args.checkpoint_day >= run_days)
    throw ScenarioError("--checkpoint-at-day " + std::to_string(args.checkpoint_day) + ": the run's days are 1 to " +
                        std::to_string(run_days) + " (burn-in included, as /series/day counts); choose a day before " +
                        std::to_string(run_days));
  if (!args.checkpoint_out.empty()) check_output_path(args.checkpoint_out, "--checkpoint-out");
  std::optional<Checkpoint> warm;
  if (!args.from_checkpoint.empty()) {
    try {
      warm = read_checkpoint(args.from_checkpoint);
    } catch (const CheckpointError& e) {
      throw ScenarioError(e.what());
    }
    check_branch(scenario, *warm, args.from_checkpoint);
    if (args.checkpoint_day > 0 && args.checkpoint_day <= warm->day)
      throw ScenarioError("--checkpoint-at-day " + std::to_string(args.checkpoint_day) + ": the run starts from day " +
                          std::to_string(warm->day + 1) + " of " + args.from_checkpoint + "; choose a later day");
  }
  std::string output = args.output;
  const int threads = args.threads;
  const bool quiet = args.quiet, stats = args.stats;
  if (output.empty()) {
    fs::create_directories("results");
    output = "results/" + scenario.name + ".h5";
  }
  check_output_path(output, "-o");
  const Params& params = scenario.params;
  const std::optional<NetworkSpec> network = load_scenario_network(scenario);
  print_network_notes(network);
  const MemoryEstimate estimate =
      guard_memory({EnsembleSpec{params, network ? &*network : nullptr, {}}}, threads, args.memory_limit_mib, output);
  install_interrupt_handler();

  const auto start = std::chrono::steady_clock::now();
  EnsembleResult result;
  {
    Progress progress((params.burn_in_step_count() + params.step_count()) * params.run.replicates, !quiet);
    RunOptions options{threads, &progress.steps, &g_interrupted, network ? &*network : nullptr, stats};
    std::vector<RunState> states;
    if (args.checkpoint_day > 0) {
      states.resize(static_cast<std::size_t>(params.run.replicates));
      options.checkpoint_after_step = (args.checkpoint_day - 1) / params.time.step_days;
      options.checkpoints = &states;
    }
    if (warm) options.resume_states = &warm->replicates;
    result = run_ensemble(params, options);
    if (args.checkpoint_day > 0 && !g_interrupted.load()) {
      write_checkpoint(args.checkpoint_out,
                       Checkpoint{to_yaml(scenario), scenario.name, params.run.seed, params.time.step_days,
                                  params.burn_in_step_count(),
                                  (options.checkpoint_after_step + 1) * params.time.step_days, std::move(states)});
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (g_interrupted.load()) {
    std::cerr << "anjian: interrupted; no result written\n";
    return kExitInterrupted;
  }
  write_results(output, result, RunMeta{scenario.name, scenario.path, to_yaml(scenario), network ? &*network : nullptr});
  if (!quiet) {
    std::cout << format_summary(result, scenario.name);
    std::cout << "results: " << output << "\n";
  }
  if (stats) {
    const double enterprise_days = static_cast<double>(params.enterprises.count) *
                                   static_cast<double>((params.burn_in_step_count() + params.step_count()) * params.time.step_days) *
                                   static_cast<double>(params.run.replicates);
    std::printf("stats: %.3f s wall, %.3g enterprise-days/s, peak memory %.1f MiB, %d thread(s)\n", seconds,
                enterprise_days / seconds, peak_memory_mib(),
                threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency()));
    std::printf("stats: memory estimated %.1f MiB, measured peak %.1f MiB\n", estimate.total_bytes / (1 << 20),
                peak_memory_mib());
    print_phase_seconds(result);
  }
  return 0;
}

int params_command(const std::string& format) {
  const auto& specs = param_specs();
  if (format == "csv") {
    std::cout << "key,type,unit,default,min,max,choices,meaning,source,reference\n";
    auto quote = [](const std::string& s) {
      std::string q = "\"";
      for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      return q + "\"";
    };
    for (const auto& s : specs) {
      const bool numeric = s.type == ParamType::Real || s.type == ParamType::Integer;
      std::string choices;
      for (const auto& word : s.choices) choices += (choices.empty() ? "" : "|") + word;
      std::cout << s.key << ',' << type_name(s.type) << ',' << quote(s.unit) << ','
                << format_value(s, s.default_value) << ',' << (numeric ? format_value(s, s.min) : "") << ','
                << (numeric ? format_value(s, s.max) : "") << ',' << choices << ',' << quote(s.meaning) << ','
                << source_kind_name(s.source.kind) << ',' << quote(s.source.note) << '\n';
    }
    return 0;
  }
  std::string section;
  for (const auto& s : specs) {
    const std::string this_section = s.key.substr(0, s.key.rfind('.'));
    if (this_section != section) {
      std::cout << (section.empty() ? "" : "\n") << this_section << ":\n";
      section = this_section;
    }
    std::string range = "[" + format_value(s, s.min) + ", " + format_value(s, s.max) + "]";
    if (s.type == ParamType::Boolean) range = "true|false";
    if (s.type == ParamType::Choice) {
      range.clear();
      for (const auto& word : s.choices) range += (range.empty() ? "" : "|") + word;
    }
    std::printf("  %-42s %-8s %-12s %-26s %s\n    %s\n    source: %s%s%s\n", s.key.c_str(),
                std::string(type_name(s.type)).c_str(), format_value(s, s.default_value).c_str(), range.c_str(),
                s.unit.c_str(), s.meaning.c_str(), std::string(source_kind_name(s.source.kind)).c_str(),
                s.source.note.empty() ? "" : ": ", s.source.note.c_str());
  }
  return 0;
}

int validate_command(const ScenarioArgs& args, bool print) {
  const Scenario scenario = load_with_overrides(args);
  const std::optional<NetworkSpec> network = load_scenario_network(scenario);
  print_network_notes(network);
  if (print) {
    std::cout << to_yaml(scenario);
  } else {
    const auto& d = scenario.params.departments;
    const auto county_posts = d.emergency_management_staff + d.construction_staff + d.natural_resources_staff +
                              d.market_supervision_staff;
    const auto enterprises = network ? static_cast<std::int64_t>(network->enterprises.size())
                                     : scenario.params.enterprises.count;
    std::cout << args.path << ": ok (" << enterprises << " enterprises"
              << (network ? " from " + scenario.network : std::string()) << ", "
              << (network ? std::string("network-defined") : std::to_string(county_posts))
              << " county inspection posts, " << scenario.params.time.years << " years, "
              << scenario.params.run.replicates << " replicate(s))\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // A file-size limit (ulimit -f) then fails the write with EFBIG, reported like a full disk,
  // instead of killing the program without a word.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{
      "anjian (安监): an agent-based laboratory of grass-roots work-safety supervision.\n"
      "Enterprises, inspectors and governments act on a governance network; policy levers in a\n"
      "YAML scenario change their behaviour, and the results (true and reported accidents,\n"
      "deaths, inspections) go to an HDF5 file.\n\n"
      "  anjian run scenarios/county_baseline.yaml            run and summarise\n"
      "  anjian run S.yaml --replicates 8 --set inspectors.skill_mean=0.6 -o out.h5\n"
      "  anjian compare scenarios/county_baseline.yaml scenarios/reform_*.yaml\n"
      "                                                       what would each reform change?\n"
      "  anjian sweep DESIGN.yaml -o out.h5                   sensitivity and robustness experiments\n"
      "  anjian validate S.yaml                               check a scenario\n"
      "  anjian params                                        every parameter, unit, default, source\n"
      "  anjian info results/county_baseline.h5               provenance, contents, how to cite\n"
      "  anjian serve                                         the trainer for officials, in a browser\n"};
  app.set_version_flag("--version", std::string("anjian ") + kVersion + " (" + kGitCommit + ")");
  app.require_subcommand(1);

  RunArgs run_args;
  auto* run = app.add_subcommand("run", "run a scenario's replicates and write one HDF5 result file");
  add_scenario_args(*run, run_args.scenario);
  run->add_option("-o,--output", run_args.output, "result file (default results/<scenario name>.h5)");
  add_override_options(*run, run_args.overrides, "the scenario's");
  run->add_option(
         "-t,--threads", run_args.threads,
         "worker threads (default: all cores); results do not depend on it. A single replicate keeps "
         "the other threads spinning between its parallel sections: they show as busy")
      ->check(CLI::Range(1, 1024));
  add_memory_limit_option(*run, run_args.memory_limit_mib);
  run->add_flag("-q,--quiet", run_args.quiet, "print nothing but errors");
  run->add_option("--checkpoint-at-day", run_args.checkpoint_day,
                  "keep the whole state of every replicate at the end of this calendar day (from 1, burn-in included, "
                  "as /series/day counts; with longer steps, of the step holding it) in --checkpoint-out")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  run->add_option("--checkpoint-out", run_args.checkpoint_out, "checkpoint file (HDF5) for --checkpoint-at-day");
  run->add_option("--from-checkpoint", run_args.from_checkpoint,
                  "start from a checkpoint instead of building the county: the scenario's levers that differ from "
                  "the checkpoint's change at that point, as a schedule's would (burn in once, branch every policy)");
  run->add_flag("--stats", run_args.stats, "print wall time, throughput (enterprise-days/s), peak memory beside its estimate and time by phase");

  ScenarioArgs validate_args;
  bool print = false;
  auto* validate = app.add_subcommand("validate", "check a scenario file (and --set overrides) without running it");
  add_scenario_args(*validate, validate_args);
  validate->add_flag("--print", print, "print the fully resolved scenario as YAML");

  std::string format = "table";
  auto* params = app.add_subcommand("params", "list every scenario parameter: key, type, default, range, unit, meaning, source "
                                   "(data, calibrated, assumed, setting; references in docs/references.md)");
  params->add_option("--format", format, "table or csv")->check(CLI::IsMember({"table", "csv"}));

  CompareArgs compare_args;
  auto* compare = add_compare_command(app, compare_args);
  std::string info_path;
  auto* info = add_info_command(app, info_path);

  SweepArgs sweep_args;
  auto* sweep = add_sweep_command(app, sweep_args);
  serve::ServeOptions serve_options;
  auto* serve = add_serve_command(app, serve_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with 0; every bad option or argument is bad input (exit 2).
    return app.exit(e) == 0 ? 0 : kExitBadInput;
  }
  try {
    if (*compare) return compare_command(compare_args);
    if (*sweep) return sweep_command(sweep_args, argc, argv);
    if (*run) return run_command(run_args);
    if (*validate) return validate_command(validate_args, print);
    if (*params) return params_command(format);
    if (*serve) return serve_command(serve_options);
    if (*info) return info_command(info_path);
  } catch (const ScenarioError& e) {
    std::cerr << "anjian: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const IoError& e) {
    std::cerr << "anjian: error: " << e.what() << "\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "anjian: error: " << e.what() << "\n";
    return kExitFailure;
  }
  return 0;
}
