"""No solution, hidden test or model answer of an nbgrader assignment is in the built book.

The assignments' source notebooks (book/assignments/source) hold the
solutions; the book build excludes that folder. These checks read every text
file of _build/html (pages as the reader sees their text, page sources and
notebook downloads as they are) and look for each secret line of every source
notebook (``tools/nbgrader_cells.secret_lines``), and also check that no
assignment notebook or nbgrader folder was copied into the site.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import nbgrader_cells as cells  # noqa: E402

SOURCES = sorted((ROOT / "book" / "assignments" / "source").glob("*/*.ipynb"))
TEXT_SUFFIXES = {".html", ".txt", ".md", ".ipynb", ".py", ".json", ".js"}


def _secrets():
    """Secret lines of every source notebook, less those that are also library code.

    A line such as ``with np.errstate(divide="ignore"):`` may also be in
    ``infocourse`` itself, whose source the API reference shows; that gives
    nothing away.
    """
    library = "\n".join(p.read_text() for p in sorted((ROOT / "infocourse").rglob("*.py")))
    secrets = []
    for path in SOURCES:
        for kind, gid, line in cells.secret_lines(nbformat.read(path, as_version=4)):
            secrets.append((kind, f"{path.stem}:{gid}", line))
    public = set(cells.find_leaks(library, secrets))
    return [s for s in secrets if s not in public]


def _site_text(path: Path) -> str:
    raw = path.read_text(errors="replace")
    if path.suffix == ".html":
        return cells.page_text(raw)
    if path.suffix == ".ipynb":
        try:
            nb = json.loads(raw)
        except ValueError:
            return raw
        parts = []
        for cell in nb.get("cells", []):
            source = cell.get("source", "")
            parts.append("".join(source) if isinstance(source, list) else source)
            for out in cell.get("outputs", []):
                text = out.get("text") or out.get("data", {}).get("text/plain", "")
                parts.append("".join(text) if isinstance(text, list) else text)
        return "\n".join(parts)
    return raw


def _site_files(html_dir: Path):
    return [
        p for p in html_dir.rglob("*")
        if p.is_file() and p.suffix in TEXT_SUFFIXES and "_static" not in p.parts
    ]


def test_there_are_secrets_to_look_for():
    assert len(SOURCES) >= 4
    kinds = {kind for kind, _, _ in _secrets()}
    # The hidden tests no longer live in the notebooks: they are the grader's
    # checks in book/assignments/checks/, outside the book's sources.
    assert kinds == {"solution", "model answer"}


def test_the_search_finds_a_planted_solution():
    """The check itself works: a solution line inside highlighted HTML is found."""
    kind, where, line = next(s for s in _secrets() if s[0] == "solution" and len(s[2]) >= 20)
    html = "<pre>" + "".join(f'<span class="n">{ch}</span>' for ch in
                             line.replace("&", "&amp;").replace("<", "&lt;")) + "</pre>"
    assert cells.find_leaks(cells.page_text(html), [(kind, where, line)])


def test_no_assignment_files_in_the_site(html_dir):
    leaked = [
        p.relative_to(html_dir) for p in html_dir.rglob("*")
        if "assignments" in p.parts or p.name in ("nbgrader_config.py", "gradebook.db")
    ]
    assert not leaked, f"assignment files were published: {leaked}"


def test_no_solution_line_in_any_built_file(html_dir):
    secrets = _secrets()
    leaks = []
    for path in _site_files(html_dir):
        for kind, where, line in cells.find_leaks(_site_text(path), secrets):
            leaks.append(f"{path.relative_to(html_dir)}: {kind} of {where}: {line!r}")
    assert not leaks, "solutions or hidden tests in the built book:\n" + "\n".join(leaks)


@pytest.mark.parametrize("page", ["book/instructor_guide.html"])
def test_the_instructor_guide_is_built(html_dir, page):
    text = cells.page_text((html_dir / page).read_text())
    assert "make release" in text and "make autograde" in text and "make feedback" in text
