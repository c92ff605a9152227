// anjian._core: the C++ library seen from Python. It loads and edits scenarios, runs ensembles
// (GIL released, interruptible with Ctrl-C) and hands back the result file's bytes, built in
// memory by the same writer as `anjian run`: the package reads them exactly as it reads a file,
// so a run and a file can never disagree. The Pythonic surface lives in python/anjian/.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "core/version.hpp"
#include "experiment/design.hpp"
#include "experiment/sweep.hpp"
#include "io/hdf5_util.hpp"
#include "io/hdf5_probe.hpp"
#include "io/results_reader.hpp"
#include "io/results_writer.hpp"
#include "model/network.hpp"
#include "run/compare.hpp"
#include "run/outcomes.hpp"
#include "run/posterior.hpp"
#include "run/simulation.hpp"
#include "scenario/params.hpp"
#include "scenario/scenario.hpp"
#include "scenario/schedule.hpp"

namespace py = pybind11;
using namespace anjian;

namespace {

// How often the waiting Python thread wakes to check for Ctrl-C and report progress.
constexpr auto kPollInterval = std::chrono::milliseconds(100);

const ParamSpec& require_param(const std::string& key) {
  if (const ParamSpec* spec = find_param(key)) return *spec;
  std::string message = "unknown parameter '" + key + "'";
  if (const auto close = suggest_keys(key); !close.empty()) message += "; did you mean '" + close.front() + "'?";
  throw ScenarioError(message + " (anjian.params() lists every key)");
}

// A parameter's value as the Python type a user expects: int, float, bool, or the choice word.
py::object param_value(const Scenario& scenario, const std::string& key) {
  const ParamSpec& spec = require_param(key);
  const double value = spec.get(scenario.params);
  switch (spec.type) {
    case ParamType::Integer: return py::int_(static_cast<long long>(value));
    case ParamType::Boolean: return py::bool_(value != 0.0);
    case ParamType::Choice: return py::str(spec.choices.at(static_cast<std::size_t>(value)));
    case ParamType::Real: break;
  }
  return py::float_(value);
}

// Sets one parameter from YAML text; the scenario is unchanged if the value is refused.
void set_param_checked(Scenario& scenario, const std::string& key, const std::string& text) {
  Params params = scenario.params;
  set_param(params, key, text, "Scenario.set('" + key + "', " + text + ")");
  validate_params(params);
  scenario.params = std::move(params);
}

// Adds one dated change; the scenario is unchanged if it is refused.
void schedule_checked(Scenario& scenario, const std::string& unit, std::int64_t at, const std::string& key,
                      const std::string& text, const std::string& where) {
  Params params = scenario.params;
  add_scheduled_change(params, unit, at, key, text, where);
  validate_params(params);
  scenario.params = std::move(params);
}

// The schedule as dicts: the date as written (year or day), the day it acts from, key and value.
py::list schedule_list(const Scenario& scenario) {
  py::list rows;
  for (const auto& change : scenario.params.schedule) {
    py::dict row;
    row[change.unit == ScheduledChange::Unit::year ? "year" : "day"] = change.at;
    row["key"] = change.key;
    const ParamSpec& spec = require_param(change.key);
    switch (spec.type) {
      case ParamType::Integer: row["value"] = py::int_(static_cast<long long>(change.value)); break;
      case ParamType::Boolean: row["value"] = py::bool_(change.value != 0.0); break;
      case ParamType::Choice: row["value"] = py::str(change_value_text(change)); break;
      case ParamType::Real: row["value"] = py::float_(change.value); break;
    }
    rows.append(row);
  }
  return rows;
}

// Runs `work(options)` on a worker thread with the GIL released. The calling thread wakes every
// kPollInterval, takes the GIL, reports progress and checks for signals; on Ctrl-C (or an
// exception from the progress callback) it sets the engine's cancel flag, waits for the worker
// to stop and re-raises. `options` carries the network; the progress counter and the cancel flag
// are filled in here.
template <class Work>
auto run_released(RunOptions options, std::int64_t total_steps, const py::object& progress, Work work) {
  std::atomic<bool> cancel{false};
  std::atomic<std::int64_t> steps_done{0};
  options.cancel = &cancel;
  options.steps_done = &steps_done;

  decltype(work(options)) result;
  std::exception_ptr failure;
  std::optional<py::error_already_set> python_error;
  std::mutex mutex;
  std::condition_variable finished_cv;
  bool finished = false;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        result = work(options);
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard lock(mutex);
      finished = true;
      finished_cv.notify_one();
    });
    std::unique_lock lock(mutex);
    while (!finished_cv.wait_for(lock, kPollInterval, [&] { return finished; })) {
      if (python_error) continue;  // cancelled: wait for the worker to notice
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        try {
          if (PyErr_CheckSignals() != 0) throw py::error_already_set();
          if (!progress.is_none()) progress(steps_done.load(), total_steps);
        } catch (py::error_already_set& e) {
          python_error = std::move(e);
          cancel.store(true);
        }
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (python_error) throw *python_error;
  if (failure) std::rethrow_exception(failure);
  if (!progress.is_none()) progress(total_steps, total_steps);
  return result;
}

