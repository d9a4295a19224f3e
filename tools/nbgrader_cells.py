"""Write and check the nbgrader metadata of the course's assignment notebooks.

nbgrader decides what a cell *is* from its ``metadata.nbgrader`` entry, and a
slip in that entry (a test cell without ``points``, an unlocked test cell, a
duplicated ``grade_id``, a ``### BEGIN SOLUTION`` in a cell that is not a
solution cell) silently changes what students see or how they are graded.
This module is the one place that writes those entries and the one place that
checks them; ``tests/test_assignments.py`` runs the checker on every source
notebook under ``book/assignments/source/``.

Cell roles (every cell of a source notebook has exactly one):

============  =========  ========  ========  ======  ==============================
role          cell type  solution  grade     locked  what students see
============  =========  ========  ========  ======  ==============================
``answer``    code       yes       no        no      solution regions replaced by
                                                     ``raise NotImplementedError()``
``tests``     code       no        yes (pts) yes     visible tests; the hidden
                                                     checks are in checks/<a>.py
``written``   markdown   yes       yes (pts) no      "YOUR ANSWER HERE"; graded by
                                                     hand in formgrader
``readonly``  either     no        no        yes     instructions, setup code
============  =========  ========  ========  ======  ==============================

Usage::

    .venv/bin/python tools/nbgrader_cells.py check book/assignments/source/*/*.ipynb
    .venv/bin/python tools/nbgrader_cells.py points book/assignments/source/*/*.ipynb

``check`` prints every problem (``path: cell N (grade_id): message``) and exits
with status 1 if there is any; ``points`` prints the graded cells and totals.
In Python, build cells with :func:`answer`, :func:`tests`, :func:`written` and
:func:`readonly`, and check a notebook with :func:`check_notebook`.
"""

from __future__ import annotations

import argparse
import numbers
import re
import sys
from pathlib import Path

import nbformat

SCHEMA_VERSION = 3  # nbgrader 0.9 cell-metadata schema

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"

GRADE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


# --- writing metadata ---------------------------------------------------------


def _meta(cell_type, grade_id, *, solution, grade, locked, points=None):
    if not isinstance(grade_id, str) or not GRADE_ID.match(grade_id):
        raise ValueError(
            f"grade_id must be letters, digits, '-' or '_' (starting with a letter or "
            f"digit), got {grade_id!r}."
        )
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "cell_type": cell_type,
    }
    if grade:
        if isinstance(points, bool) or not isinstance(points, numbers.Real) or points <= 0:
            raise ValueError(f"points of grade cell {grade_id!r} must be a number > 0, got {points!r}.")
        meta["points"] = points
    return {"nbgrader": meta}


def _cell(make, source, meta):
    # The cell id is the grade_id (both are [A-Za-z0-9_-]), so rebuilding a
    # notebook gives the same file and git diffs show only real changes.
    cell = make(source, metadata=meta)
    cell.id = meta["nbgrader"]["grade_id"][:64]
    return cell


def answer(source: str, grade_id: str):
    """A code cell the student completes; wrap the solution in BEGIN/END SOLUTION."""
    return _cell(nbformat.v4.new_code_cell, source,
                 _meta("code", grade_id, solution=True, grade=False, locked=False))


def tests(source: str, grade_id: str, points):
    """A locked, autograded code cell: it scores ``points`` when it runs without error."""
    return _cell(nbformat.v4.new_code_cell, source,
                 _meta("code", grade_id, solution=False, grade=True, locked=True, points=points))


def written(source: str, grade_id: str, points):
    """A manually graded markdown answer; ``source`` is the model answer."""
    return _cell(nbformat.v4.new_markdown_cell, source,
                 _meta("markdown", grade_id, solution=True, grade=True, locked=False, points=points))


