"""Release, autograde and give feedback on the course's nbgrader assignments.

The Makefile targets call this script; the tests call the same functions on a
temporary copy of the course folder::

    .venv/bin/python tools/course.py release   [COURSE]   # make release
    .venv/bin/python tools/course.py autograde [COURSE]   # make autograde
    .venv/bin/python tools/course.py feedback  [COURSE]   # make feedback

``COURSE`` defaults to ``book/assignments`` (the folder with
``nbgrader_config.py``). nbgrader runs headless in that folder, with its log
reduced to warnings and errors; this script prints a short summary instead.

* ``release``: checks the metadata of every ``source/<a>/<a>.ipynb``
  (``tools/nbgrader_cells.py``), then ``nbgrader generate_assignment`` writes
  the student versions to ``release/<a>/`` and records the assignments, their
  test cells (hidden tests included) and points in ``gradebook.db``.
* ``autograde``: ``nbgrader autograde`` grades every
  ``submitted/<student>/<a>/<a>.ipynb`` into ``gradebook.db`` (students are
  created on the fly; locked and test cells are restored from the gradebook
  before the notebook runs), then ``nbgrader export`` writes ``grades.csv``.
* ``feedback``: ``nbgrader generate_feedback`` writes
  ``feedback/<student>/<a>/<a>.html`` for every autograded submission.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbgrader_cells  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_COURSE = ROOT / "book" / "assignments"

# Log lines that are no news: every kernel start prints the first; --force
# removes earlier results; and the checksum of every test cell with hidden
# tests differs from the released one by design (tampering is reported by
# `tampering()` instead, against the released notebooks).
_NOISE = (
    "Kernel is running over TCP without encryption",
    "Removing existing assignment",
    "Removing existing notebook",
    "Attribute 'checksum' for cell",
)


class CourseError(RuntimeError):
    """A step of the grading workflow failed; the message says which and why."""


def assignments(course) -> list[str]:
    """Names of the assignments: ``source/<a>/<a>.ipynb`` exists."""
    source = Path(course) / "source"
    return sorted(p.name for p in source.iterdir() if (p / f"{p.name}.ipynb").is_file())


def submissions(course) -> list[tuple[str, str]]:
    """``(student, assignment)`` for every ``submitted/<student>/<a>/<a>.ipynb``."""
    submitted = Path(course) / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(
        (nb.parent.parent.name, nb.parent.name)
        for nb in submitted.glob("*/*/*.ipynb")
        if nb.stem == nb.parent.name
    )


def nbgrader(course, *args: str) -> str:
    """Run ``python -m nbgrader ARGS`` in ``course``; return its (filtered) log."""
    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise CourseError(f"{course} has no nbgrader_config.py; pass the course folder.")
    cmd = [sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"]
    # nbgrader runs the `alembic` command (of the same environment) to check
    # the gradebook's schema, so that environment's bin/ must be on PATH.
    bindir = str(Path(sys.executable).parent)
    env = dict(os.environ, PYTHONWARNINGS="ignore",
               PATH=os.pathsep.join([bindir, os.environ.get("PATH", "")]))
    proc = subprocess.run(cmd, cwd=course, env=env, capture_output=True, text=True)
    log = "\n".join(
        line for line in (proc.stdout + proc.stderr).splitlines()
        if line.strip() and not any(noise in line for noise in _NOISE)
    )
    if proc.returncode != 0:
        raise CourseError(f"nbgrader {' '.join(args)} failed (exit {proc.returncode}):\n{log}")
    return log


def _echo(log: str, quiet: bool) -> None:
    if log and not quiet:
        print("\n".join("    " + line for line in log.splitlines()))


def release(course=DEFAULT_COURSE, *, quiet=False) -> list[Path]:
    """Check the sources, generate the student versions; return their paths."""
    course = Path(course)
    names = assignments(course)
    if not names:
        raise CourseError(f"no assignments under {course / 'source'}")
    problems = [
        p for name in names
        for p in nbgrader_cells.check_file(course / "source" / name / f"{name}.ipynb")
    ]
    if problems:
        raise CourseError("nbgrader metadata problems:\n" + "\n".join(problems))
    # One nbgrader run for all assignments (its start-up takes seconds).
    log = nbgrader(course, "generate_assignment", "*", "--force")
    released = []
    for name in names:
        path = course / "release" / name / f"{name}.ipynb"
        if not path.is_file():
            raise CourseError(f"nbgrader did not write {path}:\n{log}")
        released.append(path)
        if not quiet:
            cells = nbgrader_cells.graded_cells(
                nbgrader_cells.nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
            )
            auto = sum(p for _, r, p in cells if r == "tests")
            print(f"released {path.relative_to(course)}  ({auto:g} autograded + "
                  f"{sum(p for _, r, p in cells) - auto:g} manual points)")
    return released


def read_grades(course) -> list[dict]:
    """Rows of ``grades.csv`` with scores as floats."""
    with open(Path(course) / "grades.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        for key in ("raw_score", "score", "max_score"):
            row[key] = float(row[key] or 0.0)
    return rows


def _cells_by_id(path) -> dict:
    """``{grade_id: cell}`` of a notebook's nbgrader cells (empty if the file is missing)."""
    if not Path(path).is_file():
        return {}
    return {
        c.metadata.nbgrader["grade_id"]: c
        for c in nbgrader_cells.nbformat.read(path, as_version=4).cells
        if "grade_id" in c.metadata.get("nbgrader", {})
    }