// Steps the engine will count for one scenario's ensemble: burn-in and recorded, every replicate.
std::int64_t total_steps(const Params& params) {
  return (params.burn_in_step_count() + params.step_count()) * params.run.replicates;
}

// The bytes of the result file of one scenario's ensemble, as `anjian run` writes them.
py::bytes result_image(const Scenario& scenario, const EnsembleResult& result, const std::optional<NetworkSpec>& network) {
  std::vector<char> image;
  {
    py::gil_scoped_release release;
    const RunMeta meta{scenario.name, scenario.path, to_yaml(scenario), network ? &*network : nullptr};
    image = hdf5_image("in-memory results of " + scenario.name,
                       [&](const h5::Group& root) { write_ensemble(root, result, meta); });
  }
  return py::bytes(image.data(), image.size());
}

py::bytes run_to_image(const Scenario& scenario, int threads, const py::object& progress) {
  const std::optional<NetworkSpec> network = load_scenario_network(scenario);
  const Params& params = scenario.params;
  const EnsembleResult result =
      run_released(RunOptions{threads, nullptr, nullptr, network ? &*network : nullptr},
                   total_steps(params), progress,
                   [&](const RunOptions& options) { return run_ensemble(params, options); });
  return result_image(scenario, result, network);
}

py::dict difference_row(const Difference& d) {
  py::dict row;
  row["difference"] = d.mean;
  row["se"] = d.paired_se;
  row["ci_low"] = d.paired.low;
  row["ci_high"] = d.paired.high;
  row["unpaired_se"] = d.unpaired_se;
  row["unpaired_ci_low"] = d.unpaired.low;
  row["unpaired_ci_high"] = d.unpaired.high;
  return row;
}

// One row per alternative and outcome, in outcomes.def order, as the command prints them.
py::list comparison_rows(const Comparison& c) {
  py::list rows;
  for (std::size_t s = 1; s < c.scenarios.size(); ++s) {
    for (const OutcomeRow& outcome_row : c.rows) {
      const OutcomeSpec& spec = outcome_spec(outcome_row.outcome);
      py::dict row = difference_row(outcome_row.difference[s - 1]);
      row["scenario"] = c.scenarios[s];
      row["outcome"] = std::string(spec.key);
      row["label"] = std::string(spec.label);
      row["unit"] = std::string(spec.unit);
      row["base"] = outcome_row.base_mean;
      row["alternative"] = outcome_row.alternative_mean[s - 1];
      rows.append(row);
    }
  }
  return rows;
}

py::list cost_effectiveness_rows(const Comparison& c) {
  py::list rows;
  for (std::size_t s = 1; s < c.scenarios.size(); ++s) {
    const CostEffectiveness& ce = c.cost_effectiveness[s - 1];
    py::dict row;
    row["scenario"] = c.scenarios[s];
    row["cost"] = ce.cost.mean;
    row["cost_ci_low"] = ce.cost.paired.low;
    row["cost_ci_high"] = ce.cost.paired.high;
    row["deaths_averted"] = ce.deaths_averted.mean;
    row["deaths_averted_ci_low"] = ce.deaths_averted.paired.low;
    row["deaths_averted_ci_high"] = ce.deaths_averted.paired.high;
    row["yuan_per_death_averted"] = ce.yuan_per_death_averted;
    row["verdict"] = std::string(cost_verdict_name(ce.verdict));
    rows.append(row);
  }
  return rows;
}

