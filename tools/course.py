"""Release, autograde and give feedback on the course's nbgrader assignments.

The Makefile targets call this script; the tests call the same functions on a
temporary copy of the course folder::

    .venv/bin/python tools/course.py release   [COURSE]              # make release
    .venv/bin/python tools/course.py autograde [COURSE] [--student S] [--assignment A] [--force]
    .venv/bin/python tools/course.py feedback  [COURSE] [--show-checks]
    .venv/bin/python tools/course.py roster    FILE.csv [COURSE]     # import the class list
    .venv/bin/python tools/course.py export    [COURSE]              # CSVs from the gradebook

``COURSE`` defaults to ``book/assignments`` (the folder with
``nbgrader_config.py`` and ``course.yml``).

* ``release``: checks the metadata of every ``source/<a>/<a>.ipynb``
  (``tools/nbgrader_cells.py``) and that ``checks/<a>.py`` checks every
  tests cell, then ``nbgrader generate_assignment`` writes the student
  versions to ``release/<a>/`` and records the assignments in
  ``gradebook.db``; ``@STUDENT_INSTALL_COMMAND@`` in the released notebooks
  becomes the student install command built from ``_config.yml``
  (``tools/repository.py``, as in the book's pages).
* ``autograde``: grades new and changed ``submitted/<student>/<a>/<a>.ipynb``
  in parallel with ``tools/grader.py`` (checks outside the student's code),
  writes the scores into ``gradebook.db`` (nbgrader's API, one writer), the
  executed copies into ``autograded/``, and ``grades.csv`` (long) and
  ``grades_wide.csv`` (one row per student). Problems are reported with a
  reason; the exit status is 2 when there are any (the grades are written).
* ``feedback``: ``nbgrader generate_feedback`` writes
  ``feedback/<student>/<a>/<a>.html``: the student's notebook as run, with the
  result of every check (passed, or failed and why), never the checks' code
  unless ``--show-checks``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shlex
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbgrader_cells  # noqa: E402
import repository  # noqa: E402

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
    problems += [p for name in names for p in check_coverage(course, name)]
    if problems:
        raise CourseError("assignment problems:\n" + "\n".join(problems))
    command = repository.student_install_command()
    # One nbgrader run for all assignments (its start-up takes seconds).
    log = nbgrader(course, "generate_assignment", "*", "--force")
    released = []
    for name in names:
        path = course / "release" / name / f"{name}.ipynb"
        if not path.is_file():
            raise CourseError(f"nbgrader did not write {path}:\n{log}")
        text = path.read_text()
        if INSTALL_TOKEN in text:
            path.write_text(text.replace(INSTALL_TOKEN, command.replace('"', '\\"')))
        released.append(path)
        if not quiet:
            cells = nbgrader_cells.graded_cells(
                nbgrader_cells.nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
            )
            auto = sum(p for _, r, p in cells if r == "tests")
            print(f"released {path.relative_to(course)}  ({auto:g} autograded + "
                  f"{sum(p for _, r, p in cells) - auto:g} manual points)")
    return released


#: Replaced at release by the student install command built from _config.yml
#: (tools/repository.py, the same command the book's pages show).
INSTALL_TOKEN = "@STUDENT_INSTALL_COMMAND@"


def check_coverage(course, name) -> list[str]:
    """Problems: a tests cell of ``name`` without checks in ``checks/<name>.py``, or checks
    for a cell that is no tests cell."""
    import grader

    path = Path(course) / "checks" / f"{name}.py"
    if not path.is_file():
        return [f"{path}: missing (every assignment needs its checks; see the instructor guide)"]
    module = grader.load_checks(path)
    nb = nbgrader_cells.nbformat.read(Path(course) / "source" / name / f"{name}.ipynb", as_version=4)
    tests = [gid for gid, role, _ in nbgrader_cells.graded_cells(nb) if role == "tests"]
    defined = [c.grade_id for c in module.CHECKS]
    out = [f"{path}: no checks for the tests cell {gid}" for gid in tests if gid not in defined]
    out += [f"{path}: checks for {gid}, which is not a tests cell of {name}"
            for gid in defined if gid not in tests]
    out += [f"{path}: the checks of {c.grade_id} have no case" for c in module.CHECKS if not c.cases]
    return out


def _cells_by_id(path) -> dict:
    """``{grade_id: cell}`` of a notebook's nbgrader cells (empty if the file is missing,
    None if it is no readable notebook)."""
    if not Path(path).is_file():
        return {}
    try:
        nb = nbgrader_cells.nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001  (reported by autograde as "not a readable notebook")
        return None
    return {
        c.metadata.nbgrader["grade_id"]: c
        for c in nb.cells
        if isinstance(c.metadata.get("nbgrader"), dict) and "grade_id" in c.metadata.nbgrader
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
        if handed_in is None:
            continue
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


# --- the course file, the roster, late work ---------------------------------------------------


def settings(course) -> dict:
    """``course.yml`` with defaults (due dates, late policy, time-out, jobs, roster)."""
    import yaml

    path = Path(course) / "course.yml"
    data = yaml.safe_load(path.read_text()) if path.is_file() else {}
    data = data or {}
    data.setdefault("timezone", "UTC")
    data.setdefault("late_policy", {})
    data["late_policy"].setdefault("grace_minutes", 0)
    data["late_policy"].setdefault("penalty_per_day", 0.0)
    data["late_policy"].setdefault("max_penalty", 1.0)
    data.setdefault("assignments", {})
    data.setdefault("timeout_seconds", 60)
    data.setdefault("jobs", 0)
    data.setdefault("roster", "roster.csv")
    return data


def _parse_time(text, timezone):
    """A local time "YYYY-MM-DD HH:MM[:SS]" (or ISO with an offset) as an aware UTC datetime."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    value = datetime.fromisoformat(str(text).strip().replace(" UTC", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value.astimezone(ZoneInfo("UTC"))


