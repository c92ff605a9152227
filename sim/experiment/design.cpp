#include "experiment/design.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "model/metrics.hpp"
#include "run/outcomes.hpp"
#include "scenario/file_paths.hpp"

namespace anjian {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kDesignKeys[] = {"name",     "description", "scenario", "set",    "method",
                                            "samples",  "levels",      "replicates", "seed", "factors",
                                            "points",   "policies",    "outcomes", "series"};
constexpr std::string_view kMethodNames[] = {"grid", "lhs", "sobol", "morris", "list"};

// What a design file is parsed against: its path for messages and its folder for relative paths.
struct Source {
  std::string path;
  fs::path folder;

  std::string at(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return path;
    return path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }
  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
    throw ScenarioError(at(node) + ": " + message);
  }
  std::string file_at(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar() || node.Scalar().empty()) fail(node, "`" + key + "` must name one file");
    const fs::path file = folder / node.Scalar();
    if (const std::string missing = why_no_file(file); !missing.empty()) {
      fail(node, "`" + key + ": " + node.Scalar() + "`: " + missing + ": " + file.string() +
                     " (paths are relative to the design file)");
    }
    return file.string();
  }
  std::int64_t whole(const YAML::Node& node, const std::string& key, std::int64_t minimum) const {
    std::int64_t value = 0;
    if (!node.IsScalar() || !YAML::convert<std::int64_t>::decode(node, value) || value < minimum) {
      fail(node, "`" + key + "` must be a whole number >= " + std::to_string(minimum) +
                     (node.IsScalar() ? ", found '" + node.Scalar() + "'" : ""));
    }
    return value;
  }
  double real(const YAML::Node& node, const std::string& what) const {
    double value = 0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value)) {
      fail(node, what + " must be a number" + (node.IsScalar() ? ", found '" + node.Scalar() + "'" : ""));
    }
    return value;
  }
};

// A uniform double in [0, 1) from 53 bits; std::mt19937_64's sequence is fixed by the standard.
double uniform(std::mt19937_64& engine) { return static_cast<double>(engine() >> 11) * 0x1p-53; }
std::size_t below(std::mt19937_64& engine, std::size_t n) {
  return std::min(n - 1, static_cast<std::size_t>(uniform(engine) * static_cast<double>(n)));
}
// Fisher-Yates with our own draws (std::shuffle's use of the engine is not specified).
void shuffle(std::vector<std::size_t>& items, std::mt19937_64& engine) {
  for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(engine, i)]);
}
std::vector<std::size_t> iota(std::size_t n) {
  std::vector<std::size_t> items(n);
  for (std::size_t i = 0; i < n; ++i) items[i] = i;
  return items;
}

// Latin hypercube: each factor's range cut in `n` strata, each stratum sampled once.
std::vector<double> latin_hypercube(std::size_t k, std::size_t n, std::mt19937_64& engine) {
  std::vector<double> unit(n * k);
  for (std::size_t f = 0; f < k; ++f) {
    std::vector<std::size_t> strata = iota(n);
    shuffle(strata, engine);
    for (std::size_t i = 0; i < n; ++i) {
      unit[i * k + f] = (static_cast<double>(strata[i]) + uniform(engine)) / static_cast<double>(n);
    }
  }
  return unit;
}

// Saltelli's scheme for first- and total-order indices: per base sample j the rows A_j,
// AB_j^1 .. AB_j^k (A_j with factor i taken from B_j) and B_j; A and B are the two halves of a
// 2k-dimensional Sobol sequence (Joe and Kuo's directions, Boost, which starts after the origin).
// The row order is SALib's, so its estimators read the file as they are.
std::vector<double> saltelli(std::size_t k, std::size_t n) {
  boost::random::sobol sequence(2 * k);
  std::vector<double> unit;
  unit.reserve(n * (k + 2) * k);
  std::vector<double> ab(2 * k);
  for (std::size_t j = 0; j < n; ++j) {
    for (auto& x : ab) x = static_cast<double>(sequence()) * 0x1p-64;
    const auto a = ab.begin(), b = ab.begin() + static_cast<std::ptrdiff_t>(k);
    unit.insert(unit.end(), a, b);
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t f = 0; f < k; ++f) unit.push_back(f == i ? b[static_cast<std::ptrdiff_t>(f)] : a[static_cast<std::ptrdiff_t>(f)]);
    }
    unit.insert(unit.end(), b, ab.end());
  }
  return unit;
}