py::list outcome_table() {
  py::list rows;
  for (int o = 0; o < kOutcomeCount; ++o) {
    const OutcomeSpec& spec = outcome_spec(o);
    py::dict row;
    row["outcome"] = std::string(spec.key);
    row["label"] = std::string(spec.label);
    row["unit"] = std::string(spec.unit);
    row["meaning"] = std::string(spec.meaning);
    rows.append(row);
  }
  return rows;
}

// Runs every scenario with common random numbers (one engine call, GIL released) and compares
// them with the command's statistics. Scenarios must share run.seed and run.replicates.
py::dict compare_scenarios(const std::vector<Scenario>& scenarios, int threads, const py::object& progress,
                           const std::string& posterior_path) {
  std::vector<std::optional<NetworkSpec>> networks;
  std::vector<EnsembleSpec> specs;
  std::int64_t steps = 0;
  for (const Scenario& scenario : scenarios) networks.push_back(load_scenario_network(scenario));
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    specs.push_back(EnsembleSpec{scenarios[s].params, networks[s] ? &*networks[s] : nullptr, {}});
    steps += total_steps(scenarios[s].params);
  }
  py::list kept_keys, draws_out;
  if (!posterior_path.empty() && !scenarios.empty()) {  // run/posterior.hpp, as `anjian compare --posterior`
    const Posterior posterior = read_posterior(posterior_path);
    const Params& base = scenarios.front().params;
    const auto draws = resample_posterior(posterior.weights, static_cast<std::size_t>(base.run.replicates),
                                          static_cast<std::uint64_t>(base.run.seed));
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      std::vector<std::string> kept;
      specs[s].replicate_params = posterior_params(scenarios[s].params, base, posterior, draws, &kept);
      kept_keys.append(kept);
    }
    for (auto d : draws) draws_out.append(d);
  }
  const std::vector<EnsembleResult> results =
      run_released(RunOptions{threads, nullptr, nullptr, nullptr}, steps, progress,
                   [&](const RunOptions& options) { return run_ensembles(specs, options); });
  std::vector<NamedResult> named;
  for (std::size_t s = 0; s < scenarios.size(); ++s) named.push_back(NamedResult{scenarios[s].name, &results[s]});
  const Comparison comparison = compare_results(named);

  py::dict out;
  py::list images;
  for (std::size_t s = 0; s < scenarios.size(); ++s) images.append(result_image(scenarios[s], results[s], networks[s]));
  out["images"] = images;
  out["rows"] = comparison_rows(comparison);
  out["cost_effectiveness"] = cost_effectiveness_rows(comparison);
  out["values"] = comparison.values;  // [scenario][outcome][replicate]
  out["years"] = comparison.years;
  out["burn_in_years"] = comparison.burn_in_years;
  out["posterior_draws"] = draws_out;   // row index of the posterior file per replicate (empty without one)
  out["posterior_kept"] = kept_keys;    // per scenario: posterior keys it sets itself and keeps
  return out;
}

py::list param_table() {
  py::list rows;
  for (const auto& s : param_specs()) {
    py::dict row;
    row["key"] = s.key;
    row["type"] = std::string(type_name(s.type));
    row["unit"] = s.unit;
    row["default"] = s.type == ParamType::Choice ? py::str(s.choices.at(static_cast<std::size_t>(s.default_value)))
                                                 : py::str(format_value(s, s.default_value));
    const bool numeric = s.type == ParamType::Real || s.type == ParamType::Integer;
    row["min"] = numeric ? py::object(py::float_(s.min)) : py::none();
    row["max"] = numeric ? py::object(py::float_(s.max)) : py::none();
    row["choices"] = s.choices;
    row["meaning"] = s.meaning;
    row["source"] = std::string(source_kind_name(s.source.kind));
    row["reference"] = s.source.note;
    rows.append(row);
  }
  return rows;
}

}  // namespace

// Runs (or, with resume, finishes) a sweep design into `output`, as `anjian sweep` does; returns
// true when the file is complete. progress(runs_done, runs) about every 0.1 s.
bool sweep(const std::string& design_path, const std::vector<std::string>& sets, const std::string& output,
           bool resume, int threads, const py::object& progress) {
  const Design design = load_design(design_path, sets);
  SweepOptions sweep_options;
  sweep_options.output = output;
  sweep_options.sets = sets;
  sweep_options.resume = resume;
  sweep_options.threads = threads;
  return run_released(RunOptions{}, static_cast<std::int64_t>(design.run_count()), progress, [&](RunOptions o) {
    sweep_options.cancel = o.cancel;
    sweep_options.done = o.steps_done;
    return run_sweep(design, sweep_options).complete;
  });
}

