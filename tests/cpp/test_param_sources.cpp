// Sources as data: every parameter says where its default comes from (params.def, sectors.def),
// and every reference it cites is an entry of docs/references.md.

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "scenario/params.hpp"

using namespace anjian;

namespace {

// The keys of docs/references.md: its "### key" headings.
std::set<std::string> reference_keys() {
  std::ifstream file(std::string(ANJIAN_SOURCE_DIR) + "/docs/references.md");
  std::set<std::string> keys;
  for (std::string line; std::getline(file, line);) {
    if (line.rfind("### ", 0) == 0) keys.insert(line.substr(4));
  }
  return keys;
}

}  // namespace

TEST(ParamSources, EveryParameterHasOne) {
  for (const auto& spec : param_specs()) {
    const auto& source = spec.source;
    EXPECT_NE(source.kind, SourceKind::none)
        << spec.key << " declares no source: add one of data, calibrated, assumed, setting after its meaning "
        << "in sim/scenario/params.def (or sectors.def)";
    if (source.kind == SourceKind::data) {
      EXPECT_FALSE(cited_references(source.note).empty())
          << spec.key << " is data but cites no [key] of docs/references.md";
    }
    if (source.kind == SourceKind::calibrated) {
      EXPECT_FALSE(source.note.empty()) << spec.key << " is calibrated but does not say to what";
    }
  }
}

TEST(ParamSources, EveryCitedKeyIsHere) {
  const auto keys = reference_keys();
  ASSERT_GT(keys.size(), 10u) << "docs/references.md not found or without ### entries";
  int cited = 0;
  for (const auto& spec : param_specs()) {
    for (const auto& key : cited_references(spec.source.note)) {
      ++cited;
      EXPECT_TRUE(keys.count(key)) << spec.key << " cites [" << key << "], which docs/references.md lacks";
    }
  }
  EXPECT_GT(cited, 10);
}

TEST(ParamSources, SectorRatesSayWhatTheyWereCalibratedTo) {
  for (const char* field : {"accident_base", "accident_per_hazard", "p_fatal", "death_tail"}) {
    const ParamSpec* spec = find_param(std::string("sectors.construction.") + field);
    ASSERT_NE(spec, nullptr) << field;
    EXPECT_EQ(spec->source.kind, SourceKind::calibrated) << field;
    EXPECT_FALSE(cited_references(spec->source.note).empty()) << field;
  }
}

TEST(ParamSources, CitedReferencesReadsEveryBracketedKey) {
  EXPECT_EQ(cited_references("a [x_1] and [y] then [z"), (std::vector<std::string>{"x_1", "y"}));
  EXPECT_TRUE(cited_references("no key").empty());
}