def due_date(course_settings, assignment):
    entry = course_settings["assignments"].get(assignment) or {}
    due = entry.get("due")
    return _parse_time(due, course_settings["timezone"]) if due else None


def lateness(course_settings, assignment, timestamp, max_points):
    """``(days late, penalty in points)``; days are started days after due + grace (0: on time)."""
    from datetime import timedelta

    due = due_date(course_settings, assignment)
    if due is None or timestamp is None:
        return 0, 0.0
    policy = course_settings["late_policy"]
    over = timestamp - (due + timedelta(minutes=float(policy["grace_minutes"])))
    if over.total_seconds() <= 0:
        return 0, 0.0
    days = math.ceil(over.total_seconds() / 86400)
    fraction = min(days * float(policy["penalty_per_day"]), float(policy["max_penalty"]))
    return days, round(fraction * max_points, 6)


ROSTER_COLUMNS = ("student_id", "first_name", "last_name", "email")


def read_roster(path) -> dict[str, dict]:
    """``{student_id: row}`` of a roster CSV (columns student_id, first_name, last_name, email;
    optional lms_id, section). Raises CourseError naming every bad row."""
    path = Path(path)
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in ROSTER_COLUMNS if c not in header]
        if missing:
            raise CourseError(f"{path}: missing column(s) {missing}; the header must have "
                              f"{', '.join(ROSTER_COLUMNS)} (optional: lms_id, section)")
        roster, problems = {}, []
        for number, row in enumerate(reader, start=2):
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            sid = row["student_id"]
            if not sid or any(ch.isspace() or ch in "/\\" for ch in sid):
                problems.append(f"line {number}: student_id {sid!r} must be non-empty, without "
                                f"spaces or slashes (it names the folder submitted/<student_id>/)")
            elif sid in roster:
                problems.append(f"line {number}: student_id {sid!r} repeats line {roster[sid]['_line']}")
            else:
                roster[sid] = dict(row, _line=number)
    if problems:
        raise CourseError(f"{path}:\n" + "\n".join(problems))
    return roster


def course_roster(course) -> dict[str, dict]:
    path = Path(course) / settings(course)["roster"]
    return read_roster(path) if path.is_file() else {}


