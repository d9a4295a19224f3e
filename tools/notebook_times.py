"""Time every notebook of the book and record the times for the README.

Usage (``make times`` runs the first line)::

    .venv/bin/python tools/notebook_times.py           # measure, record, update README.md
    .venv/bin/python tools/notebook_times.py --readme  # only rewrite the README table

Each notebook runs top to bottom in a fresh kernel, one after another (so a
notebook has the machine's cores to itself), through ``tools/execute.py``
without writing its outputs back. The seconds and the machine go to
``tests/notebook_times.json``; the table between the two ``notebook-times``
markers in ``README.md`` is rendered from that record, and
``tests/test_notebooks.py`` checks that record, table and book agree.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from execute import execute  # noqa: E402
from machine import cpu_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "tests" / "notebook_times.json"
README = ROOT / "README.md"
START, END = "<!-- notebook-times:start -->", "<!-- notebook-times:end -->"
# What the course promises (issue 4, the intro): a notebook runs in a minute or less.
LIMIT_SECONDS = 60


def book_notebooks(root=ROOT) -> list[Path]:
    """The book's notebooks (nbgrader sources excluded: they are not chapters)."""
    return sorted(
        p for p in (root / "book").rglob("*.ipynb")
        if not {"_build", ".ipynb_checkpoints", "assignments"} & set(p.relative_to(root).parts)
    )


def title(path) -> str:
    """The notebook's first level-1 Markdown heading (after any MyST label)."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return Path(path).stem


def _machine() -> dict:
    return dict(cpu_model=cpu_model(), cores=len(os.sched_getaffinity(0)),
                python=platform.python_version(), date=_dt.date.today().isoformat())


def measure(paths, timeout=600) -> dict:
    seconds = {}
    for path in paths:
        rel = path.relative_to(ROOT).as_posix()
        seconds[rel] = round(execute(path, timeout, write=False), 1)
        print(f"{rel}: {seconds[rel]:.1f} s", flush=True)
    return dict(machine=_machine(), seconds=seconds)


def render_table(record) -> str:
    """The README's Markdown table of execution times (between the markers)."""
    m = record["machine"]
    lines = [
        START,
        "| notebook | title | seconds |",
        "|---|---|---:|",
        *(f"| `{path}` | {title(ROOT / path)} | {s:.0f} |" for path, s in record["seconds"].items()),
        "",
        f"Measured {m['date']} on {m['cpu_model']} ({m['cores']} cores, Python {m['python']}), "
        f"each notebook alone in a fresh kernel (`make times`).",
        END,
    ]
    return "\n".join(lines)


def update_readme(record, readme=README) -> None:
    text = readme.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{readme} has no {START} ... {END} markers for the table")
    head, rest = text.split(START, 1)
    readme.write_text(head + render_table(record) + rest.split(END, 1)[1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true",
                        help="only render the README table from the stored record")
    args = parser.parse_args(argv)
    if args.readme:
        record = json.loads(RECORD.read_text())
    else:
        record = measure(book_notebooks())
        RECORD.write_text(json.dumps(record, indent=2) + "\n")
        print(f"wrote {RECORD.relative_to(ROOT)}")
    update_readme(record)
    print(f"updated the table in {README.relative_to(ROOT)}")
    slow = {p: s for p, s in record["seconds"].items() if s > LIMIT_SECONDS}
    if slow:
        print(f"over {LIMIT_SECONDS} s: {slow}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
