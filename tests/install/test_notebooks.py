"""What a student does: install the package with its `notebooks` extra, then run the notebooks.

In a fresh venv outside the repository, ``pip install "<wheel>[notebooks]"
ipykernel`` (the wheel that ``dist`` built from the sdist, installed over the
core install that ``test_package.py`` checks: ``student_venv`` in
conftest.py) is all there is.
Then

* every chapter, copied alone into an empty folder, runs top to bottom in a
  kernel of that venv with no error except in cells tagged
  ``raises-exception``;
* every released assignment (``tools/course.py release`` in a copy of the
  course folder), copied alone into an empty folder, runs top to bottom: the
  unanswered cells raise ``NotImplementedError`` and nothing raises an
  ImportError.

The kernel's environment has no ``PYTHONPATH`` and its working directory holds
only the notebook, so ``infocourse`` can only come from the venv (a last cell,
added to the copy, checks where it came from). The notebooks run two at a
time; the test prints each one's time.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from .conftest import KERNEL, clean_env

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import course as course_tool  # noqa: E402
from colab_cell import chapters  # noqa: E402

CHAPTERS = chapters(ROOT)
ASSIGNMENTS = course_tool.assignments(ROOT / "book" / "assignments")
PARALLEL = max(1, min(2, len(os.sched_getaffinity(0))))
WHERE = "import infocourse, sys\nprint(infocourse.__file__)\nprint(sys.path)"


async def _execute(path: Path, venv, allow_errors: bool, limit: asyncio.Semaphore):
    """Run ``path`` (and a last cell that prints where infocourse came from) in the venv."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(WHERE))
    km = AsyncKernelManager(kernel_name=KERNEL,
                            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(venv.kernels)]))
    client = NotebookClient(nb, km=km, kernel_name=KERNEL, timeout=600,
                            allow_errors=allow_errors,
                            resources={"metadata": {"path": str(path.parent)}})
    async with limit:
        start = time.perf_counter()
        try:
            await client.async_execute(env=clean_env(MPLBACKEND="agg"))
            failure = None
        except CellExecutionError as exc:
            failure = str(exc)
        return dict(nb=nb, failure=failure, seconds=time.perf_counter() - start)


@pytest.fixture(scope="module")
def executed(student_venv, tmp_path_factory):
    """Every chapter and released assignment, each alone in an empty folder, executed."""
    work = tmp_path_factory.mktemp("student")
    course = work / "course"
    shutil.copytree(ROOT / "book" / "assignments", course,
                    ignore=shutil.ignore_patterns("release", "submitted", "autograded",
                                                  "feedback", "gradebook.db"))
    released = course_tool.release(course, quiet=True)
    jobs = {}  # name -> (copy of the notebook alone in a folder, allow_errors)
    for name, path, allow_errors in [*((p.stem, p, False) for p in CHAPTERS),
                                     *((f"assignment {p.stem}", p, True) for p in released)]:
        folder = work / name.replace(" ", "-")
        folder.mkdir()
        jobs[name] = (shutil.copy(path, folder), allow_errors)

    async def run_all():
        limit = asyncio.Semaphore(PARALLEL)
        results = await asyncio.gather(*(_execute(Path(p), student_venv, allow, limit)
                                         for p, allow in jobs.values()))
        return dict(zip(jobs, results))

    start = time.perf_counter()
    results = asyncio.run(run_all())
    print(f"\n{len(results)} notebooks in {time.perf_counter() - start:.0f} s "
          f"({PARALLEL} at a time):")
    for name, r in results.items():
        print(f"  {name}: {r['seconds']:.1f} s")
    return results


def _check_origin(result, venv):
    where = "".join(o.get("text", "") for o in result["nb"].cells[-1].get("outputs", []))
    assert where.splitlines()[0].startswith(str(venv.path)), where
    assert str(ROOT) not in where, f"the repository is on the kernel's sys.path: {where}"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_runs_alone_after_the_student_install(path, executed, student_venv):
    result = executed[path.stem]
    assert result["failure"] is None, result["failure"]
    _check_origin(result, student_venv)


def _errors(nb):
    return [(i, o.ename) for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for o in c.get("outputs", []) if o.output_type == "error"]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_released_assignment_runs_after_the_student_install(name, executed, student_venv):
    result = executed[f"assignment {name}"]
    errors = _errors(result["nb"])
    imports = [e for e in errors if e[1] in {"ImportError", "ModuleNotFoundError"}]
    assert not imports, f"import errors in cells {imports}"
    # Unanswered, every failure is a stub's NotImplementedError (raised where a
    # test cell calls it), and the setup cells before the first one ran.
    assert errors, "an unanswered released notebook ran without any error"
    assert {e[1] for e in errors} == {"NotImplementedError"}, errors
    assert any(c.cell_type == "code" for c in result["nb"].cells[: errors[0][0]]), errors
    _check_origin(result, student_venv)