// Morris's one-at-a-time trajectories on a grid of p levels {0, 1/(p-1), .., 1}: a random start,
// then each factor in random order moves by delta = p / (2 (p - 1)), up from the lower half of
// the grid and down from the upper half, so every level is visited equally often.
std::vector<double> morris(std::size_t k, std::size_t r, std::size_t p, std::mt19937_64& engine) {
  const std::size_t half = p / 2;
  const double step = 1.0 / static_cast<double>(p - 1);
  std::vector<double> unit;
  unit.reserve(r * (k + 1) * k);
  for (std::size_t t = 0; t < r; ++t) {
    std::vector<std::size_t> level(k);
    for (auto& l : level) l = below(engine, p);
    std::vector<std::size_t> order = iota(k);
    shuffle(order, engine);
    auto emit = [&] {
      for (std::size_t f = 0; f < k; ++f) unit.push_back(static_cast<double>(level[f]) * step);
    };
    emit();
    for (std::size_t f : order) {
      level[f] = level[f] < half ? level[f] + half : level[f] - half;
      emit();
    }
  }
  return unit;
}

std::vector<double> grid(const std::vector<Factor>& factors, std::int64_t levels) {
  std::vector<std::vector<double>> axes;
  for (const auto& f : factors) {
    std::vector<double> axis = f.levels;
    if (axis.empty()) {
      for (std::int64_t l = 0; l < levels; ++l) {
        axis.push_back(f.lower + (f.upper - f.lower) * static_cast<double>(l) / static_cast<double>(levels - 1));
      }
    }
    axes.push_back(std::move(axis));
  }
  std::vector<double> points;
  std::vector<std::size_t> at(axes.size(), 0);
  while (true) {
    for (std::size_t f = 0; f < axes.size(); ++f) points.push_back(axes[f][at[f]]);
    std::size_t f = axes.size();
    while (f > 0 && ++at[f - 1] == axes[f - 1].size()) at[--f] = 0;  // the last factor varies fastest
    if (f == 0) return points;
  }
}

std::vector<std::string> assignments(const Source& src, const YAML::Node& node, const std::string& key) {
  if (!node.IsMap()) src.fail(node, "`" + key + "` must be a mapping of parameter: value");
  std::vector<std::string> sets;
  for (const auto& entry : node) {
    if (!entry.second.IsScalar()) src.fail(entry.second, "`" + key + "`: " + entry.first.Scalar() + " needs one value");
    sets.push_back(entry.first.Scalar() + "=" + entry.second.Scalar());
  }
  return sets;
}

// Applies key=value overrides from a `set:` mapping, each error at its own line.
void apply_sets(const Source& src, Scenario& scenario, const YAML::Node& node, const std::string& key) {
  if (!node) return;
  if (!node.IsMap()) src.fail(node, "`" + key + "` must be a mapping of parameter: value");
  for (const auto& entry : node) {
    if (!entry.second.IsScalar()) src.fail(entry.second, "`" + key + "`: " + entry.first.Scalar() + " needs one value");
    const YAML::Node& mark_at = find_param(entry.first.Scalar()) ? entry.second : entry.first;
    set_param(scenario.params, entry.first.Scalar(), entry.second.Scalar(), src.at(mark_at));
  }
  try {
    validate_params(scenario.params);
  } catch (const ScenarioError& e) {
    src.fail(node, e.what());
  }
}

const ParamSpec& factor_spec(const Source& src, const YAML::Node& key_node) {
  const std::string key = key_node.Scalar();
  const ParamSpec* spec = find_param(key);
  if (!spec) {
    std::string message = "unknown parameter '" + key + "'";
    const auto near = suggest_keys(key);
    if (!near.empty()) message += "; did you mean '" + near.front() + "'?";
    src.fail(key_node, message + " (`anjian params` lists every key)");
  }
  return *spec;
}

