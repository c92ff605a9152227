#include "io/graphml_document.hpp"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <optional>
#include <set>

namespace anjian {

namespace {

using boost::property_tree::ptree;

// An XML attribute; '/' separates the path because GraphML's attribute names contain dots.
std::string attribute(const ptree& element, const std::string& name) {
  return element.get<std::string>(ptree::path_type("<xmlattr>/" + name, '/'), "");
}

struct Key {
  std::string name;
  std::string domain;  // node, edge, graph, all
  std::optional<std::string> default_value;
};

// Applies the defaults of the keys for `domain`, then the element's own <data>.
void read_data(const ptree& element, const std::map<std::string, Key>& keys, const std::string& domain,
               const std::string& where, GraphmlElement& out) {
  for (const auto& entry : keys) {
    const Key& key = entry.second;
    if (key.default_value && (key.domain == domain || key.domain == "all")) out.data[key.name] = *key.default_value;
  }
  for (const auto& [tag, child] : element) {
    if (tag != "data") continue;
    const std::string key_id = attribute(child, "key");
    const auto key = keys.find(key_id);
    if (key == keys.end()) throw GraphmlError(where + ": <data key=\"" + key_id + "\"> has no <key> declaration");
    out.data[key->second.name] = child.get_value<std::string>();
  }
}

}  // namespace

GraphmlDocument parse_graphml(std::istream& in) {
  ptree tree;
  try {
    boost::property_tree::read_xml(in, tree);
  } catch (const boost::property_tree::xml_parser_error& error) {
    throw GraphmlError("not well-formed XML, line " + std::to_string(error.line()) + ": " + error.message());
  }
  const auto root = tree.get_child_optional("graphml");
  if (!root) throw GraphmlError("no <graphml> element: not a GraphML file");

  std::map<std::string, Key> keys;
  for (const auto& [tag, child] : *root) {
    if (tag != "key") continue;
    const std::string name = attribute(child, "attr.name");
    const std::string domain = attribute(child, "for");
    Key& key = keys[attribute(child, "id")];
    key = Key{name.empty() ? attribute(child, "id") : name, domain.empty() ? "all" : domain, std::nullopt};
    if (const auto value = child.get_optional<std::string>("default")) key.default_value = *value;
  }
  const auto graph = root->get_child_optional("graph");
  if (!graph) throw GraphmlError("no <graph> element in <graphml>");

  GraphmlDocument document;
  document.directed = attribute(*graph, "edgedefault") != "undirected";
  std::set<std::string> ids;
  for (const auto& [tag, child] : *graph) {
    if (tag != "node") continue;
    GraphmlNode node;
    node.id = attribute(child, "id");
    if (node.id.empty()) throw GraphmlError("node " + std::to_string(document.nodes.size() + 1) + " has no id");
    if (!ids.insert(node.id).second) throw GraphmlError("node '" + node.id + "' appears twice");
    read_data(child, keys, "node", "node '" + node.id + "'", node);
    document.nodes.push_back(std::move(node));
  }
  for (const auto& [tag, child] : *graph) {
    if (tag != "edge") continue;
    GraphmlEdge edge;
    edge.source = attribute(child, "source");
    edge.target = attribute(child, "target");
    const std::string where = "edge '" + edge.source + "' -> '" + edge.target + "'";
    for (const auto* end : {&edge.source, &edge.target}) {
      if (!ids.count(*end)) throw GraphmlError(where + ": no node has the id '" + *end + "'");
    }
    read_data(child, keys, "edge", where, edge);
    document.edges.push_back(std::move(edge));
  }
  return document;
}

}  // namespace anjian
