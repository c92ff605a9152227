#include "cli/compare_command.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/common.hpp"
#include "io/compare_writer.hpp"
#include "run/compare.hpp"
#include "run/posterior.hpp"

extern char** environ;

namespace anjian::cli {

namespace fs = std::filesystem;

namespace {

// ---- Scenarios ---------------------------------------------------------------------------------

struct LoadedScenario {
  Scenario scenario;
  std::optional<NetworkSpec> network;
};

void check_name(const std::string& name, const std::string& path) {
  if (name.empty() || name == "." || name.find('/') != std::string::npos) {
    throw ScenarioError(path + ": scenario name '" + name +
                        "' cannot name a group of the comparison file; set `name:` to a word without '/'");
  }
}

// --set changes every scenario alike. Say so, and warn when it leaves two scenarios the same (the
// change the alternative made is then overridden, and its difference is zero by construction).
void warn_about_sets(const CompareArgs& args, const std::vector<LoadedScenario>& loaded) {
  if (args.sets.empty()) return;
  std::cerr << "anjian: note: --set applies to every scenario (the baseline and each alternative)\n";
  for (std::size_t a = 0; a < loaded.size(); ++a) {
    for (std::size_t b = a + 1; b < loaded.size(); ++b) {
      if (differing_params(loaded[a].scenario.params, loaded[b].scenario.params).empty() &&
          loaded[a].scenario.network == loaded[b].scenario.network) {
        std::cerr << "anjian: warning: after --set, " << loaded[a].scenario.name << " and " << loaded[b].scenario.name
                  << " have the same parameters: their difference is zero by construction. To change one scenario "
                     "only, write the change into its YAML file (extends: and the key)\n";
      }
    }
  }
}

// Loads every scenario, applies --set and the run options, and makes the alternatives share the
// baseline's seed, replicates and period: common random numbers need them equal.
std::vector<LoadedScenario> load_scenarios(const CompareArgs& args) {
  std::vector<LoadedScenario> loaded;
  for (const auto& path : args.paths) {
    Scenario s = load_with_overrides(path, args.sets);
    apply_overrides(s, args.overrides);
    apply_schedules(s, args.schedules);
    check_name(s.name, path);
    for (const auto& other : loaded) {
      if (other.scenario.name == s.name) {
        throw ScenarioError(path + ": scenario name '" + s.name + "' is also the name of " + other.scenario.path +
                            "; give one of them another `name:`");
      }
    }
    std::optional<NetworkSpec> network = load_scenario_network(s);
    print_network_notes(network);
    loaded.push_back({std::move(s), std::move(network)});
  }
  const Params& base = loaded.front().scenario.params;
  for (auto& [s, network] : loaded) {
    Params& p = s.params;
    std::vector<std::string> aligned = differing_params(p, base, "time.");
    for (const auto& key : {"run.seed", "run.replicates"}) {
      for (const auto& difference : differing_params(p, base, key)) aligned.push_back(difference);
    }
    for (const auto& difference : aligned) {  // "key: own vs baseline's"
      const auto colon = difference.find(": "), versus = difference.rfind(" vs ");
      std::cerr << "anjian: note: " << s.name << " runs with the baseline's " << difference.substr(0, colon) << " = "
                << difference.substr(versus + 4) << " (its own: " << difference.substr(colon + 2, versus - colon - 2)
                << "): common random numbers need it equal\n";
    }
    p.run.seed = base.run.seed;
    p.run.replicates = base.run.replicates;
    p.time = base.time;
    validate_params(p);  // its schedule's dates, now in the baseline's period
  }
  warn_about_sets(args, loaded);
  return loaded;
}

// Replicate k of every scenario runs posterior draw k (run/posterior.hpp); a scenario that sets a
// posterior key otherwise than the baseline keeps its own value, and the note says so.
void attach_posterior(const std::string& path, const std::vector<LoadedScenario>& loaded,
                      std::vector<EnsembleSpec>& specs, bool quiet) {
  const Posterior posterior = read_posterior(path);
  const Params& base = loaded.front().scenario.params;
  const auto draws = resample_posterior(posterior.weights, static_cast<std::size_t>(base.run.replicates),
                                        static_cast<std::uint64_t>(base.run.seed));
  for (std::size_t s = 0; s < loaded.size(); ++s) {
    std::vector<std::string> kept;
    specs[s].replicate_params = posterior_params(loaded[s].scenario.params, base, posterior, draws, &kept);
    for (const auto& key : kept) {
      std::cerr << "anjian: note: " << loaded[s].scenario.name << " sets " << key
                << " itself; it keeps its own value, not the posterior's draws\n";
    }
  }
  if (!quiet) {
    std::cerr << "anjian: posterior " << path << ": " << posterior.rows.size() << " parameter sets over "
              << posterior.keys.size() << " parameter(s); replicate k of every scenario runs draw k (weighted "
              << "resample, seed " << base.run.seed << ")\n";
  }
}

// ---- The plotter (python/anjian/compare_plot.py) ----------------------------------------------

struct Plotter {
  std::vector<std::string> command;  // interpreter and script, or interpreter -m module
};

int spawn_and_wait(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The build tree's copy beside the program, the configured build tree, else the installed package.
Plotter find_plotter() {
  const char* env = std::getenv("ANJIAN_PYTHON");
  const std::string python = env && *env ? env : ANJIAN_PYTHON_EXECUTABLE;
  std::error_code ignored;
  const fs::path exe_dir = fs::read_symlink("/proc/self/exe", ignored).parent_path();
  for (const fs::path& dir : {exe_dir / "python", fs::path(ANJIAN_PYTHON_BUILD_DIR)}) {
    const fs::path script = dir / "anjian" / "compare_plot.py";
    if (fs::is_regular_file(script, ignored)) return {{python, script.string()}};
  }
  return {{python, "-m", "anjian.compare_plot"}};
}

// Fails before any simulation if the plot could not be drawn afterwards.
Plotter checked_plotter() {
  Plotter plotter = find_plotter();
  std::vector<std::string> check = plotter.command;
  check.push_back("--check");
  if (spawn_and_wait(check) != 0) {
    std::string tried;
    for (const auto& word : plotter.command) tried += " " + word;
    throw ScenarioError("--plot: cannot run the plotter (" + tried.substr(1) +
                        "): it needs Python 3 with numpy, h5py and matplotlib (tools/setup-deps.sh installs "
                        "them) and the built Python package (make build); set ANJIAN_PYTHON to choose the "
                        "interpreter, or leave out --plot");
  }
  return plotter;
}

// ---- Printing ----------------------------------------------------------------------------------

// Three significant digits or so, whatever the magnitude; "n/a" for NaN.
std::string number(double x, bool sign = false) {
  if (std::isnan(x)) return "n/a";
  const double a = std::fabs(x);
  const int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  char buf[64];
  std::snprintf(buf, sizeof buf, sign ? "%+.*f" : "%.*f", decimals, x);
  return buf;
}

std::string interval(const Interval& i) { return "[" + number(i.low, true) + ", " + number(i.high, true) + "]"; }

// A zero-width interval would claim certainty that a few equal pairs (often zeros of a rare
// event) cannot give; say what was seen instead.
std::string paired_interval(const Difference& d) { return d.paired_se == 0 ? "(every pair equal)" : interval(d.paired); }

// "*" when the paired interval excludes zero.
const char* clear(const Difference& d) { return d.paired_se > 0 && (d.paired.low > 0 || d.paired.high < 0) ? "*" : " "; }

std::size_t name_width(const Comparison& c) {
  std::size_t w = 8;
  for (const auto& s : c.scenarios) w = std::max(w, s.size());
  return w;
}

// The rows to print: all, or those named by --outcomes (in the order given).
std::vector<const OutcomeRow*> selected_rows(const Comparison& c, const std::vector<std::string>& keys) {
  std::vector<const OutcomeRow*> rows;
  if (keys.empty()) {
    for (const auto& row : c.rows) rows.push_back(&row);
  }
  for (const auto& key : keys) {
    for (const auto& row : c.rows)
      if (outcome_spec(row.outcome).key == key) rows.push_back(&row);
  }
  return rows;
}

std::string outcome_keys_text() {
  std::string all;
  for (int o = 0; o < kOutcomeCount; ++o) {
    if (o) all += ", ";
    all += outcome_spec(o).key;
  }
  return all;
}

void check_outcome_keys(const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    bool known = false;
    for (int o = 0; o < kOutcomeCount; ++o) known = known || outcome_spec(o).key == key;
    if (!known) throw ScenarioError("--outcomes: unknown outcome '" + key + "'; known outcomes: " + outcome_keys_text());
  }
}

void print_table(const Comparison& c, const std::vector<std::string>& keys) {
  const int w = static_cast<int>(name_width(c));
  std::printf("Comparison of %zu scenarios with common random numbers: %lld replicate(s) each, seed %lld, "
              "%.4g recorded year(s) after %.4g burn-in year(s).\n"
              "Difference = alternative - baseline, paired by replicate; 95%% t interval (paired) and, for "
              "reference, Welch's (unpaired). * = paired interval excludes 0.\n",
              c.scenarios.size(), static_cast<long long>(c.replicates), static_cast<long long>(c.seed), c.years,
              c.burn_in_years);
  for (const OutcomeRow* selected : selected_rows(c, keys)) {
    const OutcomeRow& row = *selected;
    const OutcomeSpec& spec = outcome_spec(row.outcome);
    std::printf("\n%s [%s]\n", std::string(spec.label).c_str(), std::string(spec.unit).c_str());
    std::printf("  %-*s %12s %12s   %-24s %-24s\n", w, "scenario", "mean", "difference", "95% CI paired",
                "95% CI unpaired");
    std::printf("  %-*s %12s\n", w, c.scenarios[0].c_str(), number(row.base_mean).c_str());
    for (std::size_t a = 0; a < row.difference.size(); ++a) {
      const Difference& d = row.difference[a];
      std::printf("  %-*s %12s %11s%s   %-24s %-24s\n", w, c.scenarios[a + 1].c_str(),
                  number(row.alternative_mean[a]).c_str(), number(d.mean, true).c_str(), clear(d),
                  paired_interval(d).c_str(), interval(d.unpaired).c_str());
    }
  }
  std::printf("\nCost per death averted (cost = %s; deaths = true deaths)\n",
              std::string(outcome_spec(Outcome::cost).meaning).c_str());
  std::printf("  %-*s %26s %-26s %20s %-20s %s\n", w, "scenario", "cost difference [yuan/yr]", " 95% CI",
              "deaths averted [/yr]", " 95% CI", "yuan per death averted");
  for (std::size_t a = 0; a < c.cost_effectiveness.size(); ++a) {
    const CostEffectiveness& ce = c.cost_effectiveness[a];
    std::string verdict;
    switch (ce.verdict) {
      case CostVerdict::cost_per_death_averted: verdict = number(ce.yuan_per_death_averted) + " yuan/death"; break;
      case CostVerdict::saves_money_and_lives: verdict = "none: saves money and lives"; break;
      case CostVerdict::no_clear_deaths_averted: verdict = "n/a: deaths averted not clearly above 0"; break;
      case CostVerdict::no_clear_cost_difference: verdict = "n/a: averts deaths at no clear extra cost"; break;
    }
    std::printf("  %-*s %26s %-26s %20s %-20s %s\n", w, c.scenarios[a + 1].c_str(), number(ce.cost.mean, true).c_str(),
                (" " + paired_interval(ce.cost)).c_str(), number(ce.deaths_averted.mean, true).c_str(),
                (" " + paired_interval(ce.deaths_averted)).c_str(), verdict.c_str());
  }
}

std::string csv_number(double x) {
  if (std::isnan(x)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

std::string csv_text(std::string_view s) {
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

void print_csv(const Comparison& c, const std::vector<std::string>& keys) {
  // The column names of anjian.Comparison.table (docs/python.md): one vocabulary for CSV, JSON and Python.
  std::cout << "outcome,label,unit,scenario,mean,difference,se,ci_low,ci_high,unpaired_se,"
               "unpaired_ci_low,unpaired_ci_high,verdict\n";
  auto line = [&](std::string_view key, std::string_view label, std::string_view unit, const std::string& scenario,
                  double mean, const Difference* d, std::string_view verdict) {
    std::cout << key << ',' << csv_text(label) << ',' << csv_text(unit) << ',' << csv_text(scenario) << ','
              << csv_number(mean);
    for (double x : {d ? d->mean : NAN, d ? d->paired_se : NAN, d ? d->paired.low : NAN, d ? d->paired.high : NAN,
                     d ? d->unpaired_se : NAN, d ? d->unpaired.low : NAN, d ? d->unpaired.high : NAN})
      std::cout << ',' << csv_number(x);
    std::cout << ',' << verdict << '\n';
  };
  for (const OutcomeRow* selected : selected_rows(c, keys)) {
    const OutcomeRow& row = *selected;
    const OutcomeSpec& spec = outcome_spec(row.outcome);
    line(spec.key, spec.label, spec.unit, c.scenarios[0], row.base_mean, nullptr, "");
    for (std::size_t a = 0; a < row.difference.size(); ++a)
      line(spec.key, spec.label, spec.unit, c.scenarios[a + 1], row.alternative_mean[a], &row.difference[a], "");
  }
  for (std::size_t a = 0; a < c.cost_effectiveness.size(); ++a) {
    const CostEffectiveness& ce = c.cost_effectiveness[a];
    line("deaths_averted", "true deaths averted", "deaths/year", c.scenarios[a + 1], NAN, &ce.deaths_averted,
         cost_verdict_name(ce.verdict));
    line("yuan_per_death_averted", "cost per death averted", "yuan/death averted", c.scenarios[a + 1],
         ce.yuan_per_death_averted, &ce.cost, cost_verdict_name(ce.verdict));
  }
}

nlohmann::json json_number(double x) { return std::isnan(x) ? nlohmann::json() : nlohmann::json(x); }

nlohmann::json json_difference(const Difference& d) {
  return {{"difference", json_number(d.mean)},
          {"se", json_number(d.paired_se)},
          {"ci_low", json_number(d.paired.low)},
          {"ci_high", json_number(d.paired.high)},
          {"unpaired_se", json_number(d.unpaired_se)},
          {"unpaired_ci_low", json_number(d.unpaired.low)},
          {"unpaired_ci_high", json_number(d.unpaired.high)}};
}

void print_json(const Comparison& c, const std::vector<std::string>& keys, const std::string& output) {
  nlohmann::json doc = comparison_json(c, keys);
  doc["output"] = output;
  std::cout << doc.dump(2) << "\n";
}

}  // namespace

nlohmann::json comparison_json(const Comparison& c, const std::vector<std::string>& keys) {
  nlohmann::json doc = {{"baseline", c.scenarios[0]}, {"scenarios", c.scenarios},  {"seed", c.seed},
                        {"replicates", c.replicates}, {"years", c.years},          {"burn_in_years", c.burn_in_years},
                        {"confidence", 0.95}};
  nlohmann::json outcomes = nlohmann::json::array();
  for (const OutcomeRow* selected : selected_rows(c, keys)) {
    const OutcomeRow& row = *selected;
    const OutcomeSpec& spec = outcome_spec(row.outcome);
    nlohmann::json o = {{"key", spec.key}, {"label", spec.label}, {"unit", spec.unit}, {"meaning", spec.meaning}};
    o["mean"][c.scenarios[0]] = json_number(row.base_mean);
    o["differences"] = nlohmann::json::array();
    for (std::size_t a = 0; a < row.difference.size(); ++a) {
      o["mean"][c.scenarios[a + 1]] = json_number(row.alternative_mean[a]);
      nlohmann::json d = json_difference(row.difference[a]);
      d["scenario"] = c.scenarios[a + 1];
      o["differences"].push_back(d);
    }
    outcomes.push_back(o);
  }
  doc["outcomes"] = outcomes;
  doc["cost_effectiveness"] = nlohmann::json::array();
  for (std::size_t a = 0; a < c.cost_effectiveness.size(); ++a) {
    const CostEffectiveness& ce = c.cost_effectiveness[a];
    doc["cost_effectiveness"].push_back({{"scenario", c.scenarios[a + 1]},
                                         {"cost_yuan_per_year", json_difference(ce.cost)},
                                         {"deaths_averted_per_year", json_difference(ce.deaths_averted)},
                                         {"yuan_per_death_averted", json_number(ce.yuan_per_death_averted)},
                                         {"verdict", cost_verdict_name(ce.verdict)}});
  }
  return doc;
}

CLI::App* add_compare_command(CLI::App& app, CompareArgs& args) {
  auto* cmd = app.add_subcommand(
      "compare",
      "run a baseline and alternatives with common random numbers and print, per outcome, the means and the\n"
      "paired difference with a 95% confidence interval, then cost per death averted; write all to HDF5");
  cmd->footer(
      "Replicate k of every scenario uses the seed (seed, k), so differences are paired: the same enterprises,\n"
      "hazards and chances meet each policy. Alternatives run with the baseline's seed, replicates, years and\n"
      "burn-in. Outcomes are yearly rates, shares or stocks over the recorded period (after time.burn_in_years);\n"
      "cost is wages of filled posts + inspection budget spent + rewards paid + grid stipends (yuan/year).\n\n"
      "  anjian compare scenarios/county_baseline.yaml scenarios/reform_*.yaml -r 8 --years 3\n"
      "  anjian compare base.yaml alt.yaml --format csv > table.csv\n"
      "  anjian compare base.yaml alt.yaml -o cmp.h5 --plot cmp.png\n"
      "  anjian compare base.yaml alt.yaml --posterior scenarios/calibration/posterior.csv -r 32\n\n"
      "Outcome keys (for --outcomes; definitions in docs/results-format.md):\n" +
      outcome_keys_text() +
      "\n\nExit codes: 0 ok, 1 run or output failure, 2 bad input (nothing run, no file touched), 130 interrupted.");
  cmd->add_option("scenarios", args.paths, "BASE.yaml ALT.yaml...: the baseline first, then one or more alternatives")
      ->required();
  add_override_options(*cmd, args.overrides, "the baseline's");
  add_set_option(*cmd, args.sets);
  add_schedule_option(*cmd, args.schedules);
  cmd->add_option("-o,--output", args.output, "comparison file (default results/compare_<baseline name>.h5)");
  cmd->add_option("--plot", args.plot,
                  "also draw the main outcomes over time, one line per scenario (PNG; needs Python with matplotlib)");
  cmd->add_option("--posterior", args.posterior,
                  "a posterior of anjian.calibrate (CSV: weight,KEY...): replicate k of every scenario runs parameter\n"
                  "draw k (weighted resample, seed run.seed), so intervals hold parameter uncertainty too");
  cmd->add_option("--format", args.format, "table (default), csv or json, on standard output")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  cmd->add_option("--outcomes", args.outcomes,
                  "print only these outcomes, comma-separated keys (the file always holds all), e.g.\n"
                  "deaths_true,accidents_true,formal_share,cost")
      ->delimiter(',');
  cmd->add_option("-t,--threads", args.threads, "worker threads (default: all cores); results do not depend on it")
      ->check(CLI::Range(1, 1024));
  add_memory_limit_option(*cmd, args.memory_limit_mib);
  cmd->add_flag("-q,--quiet", args.quiet, "print nothing but errors and the table");
  return cmd;
}

int compare_command(const CompareArgs& args) {
  if (args.paths.size() < 2) {
    throw ScenarioError("compare needs a baseline and at least one alternative: anjian compare BASE.yaml ALT.yaml...");
  }
  check_outcome_keys(args.outcomes);
  std::vector<LoadedScenario> loaded = load_scenarios(args);
  std::string output = args.output;
  if (output.empty()) {
    fs::create_directories("results");
    output = "results/compare_" + loaded.front().scenario.name + ".h5";
  }
  check_output_path(output, "-o");
  std::optional<Plotter> plotter;
  if (!args.plot.empty()) {
    check_output_path(args.plot, "--plot");
    plotter = checked_plotter();
  }

  std::vector<EnsembleSpec> specs;
  std::int64_t total_steps = 0;
  for (const auto& [s, network] : loaded) {
    specs.push_back({s.params, network ? &*network : nullptr, {}});
    total_steps += (s.params.burn_in_step_count() + s.params.step_count()) * s.params.run.replicates;
  }
  if (!args.posterior.empty()) attach_posterior(args.posterior, loaded, specs, args.quiet);
  guard_memory(specs, args.threads, args.memory_limit_mib, output);
  install_interrupt_handler();
  const auto start = std::chrono::steady_clock::now();
  std::vector<EnsembleResult> results;
  {
    Progress progress(total_steps, !args.quiet);
    results = run_ensembles(specs, RunOptions{args.threads, &progress.steps, &g_interrupted, nullptr});
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (g_interrupted.load()) {
    std::cerr << "anjian: interrupted; no result written\n";
    return kExitInterrupted;
  }

  std::vector<NamedResult> named;
  std::vector<ComparedScenario> compared;
  for (std::size_t s = 0; s < loaded.size(); ++s) {
    const Scenario& scenario = loaded[s].scenario;
    const NetworkSpec* network = loaded[s].network ? &*loaded[s].network : nullptr;
    named.push_back({scenario.name, &results[s]});
    compared.push_back({&results[s], RunMeta{scenario.name, scenario.path, to_yaml(scenario), network}});
  }
  const Comparison comparison = compare_results(named);
  write_comparison(output, comparison, compared);

  if (args.format == "csv") {
    print_csv(comparison, args.outcomes);
  } else if (args.format == "json") {
    print_json(comparison, args.outcomes, output);
  } else {
    print_table(comparison, args.outcomes);
  }
  std::cout.flush();
  std::fflush(stdout);  // the table first, then the note on standard error, also when both are piped
  if (!args.quiet) {
    std::fprintf(stderr, "ran %zu scenarios x %lld replicates x %.4g years (+%.4g burn-in) in %.1f s; results: %s\n",
                 loaded.size(), static_cast<long long>(comparison.replicates), comparison.years,
                 comparison.burn_in_years, seconds, output.c_str());
  }
  if (plotter) {
    std::vector<std::string> command = plotter->command;
    command.push_back(output);
    command.push_back(args.plot);
    if (spawn_and_wait(command) != 0) {
      std::cerr << "anjian: error: the plotter failed; the comparison is in " << output << "\n";
      return kExitFailure;
    }
    if (!args.quiet) std::fprintf(stderr, "plot: %s\n", args.plot.c_str());
  }
  return 0;
}

}  // namespace anjian::cli
