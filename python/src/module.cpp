// anjian._core: the C++ library seen from Python. For now it exposes the version and the
// parameter table; running and reading results come next (see issue on the Python package).

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "core/version.hpp"
#include "scenario/params.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "anjian C++ core";
  m.attr("__version__") = anjian::kVersion;
  m.attr("git_commit") = anjian::kGitCommit;
  m.def(
      "params",
      [] {
        py::list rows;
        for (const auto& s : anjian::param_specs()) {
          py::dict row;
          row["key"] = s.key;
          row["type"] = std::string(anjian::type_name(s.type));
          row["unit"] = s.unit;
          row["default"] = s.default_value;
          row["min"] = s.min;
          row["max"] = s.max;
          row["choices"] = s.choices;
          row["meaning"] = s.meaning;
          rows.append(row);
        }
        return rows;
      },
      "Every scenario parameter as a list of dicts (key, type, unit, default, min, max, choices, meaning).");
}
