// The governance network as a Boost.Graph, and its GraphML form. The engine itself runs on the
// World's columns; the graph is how a structure enters (a real county in GraphML) and leaves (the
// result file's /network) the model, so that analysts can inspect it with networkx or Gephi.

#include "model/network.hpp"

#include <boost/graph/graphml.hpp>
#include <boost/property_map/dynamic_property_map.hpp>
#include <filesystem>
#include <fstream>
#include <map>

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

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw NetworkError(path + ": " + what);
}

std::string node(std::size_t v) { return "node n" + std::to_string(v); }

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

}  // namespace

NetworkSpec read_network_graphml(const std::string& path) {
  std::error_code status_error;
  if (std::filesystem::exists(path, status_error) && !std::filesystem::is_regular_file(path, status_error))
    fail(path, "not a GraphML file (a directory or a device); check the `network:` path in the scenario");
  std::ifstream in(path);
  if (!in) fail(path, "cannot open the network file (check the `network:` path in the scenario)");
  GovernanceGraph g;
  auto dp = network_properties(g);
  try {
    boost::read_graphml(in, g, dp);
  } catch (const std::exception& error) {
    fail(path, std::string("not a readable GraphML graph: ") + error.what());
  }
  NetworkSpec spec;
  spec.source = path;
  const auto n = boost::num_vertices(g);

  // Townships first, so that departments and enterprises can refer to them by index.
  std::vector<std::uint32_t> township_index(n, kNoTownship);
  for (std::size_t v = 0; v < n; ++v) {
    if (g[v].kind != "township") continue;
    township_index[v] = static_cast<std::uint32_t>(spec.township_growth_priority.size());
    const double growth = g[v].growth_priority;
    if (growth > 1.0) fail(path, node(v) + ": growth_priority must be in [0, 1] (or absent), found " + std::to_string(growth));
    spec.township_growth_priority.push_back(static_cast<float>(growth));
  }
  if (spec.township_growth_priority.empty()) fail(path, "no vertex of kind 'township': a county needs at least one");

  // Departments: each county kind at most once, in DepartmentKind order; then township offices.
  std::vector<int> county_vertex(kCountyDepartmentKinds, -1);
  std::vector<std::size_t> offices;
  for (std::size_t v = 0; v < n; ++v) {
    if (g[v].kind != "department") continue;
    const int kind = department_kind_index(g[v].department_kind);
    if (kind < 0) {
      fail(path, node(v) + ": unknown department_kind '" + g[v].department_kind +
                     "'; use emergency_management, construction, natural_resources, market_supervision or township_office");
    }
    if (g[v].staff < 0) fail(path, node(v) + ": staff must be 0 or more");
    if (kind == static_cast<int>(DepartmentKind::township_office)) {
      offices.push_back(v);
    } else if (county_vertex[kind] >= 0) {
      fail(path, node(v) + ": a second " + g[v].department_kind + " department; a county has one of each");
    } else {
      county_vertex[kind] = static_cast<int>(v);
    }
  }
  std::vector<std::uint16_t> department_index(n, kNoDepartment);
  for (int k = 0; k < kCountyDepartmentKinds; ++k) {
    const int v = county_vertex[k];  // a kind the file lacks gets no staff
    if (v >= 0) department_index[static_cast<std::size_t>(v)] = static_cast<std::uint16_t>(k);
    spec.departments.push_back({static_cast<DepartmentKind>(k), kNoTownship, v < 0 ? 0 : g[v].staff,
                                v < 0 ? 1.0f : static_cast<float>(g[v].attention), true});
  }
  for (auto v : offices) {
    std::uint32_t township = kNoTownship;
    for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
      if (g[*e].relation == "reports_to" && township_index[boost::target(*e, g)] != kNoTownship) {
        township = township_index[boost::target(*e, g)];
      }
    }
    if (township == kNoTownship) fail(path, node(v) + ": a township_office needs a reports_to edge to its township");
    department_index[v] = static_cast<std::uint16_t>(spec.departments.size());
    spec.departments.push_back({DepartmentKind::township_office, township, g[v].staff,
                                static_cast<float>(g[v].attention), g[v].can_enforce != 0});
  }

  // Enterprises with their township and supervising departments.
  std::vector<std::int64_t> enterprise_index(n, -1);
  for (std::size_t v = 0; v < n; ++v) {
    if (g[v].kind != "enterprise") continue;
    const int sector = sector_index(g[v].sector);
    if (sector < 0) fail(path, node(v) + ": unknown sector '" + g[v].sector + "'; use one of " + sector_list());
    if (g[v].workers < 1) fail(path, node(v) + ": an enterprise needs workers >= 1");
    enterprise_index[v] = static_cast<std::int64_t>(spec.enterprises.size());
    spec.enterprises.push_back({static_cast<std::uint8_t>(sector), kNoTownship, static_cast<std::uint32_t>(g[v].workers),
                                g[v].registered != 0, kNoDepartment, kNoDepartment});
    for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
      if (g[*e].relation == "located_in") spec.enterprises.back().township = township_index[boost::target(*e, g)];
    }
    if (spec.enterprises.back().township == kNoTownship) {
      fail(path, node(v) + ": an enterprise needs a located_in edge to a township");
    }
  }
  if (spec.enterprises.empty()) fail(path, "no vertex of kind 'enterprise'");
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    if (g[*e].relation != "supervises") continue;
    const auto from = boost::source(*e, g);
    const auto to = boost::target(*e, g);
    if (enterprise_index[to] < 0 || department_index[from] >= kCountyDepartmentKinds) {
      fail(path, "edge " + node(from) + " -> " + node(to) + ": supervises must go from a county department to an enterprise");
    }
    auto& enterprise = spec.enterprises[static_cast<std::size_t>(enterprise_index[to])];
    auto& slot = g[*e].primary ? enterprise.primary_department : enterprise.secondary_department;
    if (slot != kNoDepartment) {
      fail(path, node(to) + ": more than one " + (g[*e].primary ? "primary" : "secondary") + " supervising department");
    }
    slot = department_index[from];
  }
  return spec;
}

}  // namespace anjian