def tampering(course=DEFAULT_COURSE) -> dict[tuple[str, str], list[str]]:
    """Locked cells that submissions changed, compared with the released notebooks.

    Returns ``{(student, assignment): ["a1_q1_tests edited", ...]}`` for the
    submissions with a deleted or edited read-only/test cell or changed
    points. Autograding restores edited cells from the gradebook anyway; a
    deleted test cell scores 0 and needs a look in formgrader. A cell equal to
    its source version (hidden tests included, as in a dry run with the source
    notebook) is what autograding runs, so it is not reported.
    """
    course = Path(course)
    found = {}
    for student, name in submissions(course):
        released = course / "release" / name / f"{name}.ipynb"
        if not released.is_file():
            continue
        locked = {gid: c for gid, c in _cells_by_id(released).items()
                  if c.metadata.nbgrader.get("locked")}
        source = _cells_by_id(course / "source" / name / f"{name}.ipynb")
        handed_in = _cells_by_id(course / "submitted" / student / name / f"{name}.ipynb")
        changes = []
        for gid, cell in locked.items():
            if gid not in handed_in:
                changes.append(f"{gid} deleted")
                continue
            versions = {cell.source, source[gid].source} if gid in source else {cell.source}
            if handed_in[gid].source not in versions:
                changes.append(f"{gid} edited")
            points = handed_in[gid].metadata.get("nbgrader", {}).get("points")
            if points != cell.metadata.nbgrader.get("points"):
                changes.append(f"{gid} points changed to {points!r}")
        if changes:
            found[(student, name)] = changes
    return found


def autograde(course=DEFAULT_COURSE, *, quiet=False) -> list[dict]:
    """Autograde every submission, export ``grades.csv``; return its rows."""
    course = Path(course)
    subs = submissions(course)
    if not subs:
        raise CourseError(
            f"nothing to grade: put each submission in "
            f"{course / 'submitted' / '<student>' / '<assignment>' / '<assignment>.ipynb'}"
        )
    if not (course / "gradebook.db").is_file():
        raise CourseError(f"{course / 'gradebook.db'} is missing: run `make release` first.")
    unknown = sorted({a for _, a in subs} - set(assignments(course)))
    if unknown:
        raise CourseError(f"submissions for unknown assignments {unknown}; known: {assignments(course)}")
    if not quiet:
        for name in sorted({a for _, a in subs}):
            students = [s for s, a in subs if a == name]
            print(f"autograding {name}: {len(students)} submission(s) ({', '.join(students)})")
    # One run for every (student, assignment): "*" is a glob over submitted/*/*.
    _echo(nbgrader(course, "autograde", "*", "--force"), quiet)
    if not quiet:
        for (student, name), changes in tampering(course).items():
            print(f"    tampered: {student}/{name}: {', '.join(changes)} (graded with the "
                  f"original cells; deleted test cells score 0, check them in formgrader)")
    nbgrader(course, "export", "--to", "grades.csv")
    rows = read_grades(course)
    if not quiet:
        print(f"\nwrote {course / 'grades.csv'} (autograded points; written answers count "
              f"once graded in formgrader):")
        print(format_row(None))
        for row in rows:
            if row["timestamp"] or (row["student_id"], row["assignment"]) in subs:
                print(format_row(row))
    return rows


def format_row(row) -> str:
    """One line of the score summary (the header for ``row=None``)."""
    if row is None:
        return f"    {'assignment':<22} {'student':<16} {'score':>6} / max"
    return f"    {row['assignment']:<22} {row['student_id']:<16} {row['score']:6.1f} / {row['max_score']:g}"


def feedback(course=DEFAULT_COURSE, *, quiet=False) -> list[Path]:
    """HTML feedback for every autograded submission; return the files."""
    course = Path(course)
    graded = sorted({p.parent.name for p in (course / "autograded").glob("*/*/*.ipynb")})
    if not graded:
        raise CourseError("nothing autograded yet: run `make autograde` first.")
    _echo(nbgrader(course, "generate_feedback", "*", "--force"), quiet)
    files = sorted((course / "feedback").glob("*/*/*.html"))
    if not quiet:
        for path in files:
            print(f"feedback {path.relative_to(course)}")
    return files


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["release", "autograde", "feedback"])
    parser.add_argument("course", nargs="?", type=Path, default=DEFAULT_COURSE)
    args = parser.parse_args(argv)
    try:
        {"release": release, "autograde": autograde, "feedback": feedback}[args.command](args.course)
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