PYBIND11_MODULE(_core, m) {
  m.doc() = "anjian C++ core: scenarios, ensemble runs to in-memory result files, the parameter table";
  m.attr("__version__") = kVersion;
  m.attr("git_commit") = kGitCommit;
  m.attr("results_format_version") = kResultsFormatVersion;

  // C++ errors keep their messages; they become Python exceptions users can catch by kind.
  py::register_exception<ScenarioError>(m, "ScenarioError", PyExc_ValueError);
  py::register_exception<IoError>(m, "ResultsError", PyExc_OSError);

  m.def("params", &param_table,
        "Every scenario parameter as a list of dicts (key, type, unit, default, min, max, choices, meaning, "
        "source, reference).");

  py::class_<Scenario>(m, "Scenario", "A scenario: every parameter resolved, plus name, description, network.")
      .def(py::init<>(), "The built-in defaults of every parameter.")
      .def(py::init<const Scenario&>(), "A copy.")
      .def_static("load", &load_scenario, py::arg("path"), "Loads a YAML scenario file and its `extends:` chain.")
      .def("get", &param_value, py::arg("key"), "The value of one parameter (int, float, bool or choice word).")
      .def("set", &set_param_checked, py::arg("key"), py::arg("yaml_text"),
           "Sets one parameter from YAML text; refuses unknown keys and bad values.")
      .def("to_yaml", [](const Scenario& s) { return to_yaml(s); }, "Every parameter, as loadable YAML.")
      .def("add_schedule", &schedule_checked, py::arg("unit"), py::arg("at"), py::arg("key"), py::arg("yaml_text"),
           py::arg("where"), "Adds a dated change: unit 'year' or 'day', the date, a key and its value as YAML text.")
      .def("clear_schedule", [](Scenario& s) { s.params.schedule.clear(); }, "Removes every dated change.")
      .def_property_readonly("schedule", &schedule_list, "The dated changes, as written: dicts with year or day, key, value.")
      .def_readwrite("name", &Scenario::name)
      .def_readwrite("description", &Scenario::description)
      .def_readonly("path", &Scenario::path)
      .def_readwrite("network", &Scenario::network)
      .def_property_readonly("step_count", [](const Scenario& s) { return s.params.step_count(); });

  m.def(
      "probe_hdf5_file",
      [](const std::string& path) {
        py::gil_scoped_release release;
        probe_hdf5_file(path);
      },
      py::arg("path"),
      "Reads every object's metadata of an HDF5 file in a child process and raises ResultsError if that "
      "crashes, hangs or fails: a damaged file can crash the HDF5 library itself (h5py included).");
  m.def(
      "check_results_file",
      [](const std::string& path) {
        py::gil_scoped_release release;
        read_results(path);
      },
      py::arg("path"),
      "Reads a result file with the C++ reader and raises ResultsError (missing, not HDF5, not an anjian "
      "file, newer format, damaged) with the program's own message.");

  m.def("outcomes", &outcome_table, "The outcomes a comparison reports (outcomes.def): outcome, label, unit, meaning.");
  m.def("compare_scenarios", &compare_scenarios, py::arg("scenarios"), py::arg("threads") = 0,
        py::arg("progress") = py::none(), py::arg("posterior") = std::string(),
        "Runs the scenarios (baseline first; same run.seed and run.replicates) with common random numbers, "
        "GIL released and interruptible, and returns {images, rows, cost_effectiveness, values, years, "
        "burn_in_years} with the statistics of `anjian compare`.");

  m.def("sweep", &sweep, py::arg("design"), py::arg("sets"), py::arg("output"), py::arg("resume") = false,
        py::arg("threads") = 0, py::arg("progress") = py::none(),
        "Runs a sweep design (docs/experiments.md) into the HDF5 file `output`, GIL released and interruptible "
        "(finished runs stay in OUTPUT.journal/ for resume=True). Returns True when the file is complete.");

  m.def("run_to_image", &run_to_image, py::arg("scenario"), py::arg("threads") = 0, py::arg("progress") = py::none(),
        "Runs the scenario's replicates and returns the result file's bytes (as `anjian run` would write "
        "them). The GIL is released; Ctrl-C stops the run and raises KeyboardInterrupt. "
        "progress(steps_done, total_steps) is called about every 0.1 s.");
}
