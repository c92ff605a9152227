#include "run/posterior.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace anjian {

namespace {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::stringstream in(line);
  while (std::getline(in, cell, ',')) {
    while (!cell.empty() && (cell.back() == '\r' || cell.back() == ' ')) cell.pop_back();
    while (!cell.empty() && cell.front() == ' ') cell.erase(cell.begin());
    if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);
    cells.push_back(cell);
  }
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

// splitmix64: the one uniform of systematic resampling, the same on every platform.
double uniform_from(std::uint64_t seed) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

}  // namespace

Posterior read_posterior(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw ScenarioError("--posterior " + path +
                        ": cannot open the posterior file; give the CSV that anjian.calibrate wrote "
                        "(scenarios/calibration/posterior.csv)");
  }
  Posterior posterior;
  posterior.path = path;
  std::string line;
  std::size_t line_no = 0;
  int weight_column = -1;
  std::vector<int> key_column;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string where = path + ":" + std::to_string(line_no);
    if (line.empty() || line[0] == '#') continue;
    const auto cells = split_csv_line(line);
    if (weight_column < 0) {  // the header
      for (std::size_t c = 0; c < cells.size(); ++c) {
        if (cells[c] == "weight") {
          weight_column = static_cast<int>(c);
        } else if (!cells[c].empty() && cells[c][0] != '_') {
          if (!find_param(cells[c])) {
            std::string message = where + ": unknown parameter '" + cells[c] + "' in the posterior's header";
            const auto suggestions = suggest_keys(cells[c]);
            if (!suggestions.empty()) message += "; did you mean '" + suggestions.front() + "'?";
            throw ScenarioError(message + " (`anjian params` lists every key)");
          }
          posterior.keys.push_back(cells[c]);
          key_column.push_back(static_cast<int>(c));
        }
      }
      if (weight_column < 0) {
        throw ScenarioError(where + ": the posterior's header has no `weight` column; the first line must read "
                                    "weight,KEY,KEY... as anjian.calibrate writes it");
      }
      if (posterior.keys.empty()) {
        throw ScenarioError(where + ": the posterior names no parameter; add a column per parameter key");
      }
      continue;
    }
    auto number = [&](int column, const std::string& name) {
      if (column >= static_cast<int>(cells.size())) {
        throw ScenarioError(where + ": " + std::to_string(cells.size()) + " cells, no value for " + name);
      }
      const std::string& text = cells[static_cast<std::size_t>(column)];
      char* end = nullptr;
      const double value = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || !std::isfinite(value)) {
        throw ScenarioError(where + ": " + name + " = '" + text + "' is not a finite number");
      }
      return value;
    };
    const double weight = number(weight_column, "weight");
    if (weight < 0) throw ScenarioError(where + ": negative weight " + std::to_string(weight));
    std::vector<double> row;
    for (std::size_t j = 0; j < key_column.size(); ++j) row.push_back(number(key_column[j], posterior.keys[j]));
    posterior.weights.push_back(weight);
    posterior.rows.push_back(std::move(row));
  }
  double total = 0;
  for (double w : posterior.weights) total += w;
  if (posterior.rows.empty() || !(total > 0)) {
    throw ScenarioError("--posterior " + path + ": no parameter set with a positive weight; run anjian.calibrate "
                        "again or give another file");
  }
  return posterior;
}

std::vector<std::size_t> resample_posterior(const std::vector<double>& weights, std::size_t count,
                                            std::uint64_t seed) {
  double total = 0;
  for (double w : weights) total += w;
  std::vector<std::size_t> draws;
  draws.reserve(count);
  const double u = uniform_from(seed);
  double cumulative = 0;
  std::size_t i = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double target = (static_cast<double>(k) + u) / static_cast<double>(count) * total;
    while (i + 1 < weights.size() && cumulative + weights[i] <= target) cumulative += weights[i++];
    draws.push_back(i);
  }
  // Systematic resampling lists the rows in order; replicate k should not see a trend in the
  // parameters, so the draws are shuffled (Fisher-Yates, the same splitmix stream).
  for (std::size_t k = draws.size(); k > 1; --k) {
    const auto j = static_cast<std::size_t>(uniform_from(seed ^ (0x5851f42d4c957f2dULL * k)) * static_cast<double>(k));
    std::swap(draws[k - 1], draws[std::min(j, k - 1)]);
  }
  return draws;
}

std::vector<Params> posterior_params(const Params& scenario, const Params& baseline, const Posterior& posterior,
                                     const std::vector<std::size_t>& draws, std::vector<std::string>* kept) {
  std::vector<bool> own(posterior.keys.size(), false);
  for (std::size_t j = 0; j < posterior.keys.size(); ++j) {
    const ParamSpec& spec = *find_param(posterior.keys[j]);
    own[j] = spec.get(scenario) != spec.get(baseline);
    if (own[j] && kept) kept->push_back(posterior.keys[j]);
  }
  std::vector<Params> out;
  out.reserve(draws.size());
  for (std::size_t k = 0; k < draws.size(); ++k) {
    Params p = scenario;
    const auto& row = posterior.rows.at(draws[k]);
    for (std::size_t j = 0; j < posterior.keys.size(); ++j) {
      if (own[j]) continue;
      const ParamSpec& spec = *find_param(posterior.keys[j]);
      const double value = spec.type == ParamType::Real ? row[j] : std::round(row[j]);
      set_param(p, spec.key, format_value(spec, value),
                posterior.path + " (parameter set " + std::to_string(draws[k] + 1) + ")");
    }
    validate_params(p);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace anjian