double checked_value(const Source& src, const ParamSpec& spec, const YAML::Node& node) {
  if (spec.type == ParamType::Boolean || spec.type == ParamType::Choice) {
    Params probe;
    set_param(probe, spec.key, node.IsScalar() ? node.Scalar() : "?", src.at(node));
    return spec.get(probe);
  }
  const double value = src.real(node, spec.key);
  if (value < spec.min || value > spec.max) {
    src.fail(node, spec.key + ": " + node.Scalar() + " is outside its range [" + format_value(spec, spec.min) + ", " +
                       format_value(spec, spec.max) + "] (" + spec.unit + ")");
  }
  return value;
}

Factor read_factor(const Source& src, const YAML::Node& key_node, const YAML::Node& body, SamplingMethod method) {
  const ParamSpec& spec = factor_spec(src, key_node);
  Factor factor;
  factor.key = spec.key;
  if (!body.IsMap()) src.fail(body, spec.key + ": expected {range: [low, high]} or {levels: [a, b, ...]}");
  for (const auto& entry : body) {
    const std::string k = entry.first.Scalar();
    if (k != "range" && k != "levels") src.fail(entry.first, spec.key + ": unknown key '" + k + "'; a factor takes `range` or `levels`");
  }
  if (const YAML::Node range = body["range"]) {
    if (!range.IsSequence() || range.size() != 2) src.fail(range, spec.key + ": `range` must be [low, high]");
    if (spec.type != ParamType::Real && spec.type != ParamType::Integer) {
      src.fail(range, spec.key + " is a " + std::string(type_name(spec.type)) + "; give it `levels` instead of a range");
    }
    factor.lower = checked_value(src, spec, range[0]);
    factor.upper = checked_value(src, spec, range[1]);
    if (!(factor.lower < factor.upper)) src.fail(range, spec.key + ": `range` needs low < high");
  } else if (const YAML::Node levels = body["levels"]) {
    if (method != SamplingMethod::grid) src.fail(levels, spec.key + ": `levels` are for `method: grid`; give a `range`");
    if (!levels.IsSequence() || levels.size() == 0) src.fail(levels, spec.key + ": `levels` must be a non-empty list");
    for (const auto& v : levels) factor.levels.push_back(checked_value(src, spec, v));
    factor.lower = *std::min_element(factor.levels.begin(), factor.levels.end());
    factor.upper = *std::max_element(factor.levels.begin(), factor.levels.end());
  } else {
    src.fail(body, spec.key + ": needs `range: [low, high]` or `levels: [...]`");
  }
  return factor;
}

template <class Find>
std::vector<int> names(const Source& src, const YAML::Node& node, const std::string& key, Find find) {
  if (!node.IsSequence()) src.fail(node, "`" + key + "` must be a list of names");
  std::vector<int> indices;
  for (const auto& item : node) {
    const int index = item.IsScalar() ? find(item.Scalar()) : -1;
    if (index < 0) src.fail(item, "`" + key + "`: unknown name '" + (item.IsScalar() ? item.Scalar() : "?") + "'");
    indices.push_back(index);
  }
  return indices;
}

YAML::Node parse_design(const std::string& path, std::string& text) {
  std::ifstream in(path);
  if (!in) throw ScenarioError(path + ": cannot open design file (" + why_unopened(path) + ")");
  std::stringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ScenarioError(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                        ": YAML syntax error: " + e.msg);
  }
  if (!root.IsMap()) throw ScenarioError(path + ": a design must be a mapping of keys (scenario:, factors:, method:, ...)");
  return root;
}

