"""Fixtures of the install checks: the package built once, fresh venvs outside the repository.

Everything here runs in a temporary folder, never in the working tree:

* ``dist``: ``python -m build`` (isolated, as a packager runs it) on a copy of
  the repository gives the sdist and, built from that sdist, the wheel; once
  per test session.
* ``make_venv``: a fresh ``python -m venv`` and a pip that installs into it,
  with ``PYTHONPATH`` removed so that nothing of the repository is importable
  (pip's cache is reused, so installs take seconds after the first run).

These tests are marked ``slow`` (a few minutes: they install torch and run
every chapter); ``make install-check`` runs only them.
"""

from __future__ import annotations

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