def import_roster(source, course=DEFAULT_COURSE, *, quiet=False) -> dict:
    """Check a roster CSV, copy it to the course (``roster`` in course.yml), add the students."""
    from nbgrader.api import Gradebook

    course = Path(course)
    roster = read_roster(source)
    target = course / settings(course)["roster"]
    if Path(source).resolve() != target.resolve():
        shutil.copy(source, target)
    with Gradebook(_db_url(course)) as gb:
        for sid, row in roster.items():
            gb.update_or_create_student(sid, first_name=row["first_name"],
                                        last_name=row["last_name"], email=row["email"],
                                        lms_user_id=row.get("lms_id") or None)
    if not quiet:
        print(f"imported {len(roster)} student(s) from {source} into {target.relative_to(course)} "
              f"and the gradebook")
    return roster


def _db_url(course):
    return f"sqlite:///{Path(course).resolve() / 'gradebook.db'}"


# --- finding the submissions --------------------------------------------------------------------


def discover(course, *, students=None, names=None):
    """``(to grade [(student, assignment, path)], problems [(student, assignment, reason)])``.

    Looks at every folder ``submitted/<student>/<assignment>/``: a notebook
    under another name, a folder for an unknown assignment or a stray file is
    reported (with the command that fixes it) instead of being skipped silently.
    """
    course = Path(course)
    known = set(assignments(course))
    submitted = course / "submitted"
    found, problems = [], []
    if not submitted.is_dir():
        return found, problems
    for sdir in sorted(p for p in submitted.iterdir()):
        if not sdir.is_dir():
            problems.append(("-", "-", f"{sdir.relative_to(course)} is a file; submissions go "
                                       f"in submitted/<student>/<assignment>/<assignment>.ipynb"))
            continue
        student = sdir.name
        if students and student not in students:
            continue
        for adir in sorted(sdir.iterdir()):
            name = adir.name
            if names and name not in names:
                continue
            if not adir.is_dir():
                problems.append((student, "-", f"{adir.relative_to(course)} is not in an "
                                               f"assignment folder; known: {sorted(known)}"))
                continue
            if name not in known:
                problems.append((student, name, f"unknown assignment folder {adir.relative_to(course)};"
                                                 f" known: {', '.join(sorted(known))}"))
                continue
            target = adir / f"{name}.ipynb"
            if target.is_file():
                found.append((student, name, target))
                continue
            others = sorted(adir.glob("*.ipynb"))
            if len(others) == 1:
                src = others[0]
                problems.append((student, name, f"skipped: the notebook is named {src.name!r}, "
                                                f"not {target.name!r}; fix: mv {shlex.quote(str(src))} "
                                                f"{shlex.quote(str(target))}"))
            elif others:
                problems.append((student, name, f"skipped: {len(others)} notebooks "
                                                f"({', '.join(o.name for o in others)}) and none named "
                                                f"{target.name!r}; keep the one to grade as {target}"))
            else:
                problems.append((student, name, f"skipped: no notebook in {adir.relative_to(course)}"))
    return found, problems


def submissions(course) -> list[tuple[str, str]]:
    """``(student, assignment)`` for every ``submitted/<student>/<a>/<a>.ipynb``."""
    return [(s, a) for s, a, _ in discover(course)[0]]


def _timestamp(path, course_settings):
    stamp = Path(path).parent / "timestamp.txt"
    if not stamp.is_file():
        return None
    try:
        return _parse_time(stamp.read_text().strip(), course_settings["timezone"])
    except ValueError:
        return None


# --- autograding ---------------------------------------------------------------------------------


class Report(list):
    """The rows of grades.csv, with ``problems`` ``[(student, assignment, reason)]``,
    ``graded`` and ``reused`` (submissions graded now / unchanged since the last run)."""

    problems: list
    graded: list
    reused: list


def _grade_job(args):
    released, path, checks_path, timeout = args
    import grader

    checks = _CHECKS.get(checks_path)
    return grader.grade(released, path, checks, timeout=timeout)


_CHECKS: dict = {}