def readonly(source: str, grade_id: str, cell_type: str = "markdown"):
    """A locked cell (instructions or setup code) that students cannot change."""
    make = {"markdown": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    if cell_type not in make:
        raise ValueError(f"cell_type must be 'markdown' or 'code', got {cell_type!r}.")
    return _cell(make[cell_type], source,
                 _meta(cell_type, grade_id, solution=False, grade=False, locked=True))


def new_assignment(cells):
    """A notebook with the course's kernel (python3) holding ``cells``."""
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    return nb


# --- checking metadata ---------------------------------------------------------


def role(cell) -> str | None:
    """The role of a cell from its metadata, or None if it has no nbgrader entry."""
    meta = cell.get("metadata", {}).get("nbgrader")
    if meta is None:
        return None
    if meta.get("solution") and meta.get("grade"):
        return "written" if cell.get("cell_type") == "markdown" else "graded answer"
    if meta.get("solution"):
        return "answer"
    if meta.get("grade"):
        return "tests"
    if meta.get("locked"):
        return "readonly"
    return "unmarked"


def _regions(lines, begin, end):
    """(problems, number of regions) for BEGIN/END markers in ``lines``."""
    problems, depth, count = [], 0, 0
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text == begin:
            if depth:
                problems.append(f"line {number}: '{begin}' inside an open region (no nesting)")
            depth, count = 1, count + 1
        elif text == end:
            if not depth:
                problems.append(f"line {number}: '{end}' without a matching '{begin}'")
            depth = 0
        elif begin in text or end in text:
            problems.append(
                f"line {number}: a marker must stand alone on its line (only indentation "
                f"around it), got {text!r}"
            )
    if depth:
        problems.append(f"'{begin}' is never closed by '{end}'")
    return problems, count


def check_notebook(nb, *, require_written=True) -> list[str]:
    """All problems with the nbgrader metadata of a source notebook (empty if none).

    Checks every cell: it has a schema-3 ``nbgrader`` entry with boolean
    ``grade``/``solution``/``locked``, a valid unique ``grade_id`` and a
    ``cell_type`` equal to the cell's; grade cells have ``points > 0`` and
    other cells none; test and read-only cells are locked, answer cells are
    not; BEGIN/END SOLUTION markers appear (balanced, never nested) exactly in
    the code answer cells, and no BEGIN/END HIDDEN TESTS anywhere (the hidden
    checks of a tests cell live in ``checks/<assignment>.py``, where
    ``tools/grader.py`` runs them outside the student's code; hidden tests in
    the notebook would run inside it, where a submission can disable them);
    sources store no outputs. With the default the notebook must also have a
    manually graded written answer.
    """
    problems = []
    seen = {}
    if nb.get("metadata", {}).get("kernelspec", {}).get("name") != "python3":
        problems.append("notebook: metadata.kernelspec.name must be 'python3'")
    n_written = n_tests = 0
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        gid = meta.get("grade_id") if isinstance(meta, dict) else None
        where = f"cell {index}" + (f" ({gid})" if gid else "")

        def bad(message, where=where):
            problems.append(f"{where}: {message}")

        lines = cell.source.splitlines()
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            bad("stores outputs; clear them (sources are committed without outputs)")
        if not isinstance(meta, dict):
            bad(
                "has no nbgrader metadata; make it an answer, tests, written or readonly "
                "cell with tools/nbgrader_cells.py"
            )
            continue
        if meta.get("schema_version") != SCHEMA_VERSION:
            bad(f"schema_version is {meta.get('schema_version')!r}, expected {SCHEMA_VERSION}")
        flags = {}
        for key in ("grade", "solution", "locked"):
            if not isinstance(meta.get(key), bool):
                bad(f"'{key}' must be true or false, got {meta.get(key)!r}")
            flags[key] = bool(meta.get(key))
        if gid is None or gid == "":
            bad("has no grade_id")
        elif not isinstance(gid, str) or not GRADE_ID.match(gid):
            bad(f"grade_id {gid!r} must be letters, digits, '-' or '_'")
        elif gid in seen:
            bad(f"grade_id {gid!r} is already used by cell {seen[gid]}")
        else:
            seen[gid] = index
        if meta.get("cell_type") != cell.cell_type:
            bad(f"metadata cell_type is {meta.get('cell_type')!r} but the cell is {cell.cell_type!r}")
        points = meta.get("points")
        if flags["grade"]:
            if points is None:
                bad("is a grade cell without 'points'")
            elif isinstance(points, bool) or not isinstance(points, numbers.Real) or points <= 0:
                bad(f"points must be a number > 0, got {points!r}")
        elif points not in (None, 0):
            bad(f"has points={points!r} but is not a grade cell")

        kind = role(cell)
        sol_problems, n_sol = _regions(lines, BEGIN_SOLUTION, END_SOLUTION)
        hid_problems, n_hid = _regions(lines, BEGIN_HIDDEN, END_HIDDEN)
        problems.extend(f"{where}: {p}" for p in sol_problems + hid_problems)
        if kind == "answer":
            if cell.cell_type != "code":
                bad("a markdown solution cell must also be a grade cell (a written answer)")
            elif n_sol == 0:
                bad(f"is a solution cell without '{BEGIN_SOLUTION}' / '{END_SOLUTION}' markers")
            if flags["locked"]:
                bad("is an answer cell but locked; students could not edit it")
        elif n_sol:
            bad(f"has solution markers but is a {kind} cell; mark it as an answer cell")
        if kind == "graded answer":
            bad("code cells that are both solution and grade are not used here; split them into "
                "an answer cell and a tests cell")
        if n_hid:
            bad(f"has '{BEGIN_HIDDEN}' markers; hidden checks go in checks/<assignment>.py "
                f"(see the instructor guide), where the student's code cannot reach them")
        if kind == "tests":
            n_tests += 1
            if cell.cell_type != "code":
                bad("a markdown grade cell must be a written (solution) answer")
            if not flags["locked"]:
                bad("is a tests cell but not locked; students could edit the tests")
        if kind == "written":
            n_written += 1
            if flags["locked"]:
                bad("is a written answer but locked; students could not write in it")
            if not cell.source.strip():
                bad("is a written answer without a model answer")
        if kind == "readonly" and not flags["locked"]:
            bad("is neither answer, tests nor written, so it must be locked (read-only)")
        if kind == "unmarked":
            bad("has nbgrader metadata but no role (grade, solution and locked are all false)")
    if n_tests == 0:
        problems.append("notebook: has no tests cell")
    if require_written and n_written == 0:
        problems.append("notebook: has no manually graded written answer")
    return problems


def check_file(path) -> list[str]:
    """:func:`check_notebook` for a file; each problem is prefixed with the path."""
    nb = nbformat.read(path, as_version=4)
    return [f"{path}: {p}" for p in check_notebook(nb)]


def graded_cells(nb):
    """``[(grade_id, role, points)]`` for every grade cell, in notebook order."""
    out = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade"):
            out.append((meta.get("grade_id"), role(cell), meta.get("points")))
    return out


def secret_lines(nb) -> list[tuple[str, str, str]]:
    """Lines students must never see: ``[(kind, grade_id, line)]``, stripped.

    ``kind`` is ``"solution"`` (inside BEGIN/END SOLUTION), ``"hidden test"``
    (inside BEGIN/END HIDDEN TESTS) or ``"model answer"`` (a written answer
    cell). Blank lines, the markers themselves, and lines that also occur
    outside these regions of the same notebook (so are public anyway, e.g. a
    line repeated from a visible test or quoted in the instructions) are left
    out.
    """
    secret, public = [], []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id", "")
        if role(cell) == "written":
            secret.extend(("model answer", gid, line.strip()) for line in cell.source.splitlines())
            continue
        kind = None
        for line in cell.source.splitlines():
            text = line.strip()
            if text in (BEGIN_SOLUTION, BEGIN_HIDDEN):
                kind = "solution" if text == BEGIN_SOLUTION else "hidden test"
            elif text in (END_SOLUTION, END_HIDDEN):
                kind = None
            elif kind:
                secret.append((kind, gid, text))
            else:
                public.append(text)
    public_text = _squash("\n".join(public))
    return [(k, g, line) for k, g, line in secret
            if line and not (line in public or _squash(line) in public_text)]


def _squash(text: str) -> str:
    """Text reduced for leak searches: no markup characters, single spaces."""
    return " ".join(re.sub(r"[\\*_`#>|${}]", " ", text).split())


def page_text(html: str) -> str:
    """The text a reader sees in an HTML page: tags dropped, entities decoded.

    Syntax highlighting splits code into many ``<span>`` elements and escapes
    ``<``, ``>`` and ``&``, so a leaked line is found in this text, not in the
    raw HTML.
    """
    from html.parser import HTMLParser

    parts = []

    class _Text(HTMLParser):
        def handle_data(self, data):
            parts.append(data)

    parser = _Text(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return "".join(parts)


def find_leaks(text: str, secrets, *, min_length: int = 20) -> list[tuple[str, str, str]]:
    """The secrets (from :func:`secret_lines`) whose line occurs in ``text``.

    Lines shorter than ``min_length`` characters (after dropping markup) are
    skipped: ``return h`` may well appear in a chapter without giving anything
    away.
    """
    haystack = _squash(text)
    return [s for s in secrets if len(_squash(s[2])) >= min_length and _squash(s[2]) in haystack]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["check", "points"])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "check":
        problems = [p for path in args.notebooks for p in check_file(path)]
        for p in problems:
            print(p)
        print(f"{len(args.notebooks)} notebook(s) checked, {len(problems)} problem(s).")
        return 1 if problems else 0
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        cells = graded_cells(nb)
        auto = sum(p for _, r, p in cells if r == "tests")
        manual = sum(p for _, r, p in cells if r != "tests")
        print(f"{path}: {auto:g} autograded + {manual:g} manual = {auto + manual:g} points")
        for gid, kind, points in cells:
            print(f"    {gid:<28} {kind:<8} {points:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
