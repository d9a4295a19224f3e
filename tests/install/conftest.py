"""Fixtures of the install checks: the package built once, fresh venvs outside the repository.

Everything here runs in a temporary folder, never in the working tree:

* ``dist``: ``python -m build`` (isolated, as a packager runs it) on a copy of
  the repository gives the sdist and, built from that sdist, the wheel; once
  per test session.
* ``make_venv``: a fresh ``python -m venv`` and a pip that installs into it,
  with ``PYTHONPATH`` removed so that nothing of the repository is importable
  (pip's cache is reused, so installs take seconds after the first run).
* ``student_venv``: one such venv, taken through a student's two installs in
  turn. First ``pip install <sdist>`` (the core, no extras): what it gives is
  recorded right then (``student_venv.core``, checked by
  ``test_package.py``). Then ``pip install "<wheel>[notebooks]" ipykernel``
  on top, which ``test_notebooks.py`` runs every chapter in. One venv for
  both saves creating a second one and installing numpy and scipy twice.

These tests are marked ``slow`` (a few minutes: they install torch and run
every chapter); ``make install-check`` runs only them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Not part of a fresh clone, or generated: left out of the copy that is built.
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "_build", "build", "dist", "*.egg-info", "__pycache__",
    ".pytest_cache", ".hypothesis", ".ipynb_checkpoints", "release", "submitted",
    "autograded", "feedback", "gradebook.db", "node_modules",
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: minutes-long checks (tests/install: fresh venvs, every chapter)"
    )


def clean_env(**extra) -> dict:
    """The environment without anything that points into the repository or a venv."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}}
    env.update(CUDA_VISIBLE_DEVICES="", PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


def run(cmd, cwd, **kwargs) -> subprocess.CompletedProcess:
    """Run ``cmd``; on failure, fail the test with its output."""
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=clean_env(),
                          capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(map(str, cmd))} failed (exit {proc.returncode}):\n"
                    f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}", pytrace=False)
    return proc


@pytest.fixture(scope="session")
def dist(tmp_path_factory):
    """The sdist and the wheel, built with ``python -m build`` from a copy of the repository."""
    tmp = tmp_path_factory.mktemp("dist")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=_NOT_COPIED, symlinks=True)
    out = tmp / "out"
    run([sys.executable, "-m", "build", "--outdir", out, src], cwd=tmp)
    sdists, wheels = sorted(out.glob("*.tar.gz")), sorted(out.glob("*.whl"))
    assert len(sdists) == 1 and len(wheels) == 1, sorted(p.name for p in out.iterdir())
    return SimpleNamespace(sdist=sdists[0], wheel=wheels[0],
                           sdist_names=tarfile.open(sdists[0]).getnames(),
                           wheel_names=zipfile.ZipFile(wheels[0]).namelist())


class Venv:
    """A fresh virtual environment in ``path``, outside the repository."""

    def __init__(self, path: Path):
        self.path = path
        run([sys.executable, "-m", "venv", path], cwd=path.parent)
        self.python = path / "bin" / "python"

    def pip(self, *args) -> subprocess.CompletedProcess:
        return run([self.python, "-m", "pip", *args], cwd=self.path)

    def python_c(self, code: str, cwd) -> subprocess.CompletedProcess:
        """``python -c code`` in this venv, run in ``cwd`` (not the repository)."""
        return run([self.python, "-c", code], cwd=cwd)


@pytest.fixture(scope="session")
def make_venv(tmp_path_factory):
    def make(name: str) -> Venv:
        return Venv(tmp_path_factory.mktemp("venvs") / name)

    return make


#: Run in the venv right after the core install: what ``pip install <sdist>``
#: alone gives (``{venv}`` is the venv's path).
CORE_CHECK = """
import importlib, math, sys
import infocourse as ic

assert "{venv}" in ic.__file__, ic.__file__
assert abs(ic.entropy([0.5, 0.25, 0.25]) - 1.5) < 1e-12
assert abs(ic.kl_divergence([0.5, 0.5], [0.9, 0.1], base=math.e) - 0.5108256237659907) < 1e-12
from infocourse import estimate, gaussian, markov, mixtures, coding  # the numpy-only parts
assert "torch" not in sys.modules and "matplotlib" not in sys.modules
for name, extra in [("infocourse.plots", "plots"), ("infocourse.nn", "nn")]:
    try:
        importlib.import_module(name)
    except ImportError as exc:
        assert 'pip install "infocourse[%s]"' % extra in str(exc), str(exc)
        print(name, "->", exc)
    else:
        raise AssertionError(name + " imported without its extra")
"""

#: The kernel the notebooks run in (a kernelspec for the venv's python).
KERNEL = "infocourse-install-check"


def _record(cmd, cwd) -> subprocess.CompletedProcess:
    """Run ``cmd`` and keep its result for a test to check (it does not fail here)."""
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=clean_env(),
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def student_venv(dist, make_venv, tmp_path_factory):
    """One fresh venv: the core install (recorded in ``.core``), then ``<wheel>[notebooks]``.

    ``.core`` holds what the core stage gave: ``check`` (``CORE_CHECK`` run in
    an empty folder), ``pip_check`` and ``freeze``, as completed processes.
    After it, the wheel replaces the sdist's install (so the notebooks run the
    wheel's files) and its ``notebooks`` extra and ipykernel are installed;
    ``.kernels`` is a kernelspec folder with ``KERNEL`` for the venv.
    """
    venv = make_venv("student")
    venv.pip("install", "--quiet", dist.sdist)
    empty = tmp_path_factory.mktemp("core-check")
    venv.core = SimpleNamespace(
        check=_record([venv.python, "-c", CORE_CHECK.replace("{venv}", str(venv.path))], empty),
        pip_check=_record([venv.python, "-m", "pip", "check"], empty),
        freeze=_record([venv.python, "-m", "pip", "list", "--format=freeze"], empty),
    )
    venv.pip("install", "--quiet", "--no-deps", "--force-reinstall", dist.wheel)
    venv.pip("install", "--quiet", f"{dist.wheel}[notebooks]", "ipykernel")
    kernels = venv.path.parent / "kernels"
    (kernels / KERNEL).mkdir(parents=True)
    spec = {"argv": [str(venv.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "install check", "language": "python"}
    (kernels / KERNEL / "kernel.json").write_text(json.dumps(spec))
    venv.kernels = kernels
    return venv
