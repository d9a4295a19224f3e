"""The Colab install cell: what tools/colab_cell.py writes, and that every chapter has it.

The Colab button opens a chapter alone, so its first code cell installs the
package from the repository in ``_config.yml`` when it runs on Colab, and does
nothing anywhere else. These tests run the tool on copies and check the
chapters themselves.
"""

from __future__ import annotations

import ast
import copy
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import colab_cell  # noqa: E402
from repository import Repository  # noqa: E402

REPO = Repository.from_config()
CHAPTERS = colab_cell.chapters(ROOT)


def _notebook():
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("import math", execution_count=1),
        nbformat.v4.new_code_cell("math.pi", execution_count=2),
    ])


def test_there_are_chapters():
    assert len(CHAPTERS) >= 9, CHAPTERS


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_chapter_begins_with_the_colab_install_cell(path):
    nb = nbformat.read(path, as_version=4)
    assert colab_cell.problem(nb, REPO) is None, (
        f"{path.name}: {colab_cell.problem(nb, REPO)}. Run: .venv/bin/python "
        f"tools/colab_cell.py && .venv/bin/python tools/execute.py book/0*.ipynb"
    )
    assert sum(c.get("id") == colab_cell.CELL_ID for c in nb.cells) == 1


def test_the_cell_installs_from_the_configured_repository_only_on_colab():
    cell = colab_cell.install_cell(Repository("https://github.com/o/r", "dev"))
    assert cell.metadata.tags == ["remove-cell", "nbval-skip"]
    assert cell.outputs == [] and cell.execution_count is None
    lines = cell.source.splitlines()
    assert 'if "google.colab" in sys.modules:' in lines
    assert '    owner, name = "o", "r"' in lines
    assert lines[-1] == '    %pip install --quiet "infocourse @ git+https://github.com/{owner}/{name}@dev"'
    assert max(map(len, colab_cell.cell_source(REPO).splitlines())) <= 88


# Runs the cell in a real IPython shell whose %pip only records its (expanded) line.
PROBE = """
import sys, types
from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance()
calls = []
shell.register_magic_function(calls.append, "line", "pip")
if sys.argv[1] == "colab":
    sys.modules["google.colab"] = types.ModuleType("google.colab")
shell.run_cell(sys.stdin.read()).raise_error()
print(calls)
"""


@pytest.mark.parametrize("where", ["colab", "elsewhere"])
def test_the_cell_installs_on_colab_and_does_nothing_elsewhere(where, tmp_path):
    proc = subprocess.run([sys.executable, "-c", PROBE, where], input=colab_cell.cell_source(REPO),
                          cwd=tmp_path, capture_output=True, text=True, check=True)
    calls = ast.literal_eval(proc.stdout.strip().splitlines()[-1])
    if where == "colab":
        assert calls == [f'install --quiet "{REPO.requirement(extras=())}"']
    else:
        assert calls == [] and proc.stdout.strip() == "[]"


def test_apply_inserts_before_the_first_code_cell_and_is_idempotent():
    nb = _notebook()
    assert colab_cell.apply(nb, REPO) is True
    assert [c.get("id") for c in nb.cells][1] == colab_cell.CELL_ID
    assert colab_cell.problem(nb, REPO) is None
    nb.cells[1].execution_count = 1  # as tools/execute.py leaves it
    before = copy.deepcopy(nb)
    assert colab_cell.apply(nb, REPO) is False
    assert nb == before


def test_apply_updates_the_cell_when_the_repository_changes():
    nb = _notebook()
    colab_cell.apply(nb, Repository("https://github.com/o/old", "main"))
    new = Repository("https://github.com/o/new", "main")
    assert colab_cell.problem(nb, new) is not None
    assert colab_cell.apply(nb, new) is True
    assert colab_cell.problem(nb, new) is None
    assert sum(c.get("id") == colab_cell.CELL_ID for c in nb.cells) == 1
    assert len(nb.cells) == 4


def test_apply_moves_the_cell_back_to_the_top():
    nb = _notebook()
    colab_cell.apply(nb, REPO)
    nb.cells.insert(1, nbformat.v4.new_code_cell("x = 1"))  # someone added a cell above it
    assert colab_cell.apply(nb, REPO) is True
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code", "code", "code"]
    assert nb.cells[1].get("id") == colab_cell.CELL_ID


def test_check_mode_reports_a_chapter_without_the_cell(tmp_path, capsys):
    path = tmp_path / "01_x.ipynb"
    nbformat.write(_notebook(), path)
    assert colab_cell.main(["--check", str(path)]) == 1
    assert "is not the Colab install cell" in capsys.readouterr().out
    assert colab_cell.main([str(path)]) == 0
    assert "Re-execute them: .venv/bin/python tools/execute.py" in capsys.readouterr().out
    assert colab_cell.main(["--check", str(path)]) == 0
    assert colab_cell.main([str(path)]) == 0
    assert "1 notebooks already begin with the Colab install cell" in capsys.readouterr().out
