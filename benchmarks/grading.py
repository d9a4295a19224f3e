"""Benchmark of autograding (issue 14): a class of N students x 4 assignments.

    .venv/bin/python benchmarks/grading.py                 # 300 students: 1,200 notebooks
    .venv/bin/python benchmarks/grading.py --students 20   # a sample, extrapolated

In a temporary copy of the course it releases the assignments, hands in, for
every student and assignment, either the solution or a partly answered
notebook (every other student; the mix costs what a real class does: wrong
answers run their checks too), and runs ``autograde`` with the course's
workers (``--jobs``, default: every core). It reports the wall time, the cost
per notebook (wall time x workers / notebooks, so in core-seconds), the time
a second, unchanged run takes (nothing is regraded), and the time projected
for 1,200 notebooks from the CPU time used (the submissions' processes and
the grader's), since on a shared machine the wall time mostly measures the
other load. Goal: 1,200 notebooks in <= 15 minutes on 2 cores.
Writes ``benchmarks/results/grading.json``. Not a test: nothing is timed in
``make test``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import course as course_tool  # noqa: E402
import nbformat  # noqa: E402

GOAL_NOTEBOOKS = 1200
GOAL_SECONDS = 15 * 60


def build_class(course: Path, students: int) -> int:
    released = {p.parent.name: p for p in course_tool.release(course, quiet=True)}
    count = 0
    for i in range(students):
        for name, rel in released.items():
            source = course / "source" / name / f"{name}.ipynb"
            nb = nbformat.read(source if i % 2 == 0 else rel, as_version=4)
            if i % 2:  # partly answered: the first answer cell from the solution
                solution = nbformat.read(source, as_version=4)
                first = next(c for c in solution.cells
                             if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code")
                for cell in nb.cells:
                    if cell.metadata.get("nbgrader", {}).get("grade_id") == \
                            first.metadata.nbgrader["grade_id"]:
                        cell.source = first.source
            path = course / "submitted" / f"s{i:04d}" / name / f"{name}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, path)
            count += 1
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    from machine import cpu_model

    workers = args.jobs or os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "course"
        course.mkdir()
        for item in ("nbgrader_config.py", "course.yml"):
            shutil.copy(ROOT / "book" / "assignments" / item, course)
        for folder in ("source", "checks"):
            shutil.copytree(ROOT / "book" / "assignments" / folder, course / folder)
        n = build_class(course, args.students)
        t0, cpu0 = time.monotonic(), time.process_time()
        report = course_tool.autograde(course, jobs=workers, quiet=True)
        wall, main_cpu = time.monotonic() - t0, time.process_time() - cpu0
        t1 = time.monotonic()
        again = course_tool.autograde(course, jobs=workers, quiet=True)
        second = time.monotonic() - t1
        per_assignment, kernel_cpu = {}, 0.0
        for path in (course / "autograded" / ".grader").glob("*/*.json"):
            data = json.loads(path.read_text())
            cpu = data.get("kernel_cpu_seconds", 0.0) + data.get("grader_cpu_seconds", 0.0)
            kernel_cpu += data.get("kernel_cpu_seconds", 0.0)
            per_assignment.setdefault(path.stem, []).append(cpu)
    # CPU seconds per notebook: the submission's process plus the grader's main
    # process (checks, gradebook, CSVs; its threads included). On a shared
    # machine the wall time says more about the other load than about grading,
    # so the projection is from CPU time: 1,200 notebooks on `workers` free cores.
    cpu_per_notebook = (kernel_cpu + main_cpu) / n
    projected = GOAL_NOTEBOOKS * cpu_per_notebook / workers
    per_notebook = wall * workers / n
    result = {
        "notebooks": n, "workers": workers, "wall_s": round(wall, 1),
        "wall_core_s_per_notebook": round(per_notebook, 3),
        "cpu_s_per_notebook": round(cpu_per_notebook, 3),
        "mean_cpu_s_per_notebook_by_assignment": {
            k: round(sum(v) / len(v), 3) for k, v in sorted(per_assignment.items())},
        "second_run_s": round(second, 1), "regraded_second_run": len(again.graded),
        "graded": len(report.graded), "projected_s_for_1200": round(projected, 1),
        "goal_s_for_1200": GOAL_SECONDS, "met": projected <= GOAL_SECONDS,
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(),
                    "load_average": os.getloadavg()},
    }
    out = ROOT / "benchmarks" / "results" / "grading.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
