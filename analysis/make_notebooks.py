"""Builds the notebooks from the analysis scripts, so the two never drift apart.

The scripts (analysis/NN_*.py) are the source: plain Python a reader can run without Jupyter,
split into cells by `# %%` lines (`# %% [markdown]` cells hold commented Markdown). Each becomes
analysis/NN_*.ipynb without outputs.

    python3 analysis/make_notebooks.py           # write the notebooks
    python3 analysis/make_notebooks.py --check   # exit 1 if a notebook is out of date
"""

import pathlib
import sys

import nbformat

ANALYSIS = pathlib.Path(__file__).resolve().parent
KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def scripts() -> list[pathlib.Path]:
    return sorted(ANALYSIS.glob("[0-9][0-9]_*.py"))


def cells_of(script: pathlib.Path) -> list:
    """The script's `# %%` blocks as notebook cells (the text before the first is dropped)."""
    blocks = script.read_text().split("\n# %%")[1:]
    cells = []
    for block in blocks:
        header, _, body = block.partition("\n")
        body = body.strip("\n")
        if header.strip() == "[markdown]":
            text = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#") for line in body.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(text))
        else:
            cells.append(nbformat.v4.new_code_cell(body))
    return cells


def notebook_of(script: pathlib.Path) -> str:
    notebook = nbformat.v4.new_notebook(cells=cells_of(script))
    notebook.metadata = {"kernelspec": KERNEL, "language_info": {"name": "python"}}
    for number, cell in enumerate(notebook.cells):
        cell.id = f"{script.stem[:2]}-{number:02d}"  # stable ids: regenerating changes nothing
    return nbformat.writes(notebook) + "\n"


def main(check: bool) -> int:
    stale = []
    for script in scripts():
        target = script.with_suffix(".ipynb")
        text = notebook_of(script)
        if target.exists() and target.read_text() == text:
            continue
        if check:
            stale.append(target.name)
        else:
            target.write_text(text)
            print(f"wrote {target.relative_to(ANALYSIS.parent)}")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python3 analysis/make_notebooks.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
