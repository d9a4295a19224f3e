"""Every chapter's exercises: enough of them, marked by difficulty, each solved (issue 17).

A chapter is a numbered notebook ``book/NN_*.ipynb``. Its exercises are
sphinx-exercise directives, ```` ```{exercise} <mark> <title> ```` with a
``:label:``; the mark that starts the title is the difficulty:

* ★ a computation, ★★ a derivation or a coding task, ★★★ a proof or an
  open-ended experiment.

Each exercise has a solution (```` ```{solution} <label> ```` or the
``{solution-start}``/``{solution-end}`` pair around executed code cells),
hidden by default (``:class: dropdown``). That the solutions' code cells are
executed is checked with every other cell in ``tests/test_notebooks.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
MIN_EXERCISES = 6

_EXERCISE = re.compile(r"^(?:`{3,}|:{3,})\{exercise\}[ \t]*(?P<title>.*)$", re.M)
_LABEL = re.compile(r"^:label:[ \t]*(?P<label>\S+)", re.M)
_SOLUTION = re.compile(
    r"^(?:`{3,}|:{3,})\{solution(?:-start)?\}[ \t]*(?P<label>\S+)[ \t]*\n(?P<options>(?::[^\n]*\n)*)",
    re.M,
)
_MARK = re.compile(r"^(★{1,3})\s+\S")


def exercises(markdown: str) -> list[tuple[str, str]]:
    """(title, label) of each exercise directive in ``markdown``.

    >>> exercises("```{exercise} ★★ A proof\\n:label: ex1-a\\n\\nText\\n```")
    [('★★ A proof', 'ex1-a')]
    """
    found = []
    for m in _EXERCISE.finditer(markdown):
        body = re.split(r"\n(?:`{3,}|:{3,})", markdown[m.end() :], maxsplit=1)[0]
        label = _LABEL.search(body)
        found.append((m["title"].strip(), label["label"] if label else ""))
    return found


def solutions(markdown: str) -> dict[str, str]:
    """The options block of each solution, by the label of its exercise.

    >>> solutions("```{solution-start} ex1-a\\n:class: dropdown\\n```")
    {'ex1-a': ':class: dropdown\\n'}
    """
    return {m["label"]: m["options"] for m in _SOLUTION.finditer(markdown)}


def _markdown(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _ids(paths):
    return [p.name for p in paths]


def test_the_parsers_see_exercises_and_solutions():
    text = (
        "```{exercise} ★ One\n:label: ex9-one\n\nDo it.\n```\n\n"
        "```{solution} ex9-one\n:class: dropdown\n\nDone.\n```\n"
        "````{exercise} Unmarked\n:label: ex9-two\n````\n"
    )
    assert exercises(text) == [("★ One", "ex9-one"), ("Unmarked", "ex9-two")]
    assert solutions(text) == {"ex9-one": ":class: dropdown\n"}
    assert not _MARK.match("Unmarked") and not _MARK.match("★★★★ Too many")


def test_there_are_chapters():
    assert len(CHAPTERS) >= 9


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_every_chapter_has_six_marked_solved_exercises(path):
    text = _markdown(path)
    found = exercises(text)
    solved = solutions(text)
    assert len(found) >= MIN_EXERCISES, (
        f"{path.name} has {len(found)} exercises; every chapter needs at least "
        f"{MIN_EXERCISES} (issue 17)"
    )
    unmarked = [title for title, _ in found if not _MARK.match(title)]
    assert not unmarked, f"{path.name}: exercise titles without a ★ mark: {unmarked}"
    marks = [_MARK.match(title)[1] for title, _ in found]
    assert "★★★" in marks, f"{path.name} needs at least one ★★★ exercise"
    unlabelled = [title for title, label in found if not label]
    assert not unlabelled, f"{path.name}: exercises without a :label: {unlabelled}"
    unsolved = [label for _, label in found if label not in solved]
    assert not unsolved, f"{path.name}: exercises without a solution: {unsolved}"
    shown = [lab for _, lab in found if ":class: dropdown" not in solved[lab]]
    assert not shown, f"{path.name}: solutions not hidden (:class: dropdown): {shown}"
