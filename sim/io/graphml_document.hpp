#pragma once
// A GraphML file as plain text: its nodes and edges with their own ids and every data value as
// written, whatever attr.type the writer declared (networkx writes long, double, boolean, string;
// yEd, Gephi and igraph write int, float, ...). Interpreting the values is the reader's business
// (model/network.cpp), so that its errors can name the file's node ids and the rule broken.

#include <iosfwd>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace anjian {

class GraphmlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct GraphmlElement {
  std::map<std::string, std::string> data;  // attr.name -> text, defaults of the keys applied
  // The value of `name`, or nullptr if the element has none (and its key no default).
  const std::string* find(const std::string& name) const {
    const auto it = data.find(name);
    return it == data.end() ? nullptr : &it->second;
  }
};

struct GraphmlNode : GraphmlElement {
  std::string id;  // the file's own id, e.g. "E3"
};

struct GraphmlEdge : GraphmlElement {
  std::string source;  // node ids
  std::string target;
};

struct GraphmlDocument {
  bool directed = true;  // edgedefault of the graph
  std::vector<GraphmlNode> nodes;
  std::vector<GraphmlEdge> edges;
};

// Parses the first <graph> of a GraphML document. Throws GraphmlError (malformed XML with its
// line, a node without an id, an edge to an unknown node, a <data> with an undeclared key).
GraphmlDocument parse_graphml(std::istream& in);

}  // namespace anjian
