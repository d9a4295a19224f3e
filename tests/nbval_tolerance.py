"""Declared numeric tolerance for nbval: a pytest plugin.

nbval compares a re-executed cell's outputs with the stored ones exactly.
Some printed numbers legitimately depend on the CPU and its kernel path (the
result of training, a long float32 sum): their last digits differ between an
AMD EPYC, an Intel Xeon with AVX-512 and an Apple M-series laptop. A cell that
prints such numbers declares how far they may move, in its metadata::

    "metadata": {"nbval-tolerance": {"rel": 1e-3, "abs": 0}}

In such a cell every number in a text output (a stream, or a ``text/...``
result such as ``text/plain`` or ``text/html``) compares equal to the stored
number ``b`` when

    |a - b| <= abs + rel * |b| + one unit in the last printed digit of b

(``23.18`` allows 0.01 more, ``8582.0341796875`` 1e-10, ``1.5e-03`` 1e-4, an
integer 1), computed in exact decimal arithmetic. The text around the numbers
is still compared exactly, and the cell must print as many numbers. Both keys
are optional (default 0) and must be non-negative. Cells without the key are
compared exactly, as nbval does; so are images, errors and non-text outputs.

The plugin wraps nbval's ``IPyNbCell.compare_outputs`` of the declared cells
only: each text value that matches its stored value within the tolerance is
replaced by the stored value, and nbval's own comparison (and failure report)
does the rest. Load it with ``-p tests.nbval_tolerance`` (the repository's
``conftest.py`` does, for every pytest run from the repository root).
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal, localcontext

import pytest

KEY = "nbval-tolerance"

# A decimal number as Python prints one: 3, -0.25, 1., .5, 2.5e-03, +1E10. Not
# inside a word or after a dot (float32, x2 and the 3 of 1.2.3 are text).
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


class Tolerance:
    """A cell's declared bound: ``|a - b| <= abs + rel*|b| + last-digit unit of b``."""

    def __init__(self, rel=0.0, abs=0.0):  # noqa: A002  (the metadata's names)
        self.rel = Decimal(rel)
        self.abs = Decimal(abs)

    @classmethod
    def from_metadata(cls, value, where="cell"):
        """Parse a cell's ``nbval-tolerance`` metadata (ValueError if malformed)."""
        if not isinstance(value, dict) or not set(value) <= {"rel", "abs"}:
            raise ValueError(
                f"{where}: {KEY} metadata must be a mapping with keys 'rel' and/or "
                f'\'abs\', e.g. {{"rel": 1e-3, "abs": 0}}; got {value!r}.'
            )
        for name, bound in value.items():
            if (isinstance(bound, bool) or not isinstance(bound, (int, float))
                    or not math.isfinite(bound) or bound < 0):
                raise ValueError(
                    f"{where}: {KEY} {name!r} must be a finite number >= 0, "
                    f"got {bound!r}."
                )
        return cls(**value)

    def __repr__(self):
        return f"rel={float(self.rel):g}, abs={float(self.abs):g}"

    def allowed(self, stored):
        """The largest difference allowed from the stored number (a str as printed)."""
        b = Decimal(stored)
        unit = Decimal(1).scaleb(b.as_tuple().exponent)
        return self.abs + self.rel * abs(b) + unit

    def mismatch(self, stored, printed):
        """Why ``printed`` differs from ``stored`` beyond the tolerance; None if not."""
        if stored == printed:
            return None
        s_text, s_nums = NUMBER.split(stored), NUMBER.findall(stored)
        p_text, p_nums = NUMBER.split(printed), NUMBER.findall(printed)
        if len(s_nums) != len(p_nums):
            return f"{len(p_nums)} numbers printed where {len(s_nums)} are stored"
        for s, p in zip(s_text, p_text):
            if s != p:
                return (f"the text around the numbers differs: {s!r} stored, "
                        f"{p!r} printed")
        with localcontext() as ctx:
            ctx.prec = 60
            for s, p in zip(s_nums, p_nums):
                diff, allowed = abs(Decimal(p) - Decimal(s)), self.allowed(s)
                if diff > allowed:
                    return (f"{p} printed where {s} is stored: differs by "
                            f"{float(diff):.3g}, more than the {float(allowed):.3g} "
                            f"allowed ({self!r}, plus one unit in the last printed "
                            f"digit)")
        return None


def _text_values(output):
    """(key, value) of the text in one output, keyed as nbval's comparison keys them."""
    if output.get("output_type") == "stream":
        yield output["name"], output["text"]
    else:
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/") and isinstance(value, str):
                yield mime, value


def _with_stored_text(cell, tolerance, test, ref):
    """``test`` with each text value that matches its stored counterpart replaced by it.

    Values pair up as in nbval: the i-th value of each key (stream name or MIME
    type) across the outputs, compared after nbval's sanitizing.
    """
    stored = {}
    for output in ref:
        for key, value in _text_values(output):
            stored.setdefault(key, []).append(value)
    seen, result, cell.tolerance_notes = {}, [], []
    for output in test:
        replace = {}
        for key, value in _text_values(output):
            i = seen[key] = seen.get(key, -1) + 1
            if i >= len(stored.get(key, ())):
                continue
            why = tolerance.mismatch(cell.sanitize(stored[key][i]),
                                     cell.sanitize(value))
            if why is None:
                replace[key] = stored[key][i]
            else:
                cell.tolerance_notes.append(f"{key} #{i + 1}: {why}")
        if replace:
            output = type(output)(output)  # shallow copies: nbval keeps the originals
            if output.get("output_type") == "stream":
                output["text"] = replace[output["name"]]
            else:
                output["data"] = {**output["data"], **replace}
        result.append(output)
    return result


def _compare_with_tolerance(cell, tolerance, compare, test, ref, skip_compare=None):
    same = compare(_with_stored_text(cell, tolerance, test, ref), ref, skip_compare)
    if not same:
        cell.comparison_traceback.append(
            f"This cell declares {KEY} ({tolerance!r}); outside it: "
            + ("; ".join(cell.tolerance_notes) or "a non-text output differs")
        )
    return same


def pytest_collection_modifyitems(session, config, items):
    """Give each notebook cell that declares a tolerance the tolerant comparison."""
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval not installed: nothing to do
        return
    for item in items:
        if isinstance(item, IPyNbCell) and KEY in item.cell.metadata:
            try:
                tolerance = Tolerance.from_metadata(item.cell.metadata[KEY],
                                                    item.nodeid)
            except ValueError as error:
                raise pytest.UsageError(str(error)) from None
            item.compare_outputs = functools.partial(
                _compare_with_tolerance, item, tolerance, item.compare_outputs)
