"""The code readers see is formatted, 88 columns wide (issue 15).

A chapter's code column holds about 88 characters; longer lines scroll
sideways on every screen. ``ruff format`` (black's style, pinned in
requirements.txt) checks the code cells of the book's notebooks; IPython
magics such as ``%xmode Minimal`` are understood. Reformat with::

    ruff format --line-length 88 book/*.ipynb

then re-execute the changed notebooks (tools/execute.py), since nbval compares
what a cell prints, not how it is written.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
LINE_LENGTH = 88


def _ruff() -> list[str]:
    exe = Path(sys.executable).with_name("ruff")
    if exe.is_file():
        return [str(exe)]
    if shutil.which("ruff"):
        return ["ruff"]
    pytest.fail("ruff is missing: `make install` (it is pinned in requirements.txt)")


def test_notebook_code_is_formatted():
    assert NOTEBOOKS, "no notebook in book/"
    result = subprocess.run(
        [*_ruff(), "format", "--check", "--diff", "--no-cache", "--isolated",
         f"--line-length={LINE_LENGTH}", *map(str, NOTEBOOKS)],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, (
        "notebook code cells are not formatted (88 columns); run "
        f"`ruff format --line-length {LINE_LENGTH} book/*.ipynb`:\n"
        + (result.stdout + result.stderr)[-4000:])


def test_no_code_line_is_wider_than_the_column():
    """What the formatter cannot shorten (a long string, a URL) still fits."""
    import nbformat

    wide = []
    for path in NOTEBOOKS:
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "code":
                wide += [f"{path.name} cell {i}: {len(line)} columns: {line[:60]}..."
                         for line in cell.source.splitlines() if len(line) > LINE_LENGTH]
    assert not wide, f"code lines over {LINE_LENGTH} columns:\n" + "\n".join(wide[:20])
