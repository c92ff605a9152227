// libFuzzer target: the scenario loader (YAML, `extends` chains) and --set assignments.
//
// One input holds up to three scenario files and the assignments, split by marker lines:
//   <main.yaml>\n#--file\n<a.yaml>\n#--file\n<b.yaml>\n#--set\n<one KEY=VALUE per line>
// The files land side by side, so `extends: a.yaml` in main.yaml and `extends: b.yaml` in
// a.yaml make chains (and cycles). A ScenarioError is the expected answer to nonsense; any other
// exception, a crash or a hang is a finding.

#include <filesystem>

#include "fuzz_files.hpp"
#include "scenario/scenario.hpp"

using namespace anjian;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto sections = fuzz::split_at_lines(fuzz::as_text(data, size), "#--set");
  const auto files = fuzz::split_at_lines(sections.front(), "#--file");
  const char* names[] = {"main.yaml", "a.yaml", "b.yaml"};
  for (std::size_t f = 0; f < 3; ++f) {
    if (f < files.size()) {
      fuzz::write_file(names[f], files[f]);
    } else {
      std::filesystem::remove(fuzz::work_dir() + "/" + names[f]);
    }
  }
  try {
    Scenario scenario = load_scenario(fuzz::work_dir() + "/main.yaml");
    for (std::size_t s = 1; s < sections.size(); ++s) {
      for (auto line : fuzz::lines(sections[s])) apply_assignment(scenario, line);
    }
    validate_params(scenario.params);
    (void)to_yaml(scenario);
  } catch (const ScenarioError&) {
  }
  return 0;
}
