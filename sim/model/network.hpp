#pragma once
// The governance network (docs/ODD.md section 2): a typed graph (Boost.Graph) of governments,
// departments, townships, enterprises and public channels. A scenario either generates it from
// parameters (build_world draws the structure, network_of_world turns it into the graph) or reads
// a real county's structure from GraphML (read_network_graphml), which then fixes the townships,
// departments and enterprises of every replicate. The result file keeps the graph as GraphML.

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/world.hpp"

namespace anjian {

class NetworkError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Vertex kinds: county_government, committee_office, department, township, enterprise, hotline,
// media, court. Edge relations: reports_to, coordinates, supervises, located_in, covers.
struct NetworkVertex {
  std::string kind{};
  std::string name{};
  std::string department_kind{};  // department: emergency_management, construction, ...
  std::string sector{};           // enterprise: a sector of sectors.def
  int workers = 0;              // enterprise
  int registered = 1;           // enterprise: 1 = known to regulators
  int staff = 0;                // department: posts
  double attention = 1.0;       // department
  int can_enforce = 1;          // department
  double growth_priority = -1;  // township; < 0 = draw from the scenario
};

struct NetworkEdge {
  std::string relation;
  int primary = 0;  // supervises: 1 = the responsible department, 0 = a second claimant
};

using GovernanceGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, NetworkVertex, NetworkEdge>;

// The structure a network fixes, in the World's own terms.
struct NetworkSpec {
  std::string source;   // file it was read from
  std::string graphml;  // its bytes, kept in the result file's /meta
  // The file's own node id and name (the id where the node has no name) of each township,
  // department (in the order below) and enterprise: the labels of /agents and the summaries.
  struct Label {
    std::string id;
    std::string name;
  };
  std::vector<Label> township_labels, department_labels, enterprise_labels;
  std::vector<std::string> notes;  // what the reader added (departments the file lacks)
  std::vector<float> township_growth_priority;  // < 0: draw
  struct Department {
    DepartmentKind kind;
    std::uint32_t township;  // kNoTownship for county departments
    std::int32_t staff;
    float attention;
    bool can_enforce;
  };
  std::vector<Department> departments;  // county departments first, in DepartmentKind order
  struct Enterprise {
    std::uint8_t sector;
    std::uint32_t township;
    std::uint32_t workers;
    bool registered;
    std::uint16_t primary_department;
    std::uint16_t secondary_department;
  };
  std::vector<Enterprise> enterprises;
};

GovernanceGraph network_of_world(const World& world);
void write_network_graphml(std::ostream& out, const GovernanceGraph& graph);
// Reads and validates a GraphML county (docs/network-format.md); errors name the file, the node
// or edge by the file's own ids, and the rule broken.
NetworkSpec read_network_graphml(const std::string& path);

}  // namespace anjian