void read_policies(const Source& src, const YAML::Node& root, Design& design, const Scenario& base,
                   const std::vector<std::string>& sets) {
  const YAML::Node node = root["policies"];
  if (!node) {
    design.policies.push_back(Policy{"base", base, {}});
    return;
  }
  if (!node.IsMap() || node.size() == 0) src.fail(node, "`policies` must map names to {scenario: FILE, set: {...}}");
  for (const auto& entry : node) {
    const YAML::Node body = entry.second;
    Policy policy{entry.first.Scalar(), base, {}};
    if (!body.IsNull()) {
      if (!body.IsMap()) src.fail(body, "policy " + policy.name + ": expected {scenario: FILE, set: {...}} or {}");
      for (const auto& key : body) {
        if (key.first.Scalar() != "scenario" && key.first.Scalar() != "set") {
          src.fail(key.first, "policy " + policy.name + ": unknown key '" + key.first.Scalar() + "'; a policy takes `scenario` and `set`");
        }
      }
      if (body["scenario"]) {
        policy.scenario = load_scenario(src.file_at(body["scenario"], "scenario"));
        apply_sets(src, policy.scenario, root["set"], "set");
        for (const auto& s : sets) apply_assignment(policy.scenario, s);
      }
      apply_sets(src, policy.scenario, body["set"], "set");
      if (body["set"]) policy.sets = assignments(src, body["set"], "set");
    }
    for (const auto& f : design.factors) {
      for (const auto& s : policy.sets) {
        if (s.substr(0, s.find('=')) == f.key) {
          src.fail(body, "policy " + policy.name + " sets " + f.key + ", which the design varies as a factor; drop one");
        }
      }
    }
    design.policies.push_back(std::move(policy));
  }
}

std::vector<Factor> read_list_points(const Source& src, const YAML::Node& node, std::vector<double>& points) {
  if (!node || !node.IsSequence() || node.size() == 0) {
    src.fail(node ? node : YAML::Node(), "`method: list` needs `points:`, a list of {parameter: value} mappings");
  }
  std::vector<Factor> factors;
  for (const auto& entry : node[0]) {
    factors.emplace_back();
    factors.back().key = factor_spec(src, entry.first).key;
  }
  for (const auto& point : node) {
    if (!point.IsMap() || point.size() != factors.size()) {
      src.fail(point, "every point must set the same " + std::to_string(factors.size()) + " parameter(s) as the first");
    }
    for (auto& f : factors) {
      const YAML::Node value = point[f.key];
      if (!value) src.fail(point, "this point does not set " + f.key + " (the first point does)");
      const double v = checked_value(src, *find_param(f.key), value);
      points.push_back(v);
    }
  }
  for (std::size_t f = 0; f < factors.size(); ++f) {
    factors[f].lower = factors[f].upper = points[f];
    for (std::size_t i = f; i < points.size(); i += factors.size()) {
      factors[f].lower = std::min(factors[f].lower, points[i]);
      factors[f].upper = std::max(factors[f].upper, points[i]);
    }
  }
  return factors;
}

}  // namespace

std::string_view method_name(SamplingMethod method) { return kMethodNames[static_cast<int>(method)]; }

std::vector<double> unit_design(SamplingMethod method, std::size_t factors, std::int64_t samples, std::int64_t levels,
                                std::int64_t seed) {
  std::mt19937_64 engine(static_cast<std::uint64_t>(seed));
  const auto n = static_cast<std::size_t>(samples);
  switch (method) {
    case SamplingMethod::lhs: return latin_hypercube(factors, n, engine);
    case SamplingMethod::sobol: return saltelli(factors, n);
    case SamplingMethod::morris: return morris(factors, n, static_cast<std::size_t>(levels), engine);
    default: throw std::invalid_argument("unit_design: grid and list designs are not sampled");
  }
}

RunIndex run_index(const Design& design, std::size_t run) {
  const std::size_t replicates = static_cast<std::size_t>(design.replicates);
  const std::size_t per_point = design.policies.size() * replicates;
  return RunIndex{run / per_point, (run % per_point) / replicates, run % replicates};
}

Params run_params(const Design& design, std::size_t point, std::size_t policy) {
  Params params = design.policies[policy].scenario.params;
  for (std::size_t f = 0; f < design.factors.size(); ++f) {
    const ParamSpec& spec = *find_param(design.factors[f].key);
    double value = design.points[point * design.factors.size() + f];
    if (spec.type != ParamType::Real) value = std::round(value);
    spec.set(params, value);
  }
  params.run.seed = design.seed;
  params.run.replicates = design.replicates;
  return params;
}

