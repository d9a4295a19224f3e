"""The suite can fail: break things on purpose and check that it notices.

* a notebook cell whose stored outputs were removed fails nbval or the
  execution check;
* an `infocourse.entropy` that returns a wrong value fails the reference tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests import test_notebooks

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "book" / "01_entropy.ipynb"
NBVAL = ["--nbval", "--nbval-current-env", "-p", "no:cacheprovider",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg")]


def _pytest(*args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "pytest", "-q", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _strip_first_printing_cell(tmp_path, keep_count):
    nb = nbformat.read(CHAPTER, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.outputs)
    cell.outputs = []
    if not keep_count:
        cell.execution_count = None
    path = tmp_path / CHAPTER.name
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_removed_outputs_fail_nbval(tmp_path):
    path = _strip_first_printing_cell(tmp_path, keep_count=True)
    result = _pytest(*NBVAL, str(path), cwd=tmp_path)
    assert result.returncode != 0, result.stdout[-2000:]
    assert "failed" in result.stdout


def test_stripped_cell_fails_the_execution_check(tmp_path):
    path = _strip_first_printing_cell(tmp_path, keep_count=False)
    with pytest.raises(AssertionError, match="no stored execution"):
        test_notebooks.test_every_code_cell_was_executed(path)


@pytest.mark.slow
def test_wrong_entropy_fails_the_reference_tests(tmp_path):
    (tmp_path / "wrong_entropy.py").write_text(
        "import infocourse\n"
        "_right = infocourse.entropy\n"
        "infocourse.entropy = lambda p, **kw: _right(p, **kw) * 1.01\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    result = _pytest("-p", "wrong_entropy", "-p", "no:cacheprovider", "-x",
                     str(ROOT / "tests" / "test_measures.py"), cwd=ROOT, env=env)
    assert result.returncode == 1, result.stdout[-2000:]
    assert "failed" in result.stdout
