#include "scenario/scenario.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "scenario/file_paths.hpp"
#include "scenario/schedule.hpp"

namespace anjian {

namespace fs = std::filesystem;

namespace {

// Keys a scenario file may carry besides parameters.
constexpr std::string_view kMetaKeys[] = {"extends", "name", "description", "network", "schedule"};

std::string location(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string expected_text(const ParamSpec& spec) {
  std::ostringstream out;
  if (spec.type == ParamType::Choice) {
    out << "one of";
    for (const auto& word : spec.choices) out << " " << word;
    return out.str();
  }
  out << type_name(spec.type);
  if (spec.type == ParamType::Real || spec.type == ParamType::Integer) {
    out << " in [" << format_value(spec, spec.min) << ", " << format_value(spec, spec.max) << "]";
  }
  if (spec.unit != "-") out << " (" << spec.unit << ")";
  return out.str();
}

double parse_value(const ParamSpec& spec, std::string_view raw, const std::string& where) {
  const std::string text(raw);
  auto fail = [&](const std::string& why) -> double {
    throw ScenarioError(where + ": " + spec.key + ": expected " + expected_text(spec) + ", found '" +
                        text + "'" + why);
  };
  if (spec.type == ParamType::Choice) {
    const auto it = std::find(spec.choices.begin(), spec.choices.end(), text);
    if (it == spec.choices.end()) return fail("");
    return static_cast<double>(it - spec.choices.begin());
  }
  if (spec.type == ParamType::Boolean) {
    if (text == "true" || text == "True") return 1.0;
    if (text == "false" || text == "False") return 0.0;
    // YAML 1.1 reads these as booleans and YAML 1.2 as words: refused rather than guessed.
    if (text == "yes" || text == "no" || text == "on" || text == "off" || text == "y" || text == "n") {
      return fail(" (write true or false)");
    }
    return fail("");
  }
  double value = 0.0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (spec.type == ParamType::Integer) {
    long long integer = 0;
    auto [ptr, ec] = std::from_chars(begin, end, integer);
    if (ec != std::errc() || ptr != end) {
      // Accept reals that are whole numbers (1e6, 3000.0), refuse 2.5.
      auto [rptr, rec] = std::from_chars(begin, end, value);
      if (rec != std::errc() || rptr != end) return fail("");
      if (value != std::floor(value)) return fail(" (not a whole number)");
    } else {
      value = static_cast<double>(integer);
    }
  } else {
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value)) return fail("");
  }
  if (value < spec.min || value > spec.max) return fail(" (out of range)");
  return value;
}

// A file reports this many of its mistakes at once, the rest as a count.
constexpr std::size_t kMaxReportedErrors = 20;

// One error as it is, several as a list, so that a file with many mistakes is fixed in one pass.
void throw_collected(const std::vector<std::string>& errors) {
  if (errors.empty()) return;
  if (errors.size() == 1) throw ScenarioError(errors.front());
  std::string message = std::to_string(errors.size()) + " errors:";
  for (std::size_t i = 0; i < errors.size() && i < kMaxReportedErrors; ++i) message += "\n  " + errors[i];
  if (errors.size() > kMaxReportedErrors) {
    message += "\n  ... and " + std::to_string(errors.size() - kMaxReportedErrors) + " more";
  }
  throw ScenarioError(message);
}

// Walks a mapping, turning nested keys into dotted ones, and applies each leaf; every refused key
// or value is added to `errors` and the walk goes on.
void apply_node(Params& params, const YAML::Node& node, const std::string& prefix, const std::string& file,
                std::vector<std::string>& errors) {
  for (const auto& entry : node) {
    if (entry.first.IsMap() || entry.first.IsSequence()) {  // YAML's "? " complex keys
      errors.push_back(location(file, entry.first.Mark()) + ": " + (prefix.empty() ? "" : prefix + ": ") +
                       "a key must be a name, found " + (entry.first.IsMap() ? "a mapping" : "a list"));
      continue;
    }
    const std::string key = entry.first.as<std::string>();
    const std::string full = prefix.empty() ? key : prefix + "." + key;
    if (prefix.empty() && std::find(std::begin(kMetaKeys), std::end(kMetaKeys), key) != std::end(kMetaKeys)) {
      continue;
    }
    const YAML::Node& value = entry.second;
    const std::string where = location(file, entry.first.Mark());
    if (value.IsMap()) {
      apply_node(params, value, full, file, errors);
      continue;
    }
    if (!value.IsScalar()) {
      errors.push_back(where + ": " + full + ": expected a single value or a mapping of keys, found " +
                       (value.IsSequence() ? "a list" : "nothing"));
      continue;
    }
    // Point at the key when the key is wrong, at the value when the value is.
    const ParamSpec* spec = find_param(full);
    const YAML::Mark& mark = spec ? value.Mark() : entry.first.Mark();
    if (spec && spec->type != ParamType::Choice && value.Tag() == "!") {  // "16" or 'true': quoted text
      errors.push_back(location(file, mark) + ": " + full + ": expected " + std::string(type_name(spec->type)) +
                       ", found the quoted text \"" + value.Scalar() + "\"; write it without quotes");
      continue;
    }
    try {
      set_param(params, full, value.Scalar(), location(file, mark));
    } catch (const ScenarioError& error) {
      errors.push_back(error.what());
    }
  }
}

YAML::Node parse_file(const std::string& path) {
  // A directory would read as an empty file, a device (extends: /dev/zero) forever.
  std::error_code error;
  if (fs::exists(path, error) && !fs::is_regular_file(path, error)) {
    throw ScenarioError(path + ": not a scenario file (a directory or a device); name a YAML file");
  }
  std::ifstream in(path);
  if (!in) {
    throw ScenarioError(path + ": cannot open scenario file (" + why_unopened(path) + ")");
  }
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::ParserException& e) {
    throw ScenarioError(location(path, e.mark) + ": YAML syntax error: " + e.msg);
  }
  if (root.IsNull()) {
    throw ScenarioError(path + ": the scenario file is empty; write at least `extends: <base>.yaml` or one parameter");
  }
  if (!root.IsMap()) {
    throw ScenarioError(location(path, root.Mark()) + ": a scenario must be a mapping of keys (key: value), found " +
                        (root.IsSequence() ? "a list" : "a single value"));
  }
  return root;
}

