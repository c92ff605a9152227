#include "serve/trainer.hpp"

#include <algorithm>
#include <cmath>

#include "cli/compare_command.hpp"
#include "run/compare.hpp"
#include "run/outcomes.hpp"

namespace anjian::serve {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Sections a trainee does not set: the run's own settings come from the request's capped
// "replicates" and "years", and output, engine and experiment belong to researchers.
constexpr std::string_view kNotLevers[] = {"run.", "time.", "output.", "engine.", "experiment."};

bool is_lever(std::string_view key) {
  return std::none_of(std::begin(kNotLevers), std::end(kNotLevers),
                      [&](std::string_view prefix) { return key.starts_with(prefix); });
}

json value_json(const ParamSpec& spec, double value) {
  switch (spec.type) {
    case ParamType::Boolean:
      return value != 0;
    case ParamType::Integer:
      return static_cast<std::int64_t>(value);
    case ParamType::Choice:
      return spec.choices.at(static_cast<std::size_t>(value));
    case ParamType::Real:
      break;
  }
  return value;
}

// The keys in which `s` differs from `base`, with s's values.
json changed_levers(const Scenario& s, const Scenario& base) {
  json levers = json::object();
  for (const auto& spec : param_specs()) {
    if (is_lever(spec.key) && spec.get(s.params) != spec.get(base.params))
      levers[spec.key] = value_json(spec, spec.get(s.params));
  }
  return levers;
}

// A JSON value as the YAML scalar set_param parses; anything else is refused here.
std::string scalar_text(const std::string& key, const json& value) {
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  if (value.is_string()) {
    const auto text = value.get<std::string>();
    const bool word = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    if (word) return text;
  }
  throw BadRequest("levers." + key + ": " + value.dump() + " is not a number, true/false or a word");
}

std::int64_t capped_integer(const json& request, const char* field, std::int64_t fallback, std::int64_t max) {
  if (!request.contains(field)) return fallback;
  const json& v = request[field];
  if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > max)
    throw BadRequest(std::string(field) + ": " + v.dump() + " must be a whole number from 1 to " +
                     std::to_string(max));
  return v.get<std::int64_t>();
}

double capped_real(const json& request, const char* field, double fallback, double max) {
  if (!request.contains(field)) return fallback;
  const json& v = request[field];
  if (!v.is_number() || !(v.get<double>() >= 0.1) || v.get<double>() > max)
    throw BadRequest(std::string(field) + ": " + v.dump() + " must be a number from 0.1 to " +
                     json(max).dump());
  return v.get<double>();
}

void apply_levers(Scenario& s, const json& levers, const Limits& limits) {
  if (!levers.is_object())
    throw BadRequest("levers: must be an object {\"key\": value}, e.g. {\"media.activity\": 0.2}");
  for (const auto& [key, value] : levers.items()) {
    if (!find_param(key)) {
      std::string hint;
      for (const auto& k : suggest_keys(key)) hint += (hint.empty() ? "; did you mean " : " or ") + k;
      throw BadRequest("levers." + key + ": unknown lever" + hint + " (GET /api/levers lists them)");
    }
    if (!is_lever(key))
      throw BadRequest("levers." + key +
                       ": not a lever of the trainer (run, time, output, engine "
                       "and experiment settings are fixed by the server)");
    try {
      set_param(s.params, key, scalar_text(key, value), "levers");
    } catch (const ScenarioError& e) {
      throw BadRequest(e.what());
    }
  }
  if (s.params.enterprises.count > limits.max_enterprises)
    throw BadRequest("levers.enterprises.count: " + std::to_string(s.params.enterprises.count) +
                     " is above the server's cap of " + std::to_string(limits.max_enterprises) +
                     " enterprises per run; use `anjian compare` for larger counties");
  try {
    validate_params(s.params);
  } catch (const ScenarioError& e) {
    throw BadRequest(std::string("levers: ") + e.what());
  }
}

// Mean and 95% t interval over replicates: the paired difference from zero is the mean itself.
json mean_with_interval(const std::vector<double>& xs) {
  const Difference d = difference_of(std::vector<double>(xs.size(), 0.0), xs);
  auto number = [](double x) { return std::isfinite(x) ? json(x) : json(); };
  return {number(d.mean), number(d.paired.low), number(d.paired.high)};
}

// Replicate r's recorded steps [first, last) as a replicate of their own, for outcome_values.
ReplicateResult year_slice(const ReplicateResult& r, std::size_t first, std::size_t last) {
  ReplicateResult slice;
  slice.series.reserve(r.series.size());
  for (const auto& metric : r.series)
    slice.series.emplace_back(metric.begin() + first, metric.begin() + last);
  slice.final_world.townships.resize(r.final_world.townships.size());  // grid members per township
  return slice;
}

// series[outcome key] = [[mean, low, high] per year], for one scenario.
json yearly_series(const EnsembleResult& result) {
  const std::size_t steps = result.step_end_day.size();
  const auto steps_per_year = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::lround(365.0 / static_cast<double>(result.params.time.step_days))));
  // values[outcome][year][replicate]
  std::vector<std::vector<std::vector<double>>> values(kOutcomeCount);
  for (std::size_t first = 0; first < steps; first += steps_per_year) {
    const std::size_t last = std::min(steps, first + steps_per_year);
    for (auto& v : values) v.emplace_back();
    for (const auto& replicate : result.replicates) {
      const std::vector<double> v = outcome_values(year_slice(replicate, first, last), result.params);
      for (int o = 0; o < kOutcomeCount; ++o) values[o].back().push_back(v[o]);
    }
  }
  json series = json::object();
  for (int o = 0; o < kOutcomeCount; ++o) {
    json years = json::array();
    for (const auto& year : values[o]) years.push_back(mean_with_interval(year));
    series[std::string(outcome_spec(o).key)] = years;
  }
  return series;
}

}  // namespace

