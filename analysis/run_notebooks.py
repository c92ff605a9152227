"""Executes the analysis notebooks top to bottom, headless, as `make notebooks` and the tests do.

Figures go to analysis/figures/ (or $ANJIAN_FIGURES), and each executed notebook, outputs
included, is saved beside them (figures/NN_name.ipynb) for a reader to open; the committed
notebooks stay without outputs.

    python3 analysis/run_notebooks.py                 # all of them
    python3 analysis/run_notebooks.py 01_quickstart   # some of them
"""

import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

from common import FIGURES

ANALYSIS = pathlib.Path(__file__).resolve().parent
# The kernel's debugger warns about frozen modules on every start; the notebooks do not debug.
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
TIMEOUT_S = 600  # per cell; a notebook is meant to finish well inside two minutes


def notebooks(names=()) -> list[pathlib.Path]:
    found = sorted(ANALYSIS.glob("[0-9][0-9]_*.ipynb"))
    if names:
        found = [p for p in found if p.stem in names or p.name in names]
    return found


def execute(path: pathlib.Path) -> tuple[nbformat.NotebookNode, float]:
    """Runs the notebook in a fresh python3 kernel started in analysis/, saves the executed copy in
    FIGURES, and returns it with the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    start = time.monotonic()
    NotebookClient(notebook, timeout=TIMEOUT_S, kernel_name="python3",
                   resources={"metadata": {"path": str(ANALYSIS)}}).execute()
    seconds = time.monotonic() - start
    FIGURES.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, FIGURES / path.name)
    return notebook, seconds


def main(names) -> int:
    chosen = notebooks(names)
    if not chosen:
        print(f"no notebook matches {' '.join(names)}", file=sys.stderr)
        return 2
    for path in chosen:
        _, seconds = execute(path)
        print(f"{path.name}: {seconds:.1f} s; executed copy {FIGURES / path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