std::string scalar_meta(const YAML::Node& root, const char* key, const std::string& path) {
  const YAML::Node node = root[key];
  if (!node) return {};
  if (!node.IsScalar()) {
    throw ScenarioError(location(path, node.Mark()) + ": `" + key + "` must be a single line of text");
  }
  return node.Scalar();
}

void load_into(Scenario& scenario, const std::string& path, std::vector<std::string>& chain) {
  const fs::path canonical = canonical_quietly(path);
  if (std::find(chain.begin(), chain.end(), canonical.string()) != chain.end()) {
    std::string cycle;
    for (const auto& file : chain) cycle += file + " -> ";
    throw ScenarioError(path + ": `extends` forms a cycle: " + cycle + canonical.string());
  }
  chain.push_back(canonical.string());
  const YAML::Node root = parse_file(path);

  if (const YAML::Node base = root["extends"]) {
    if (!base.IsScalar() || base.Scalar().empty()) {
      throw ScenarioError(location(path, base.Mark()) + ": `extends` must name one scenario file");
    }
    const fs::path base_path = canonical.parent_path() / base.Scalar();
    if (const std::string missing = why_no_file(base_path); !missing.empty()) {
      throw ScenarioError(location(path, base.Mark()) + ": `extends: " + base.Scalar() + "`: " + missing + ": " +
                          base_path.string() + " (paths are relative to this file)");
    }
    load_into(scenario, base_path.string(), chain);
  }
  std::vector<std::string> errors;
  apply_node(scenario.params, root, "", path, errors);
  // A base file's dated changes come first; later entries win on the same day.
  if (const YAML::Node schedule = root["schedule"]) read_schedule(scenario.params, schedule, path, errors);
  throw_collected(errors);
  if (auto name = scalar_meta(root, "name", path); !name.empty()) scenario.name = name;
  if (auto text = scalar_meta(root, "description", path); !text.empty()) scenario.description = text;
  if (auto network = scalar_meta(root, "network", path); !network.empty()) {
    const fs::path network_path = canonical.parent_path() / network;
    if (const std::string missing = why_no_file(network_path); !missing.empty()) {
      throw ScenarioError(location(path, root["network"].Mark()) + ": `network: " + network + "`: " + missing + ": " +
                          network_path.string() + " (paths are relative to this file)");
    }
    scenario.network = network_path.string();
  }
  chain.pop_back();
}

}  // namespace

std::vector<std::string> suggest_keys(std::string_view key) {
  std::vector<std::pair<std::size_t, std::string>> ranked;
  const std::string_view leaf = key.substr(key.rfind('.') == std::string_view::npos ? 0 : key.rfind('.') + 1);
  for (const auto& spec : param_specs()) {
    const std::string_view spec_leaf = std::string_view(spec.key).substr(spec.key.rfind('.') + 1);
    // Near the whole key, or the right leaf under the wrong section.
    const std::size_t distance = std::min(edit_distance(key, spec.key), edit_distance(leaf, spec_leaf) + 2);
    if (distance <= std::max<std::size_t>(3, key.size() / 4)) ranked.emplace_back(distance, spec.key);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < ranked.size() && i < 3; ++i) keys.push_back(ranked[i].second);
  return keys;
}

