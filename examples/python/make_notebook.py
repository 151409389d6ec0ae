"""Generates arraymorph_quickstart.ipynb from quickstart.py, one cell per ``# %%`` section.

    /usr/bin/python3 examples/python/make_notebook.py          # rewrite the notebook
    /usr/bin/python3 examples/python/make_notebook.py --check  # exit 1 if it is out of date

The script is the source of truth: it is what the tests run (test_quickstart.py, and the JVM's
SparkConnectIT runs its Spark operations). ``# %% [markdown]`` sections become Markdown cells
(without the leading ``# ``), other sections code cells. No dependency beyond the standard library.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "quickstart.py")
NOTEBOOK = os.path.join(HERE, "arraymorph_quickstart.ipynb")


def sections(text):
    """The script's sections: a list of (kind, source) with kind 'markdown' or 'code'."""
    result = []
    kind, lines = None, []
    for line in text.splitlines():
        if line.startswith("# %%"):
            if kind is not None:
                result.append((kind, _source(kind, lines)))
            kind = "markdown" if "[markdown]" in line else "code"
            lines = []
        elif kind is not None:
            lines.append(line)
    if kind is not None:
        result.append((kind, _source(kind, lines)))
    return result


def _source(kind, lines):
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    if kind == "markdown":
        lines = [line[2:] if line.startswith("# ") else line.lstrip("#") for line in lines]
    return "\n".join(lines)


def notebook(text):
    cells = []
    for number, (kind, source) in enumerate(sections(text)):
        # nbformat 4.5 requires an id per cell; numbered, so regenerating gives the same file.
        cell = {"cell_type": kind, "id": "cell-%02d" % number, "metadata": {}, "source": _lines(source)}
        if kind == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
        cells.append(cell)
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (PySpark)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _lines(source):
    parts = source.split("\n")
    return [p + "\n" for p in parts[:-1]] + [parts[-1]]


def render(text):
    return json.dumps(notebook(text), indent=1, ensure_ascii=False) + "\n"


def main(argv):
    with open(SCRIPT, encoding="utf-8") as f:
        wanted = render(f.read())
    if "--check" in argv:
        with open(NOTEBOOK, encoding="utf-8") as f:
            if f.read() != wanted:
                print("arraymorph_quickstart.ipynb is out of date: run make_notebook.py", file=sys.stderr)
                return 1
        return 0
    with open(NOTEBOOK, "w", encoding="utf-8") as f:
        f.write(wanted)
    print("wrote", NOTEBOOK)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