Design load_design(const std::string& path, const std::vector<std::string>& sets) {
  Design design;
  design.path = path;
  design.name = fs::path(path).stem().string();
  const YAML::Node root = parse_design(path, design.text);
  const Source src{path, fs::absolute(path).parent_path()};
  for (const auto& entry : root) {
    const std::string key = entry.first.Scalar();
    if (std::find(std::begin(kDesignKeys), std::end(kDesignKeys), key) == std::end(kDesignKeys)) {
      std::string known;
      for (auto k : kDesignKeys) known += (known.empty() ? "" : ", ") + std::string(k);
      src.fail(entry.first, "unknown design key '" + key + "'; a design takes " + known);
    }
  }
  if (root["name"]) design.name = root["name"].Scalar();
  if (!root["scenario"]) throw ScenarioError(path + ": the design needs `scenario: FILE`, the base scenario");
  Scenario base = load_scenario(src.file_at(root["scenario"], "scenario"));
  apply_sets(src, base, root["set"], "set");
  for (const auto& s : sets) apply_assignment(base, s);

  const YAML::Node method = root["method"];
  if (!method) throw ScenarioError(path + ": the design needs `method:` (grid, lhs, sobol, morris or list)");
  const auto named = std::find(std::begin(kMethodNames), std::end(kMethodNames), method.Scalar());
  if (!method.IsScalar() || named == std::end(kMethodNames)) src.fail(method, "`method` must be grid, lhs, sobol, morris or list");
  design.method = static_cast<SamplingMethod>(named - std::begin(kMethodNames));

  const bool sampled = design.method == SamplingMethod::lhs || design.method == SamplingMethod::sobol ||
                       design.method == SamplingMethod::morris;
  if (sampled) {
    if (!root["samples"]) throw ScenarioError(path + ": `method: " + method.Scalar() + "` needs `samples:`");
    design.samples = src.whole(root["samples"], "samples", design.method == SamplingMethod::lhs ? 2 : 1);
  } else if (root["samples"]) {
    src.fail(root["samples"], "`samples` is for lhs, sobol and morris; a " + method.Scalar() + " design has its points");
  }
  if (root["levels"]) {
    design.levels = src.whole(root["levels"], "levels", 2);
    if (design.method == SamplingMethod::morris && design.levels % 2 != 0) {
      src.fail(root["levels"], "Morris needs an even number of `levels` (4 is usual)");
    }
  }
  if (root["replicates"]) design.replicates = src.whole(root["replicates"], "replicates", 1);
  design.seed = root["seed"] ? src.whole(root["seed"], "seed", 0) : base.params.run.seed;

  if (design.method == SamplingMethod::list) {
    if (root["factors"]) src.fail(root["factors"], "`method: list` takes its factors from `points:`; drop `factors:`");
    design.factors = read_list_points(src, root["points"], design.points);
  } else {
    if (root["points"]) src.fail(root["points"], "`points` are for `method: list`");
    const YAML::Node factors = root["factors"];
    if (!factors || !factors.IsMap() || factors.size() == 0) {
      throw ScenarioError(src.at(factors ? factors : root) + ": the design needs `factors:`, a mapping of parameter: {range: [low, high]}");
    }
    std::set<std::string> seen;
    for (const auto& entry : factors) {
      design.factors.push_back(read_factor(src, entry.first, entry.second, design.method));
      if (!seen.insert(design.factors.back().key).second) src.fail(entry.first, design.factors.back().key + " is listed twice");
    }
    if (design.method == SamplingMethod::grid) {
      design.points = grid(design.factors, design.levels);
    } else {
      design.points = unit_design(design.method, design.factors.size(), design.samples, design.levels, design.seed);
      for (std::size_t i = 0; i < design.points.size(); ++i) {
        const Factor& f = design.factors[i % design.factors.size()];
        design.points[i] = f.lower + (f.upper - f.lower) * design.points[i];
      }
    }
  }
  read_policies(src, root, design, base, sets);

  if (root["outcomes"]) {
    design.outcomes = names(src, root["outcomes"], "outcomes", [](const std::string& name) {
      for (int o = 0; o < kOutcomeCount; ++o) if (outcome_spec(o).key == name) return o;
      return -1;
    });
  } else {
    for (int o = 0; o < kOutcomeCount; ++o) design.outcomes.push_back(o);
  }
  if (root["series"]) {
    design.series = names(src, root["series"], "series", [](const std::string& name) {
      for (int k = 0; k < kMetricCount; ++k) if (metric_info(k).name == name) return k;
      return -1;
    });
  }
  return design;
}

}  // namespace anjian
