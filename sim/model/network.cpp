// The governance network as a Boost.Graph, and its GraphML form. The engine itself runs on the
// World's columns; the graph is how a structure enters (a real county in GraphML) and leaves (the
// result file's /network) the model, so that analysts can inspect it with networkx or Gephi.

#include "model/network.hpp"

#include <boost/graph/graphml.hpp>
#include <boost/property_map/dynamic_property_map.hpp>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "io/graphml_document.hpp"

namespace anjian {

namespace {

boost::dynamic_properties network_properties(GovernanceGraph& g) {
  boost::dynamic_properties dp(boost::ignore_other_properties);
  dp.property("kind", boost::get(&NetworkVertex::kind, g));
  dp.property("name", boost::get(&NetworkVertex::name, g));
  dp.property("department_kind", boost::get(&NetworkVertex::department_kind, g));
  dp.property("sector", boost::get(&NetworkVertex::sector, g));
  dp.property("workers", boost::get(&NetworkVertex::workers, g));
  dp.property("registered", boost::get(&NetworkVertex::registered, g));
  dp.property("staff", boost::get(&NetworkVertex::staff, g));
  dp.property("attention", boost::get(&NetworkVertex::attention, g));
  dp.property("can_enforce", boost::get(&NetworkVertex::can_enforce, g));
  dp.property("growth_priority", boost::get(&NetworkVertex::growth_priority, g));
  dp.property("relation", boost::get(&NetworkEdge::relation, g));
  dp.property("primary", boost::get(&NetworkEdge::primary, g));
  return dp;
}

std::size_t add_vertex(GovernanceGraph& g, NetworkVertex v) { return boost::add_vertex(std::move(v), g); }

void add_edge(GovernanceGraph& g, std::size_t from, std::size_t to, const char* relation, int primary = 0) {
  boost::add_edge(from, to, NetworkEdge{relation, primary}, g);
}

}  // namespace

GovernanceGraph network_of_world(const World& world) {
  GovernanceGraph g;
  const auto county = add_vertex(g, {.kind = "county_government", .name = "county"});
  const auto office = add_vertex(g, {.kind = "committee_office", .name = "work-safety committee office"});
  add_edge(g, office, county, "reports_to");
  const auto hotline = add_vertex(g, {.kind = "hotline", .name = "12350 hotline"});
  const auto media = add_vertex(g, {.kind = "media", .name = "media"});
  const auto court = add_vertex(g, {.kind = "court", .name = "court"});
  add_edge(g, hotline, county, "reports_to");
  add_edge(g, court, county, "reports_to");

  const auto& t = world.townships;
  std::vector<std::size_t> township(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    township[i] = add_vertex(g, {.kind = "township", .name = "township " + std::to_string(i),
                                 .growth_priority = t.growth_priority[i]});
    add_edge(g, township[i], county, "reports_to");
    add_edge(g, media, township[i], "covers");
  }
  const auto& d = world.departments;
  std::vector<std::size_t> department(d.size());
  for (std::size_t k = 0; k < d.size(); ++k) {
    const auto kind = static_cast<DepartmentKind>(d.kind[k]);
    department[k] = add_vertex(g, {.kind = "department", .name = std::string(department_kind_name(kind)),
                                   .department_kind = std::string(department_kind_name(kind)),
                                   .staff = d.staff_quota[k], .attention = d.attention[k],
                                   .can_enforce = d.can_enforce[k]});
    add_edge(g, department[k], d.township[k] == kNoTownship ? county : township[d.township[k]], "reports_to");
    if (d.township[k] == kNoTownship) add_edge(g, office, department[k], "coordinates");
  }
  const auto& e = world.enterprises;
  for (std::size_t i = 0; i < e.size(); ++i) {
    const auto v = add_vertex(g, {.kind = "enterprise", .sector = std::string(sector_name(e.sector[i])),
                                  .workers = static_cast<int>(e.workers[i]), .registered = e.registered[i]});
    add_edge(g, v, township[e.township[i]], "located_in");
    if (e.primary_department[i] != kNoDepartment) add_edge(g, department[e.primary_department[i]], v, "supervises", 1);
    if (e.secondary_department[i] != kNoDepartment) add_edge(g, department[e.secondary_department[i]], v, "supervises");
  }
  return g;
}

void write_network_graphml(std::ostream& out, const GovernanceGraph& graph) {
  GovernanceGraph& g = const_cast<GovernanceGraph&>(graph);  // dynamic_properties wants mutable maps
  boost::write_graphml(out, g, network_properties(g), true);
}

namespace {

// Typed values of one node or edge of the file. Errors name the file, the element by the file's
// own id, the attribute, what was found and what is expected.
class Values {
 public:
  Values(const std::string& path, const GraphmlElement& element, std::string where)
      : path_(path), element_(element), where_(std::move(where)) {}

