#include "scenario/params.hpp"

#include <charconv>
#include <cmath>

namespace anjian {

std::string_view sector_name(int sector) {
  static constexpr std::string_view names[] = {
#define ANJIAN_SECTOR(sector, ...) #sector,
#include "scenario/sectors.def"
  };
  return names[sector];
}

std::array<SectorParams, kSectorCount> Params::default_sectors() {
  return {{
#define ANJIAN_SECTOR(sector, ...) SectorParams{__VA_ARGS__},
#include "scenario/sectors.def"
  }};
}

std::int64_t Params::step_count() const {
  return std::max<std::int64_t>(1, std::llround(time.years * 365.0 / static_cast<double>(time.step_days)));
}

std::int64_t Params::burn_in_step_count() const {
  return std::llround(time.burn_in_years * 365.0 / static_cast<double>(time.step_days));
}

namespace {

// "a, b, c" (the stringified enumerator list) -> {"a", "b", "c"}.
std::vector<std::string> split_words(std::string_view list) {
  std::vector<std::string> words;
  std::string word;
  for (char c : list) {
    if (c == ',') {
      words.push_back(word);
      word.clear();
    } else if (c != ' ') {
      word += c;
    }
  }
  words.push_back(word);
  return words;
}

template <class Enum>
std::vector<std::string> choice_words();
#define ANJIAN_ENUM(Type, ...) \
  template <>                  \
  [[maybe_unused]] std::vector<std::string> choice_words<Type>() { return split_words(#__VA_ARGS__); }
#include "scenario/choices.def"
#undef ANJIAN_ENUM

// A declaration's source...: "assumed" -> {assumed, ""}; data, "[key] ..." -> {data, "[key] ..."};
// nothing -> {none, ""}.
ParamSource source_of(SourceKind kind = SourceKind::none, const char* note = "") { return {kind, note}; }

std::vector<ParamSpec> build_specs() {
  std::vector<ParamSpec> specs;
#define ANJIAN_SOURCE(...) source_of(__VA_OPT__(SourceKind::__VA_ARGS__))
#define ANJIAN_PARAM(section, name, type, def, unit, min, max, meaning, ...)                     \
  specs.push_back(ParamSpec{                                                                     \
      #section "." #name, ParamType::type, unit, static_cast<double>(def), static_cast<double>(min), \
      static_cast<double>(max), meaning, {}, ANJIAN_SOURCE(__VA_ARGS__),                         \
      [](const Params& p) { return static_cast<double>(p.section.name); },                      \
      [](Params& p, double v) { p.section.name = static_cast<ANJIAN_CPP_TYPE_##type>(v); }});
#define ANJIAN_CHOICE(section, name, Type, def, meaning, ...)                                     \
  specs.push_back(ParamSpec{                                                                      \
      #section "." #name, ParamType::Choice, "word", static_cast<double>(Type::def), 0.0,          \
      static_cast<double>(choice_words<Type>().size() - 1), meaning, choice_words<Type>(),        \
      ANJIAN_SOURCE(__VA_ARGS__), [](const Params& p) { return static_cast<double>(p.section.name); }, \
      [](Params& p, double v) { p.section.name = static_cast<Type>(v); }});
#include "scenario/params.def"
#undef ANJIAN_PARAM
#undef ANJIAN_CHOICE

  // Sector fields: one accessor per (sector, field); the sector index is a template argument so
  // that the accessors stay plain function pointers.
  const auto defaults = Params::default_sectors();
  auto add_sector = [&]<int S>(std::integral_constant<int, S>) {
    const std::string prefix = "sectors." + std::string(sector_name(S)) + ".";
#define ANJIAN_SECTOR_FIELD(field, unit, min, max, meaning, ...)                                \
  specs.push_back(ParamSpec{prefix + #field, ParamType::Real, unit, defaults[S].field, min, max, \
                            meaning, {}, ANJIAN_SOURCE(__VA_ARGS__),                            \
                            [](const Params& p) { return p.sectors[S].field; },                 \
                            [](Params& p, double v) { p.sectors[S].field = v; }});
#include "scenario/sectors.def"
  };
  [&]<int... S>(std::integer_sequence<int, S...>) {
    (add_sector(std::integral_constant<int, S>{}), ...);
  }(std::make_integer_sequence<int, kSectorCount>{});
  return specs;
}

}  // namespace

const std::vector<ParamSpec>& param_specs() {
  static const std::vector<ParamSpec> specs = build_specs();
  return specs;
}

const ParamSpec* find_param(std::string_view key) {
  for (const auto& spec : param_specs()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

std::string_view type_name(ParamType type) {
  switch (type) {
    case ParamType::Real: return "real";
    case ParamType::Integer: return "integer";
    case ParamType::Boolean: return "boolean";
    case ParamType::Choice: return "choice";
  }
  return "?";
}

std::string_view source_kind_name(SourceKind kind) {
  switch (kind) {
    case SourceKind::none: return "none";
    case SourceKind::data: return "data";
    case SourceKind::calibrated: return "calibrated";
    case SourceKind::assumed: return "assumed";
    case SourceKind::setting: return "setting";
  }
  return "?";
}

std::vector<std::string> differing_params(const Params& a, const Params& b, std::string_view prefix) {
  std::vector<std::string> differences;
  for (const auto& spec : param_specs()) {
    if (!spec.key.starts_with(prefix) || spec.get(a) == spec.get(b)) continue;
    differences.push_back(spec.key + ": " + format_value(spec, spec.get(a)) + " vs " + format_value(spec, spec.get(b)));
  }
  return differences;
}

std::vector<std::string> cited_references(std::string_view note) {
  std::vector<std::string> keys;
  for (auto open = note.find('['); open != std::string_view::npos; open = note.find('[', open + 1)) {
    const auto close = note.find(']', open);
    if (close == std::string_view::npos) break;
    keys.emplace_back(note.substr(open + 1, close - open - 1));
  }
  return keys;
}

std::string format_value(const ParamSpec& spec, double value) {
  switch (spec.type) {
    case ParamType::Boolean: return value != 0.0 ? "true" : "false";
    case ParamType::Choice: return spec.choices.at(static_cast<std::size_t>(value));
    case ParamType::Integer: return std::to_string(static_cast<std::int64_t>(value));
    case ParamType::Real: {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
      std::string text(buf, end);
      // Keep reals recognisable as reals in YAML (1 -> 1.0).
      if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
      return text;
    }
  }
  return {};
}

}  // namespace anjian
