"""Notebook hygiene: nbval compares only what is stored, so check what is stored.

A code cell with no stored execution is never compared by nbval, so a
stripped notebook would pass trivially. These tests make that a failure.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import notebook_times  # noqa: E402

# nbgrader sources are not chapters: tests/test_assignments.py checks them.
NOTEBOOKS = notebook_times.book_notebooks(ROOT)


def _rel(path):
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def _ids(paths):
    return [_rel(p) for p in paths]


def _code_cells(path):
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 1, "no notebooks found under book/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_every_code_cell_was_executed(path):
    cells = _code_cells(path)
    missing = [i for i, c in enumerate(cells) if c.get("execution_count") is None]
    assert not missing, (
        f"{path.name}: code cells {missing} have no stored execution, so nbval would "
        f"not compare them. Run: .venv/bin/python tools/execute.py {_rel(path)}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_executed_in_order_in_one_kernel(path):
    counts = [c.execution_count for c in _code_cells(path)]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..n; re-execute it top to "
        f"bottom with tools/execute.py"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_errors_only_where_tagged(path):
    for i, cell in enumerate(_code_cells(path)):
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        assert not errors or tagged, (
            f"{path.name}: code cell {i} stored an error ({errors[0].ename}) but is not "
            f"tagged raises-exception"
        )


def test_every_notebook_is_in_the_toc():
    toc = (ROOT / "_toc.yml").read_text()
    files = set()

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.add(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load(toc))
    orphans = [p for p in _ids(NOTEBOOKS) if p.removesuffix(".ipynb") not in files]
    assert not orphans, f"notebooks not in _toc.yml (they would not be built): {orphans}"


def test_execution_times_are_recorded_for_every_notebook():
    """README promises (issue 4): each notebook's time on 2 cores, each within a minute."""
    record = json.loads(notebook_times.RECORD.read_text())
    assert sorted(record["seconds"]) == _ids(NOTEBOOKS), (
        "tests/notebook_times.json does not list exactly the book's notebooks; run `make times`"
    )
    slow = {p: s for p, s in record["seconds"].items() if s > notebook_times.LIMIT_SECONDS}
    assert not slow, f"notebooks over {notebook_times.LIMIT_SECONDS} s: {slow}"


def test_readme_table_of_execution_times_is_the_record():
    record = json.loads(notebook_times.RECORD.read_text())
    assert notebook_times.render_table(record) in (ROOT / "README.md").read_text(), (
        "README's table of notebook times differs from tests/notebook_times.json; "
        "run `.venv/bin/python tools/notebook_times.py --readme`"
    )