  [[noreturn]] void fail(const std::string& what) const { throw NetworkError(path_ + ": " + where_ + ": " + what); }

  std::string text(const std::string& name) const {
    const std::string* value = element_.find(name);
    return value ? *value : std::string();
  }
  std::string required_text(const std::string& name, const std::string& expected) const {
    const std::string value = text(name);
    if (value.empty()) fail("no " + name + "; give it " + expected);
    return value;
  }
  // A whole number; "12" and "12.0" (pandas writes whole floats) both read as 12.
  std::int64_t whole(const std::string& name, std::optional<std::int64_t> fallback, std::int64_t min) const {
    const std::string* value = element_.find(name);
    if (!value || value->empty()) {
      if (!fallback) fail("no " + name + "; give it a whole number >= " + std::to_string(min));
      return *fallback;
    }
    const double number = number_of(name, *value);
    if (number != std::floor(number) || number < static_cast<double>(min) || number > 2e9) {
      fail(name + " must be a whole number >= " + std::to_string(min) + ", found '" + *value + "'");
    }
    return static_cast<std::int64_t>(number);
  }
  double real(const std::string& name, double fallback) const {
    const std::string* value = element_.find(name);
    return !value || value->empty() ? fallback : number_of(name, *value);
  }
  // true/false as networkx writes them, 1/0 as Boost.Graph does.
  bool flag(const std::string& name, bool fallback) const {
    const std::string* value = element_.find(name);
    if (!value || value->empty()) return fallback;
    if (*value == "true" || *value == "True" || *value == "1") return true;
    if (*value == "false" || *value == "False" || *value == "0") return false;
    fail(name + " must be true or false (or 1 or 0), found '" + *value + "'");
  }

 private:
  double number_of(const std::string& name, const std::string& value) const {
    double number = 0;
    const char* end = value.data() + value.size();
    const auto [stop, error] = std::from_chars(value.data(), end, number);
    if (error != std::errc() || stop != end || !std::isfinite(number)) {
      fail(name + " must be a number, found '" + value + "'");
    }
    return number;
  }

