"""The package as pip sees it: sdist and wheel build, and `pip install <package>` without extras.

A student's ``pip install`` gets the core (numpy and scipy); the plotting and
deep-learning parts need their extras, and importing them without those
extras says which one to install.
"""

from __future__ import annotations

import email
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _metadata(wheel):
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(zf.read(name))


def test_sdist_and_wheel_hold_the_package(dist):
    modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "infocourse").rglob("*.py"))
    assert sorted(n for n in dist.wheel_names if n.endswith(".py")) == modules
    top = dist.sdist_names[0].split("/")[0]
    sdist = {n.removeprefix(top + "/") for n in dist.sdist_names}
    assert {"pyproject.toml", "README.md", *modules} <= sdist
    # The wheel is the package alone; neither holds the book (setuptools adds
    # tests/test*.py to an sdist by default, which is harmless).
    assert {n.split("/")[0] for n in dist.wheel_names} == {"infocourse", "infocourse-0.1.0.dist-info"}
    assert not [n for n in sdist if n.startswith(("book/", "binder/", "_ext/"))]


def test_wheel_metadata_declares_the_extras(dist):
    meta = _metadata(dist.wheel)
    assert meta["Name"] == "infocourse"
    assert sorted(meta.get_all("Provides-Extra")) == ["nn", "notebooks", "plots"]
    requires = meta.get_all("Requires-Dist")
    assert [r for r in requires if "extra ==" not in r] == ["numpy", "scipy"]
    assert 'torch==2.13.0; extra == "nn"' in requires


def _ok(proc):
    assert proc.returncode == 0, f"{' '.join(proc.args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def test_core_install_without_extras(student_venv):
    """``pip install <sdist>`` alone, checked before the extras went in (conftest.py)."""
    core = student_venv.core
    out = _ok(core.check).stdout
    assert 'infocourse.plots -> infocourse.plots needs matplotlib' in out
    assert 'infocourse.nn -> infocourse.nn needs torch and tqdm, and torch is' in out
    _ok(core.pip_check)
    installed = _ok(core.freeze).stdout.lower()
    assert not [p for p in ("torch", "matplotlib", "scikit-learn") if f"\n{p}==" in "\n" + installed]
