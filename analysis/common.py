"""Shared set-up of the analysis scripts and notebooks: where things are, and saving figures.

Works from a notebook opened in analysis/ and from `python3 analysis/NN_name.py` alike. The
anjian package is taken from the environment, else from the build tree (build/python).
Figures go to analysis/figures/ (or $ANJIAN_FIGURES).
"""

import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
FIGURES = pathlib.Path(os.environ.get("ANJIAN_FIGURES", ROOT / "analysis" / "figures"))

try:
    import anjian  # noqa: F401  (installed, or on PYTHONPATH)
except ImportError:
    sys.path.insert(0, str(ROOT / "build" / "python"))
    import anjian  # noqa: F401


def save(figure, name: str) -> None:
    """Saves a matplotlib figure as FIGURES/<name>.png and says where."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    path = FIGURES / f"{name}.png"
    figure.savefig(path, dpi=110, bbox_inches="tight")
    print(f"figure: {path}")
