#include "cli/info_command.hpp"

#include <cstdio>
#include <iostream>

#include "io/hdf5_util.hpp"

namespace anjian::cli {

namespace {

std::string text_or(const h5::Object& object, const std::string& name, const std::string& fallback = "-") {
  return object.has_attribute(name) ? object.string_attribute(name) : fallback;
}

bool is_group(const h5::Group& parent, const std::string& name) {
  const h5::ObjectHandle object(H5Oopen(parent.id(), name.c_str(), H5P_DEFAULT));
  return object.valid() && H5Iget_type(object.get()) == H5I_GROUP;
}

std::string shape(const h5::Dataset& dataset) {
  const auto dims = dataset.dims();
  if (dims.empty()) return "text";
  std::string text = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? " x " : "") + std::to_string(dims[i]);
  return text + "]";
}

// One line per group below `group` (to `depth` levels): its datasets, and the shape of the first.
void print_contents(const h5::Group& group, const std::string& path, int depth) {
  int datasets = 0;
  std::string first_shape;
  std::vector<std::string> groups;
  for (const auto& name : group.children()) {
    if (is_group(group, name)) {
      groups.push_back(name);
    } else if (datasets++ == 0) {
      first_shape = shape(group.open_dataset(name));
    }
  }
  if (datasets > 0) {
    std::printf("  %-34s %4d dataset(s)%s%s\n", path.c_str(), datasets, datasets > 1 ? ", the first " : " ",
                first_shape.c_str());
  }
  if (depth == 0) return;
  for (const auto& name : groups) print_contents(group.open_group(name), path + name + "/", depth - 1);
}

// The run's provenance from its /meta: what a citation needs.
void print_run_meta(const h5::Group& meta, const std::string& indent) {
  const auto burn_in_steps = meta.has_attribute("burn_in_steps") ? meta.int_attribute("burn_in_steps") : 0;
  const auto step_days = meta.int_attribute("step_days");
  std::printf("%sscenario  %s (%s), sha256 %s\n", indent.c_str(), text_or(meta, "scenario_name").c_str(),
              text_or(meta, "scenario_path", "built in Python").c_str(), text_or(meta, "scenario_sha256").c_str());
  if (meta.has_attribute("network_source")) {
    std::printf("%snetwork   %s, sha256 %s (the input file is kept in /meta/network_graphml)\n", indent.c_str(),
                meta.string_attribute("network_source").c_str(), meta.string_attribute("network_sha256").c_str());
  }
  std::printf("%srun       seed %lld, %lld replicate(s), %lld recorded step(s) of %lld day(s) = %.4g year(s) after a "
              "burn-in of %.4g year(s)\n",
              indent.c_str(), static_cast<long long>(meta.int_attribute("seed")),
              static_cast<long long>(meta.int_attribute("replicates")),
              static_cast<long long>(meta.int_attribute("steps")), static_cast<long long>(step_days),
              static_cast<double>(meta.int_attribute("steps") * step_days) / 365.0,
              static_cast<double>(burn_in_steps * step_days) / 365.0);
}

std::string short_hash(const h5::Group& meta) { return text_or(meta, "scenario_sha256").substr(0, 12); }

}  // namespace

CLI::App* add_info_command(CLI::App& app, std::string& path) {
  auto* info = app.add_subcommand(
      "info", "show a result or comparison file's provenance (version, commit, scenario and network hashes, seed, "
              "period), its contents and how to cite the run");
  info->add_option("file", path, "a file written by anjian run, anjian compare or anjian.Results.save")
      ->required()
      ->check(CLI::ExistingFile);
  return info;
}

int info_command(const std::string& path) {
  const h5::File file = h5::File::open_read_only(path);
  const h5::Group root = file.root();
  if (!root.contains("meta") || text_or(root.open_group("meta"), "program", "") != "anjian") {
    std::cerr << "anjian: error: " << path << " is an HDF5 file but not one anjian wrote (no /meta of anjian)\n";
    return 2;
  }
  const h5::Group meta = root.open_group("meta");
  const bool comparison = text_or(meta, "kind", "") == "comparison";
  const std::string version = text_or(meta, "version"), commit = text_or(meta, "git_commit");
  std::printf("%s: anjian %s file, format %lld\n", path.c_str(), comparison ? "comparison" : "result",
              static_cast<long long>(meta.int_attribute("format_version")));
  std::printf("  program   anjian %s, commit %s%s\n", version.c_str(), commit.c_str(),
              commit.ends_with("-dirty") ? " (built with uncommitted changes: the commit alone does not reproduce it)"
                                         : "");
  std::string cite = "anjian " + version + " (commit " + commit + ")";
  if (comparison) {
    const std::string names = meta.read_string("scenarios");
    std::printf("  compare   baseline %s; seed %lld, %lld replicate(s) each, %.4g recorded year(s) after %.4g burn-in\n",
                meta.string_attribute("baseline").c_str(), static_cast<long long>(meta.int_attribute("seed")),
                static_cast<long long>(meta.int_attribute("replicates")), meta.real_attribute("years"),
                meta.real_attribute("burn_in_years"));
    cite += ", comparison of";
    std::size_t start = 0;
    while (start <= names.size()) {
      const std::size_t end = std::min(names.find('\n', start), names.size());
      const std::string name = names.substr(start, end - start);
      const h5::Group scenario_meta = root.open_group("scenarios").open_group(name).open_group("meta");
      std::printf("  %s:\n", name.c_str());
      print_run_meta(scenario_meta, "    ");
      cite += std::string(start ? "," : "") + " " + name + " (scenario sha256 " + short_hash(scenario_meta) + ")";
      start = end + 1;
    }
    cite += ", seed " + std::to_string(meta.int_attribute("seed")) + ", " +
            std::to_string(meta.int_attribute("replicates")) + " replicates";
  } else {
    print_run_meta(meta, "  ");
    cite += ", scenario " + text_or(meta, "scenario_name") + " (sha256 " + short_hash(meta) + "), seed " +
            std::to_string(meta.int_attribute("seed")) + ", " + std::to_string(meta.int_attribute("replicates")) +
            " replicates";
  }
  std::printf("contents:\n");
  print_contents(root, "/", comparison ? 3 : 2);
  std::printf("cite as:\n  %s\n", cite.c_str());
  return 0;
}

}  // namespace anjian::cli