def autograde(course=DEFAULT_COURSE, *, students=None, names=None, force=False, jobs=None,
              quiet=False) -> Report:
    """Grade new and changed submissions (all with ``force``), write the gradebook and both CSVs.

    ``students``/``names`` restrict the run to some students/assignments. Every
    submission found is graded or reported with a reason; the CSVs are always
    written (from the gradebook, so earlier grades stay in them).
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    import grader

    course = Path(course)
    if not (course / "gradebook.db").is_file():
        raise CourseError(f"{course / 'gradebook.db'} is missing: run `make release` first.")
    conf = settings(course)
    roster = course_roster(course)
    todo, problems = discover(course, students=students, names=names)
    if not todo and not problems and not (course / "submitted").is_dir():
        raise CourseError(
            f"nothing to grade: put each submission in "
            f"{course / 'submitted' / '<student>' / '<assignment>' / '<assignment>.ipynb'}"
        )
    if roster:
        for student in sorted({s for s, _, _ in todo} - set(roster)):
            problems.append((student, "-", "not in the roster (graded anyway; add the student to "
                                           f"{conf['roster']} and run `tools/course.py roster`)"))
    # Which submissions changed since they were graded (the cache sits in autograded/).
    jobs_todo, reused = [], []
    for student, name, path in todo:
        released = course / "release" / name / f"{name}.ipynb"
        key = grader.file_hash(path, path.parent / "timestamp.txt", released,
                               course / "checks" / f"{name}.py") + f"-{conf['timeout_seconds']}"
        cache = _cache_path(course, student, name)
        if not force and cache.is_file():
            try:
                old = json.loads(cache.read_text())
            except ValueError:
                old = {}
            if old.get("key") == key:
                reused.append((student, name, old))
                continue
        jobs_todo.append((student, name, path, released, key))
    for name in sorted({a for _, a, _, _, _ in jobs_todo}):
        checks_path = course / "checks" / f"{name}.py"
        if checks_path not in _CHECKS:
            _CHECKS[checks_path] = grader.load_checks(checks_path)
    workers = jobs or conf["jobs"] or os.cpu_count() or 1
    total = len(jobs_todo)
    if not quiet:
        print(f"autograding {total} submission(s) with {workers} worker(s); "
              f"{len(reused)} unchanged since the last run"
              + ("" if force else " (use --force to regrade them)"))
    results = []
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            pool.submit(_grade_job, (released, path, course / "checks" / f"{name}.py",
                                     float(conf["timeout_seconds"]))): (student, name, key)
            for student, name, path, released, key in jobs_todo
        }
        for done, future in enumerate(as_completed(futures), start=1):
            student, name, key = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001  (a grader bug must not stop the class)
                result = {"skipped": f"grader error {type(exc).__name__}: {exc}", "cells": {},
                          "problems": [], "repairs": [], "checks": {}}
            results.append((student, name, key, result))
            if not quiet:
                print(_progress(done, total, student, name, result, time.monotonic() - t0),
                      flush=True)
    # The gradebook is written here, by one thread, after the parallel part.
    graded = []
    with grader_gradebook(course) as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's add_submission warns (SQLAlchemy autoflush)
        for name in assignments(course):
            due = due_date(conf, name)
            if due is not None:
                gb.update_or_create_assignment(name, duedate=due.replace(tzinfo=None))
        for student, name, key, result in sorted(results):
            if result.get("skipped"):
                problems.append((student, name, f"skipped: {result['skipped']}"))
                _write_cache(course, student, name, key, result)
                continue
            _record(gb, course, conf, roster, student, name, result)
            _write_autograded(course, student, name, key, result)
            graded.append((student, name))
            for text in _report_lines(result):
                problems.append((student, name, text))
        for student, name, old in reused:
            for text in old.get("report", []):
                problems.append((student, name, text))
    for (student, name), changes in tampering(course).items():
        if (student, name) in set(graded) | {(s, a) for s, a, _ in reused}:
            problems.append((student, name, "tampered: " + ", ".join(changes)
                             + " (graded with the released cells)"))
    rows = export(course)
    report = Report(rows)
    report.problems = sorted(set(problems), key=lambda p: (p[0], p[1], p[2]))
    report.graded, report.reused = graded, [(s, a) for s, a, _ in reused]
    if not quiet:
        _print_summary(course, report, todo)
    return report


class grader_gradebook:
    """``with grader_gradebook(course) as gb`` (nbgrader's Gradebook on the course's SQLite file)."""

    def __init__(self, course):
        from nbgrader.api import Gradebook

        self.gb = Gradebook(_db_url(course))

    def __enter__(self):
        return self.gb

    def __exit__(self, *exc):
        self.gb.close()


def _progress(done, total, student, name, result, elapsed) -> str:
    width = 20
    filled = int(width * done / max(total, 1))
    bar = "#" * filled + "." * (width - filled)
    if result.get("skipped"):
        what = f"skipped ({result['skipped'][:60]})"
    else:
        auto = [c for c in result["cells"].values() if not c["manual"]]
        what = (f"{sum(c['score'] for c in auto):g}/{sum(c['points'] for c in auto):g} points "
                f"in {result.get('seconds', 0):.1f} s")
        if result["problems"] or result["repairs"]:
            what += f", {len(result['problems']) + len(result['repairs'])} problem(s)"
    return f"  [{bar}] {done:>4}/{total} {name} {student}: {what}  ({elapsed:.0f} s)"


def _record(gb, course, conf, roster, student, name, result):
    """Write one graded submission into the gradebook (manual grades are kept)."""
    info = roster.get(student, {})
    kwargs = {k: info[k] for k in ("first_name", "last_name", "email") if info.get(k)}
    gb.update_or_create_student(student, **kwargs)
    stamp = _timestamp(course / "submitted" / student / name / f"{name}.ipynb", conf)
    sub = gb.update_or_create_submission(
        name, student, timestamp=stamp.replace(tzinfo=None) if stamp else None)
    for gid, cell in result["cells"].items():
        try:
            grade = gb.find_grade(gid, name, name, student)
        except Exception:  # noqa: BLE001  (a grade cell the gradebook does not know)
            continue
        if cell["manual"]:
            grade.auto_score = None
            grade.needs_manual_grade = grade.manual_score is None
        else:
            grade.auto_score = cell["score"]
            # An autograded cell a grader overrode is marked for review again.
            grade.needs_manual_grade = grade.manual_score is not None
    max_points = sum(c["points"] for c in result["cells"].values())
    days, penalty = lateness(conf, name, stamp, max_points)
    nb = gb.find_submission_notebook(name, name, student)
    nb.late_submission_penalty = penalty or None
    gb.db.commit()
    del sub


def _report_lines(result):
    return [f"repaired: {t}" for t in result["repairs"]] + list(result["problems"])


def _write_autograded(course, student, name, key, result):
    folder = course / "autograded" / student / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.ipynb").write_text(result["notebook"])
    stamp = course / "submitted" / student / name / "timestamp.txt"
    if stamp.is_file():
        shutil.copy(stamp, folder / "timestamp.txt")
    _write_cache(course, student, name, key, result)


def _cache_path(course, student, name) -> Path:
    """Where a submission's last result is kept (a hidden folder nbgrader does not list)."""
    return Path(course) / "autograded" / ".grader" / student / f"{name}.json"


