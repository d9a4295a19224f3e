"""The declared numeric tolerance of notebook cells (tests/nbval_tolerance.py).

A last-digit wobble of a number passes, a change beyond the tolerance fails,
changed text around the numbers fails, and cells without the metadata stay
exact: as a comparison function, through nbval on a small synthetic notebook,
and on the book's own tolerant cells.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from tests.nbval_tolerance import KEY, NUMBER, Tolerance, _text_values

ROOT = Path(__file__).resolve().parents[1]


# --- the comparison -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "printed", "tol"),
    [
        ("reconstruction term: 23.18 nats", "reconstruction term: 23.17 nats", {}),
        ("InfoNCE bound 2.58 nats", "InfoNCE bound 2.59 nats", {}),
        ("8582.0341796875", "8582.0341796876", {}),
        ("loss 9.99", "loss 10.00", {}),
        ("-0.00 and 0.00", "0.00 and -0.00", {}),
        ("p = 1.5e-03", "p = 1.6e-03", {}),
        ("count 41", "count 42", {}),
        ("KL 8582.0341796875", "KL 8582.0419921875", {"rel": 1e-6}),
        ("loss 1.2345", "loss 1.2355", {"rel": 1e-3}),
        ("loss 1.2345", "loss 1.2346", {"abs": 1e-4}),
        ("| 0.501 | 0.499 |", "| 0.502 | 0.498 |", {}),
    ],
)
def test_within_the_tolerance(stored, printed, tol):
    assert Tolerance(**tol).mismatch(stored, printed) is None


@pytest.mark.parametrize(
    ("stored", "printed", "tol", "why"),
    [
        ("reconstruction: 23.18 nats", "reconstruction: 23.16 nats", {}, "differs by"),
        ("loss 1.2345", "loss 1.2360", {"rel": 1e-3}, "differs by 0.0015"),
        ("KL 8582.0341796875", "KL 8582.0419921875", {"rel": 1e-7}, "differs by"),
        ("loss -0.50", "loss 0.50", {"abs": 0.5}, "differs by"),
        ("23.18 nats", "23.18 bits", {"rel": 1}, "text around"),
        ("23.18 nats", "23.18  nats", {"rel": 1}, "text around"),
        ("1.0 and 2.0", "1.0", {"rel": 1}, "1 numbers printed where 2"),
        ("value 2.0", "value nan", {"rel": 1}, "0 numbers printed where 1"),
        ("float32 sum", "float64 sum", {"rel": 1}, "text around"),
    ],
)
def test_beyond_the_tolerance(stored, printed, tol, why):
    assert why in Tolerance(**tol).mismatch(stored, printed)


def test_the_bound_is_exact_decimal_arithmetic():
    # In binary floating point 1.1 - 1.0 exceeds 0.1, which would fail a last-digit wobble.
    assert 1.1 - 1.0 > 0.1
    assert Tolerance().mismatch("1.0", "1.1") is None
    assert Tolerance(abs=0.1).mismatch("1.0", "1.2") is None
    assert Tolerance(abs=0.1).mismatch("1.0", "1.21") is not None


def test_numbers_are_not_read_inside_words():
    found = NUMBER.findall("float32 x2 1.2.3 -4 .5 1e-3 (7)")
    assert found == ["1.2", "-4", ".5", "1e-3", "7"]


@pytest.mark.parametrize(
    "value", [0.01, {"rel": -1e-3}, {"rel": float("nan")}, {"rel": "1e-3"}, {"rtol": 1e-3},
              {"abs": True}],
)
def test_malformed_metadata_is_explained(value):
    with pytest.raises(ValueError, match=f"{KEY}.*(mapping|>= 0)"):
        Tolerance.from_metadata(value)


# --- through nbval --------------------------------------------------------------------

# (stored output, printed output, metadata, expected outcome)
CELLS = [
    ("loss 23.18 nats\n", "loss 23.17 nats", {KEY: {"rel": 0, "abs": 0}}, "PASSED"),
    ("loss 23.18 nats\n", "loss 23.16 nats", {KEY: {"rel": 0, "abs": 0}}, "FAILED"),
    ("loss 23.18 nats\n", "loss 23.20 nats", {KEY: {"rel": 1e-3}}, "PASSED"),
    ("loss 23.18 nats\n", "loss 23.30 nats", {KEY: {"rel": 1e-3}}, "FAILED"),
    ("loss 23.18 nats\n", "loss 23.18 bits", {KEY: {"rel": 1e-3}}, "FAILED"),
    ("loss 23.18 nats\n", "loss 23.17 nats", {}, "FAILED"),
    ("loss 23.18 nats\n", "loss 23.18 nats", {}, "PASSED"),
]


def _notebook(tmp_path):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    for i, (stored, printed, metadata, _) in enumerate(CELLS, start=1):
        output = new_output("stream", name="stdout", text=stored)
        nb.cells.append(new_code_cell(f"print({printed!r})", metadata=metadata,
                                      execution_count=i, outputs=[output]))
    # A result (text/plain) as well as a stream: the repr of a float wobbles in its last digit.
    nb.cells.append(new_code_cell(
        "0.30000000000000004", metadata={KEY: {}}, execution_count=len(CELLS) + 1,
        outputs=[new_output("execute_result", data={"text/plain": "0.30000000000000003"},
                            execution_count=len(CELLS) + 1)]))
    path = tmp_path / "tolerance.ipynb"
    nbformat.write(nb, path)
    return path


def _nbval(path, *args):
    path_ = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path_}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "--nbval",
         "--nbval-current-env", "-p", "tests.nbval_tolerance", *args, str(path)],
        cwd=path.parent, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_nbval_compares_declared_cells_with_their_tolerance(tmp_path):
    result = _nbval(_notebook(tmp_path))
    outcomes = dict(re.findall(r"::Cell (\d+) (PASSED|FAILED)", result.stdout))
    expected = {str(i): outcome for i, (*_, outcome) in enumerate(CELLS)}
    expected[str(len(CELLS))] = "PASSED"
    assert outcomes == expected, result.stdout[-3000:]
    # A failure says what the cell declared and which number is outside it.
    assert "declares nbval-tolerance (rel=0.001, abs=0); outside it: stdout #1: 23.30" in (
        result.stdout)


@pytest.mark.slow
def test_malformed_metadata_stops_the_run(tmp_path):
    nb = new_notebook(cells=[new_code_cell("1", metadata={KEY: {"rel": -1}})])
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    result = _nbval(path)
    assert result.returncode != 0
    assert "must be a finite number >= 0, got -1" in result.stdout + result.stderr


# --- the book's tolerant cells --------------------------------------------------------


def _tolerant_cells():
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and KEY in cell.metadata:
                yield pytest.param(cell, id=f"{path.name}:{cell.get('id')}")


def _shift(text, amount):
    """``text`` with every number moved by ``amount(stored number)``."""
    return NUMBER.sub(lambda m: str(Decimal(m.group()) + amount(m.group())), text)


def _unit(number):
    return Decimal(1).scaleb(Decimal(number).as_tuple().exponent)


NONE = pytest.param(None, marks=pytest.mark.skip(reason="no cell in book/ declares one"))


@pytest.mark.parametrize("cell", list(_tolerant_cells()) or [NONE])
def test_book_cells_pass_a_last_digit_wobble_and_fail_beyond(cell):
    """Each stored number of a tolerant cell moved by its last digit, or past the bound."""
    tolerance = Tolerance.from_metadata(cell.metadata[KEY])
    texts = [v for o in cell.outputs for _, v in _text_values(o) if NUMBER.search(v)]
    assert texts, f"cell {cell.get('id')} declares {KEY} but prints no number"
    for text in texts:
        assert tolerance.mismatch(text, _shift(text, _unit)) is None
        beyond = _shift(text, lambda s: 2 * tolerance.allowed(s))
        assert tolerance.mismatch(text, beyond)