  const std::string& path_;
  const GraphmlElement& element_;
  std::string where_;
};

int sector_index(const std::string& name) {
  for (int s = 0; s < kSectorCount; ++s) {
    if (sector_name(s) == name) return s;
  }
  return -1;
}

int department_kind_index(const std::string& name) {
  for (int k = 0; k <= static_cast<int>(DepartmentKind::township_office); ++k) {
    if (department_kind_name(static_cast<DepartmentKind>(k)) == name) return k;
  }
  return -1;
}

std::string sector_list() {
  std::string list;
  for (int s = 0; s < kSectorCount; ++s) list += (s ? ", " : "") + std::string(sector_name(s));
  return list;
}

const std::set<std::string> kNodeKinds = {"county_government", "committee_office", "department", "township",
                                          "enterprise",        "hotline",          "media",      "court"};
const std::set<std::string> kRelations = {"reports_to", "coordinates", "supervises", "located_in", "covers"};

std::string read_file(const std::string& path) {
  // A directory or a device (extends: /dev/zero) would read forever or fail obscurely.
  std::error_code status_error;
  if (std::filesystem::exists(path, status_error) && !std::filesystem::is_regular_file(path, status_error))
    throw NetworkError(path + ": not a GraphML file (a directory or a device); check the `network:` path in the scenario");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NetworkError(path + ": cannot open the network file (check the `network:` path in the scenario)");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The county a parsed GraphML file describes, checked rule by rule (docs/network-format.md).
class CountyReader {
 public:
  CountyReader(const std::string& path, const GraphmlDocument& document) : path_(path), doc_(document) {
    for (std::size_t v = 0; v < doc_.nodes.size(); ++v) {
      index_of_[doc_.nodes[v].id] = v;
      const Values values = node(v);
      kind_.push_back(values.required_text("kind", "one of county_government, committee_office, department, "
                                                   "township, enterprise, hotline, media, court"));
      if (!kNodeKinds.count(kind_.back())) {
        values.fail("unknown kind '" + kind_.back() +
                    "'; use county_government, committee_office, department, township, enterprise, hotline, media or court");
      }
    }
    for (const auto& edge : doc_.edges) {
      const Values values(path_, edge, "edge '" + edge.source + "' -> '" + edge.target + "'");
      const std::string relation = values.required_text("relation", "one of reports_to, coordinates, supervises, located_in, covers");
      if (!kRelations.count(relation)) {
        values.fail("unknown relation '" + relation + "'; use reports_to, coordinates, supervises, located_in or covers");
      }
    }
  }

  NetworkSpec read() {
    read_townships();
    read_departments();
    read_enterprises();
    read_supervision();
    return std::move(spec_);
  }

 private:
  Values node(std::size_t v) const { return Values(path_, doc_.nodes[v], "node '" + doc_.nodes[v].id + "'"); }
  const std::string& id(std::size_t v) const { return doc_.nodes[v].id; }
  std::string label(std::size_t v) const {
    const std::string name = node(v).text("name");
    return name.empty() ? id(v) : name;
  }

  // The edges of `relation` as (from, to) vertices. An undirected file's edge is turned to run
  // from a `from_kind` node to a `to_kind` node when it was written the other way round.
  std::vector<std::pair<std::size_t, std::size_t>> edges(const std::string& relation, const std::string& from_kind,
                                                         const std::string& to_kind) const {
    std::vector<std::pair<std::size_t, std::size_t>> found;
    for (const auto& edge : doc_.edges) {
      if (Values(path_, edge, "").text("relation") != relation) continue;
      std::size_t from = index_of_.at(edge.source), to = index_of_.at(edge.target);
      if (!doc_.directed && kind_[from] == to_kind && kind_[to] == from_kind) std::swap(from, to);
      found.emplace_back(from, to);
    }
    return found;
  }

  void read_townships() {
    township_index_.assign(doc_.nodes.size(), kNoTownship);
    for (std::size_t v = 0; v < doc_.nodes.size(); ++v) {
      if (kind_[v] != "township") continue;
      const double growth = node(v).real("growth_priority", -1.0);  // absent or < 0: drawn
      if (growth > 1.0) node(v).fail("growth_priority must be in [0, 1] (or absent: drawn), found " + std::to_string(growth));
      township_index_[v] = static_cast<std::uint32_t>(spec_.township_growth_priority.size());
      spec_.township_growth_priority.push_back(static_cast<float>(growth));
      spec_.township_labels.push_back({id(v), label(v)});
    }
    if (spec_.township_labels.empty()) throw NetworkError(path_ + ": no node of kind 'township'; a county needs at least one");
  }

  // County departments first, one slot per kind in DepartmentKind order (a kind the file lacks
  // is added with no staff, and said so); then township offices, each under its township.
  void read_departments() {
    department_index_.assign(doc_.nodes.size(), kNoDepartment);
    std::vector<std::int64_t> county_vertex(kCountyDepartmentKinds, -1);
    std::vector<std::size_t> offices;
    for (std::size_t v = 0; v < doc_.nodes.size(); ++v) {
      if (kind_[v] != "department") continue;
      const std::string kind_name = node(v).required_text(
          "department_kind", "emergency_management, construction, natural_resources, market_supervision or township_office");
      const int kind = department_kind_index(kind_name);
      if (kind < 0) {
        node(v).fail("unknown department_kind '" + kind_name +
                     "'; use emergency_management, construction, natural_resources, market_supervision or township_office");
      }
      if (kind == static_cast<int>(DepartmentKind::township_office)) {
        offices.push_back(v);
      } else if (county_vertex[kind] >= 0) {
        node(v).fail("a second " + kind_name + " department (the first is '" +
                     id(static_cast<std::size_t>(county_vertex[kind])) + "'); a county has one of each");
      } else {
        county_vertex[kind] = static_cast<std::int64_t>(v);
      }
    }
    for (int k = 0; k < kCountyDepartmentKinds; ++k) {
      const auto kind = static_cast<DepartmentKind>(k);
      if (county_vertex[k] < 0) {
        spec_.departments.push_back({kind, kNoTownship, 0, 1.0f, true});
        spec_.department_labels.push_back({"", std::string(department_kind_name(kind)) + " (added)"});
        spec_.notes.push_back("no " + std::string(department_kind_name(kind)) +
                              " department in the file: added with 0 staff (it inspects nothing)");
        continue;
      }
      const auto v = static_cast<std::size_t>(county_vertex[k]);
      department_index_[v] = static_cast<std::uint16_t>(k);
      spec_.departments.push_back(department(v, kind, kNoTownship));
      spec_.department_labels.push_back({id(v), label(v)});
    }
    std::vector<std::uint32_t> office_township(doc_.nodes.size(), kNoTownship);
    for (auto [from, to] : edges("reports_to", "department", "township")) {
      if (township_index_[to] != kNoTownship) office_township[from] = township_index_[to];
    }
    // The engine finds a township's office at department id kCountyDepartmentKinds + township, so
    // there is exactly one per township, in township order, whatever the order of the file.
    std::vector<std::int64_t> office_of(spec_.township_labels.size(), -1);
    for (auto v : offices) {
      if (office_township[v] == kNoTownship) node(v).fail("a township_office needs a reports_to edge to its township");
      auto& office = office_of[office_township[v]];
      if (office >= 0) {
        node(v).fail("a second township_office of township '" + spec_.township_labels[office_township[v]].id +
                     "' (the first is '" + id(static_cast<std::size_t>(office)) + "'); a township has one safety office");
      }
      office = static_cast<std::int64_t>(v);
    }
    for (std::size_t t = 0; t < office_of.size(); ++t) {
      if (office_of[t] < 0) {
        throw NetworkError(path_ + ": township '" + spec_.township_labels[t].id +
                           "' has no township_office: add a department node with department_kind township_office "
                           "(staff may be 0) and a reports_to edge from it to the township");
      }
      const auto v = static_cast<std::size_t>(office_of[t]);
      department_index_[v] = static_cast<std::uint16_t>(spec_.departments.size());
      spec_.departments.push_back(department(v, DepartmentKind::township_office, static_cast<std::uint32_t>(t)));
      spec_.department_labels.push_back({id(v), label(v)});
    }
  }

  NetworkSpec::Department department(std::size_t v, DepartmentKind kind, std::uint32_t township) const {
    const Values values = node(v);
    const double attention = values.real("attention", 1.0);
    if (attention < 0.0 || attention > 1.0) values.fail("attention must be in [0, 1], found " + values.text("attention"));
    return {kind, township, static_cast<std::int32_t>(values.whole("staff", std::nullopt, 0)),
            static_cast<float>(attention), values.flag("can_enforce", true)};
  }

  void read_enterprises() {
    enterprise_index_.assign(doc_.nodes.size(), -1);
    for (std::size_t v = 0; v < doc_.nodes.size(); ++v) {
      if (kind_[v] != "enterprise") continue;
      const Values values = node(v);
      const std::string sector_text = values.required_text("sector", "one of " + sector_list());
      const int sector = sector_index(sector_text);
      if (sector < 0) values.fail("unknown sector '" + sector_text + "'; use one of " + sector_list());
      enterprise_index_[v] = static_cast<std::int64_t>(spec_.enterprises.size());
      spec_.enterprises.push_back({static_cast<std::uint8_t>(sector), kNoTownship,
                                   static_cast<std::uint32_t>(values.whole("workers", std::nullopt, 1)),
                                   values.flag("registered", true), kNoDepartment, kNoDepartment});
      spec_.enterprise_labels.push_back({id(v), label(v)});
    }
    if (spec_.enterprises.empty()) throw NetworkError(path_ + ": no node of kind 'enterprise'");
    for (auto [from, to] : edges("located_in", "enterprise", "township")) {
      if (enterprise_index_[from] >= 0 && township_index_[to] != kNoTownship) {
        spec_.enterprises[static_cast<std::size_t>(enterprise_index_[from])].township = township_index_[to];
      }
    }
    for (std::size_t v = 0; v < doc_.nodes.size(); ++v) {
      if (enterprise_index_[v] >= 0 &&
          spec_.enterprises[static_cast<std::size_t>(enterprise_index_[v])].township == kNoTownship) {
        node(v).fail("an enterprise needs a located_in edge to a township");
      }
    }
  }

  // Only county departments supervise enterprises: a township office inspects the enterprises of
  // its township by territory (ODD "Territorial inspections"), with no supervises edge.
  void read_supervision() {
    for (const auto& edge : doc_.edges) {
      const Values values(path_, edge, "edge '" + edge.source + "' -> '" + edge.target + "'");
      if (values.text("relation") != "supervises") continue;
      std::size_t from = index_of_.at(edge.source), to = index_of_.at(edge.target);
      if (!doc_.directed && enterprise_index_[from] >= 0) std::swap(from, to);
      if (enterprise_index_[to] < 0 || department_index_[from] >= kCountyDepartmentKinds) {
        values.fail("supervises must go from a county department (not a township_office) to an enterprise; '" +
                    id(from) + "' is a " + describe(from) + ", '" + id(to) + "' a " + describe(to));
      }
      const bool primary = values.flag("primary", true);
      auto& enterprise = spec_.enterprises[static_cast<std::size_t>(enterprise_index_[to])];
      auto& slot = primary ? enterprise.primary_department : enterprise.secondary_department;
      if (slot != kNoDepartment) {
        values.fail("'" + id(to) + "' already has a " + (primary ? "primary" : "secondary") +
                    " supervising department; mark a second claimant primary=false (at most one of each)");
      }
      slot = department_index_[from];
    }
  }

  std::string describe(std::size_t v) const {
    return kind_[v] == "department" ? node(v).text("department_kind") + " department" : kind_[v];
  }

  const std::string& path_;
  const GraphmlDocument& doc_;
  std::map<std::string, std::size_t> index_of_;
  std::vector<std::string> kind_;
  std::vector<std::uint32_t> township_index_;
  std::vector<std::uint16_t> department_index_;
  std::vector<std::int64_t> enterprise_index_;
  NetworkSpec spec_;
};

}  // namespace

NetworkSpec read_network_graphml(const std::string& path) {
  const std::string bytes = read_file(path);
  std::istringstream in(bytes);
  GraphmlDocument document;
  try {
    document = parse_graphml(in);
  } catch (const GraphmlError& error) {
    throw NetworkError(path + ": not a readable GraphML graph: " + error.what());
  }
  NetworkSpec spec = CountyReader(path, document).read();
  spec.source = path;
  spec.graphml = bytes;
  return spec;
}

}  // namespace anjian