def _write_cache(course, student, name, key, result):
    cache = {k: v for k, v in result.items() if k != "notebook"}
    cache["key"] = key
    cache["report"] = (_report_lines(result) if not result.get("skipped")
                       else [f"skipped: {result['skipped']}"])
    path = _cache_path(course, student, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cache, indent=1))


# --- exports ----------------------------------------------------------------------------------

LONG_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
                "email", "raw_score", "late_submission_penalty", "score", "max_score",
                "autograded_score", "autograded_max", "manual_score", "manual_max",
                "needs_manual_grade", "days_late", "status"]


def export(course=DEFAULT_COURSE) -> list[dict]:
    """Write ``grades.csv`` (one row per student and assignment) and ``grades_wide.csv``
    (one row per student, for an LMS) from the gradebook; return the long rows."""
    from nbgrader.api import Gradebook

    course = Path(course)
    conf = settings(course)
    roster = course_roster(course)
    names = assignments(course)
    rows = []
    with Gradebook(_db_url(course)) as gb:
        students = {s.id: s for s in gb.students}
        ids = sorted(set(students) | set(roster))
        maxima = {}
        for name in names:
            a = gb.find_assignment(name)
            auto_max = manual_max = 0.0
            for nb in a.notebooks:
                for cell in nb.grade_cells:
                    if cell.cell_type == "code":
                        auto_max += cell.max_score
                    else:
                        manual_max += cell.max_score
            maxima[name] = (auto_max, manual_max)
        for sid in ids:
            st = students.get(sid)
            info = roster.get(sid, {})
            for name in names:
                auto_max, manual_max = maxima[name]
                due = due_date(conf, name)
                row = {"assignment": name, "duedate": due.strftime("%Y-%m-%d %H:%M:%S UTC") if due else "",
                       "timestamp": "", "student_id": sid,
                       "last_name": info.get("last_name") or (st.last_name if st else "") or "",
                       "first_name": info.get("first_name") or (st.first_name if st else "") or "",
                       "email": info.get("email") or (st.email if st else "") or "",
                       "raw_score": 0.0, "late_submission_penalty": 0.0, "score": 0.0,
                       "max_score": auto_max + manual_max, "autograded_score": 0.0,
                       "autograded_max": auto_max, "manual_score": 0.0, "manual_max": manual_max,
                       "needs_manual_grade": "", "days_late": 0, "status": "missing"}
                try:
                    sub = gb.find_submission(name, sid) if st else None
                except Exception:  # noqa: BLE001  (MissingEntry)
                    sub = None
                if sub is not None:
                    auto = manual = 0.0
                    for nb in sub.notebooks:
                        for g in nb.grades:
                            if g.cell.cell_type == "code":
                                auto += g.score or 0.0
                            else:
                                manual += g.score or 0.0
                    stamp = None
                    if sub.timestamp:
                        from zoneinfo import ZoneInfo

                        stamp = sub.timestamp.replace(tzinfo=ZoneInfo("UTC"))
                        row["timestamp"] = stamp.strftime("%Y-%m-%d %H:%M:%S UTC")
                    days, penalty = lateness(conf, name, stamp, auto_max + manual_max)
                    raw = auto + manual
                    row.update(raw_score=raw, autograded_score=auto, manual_score=manual,
                               late_submission_penalty=min(penalty, raw),
                               score=max(raw - penalty, 0.0), days_late=days,
                               needs_manual_grade="yes" if sub.needs_manual_grade else "",
                               status="late" if days else "graded")
                rows.append(row)
    with open(course / "grades.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=LONG_COLUMNS)
        writer.writeheader()
        writer.writerows(_fmt(r) for r in rows)
    _write_wide(course, rows, names, maxima, roster)
    return rows


def _fmt(row):
    return {k: (f"{v:g}" if isinstance(v, float) else v) for k, v in row.items()}


def wide_header(names) -> list[str]:
    cols = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Email"]
    for name in names:
        cols += [f"{name} autograded", f"{name} written", f"{name} late penalty", f"{name} days late"]
    return cols + ["Total"]


def _write_wide(course, rows, names, maxima, roster):
    """One row per student, a column group per assignment (Canvas gradebook layout; Moodle
    maps the columns at import). The second row gives the points possible."""
    by_student = {}
    for r in rows:
        by_student.setdefault(r["student_id"], {})[r["assignment"]] = r
    with open(course / "grades_wide.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(wide_header(names))
        possible = ["Points Possible", "", "", "", "", ""]
        for name in names:
            possible += [f"{maxima[name][0]:g}", f"{maxima[name][1]:g}", "", ""]
        w.writerow(possible + [f"{sum(a + m for a, m in maxima.values()):g}"])
        for sid, per in sorted(by_student.items()):
            first = next(iter(per.values()))
            info = roster.get(sid, {})
            line = [f"{first['last_name']}, {first['first_name']}".strip(", ") or sid,
                    info.get("lms_id") or sid, sid, sid, info.get("section", ""), first["email"]]
            total = 0.0
            for name in names:
                r = per[name]
                line += [f"{r['autograded_score']:g}", f"{r['manual_score']:g}",
                         f"{-r['late_submission_penalty']:g}" if r["late_submission_penalty"] else "0",
                         str(r["days_late"])]
                total += r["score"]
            w.writerow(line + [f"{total:g}"])


def read_grades(course) -> list[dict]:
    """Rows of ``grades.csv`` with scores as floats."""
    with open(Path(course) / "grades.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        for key in ("raw_score", "score", "max_score", "late_submission_penalty",
                    "autograded_score", "autograded_max", "manual_score", "manual_max"):
            row[key] = float(row[key] or 0.0)
        row["days_late"] = int(row["days_late"] or 0)
    return rows


def _print_summary(course, report, todo):
    print(f"\nwrote {course / 'grades.csv'} and {course / 'grades_wide.csv'} "
          f"(autograded and written points apart; written answers count once graded in formgrader):")
    print(format_row(None))
    handed_in = {(s, a) for s, a, _ in todo}
    for row in report:
        if (row["student_id"], row["assignment"]) in handed_in:
            print(format_row(row))
    if report.problems:
        print(f"\n{len(report.problems)} problem(s) need a look (the grades above are written):")
        for student, name, reason in report.problems:
            print(f"    {student}/{name}: {reason}")


def format_row(row) -> str:
    """One line of the score summary (the header for ``row=None``)."""
    if row is None:
        return (f"    {'assignment':<22} {'student':<16} {'autograded':>12} "
                f"{'written':>9}  status")
    status = row["status"] + (f" ({row['days_late']} d, -{row['late_submission_penalty']:g})"
                              if row["days_late"] else "")
    return (f"    {row['assignment']:<22} {row['student_id']:<16} "
            f"{row['autograded_score']:6.1f} / {row['autograded_max']:<3g} "
            f"{row['manual_score']:3g} / {row['manual_max']:<3g}  {status}")


def feedback(course=DEFAULT_COURSE, *, show_checks=False, quiet=False) -> list[Path]:
    """HTML feedback for every autograded submission; return the files.

    Each tests cell shows the result of every check (passed, or failed and
    why); the checks' code is added only with ``show_checks``.
    """
    course = Path(course)
    graded = sorted({p.parent.name for p in (course / "autograded").glob("*/*/*.ipynb")})
    if not graded:
        raise CourseError("nothing autograded yet: run `make autograde` first.")
    _echo(nbgrader(course, "generate_feedback", "*", "--force"), quiet)
    files = sorted((course / "feedback").glob("*/*/*.html"))
    if show_checks:
        for path in files:
            add_checks_source(course, path, path.parent.name)
    if not quiet:
        for path in files:
            print(f"feedback {path.relative_to(course)}")
    return files


def add_checks_source(course, page, name):
    """Append the code of ``checks/<name>.py`` to the feedback page ``page``."""
    import html

    source = (Path(course) / "checks" / f"{name}.py").read_text()
    block = (f'<div style="margin: 2em"><h2>The checks of this assignment</h2>'
             f"<pre>{html.escape(source)}</pre></div>")
    text = Path(page).read_text()
    Path(page).write_text(text.replace("</body>", block + "</body>", 1))


def _names(value):
    return {v for part in (value or []) for v in part.replace(",", " ").split()} or None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["release", "autograde", "feedback", "roster", "export"])
    parser.add_argument("args", nargs="*", help="[COURSE], or for roster: FILE.csv [COURSE]")
    parser.add_argument("--student", action="append", help="grade only these students (comma list)")
    parser.add_argument("--assignment", action="append", help="grade only these assignments")
    parser.add_argument("--force", action="store_true", help="regrade unchanged submissions too")
    parser.add_argument("--jobs", type=int, default=None, help="parallel workers (default: course.yml)")
    parser.add_argument("--show-checks", action="store_true", help="feedback shows the checks' code")
    args = parser.parse_args(argv)
    rest = list(args.args)
    try:
        if args.command == "roster":
            if not rest:
                parser.error("roster needs the CSV file: tools/course.py roster FILE.csv [COURSE]")
            import_roster(Path(rest[0]), Path(rest[1]) if len(rest) > 1 else DEFAULT_COURSE)
            return 0
        course = Path(rest[0]) if rest else DEFAULT_COURSE
        if args.command == "release":
            release(course)
        elif args.command == "feedback":
            feedback(course, show_checks=args.show_checks)
        elif args.command == "export":
            export(course)
            print(f"wrote {course / 'grades.csv'} and {course / 'grades_wide.csv'}")
        else:
            report = autograde(course, students=_names(args.student), names=_names(args.assignment),
                               force=args.force, jobs=args.jobs)
            return 2 if report.problems else 0
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
