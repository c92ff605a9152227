#include "io/compare_writer.hpp"

#include <stdexcept>

#include "core/version.hpp"

namespace anjian {

namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) {
    if (!text.empty()) text += '\n';
    text += word;
  }
  return text;
}

void write_meta(const h5::Group& root, const Comparison& c) {
  const h5::Group meta = root.create_group("meta");
  meta.set_attribute("program", std::string_view("anjian"));
  meta.set_attribute("kind", std::string_view("comparison"));
  meta.set_attribute("format_version", kResultsFormatVersion);
  meta.set_attribute("version", std::string_view(kVersion));
  meta.set_attribute("git_commit", std::string_view(kGitCommit));
  meta.set_attribute("baseline", std::string_view(c.scenarios.front()));
  meta.set_attribute("seed", c.seed);
  meta.set_attribute("replicates", c.replicates);
  meta.set_attribute("years", c.years);
  meta.set_attribute("burn_in_years", c.burn_in_years);
  meta.set_attribute("confidence", 0.95);
  meta.write_string("scenarios", joined(c.scenarios));
}

// The six columns of Difference, one value per alternative, as datasets <prefix>mean etc.
void write_differences(const h5::Group& group, const std::string& prefix, const std::vector<Difference>& ds,
                       std::string_view unit) {
  auto column = [&](const std::string& name, std::string_view description, auto get) {
    std::vector<double> values;
    for (const Difference& d : ds) values.push_back(get(d));
    const h5::Dataset dataset = group.write_1d<double>(prefix + name, values);
    dataset.set_attribute("unit", unit);
    dataset.set_attribute("description", description);
  };
  column("difference", "mean over replicates of (alternative - baseline), paired by replicate",
         [](const Difference& d) { return d.mean; });
  column("paired_se", "standard error of the paired mean difference", [](const Difference& d) { return d.paired_se; });
  column("paired_low", "lower end of the 95% t interval of the paired difference",
         [](const Difference& d) { return d.paired.low; });
  column("paired_high", "upper end of the 95% t interval of the paired difference",
         [](const Difference& d) { return d.paired.high; });
  column("unpaired_se", "standard error of the difference as if the runs were independent (Welch)",
         [](const Difference& d) { return d.unpaired_se; });
  column("unpaired_low", "lower end of the Welch 95% interval", [](const Difference& d) { return d.unpaired.low; });
  column("unpaired_high", "upper end of the Welch 95% interval", [](const Difference& d) { return d.unpaired.high; });
}

void write_outcomes(const h5::Group& comparison, const Comparison& c) {
  const std::size_t scenarios = c.scenarios.size();
  const auto replicates = static_cast<std::size_t>(c.replicates);
  for (const OutcomeRow& row : c.rows) {
    const OutcomeSpec& spec = outcome_spec(row.outcome);
    const h5::Group group = comparison.create_group(std::string(spec.key));
    group.set_attribute("label", spec.label);
    group.set_attribute("unit", spec.unit);
    group.set_attribute("description", spec.meaning);
    std::vector<double> values, means{row.base_mean};
    for (std::size_t s = 0; s < scenarios; ++s) {
      const auto& v = c.values[s][static_cast<int>(row.outcome)];
      values.insert(values.end(), v.begin(), v.end());
    }
    means.insert(means.end(), row.alternative_mean.begin(), row.alternative_mean.end());
    group.write_2d<double>("values", scenarios, replicates, values)
        .set_attribute("description", std::string_view("one row per scenario (meta/scenarios order), one column per replicate"));
    group.write_1d<double>("mean", means).set_attribute("description", std::string_view("mean over replicates, per scenario"));
    write_differences(group, "", row.difference, spec.unit);
  }
}

void write_cost_effectiveness(const h5::Group& comparison, const Comparison& c) {
  const h5::Group group = comparison.create_group("cost_effectiveness");
  group.set_attribute("description",
                      std::string_view("per alternative: cost difference (yuan/year), true deaths averted "
                                       "(deaths/year, baseline - alternative) and their ratio when deaths "
                                       "averted are clearly positive"));
  std::vector<Difference> cost, deaths;
  std::vector<double> ratio;
  std::vector<std::uint8_t> verdict;
  for (const auto& ce : c.cost_effectiveness) {
    cost.push_back(ce.cost);
    deaths.push_back(ce.deaths_averted);
    ratio.push_back(ce.yuan_per_death_averted);
    verdict.push_back(static_cast<std::uint8_t>(ce.verdict));
  }
  write_differences(group, "cost_", cost, "yuan/year");
  write_differences(group, "deaths_averted_", deaths, "deaths/year");
  const h5::Dataset per_death = group.write_1d<double>("yuan_per_death_averted", ratio);
  per_death.set_attribute("unit", std::string_view("yuan/death averted"));
  per_death.set_attribute("description", std::string_view("cost_difference / deaths_averted_difference; NaN "
                                                          "unless verdict is cost_per_death_averted"));
  std::string codes;
  for (auto v : {CostVerdict::cost_per_death_averted, CostVerdict::saves_money_and_lives,
                 CostVerdict::no_clear_deaths_averted, CostVerdict::no_clear_cost_difference}) {
    if (!codes.empty()) codes += ',';
    codes += std::to_string(static_cast<int>(v));
    codes += '=';
    codes += cost_verdict_name(v);
  }
  const h5::Dataset verdicts = group.write_1d<std::uint8_t>("verdict", verdict);
  verdicts.set_attribute("codes", codes);
  verdicts.set_attribute("description",
                         std::string_view("no_clear_deaths_averted when the 95% interval of deaths averted "
                                          "reaches zero or below; no_clear_cost_difference when deaths are "
                                          "clearly averted but the interval of the cost difference spans zero"));
}

}  // namespace

void write_comparison(const std::string& path, const Comparison& comparison,
                      const std::vector<ComparedScenario>& scenarios) {
  if (scenarios.size() != comparison.scenarios.size())
    throw std::invalid_argument("write_comparison: one result per compared scenario is needed");
  write_hdf5_file(path, [&](const h5::Group& root) {
    write_meta(root, comparison);
    const h5::Group all = root.create_group("scenarios");
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      const h5::Group group = all.create_group(comparison.scenarios[s]);
      group.set_attribute("index", static_cast<std::int64_t>(s));
      write_ensemble(group, *scenarios[s].result, scenarios[s].meta);
    }
    const h5::Group group = root.create_group("comparison");
    group.set_attribute("outcomes", [] {
      std::vector<std::string> keys;
      for (int o = 0; o < kOutcomeCount; ++o) keys.emplace_back(outcome_spec(o).key);
      return joined(keys);
    }());
    write_outcomes(group, comparison);
    write_cost_effectiveness(group, comparison);
  });
}

}  // namespace anjian