namespace {

// Keys renamed when their meaning changed: a scenario written for the old model is told what took
// their place instead of being offered a look-alike.
struct RetiredKey {
  std::string_view key, replacement;
};
constexpr RetiredKey kRetiredKeys[] = {
    {"inspectors.formal_detection_factor",
     "inspectors.formal_search_efficiency: hazards a formal visit finds per unit of its time relative to a "
     "substantive one (its detection is that x inspectors.formal_time_share; 0.2 at 0.3 of the time = 0.667)"},
    {"enforcement.major_finding_hazards",
     "enforcement.major_hazard_share: the share of found hazards that are major hazards (重大事故隐患), each of "
     "which may suspend production (docs/ODD.md, Enforcement and the escalation ladder)"},
    {"concealment.media_weight",
     "concealment.discovery_weight: the fall of the concealment log-odds per unit of the chance that a "
     "concealed accident comes to light by any channel (media, records, insiders' reports)"},
    {"inspectors.blame_weight",
     "inspectors.blame_aversion: utility per expected punishment, weighed against blame as inspectors have "
     "seen it fall (docs/ODD.md, Inspector mode choice)"},
    {"enforcement.rectification_rate",
     "enterprises.compliance_noise: carrying out an order is now the enterprise's choice against the sanction "
     "for refusing; the noise (yuan) spreads its private reasons (docs/ODD.md, Rectification orders)"},
};

}  // namespace

void set_param(Params& params, std::string_view key, std::string_view text, const std::string& where) {
  const ParamSpec* spec = find_param(key);
  for (const auto& retired : kRetiredKeys) {
    if (!spec && key == retired.key)
      throw ScenarioError(where + ": '" + std::string(key) + "' was replaced by " + std::string(retired.replacement));
  }
  if (!spec) {
    std::string message = where + ": unknown parameter '" + std::string(key) + "'";
    const auto suggestions = suggest_keys(key);
    if (!suggestions.empty()) {
      message += "; did you mean ";
      for (std::size_t i = 0; i < suggestions.size(); ++i) {
        message += (i ? ", '" : "'") + suggestions[i] + "'";
      }
      message += "?";
    }
    throw ScenarioError(message + " (`anjian params` lists every key)");
  }
  spec->set(params, parse_value(*spec, text, where));
}

void validate_params(const Params& params) {
  double total_share = 0.0;
  for (int s = 0; s < kSectorCount; ++s) {
    const auto& sector = params.sectors[s];
    total_share += sector.share;
    const double harmful = sector.p_minor + sector.p_serious + sector.p_fatal;
    if (harmful > 1.0 + 1e-12) {
      const std::string prefix = "sectors." + std::string(sector_name(s)) + ".";
      throw ScenarioError(prefix + "p_minor + " + prefix + "p_serious + " + prefix +
                          "p_fatal must be at most 1 (they are shares of accidents), found " +
                          std::to_string(harmful));
    }
  }
  if (total_share <= 0.0) {
    throw ScenarioError("sectors.*.share: at least one sector needs a positive share");
  }
  std::vector<std::string> errors;
  check_schedule(params, errors);
  throw_collected(errors);
}

Scenario load_scenario(const std::string& path) {
  Scenario scenario;
  scenario.path = path;
  scenario.name = fs::path(path).stem().string();
  std::vector<std::string> chain;
  load_into(scenario, path, chain);
  validate_params(scenario.params);
  return scenario;
}

void apply_assignment(Scenario& scenario, std::string_view assignment) {
  const auto eq = assignment.find('=');
  const std::string where = "--set " + std::string(assignment);
  if (eq == std::string_view::npos || eq == 0) {
    throw ScenarioError(where + ": expected key=value, for example --set departments.emergency_management_staff=16");
  }
  auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  set_param(scenario.params, trim(assignment.substr(0, eq)), trim(assignment.substr(eq + 1)), where);
  validate_params(scenario.params);
}

std::string to_yaml(const Scenario& scenario) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << scenario.name;
  if (!scenario.network.empty()) out << YAML::Key << "network" << YAML::Value << scenario.network;
  if (!scenario.description.empty()) out << YAML::Key << "description" << YAML::Value << scenario.description;
  // Keys are dotted paths in declaration order; open and close maps as the prefix changes.
  std::vector<std::string> open;
  for (const auto& spec : param_specs()) {
    std::vector<std::string> parts;
    std::stringstream key(spec.key);
    for (std::string part; std::getline(key, part, '.');) parts.push_back(part);
    std::size_t common = 0;
    while (common < open.size() && common + 1 < parts.size() && open[common] == parts[common]) ++common;
    while (open.size() > common) {
      out << YAML::EndMap;
      open.pop_back();
    }
    for (std::size_t i = common; i + 1 < parts.size(); ++i) {
      out << YAML::Key << parts[i] << YAML::Value << YAML::BeginMap;
      open.push_back(parts[i]);
    }
    out << YAML::Key << parts.back() << YAML::Value << format_value(spec, spec.get(scenario.params));
  }
  while (!open.empty()) {
    out << YAML::EndMap;
    open.pop_back();
  }
  emit_schedule(out, scenario.params);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace anjian
