"""What a reader sees that is decided in the book's sources (issue 15).

These read the committed notebooks and Markdown pages, so they need no build:

* no wrapped line inside open inline math ``$...$`` starts with a list marker
  (Markdown would end the paragraph there and show the TeX raw);
* stored outputs hold nothing machine-specific: no path of the machine that ran
  them, and an expected error shows only its type and message (``%xmode
  Minimal``), not a traceback through library internals;
* every figure carries myst-nb metadata: a caption, a ``fig-`` name that the
  prose can reference, and alt text that says what it shows.

The built pages are checked again in ``tests/site`` (alt text in the HTML,
untypeset TeX in a browser).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
#: The book's pages (assignments are not part of the site).
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))
MARKDOWN = sorted(BOOK.glob("*.md")) + sorted(BOOK.glob("api/*.md"))


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _ids(paths):
    return [p.relative_to(ROOT).as_posix() for p in paths]


# --------------------------------------------------------------------------- inline math
_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_DISPLAY = re.compile(r"\$\$.*?\$\$", re.S)
#: What Markdown reads as the start of a list item (CommonMark: -, +, * or 1. / 1)).
LIST_MARKER = re.compile(r"^\s{0,3}(?:[-+*]|\d{1,9}[.)])(?:\s|$)")


def list_markers_in_inline_math(markdown: str) -> list[str]:
    """Lines that start with a list marker while an inline ``$...$`` is open.

    >>> list_markers_in_inline_math("a $x\\n+ y$ b")
    ['+ y$ b']
    >>> list_markers_in_inline_math("a $x +\\ny$ b\\n- item")
    []
    """
    kept, fence, directives = [], None, 0
    for line in markdown.split("\n"):
        # Fenced code is not Markdown text; a MyST directive's fence
        # (```{exercise}, ```{solution}) holds Markdown, so its body is kept.
        m = _FENCE.match(line)
        if fence is None and m:
            info = line.strip()[3:].strip()
            if info.startswith("{") and not info.startswith(("{code", "{literalinclude")):
                directives += 1
            elif not info and directives:
                directives -= 1
            else:
                fence = m.group(1)
            kept.append("")
        elif fence is not None:
            if line.strip().startswith(fence) and not line.strip()[3:].strip():
                fence = None
            kept.append("")
        else:
            kept.append(line)
    text = "\n".join(kept)
    text = _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", "x", m.group()), text)
    text = _DISPLAY.sub(lambda m: re.sub(r"[^\n]", "x", m.group()), text)
    text = text.replace("\\$", "xx")
    bad, open_math = [], False
    for line in text.split("\n"):
        if open_math and LIST_MARKER.match(line):
            bad.append(line.strip())
        if not line.strip():  # a blank line ends the paragraph, and any math in it
            open_math = False
        open_math ^= line.count("$") % 2 == 1
    return bad


def _markdown_sources():
    for path in NOTEBOOKS:
        for i, cell in enumerate(_read(path).cells):
            if cell.cell_type == "markdown":
                yield f"{path.relative_to(ROOT)} cell {i}", cell.source
    for path in MARKDOWN:
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def test_the_inline_math_check_sees_the_mistake():
    assert list_markers_in_inline_math("where $a = b\n+ c$ holds") == ["+ c$ holds"]
    assert list_markers_in_inline_math("where $a = b\n1. c$ holds") == ["1. c$ holds"]
    assert not list_markers_in_inline_math("$a$ and\n- a list item with $b$")
    assert not list_markers_in_inline_math("```\n$a\n- b$\n```")
    assert list_markers_in_inline_math("```{solution} ex\n$a\n- b$\n```") == ["- b$"]
    assert not list_markers_in_inline_math("$$a\n- b$$")


def test_no_line_inside_inline_math_starts_with_a_list_marker():
    bad = [f"{where}: {line!r}" for where, source in _markdown_sources()
           for line in list_markers_in_inline_math(source)]
    assert not bad, (
        "a wrapped line inside $...$ starts with a list marker, so Markdown ends the "
        "math there and the page shows raw TeX; rewrap the line:\n" + "\n".join(bad))


# --------------------------------------------------------------------------- stored outputs
#: Paths that only exist on the machine that ran a notebook.
MACHINE_PATH = re.compile(
    r"(/home/|/Users/|/root/|/work/|/tmp/|/private/var/|[A-Za-z]:\\\\|site-packages"
    r"|dist-packages|\.venv/|/usr/lib/python|/opt/conda)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _output_texts(output):
    if output.output_type == "stream":
        yield output.text
    elif output.output_type == "error":
        yield "\n".join(output.traceback)
    else:
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/"):
                yield value if isinstance(value, str) else "".join(value)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_stored_outputs_show_no_machine_path(path):
    bad = []
    for i, cell in enumerate(_read(path).cells):
        for output in cell.get("outputs", []):
            for text in _output_texts(output):
                for m in MACHINE_PATH.finditer(ANSI.sub("", text)):
                    start = max(0, m.start() - 40)
                    bad.append(f"cell {i}: ...{ANSI.sub('', text)[start:m.end() + 40]!r}")
    assert not bad, f"{path.name}: outputs show paths of the machine that ran them:\n" + \
        "\n".join(bad[:10])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_an_expected_error_shows_only_its_type_and_message(path):
    bad = []
    for i, cell in enumerate(_read(path).cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                shown = ANSI.sub("", "\n".join(output.traceback)).strip()
                expected = f"{output.ename}: {output.evalue}".strip()
                if shown != expected:
                    bad.append(f"cell {i}: {len(shown.splitlines())} lines, not just "
                               f"{expected[:60]!r}")
            elif output.output_type == "stream" and "Traceback (most recent" in output.text:
                bad.append(f"cell {i}: a traceback printed to {output.name}")
    assert not bad, (
        f"{path.name}: tracebacks show more than the error (run `%xmode Minimal` "
        "early in the chapter and re-execute it):\n" + "\n".join(bad))


# --------------------------------------------------------------------------- figures
FIG_NAME = re.compile(r"fig-[a-z0-9]+(?:-[a-z0-9]+)*")
FILE_NAME = re.compile(r"\.(?:png|jpe?g|svg|gif)\b|^[\w.-]+$", re.I)


def _figure_cells():
    for path in NOTEBOOKS:
        for i, cell in enumerate(_read(path).cells):
            if cell.cell_type == "code" and any(
                    "image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
                yield path, i, cell


def test_the_book_has_figures():
    assert len(list(_figure_cells())) >= 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_every_figure_has_a_caption_a_name_and_alt_text(path):
    bad = []
    for _, i, cell in (c for c in _figure_cells() if c[0] == path):
        mystnb = cell.metadata.get("mystnb", {})
        figure, image = mystnb.get("figure", {}), mystnb.get("image", {})
        caption, name, alt = (figure.get("caption", ""), figure.get("name", ""),
                              image.get("alt", ""))
        if len(caption.split()) < 3:
            bad.append(f"cell {i}: no caption (mystnb.figure.caption)")
        if not FIG_NAME.fullmatch(name):
            bad.append(f"cell {i}: name {name!r} is not fig-<chapter>-<slug>")
        if len(alt.split()) < 3 or FILE_NAME.search(alt):
            bad.append(f"cell {i}: alt text {alt!r} does not say what the figure shows")
    assert not bad, f"{path.name}: figures without myst-nb metadata:\n" + "\n".join(bad)


def test_figure_names_are_unique():
    names = [c.metadata.get("mystnb", {}).get("figure", {}).get("name")
             for _, _, c in _figure_cells()]
    names = [n for n in names if n]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


# --------------------------------------------------------------------------- bibliography
def test_the_bibliography_parses_and_has_no_duplicate_keys():
    pybtex = pytest.importorskip("pybtex.database")
    text = (BOOK / "references.bib").read_text(encoding="utf-8")
    entries = pybtex.parse_string(text, "bibtex").entries  # raises on a broken entry
    keys = re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.M)
    assert len(keys) == len(entries) == len({k.lower() for k in keys})
