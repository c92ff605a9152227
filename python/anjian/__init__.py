"""anjian: an agent-based laboratory of grass-roots work-safety supervision.

The C++ engine is reached through the compiled module ``anjian._core``. This package grows into
the analyst's interface (scenarios, runs, results as pandas/xarray); today it offers the version
and the parameter table.
"""

from . import _core

__version__ = _core.__version__
git_commit = _core.git_commit


def params():
    """Every scenario parameter, as a list of dicts (a DataFrame when pandas is installed)."""
    rows = _core.params()
    try:
        import pandas as pd
    except ImportError:
        return rows
    return pd.DataFrame(rows, columns=["key", "type", "unit", "default", "min", "max", "choices", "meaning"])