const Scenario* Library::county(const std::string& name) const {
  for (const auto& c : counties)
    if (c.name == name) return &c;
  return nullptr;
}

Library load_library(const fs::path& dir) {
  Library library;
  library.counties.push_back(load_scenario((dir / "county_baseline.yaml").string()));
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const std::string stem = file.stem().string();
    if (file.extension() != ".yaml") continue;
    if (stem.starts_with("problem_")) library.counties.push_back(load_scenario(file.string()));
    if (stem.starts_with("reform_")) library.reforms.push_back(load_scenario(file.string()));
  }
  return library;
}

json levers_json(const Limits& limits) {
  json levers = json::array();
  for (const auto& spec : param_specs()) {
    if (!is_lever(spec.key)) continue;
    json lever = {{"key", spec.key},
                  {"type", type_name(spec.type)},
                  {"unit", spec.unit},
                  {"default", value_json(spec, spec.default_value)},
                  {"meaning", spec.meaning}};
    if (spec.type == ParamType::Real || spec.type == ParamType::Integer) {
      lever["min"] = spec.min;
      lever["max"] = spec.key == "enterprises.count" ? static_cast<double>(limits.max_enterprises) : spec.max;
    }
    if (spec.type == ParamType::Choice) lever["choices"] = spec.choices;
    levers.push_back(lever);
  }
  return {{"levers", levers},
          {"limits",
           {{"max_replicates", limits.max_replicates},
            {"max_years", limits.max_years},
            {"max_enterprises", limits.max_enterprises},
            {"default_replicates", limits.default_replicates},
            {"default_years", limits.default_years},
            {"burn_in_years", limits.burn_in_years}}}};
}

json library_json(const Library& library) {
  const Scenario& base = library.counties.front();
  auto entry = [&](const Scenario& s) {
    json values = json::object();
    for (const auto& spec : param_specs())
      if (is_lever(spec.key)) values[spec.key] = value_json(spec, spec.get(s.params));
    return json{{"name", s.name},
                {"description", s.description},
                {"levers", changed_levers(s, base)},
                {"values", values},
                {"budget", budget_json(s.params)}};
  };
  json counties = json::array(), reforms = json::array();
  for (const auto& c : library.counties) counties.push_back(entry(c));
  for (const auto& r : library.reforms) {
    json reform = entry(r);
    reform.erase("values");
    reforms.push_back(reform);
  }
  return {{"counties", counties}, {"reforms", reforms}};
}

RunPlan plan_run(const json& request, const Library& library, const Limits& limits) {
  if (!request.is_object())
    throw BadRequest("body: must be a JSON object {\"county\": ..., \"levers\": {...}}");
  for (const auto& [field, value] : request.items()) {
    if (field != "county" && field != "levers" && field != "replicates" && field != "years")
      throw BadRequest(field + ": unknown field; a run takes county, levers, replicates and years");
  }
  const std::string county_name = request.value("county", std::string("county_baseline"));
  const Scenario* county = library.county(county_name);
  if (!county) throw BadRequest("county: unknown county '" + county_name + "' (GET /api/library lists them)");

  RunPlan plan{*county, *county};
  plan.policy.name = "policy";
  if (request.contains("levers")) apply_levers(plan.policy, request["levers"], limits);
  const std::int64_t replicates =
      capped_integer(request, "replicates", limits.default_replicates, limits.max_replicates);
  const double years = capped_real(request, "years", limits.default_years, limits.max_years);
  for (Scenario* s : {&plan.status_quo, &plan.policy}) {
    s->params.run.replicates = replicates;
    s->params.time.years = years;
    s->params.time.burn_in_years = limits.burn_in_years;
    s->params.output.agents = false;
    s->params.output.accident_events = false;
    s->params.output.inspection_events = false;
  }
  plan.status_quo.name = "status_quo";
  return plan;
}

json budget_json(const Params& p) {
  const auto& d = p.departments;
  const double county_posts = static_cast<double>(d.emergency_management_staff + d.construction_staff +
                                                  d.natural_resources_staff + d.market_supervision_staff);
  const double posts = county_posts + static_cast<double>(p.townships.office_staff * p.county.townships);
  const double grid_members = static_cast<double>(p.grid.members_per_township * p.county.townships);
  const double wages = posts * d.salary_per_post, inspections = posts * d.budget_per_post,
               grid = grid_members * p.grid.cost_per_member;
  return {{"posts", posts},
          {"wages_yuan_per_year", wages},
          {"inspection_budget_yuan_per_year", inspections},
          {"grid_members", grid_members},
          {"grid_yuan_per_year", grid},
          {"reward_yuan_per_confirmed_report", p.hotline.reward},
          {"total_yuan_per_year", wages + inspections + grid}};
}

json run_result_json(const RunPlan& plan, const std::vector<EnsembleResult>& results) {
  const Comparison comparison =
      compare_results({{plan.status_quo.name, &results[0]}, {plan.policy.name, &results[1]}});
  json doc = cli::comparison_json(comparison);
  doc["series"] = {{plan.status_quo.name, yearly_series(results[0])},
                   {plan.policy.name, yearly_series(results[1])}};
  doc["budget"] = {{plan.status_quo.name, budget_json(plan.status_quo.params)},
                   {plan.policy.name, budget_json(plan.policy.params)}};
  return doc;
}

}  // namespace anjian::serve
