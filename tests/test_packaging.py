"""Package metadata, requirements files and Binder tell the same, true story (fast checks).

The slow checks in tests/install build and install the package in fresh
venvs; these read the files:

* the ``notebooks`` extra names every third-party package that a chapter or an
  assignment imports, and the runtime requirements pin exactly those;
* the development set includes the runtime set and pins everything exactly;
* Binder installs the runtime set, the package and the CPU build of torch;
* importing ``infocourse.plots`` / ``infocourse.nn`` without their libraries
  raises an ImportError that names the extra;
* no page spells out the repository URL (it comes from ``_config.yml``), and
  ``tools/publish_check.py`` refuses the placeholder.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "_ext"))

import colab_cell  # noqa: E402
import course as course_tool  # noqa: E402
import publish_check  # noqa: E402
import repository_links  # noqa: E402
from repository import PLACEHOLDER_URL, Repository  # noqa: E402

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
EXTRAS = PROJECT["optional-dependencies"]


def _name(req: Requirement) -> str:
    return req.name.lower().replace("_", "-")


def extra_closure(extra: str) -> dict[str, Requirement]:
    """The requirements that ``infocourse[extra]`` installs directly, self-references expanded."""
    reqs = {}
    todo = [Requirement(r) for r in PROJECT["dependencies"] + EXTRAS[extra]]
    while todo:
        req = todo.pop()
        if req.name == PROJECT["name"]:
            todo += [Requirement(r) for e in req.extras for r in EXTRAS[e]]
        else:
            reqs[_name(req)] = req
    return reqs


def read_requirements(path: Path) -> dict[str, Requirement]:
    reqs = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith(("-", ".")):
            reqs[_name(Requirement(line))] = Requirement(line)
    return reqs


def _imports(sources) -> set[str]:
    found = set()
    for source in sources:
        lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"infocourse"}


def _student_notebooks():
    course = ROOT / "book" / "assignments"
    return colab_cell.chapters(ROOT) + [
        course / "source" / a / f"{a}.ipynb" for a in course_tool.assignments(course)]


def test_notebooks_extra_covers_every_import_of_the_notebooks_and_the_package():
    sources = [c.source for p in _student_notebooks()
               for c in nbformat.read(p, as_version=4).cells if c.cell_type == "code"]
    sources += [p.read_text() for p in (ROOT / "infocourse").rglob("*.py")]
    distributions = md.packages_distributions()
    needed = {d.lower() for m in _imports(sources) for d in distributions.get(m, [m])}
    assert needed, "no imports found"
    missing = needed - set(extra_closure("notebooks"))
    assert not missing, f"imported by a notebook or infocourse but not in the notebooks extra: {missing}"


def test_extras_are_what_the_issue_says():
    assert {n: str(r) for n, r in extra_closure("plots").items()} == {
        "numpy": "numpy", "scipy": "scipy", "matplotlib": "matplotlib"}
    nn = extra_closure("nn")
    assert str(nn["torch"]) == "torch==2.13.0" and set(nn) == {"numpy", "scipy", "torch", "tqdm"}
    assert set(extra_closure("notebooks")) >= set(nn) | {"matplotlib", "scikit-learn"}


def test_runtime_requirements_pin_exactly_the_notebooks_extra():
    runtime = read_requirements(ROOT / "requirements-runtime.txt")
    assert set(runtime) == set(extra_closure("notebooks"))
    for name, req in runtime.items():
        (spec,) = req.specifier
        assert spec.operator == "==", f"{name} is not pinned exactly"
        assert spec.contains(spec.version)
        assert extra_closure("notebooks")[name].specifier.contains(spec.version), name


def test_development_set_includes_the_runtime_set_and_pins_exactly():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    assert "-r requirements-runtime.txt" in lines
    dev = read_requirements(ROOT / "requirements.txt")
    assert {"build", "jupyter-book", "nbval", "playwright", "nbgrader", "hypothesis"} <= set(dev)
    assert not set(dev) & set(read_requirements(ROOT / "requirements-runtime.txt"))
    loose = [n for n, r in dev.items() if [s.operator for s in r.specifier] != ["=="]]
    assert not loose, f"not pinned exactly: {loose}"


def test_binder_installs_the_runtime_set_the_package_and_cpu_torch():
    lines = [ln.strip() for ln in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    torch = read_requirements(ROOT / "requirements-runtime.txt")["torch"]
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    assert f"torch=={next(iter(torch.specifier)).version}+cpu" in lines
    assert "-r ../requirements-runtime.txt" in lines
    assert ".[notebooks]" in lines
    # Binder's default Python may be older than the package allows.
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    python = runtime.removeprefix("python-")
    assert runtime.startswith("python-")
    assert Requirement(f"python{PROJECT['requires-python']}").specifier.contains(python + ".0")


@pytest.mark.parametrize("module, blocked, extra", [
    ("infocourse.plots", "matplotlib", "plots"),
    ("infocourse.plots.basics", "matplotlib", "plots"),
    ("infocourse.nn", "torch", "nn"),
    ("infocourse.nn", "tqdm", "nn"),
])
def test_missing_extra_is_named_in_the_import_error(module, blocked, extra, tmp_path):
    code = (f"import sys; sys.modules[{blocked!r}] = None\n"
            f"try:\n    import {module}\nexcept ImportError as exc:\n    print(exc)\n"
            f"else:\n    raise SystemExit('imported')")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout
    assert f'pip install "infocourse[{extra}]"' in out
    assert f"{blocked} is not installed" in out or f"needs {blocked}" in out


def test_no_page_spells_out_the_repository_url():
    url = Repository.from_config().url
    paths = [p for p in (ROOT / "book").rglob("*") if p.suffix in {".md", ".ipynb"}]
    paths += [ROOT / "binder" / "requirements.txt", ROOT / "pyproject.toml", ROOT / "_toc.yml",
              ROOT / "requirements.txt", ROOT / "requirements-runtime.txt"]
    paths = [p for p in paths if "_build" not in p.parts]
    # The Colab cells are generated from _config.yml (tests/test_colab_cell.py checks them).
    literal = [p.relative_to(ROOT).as_posix() for p in paths
               if url in "".join(c for c in _text_without_colab_cell(p))]
    assert not literal, f"the repository URL is written out in {literal}; use {{{{ ... }}}}"


def _text_without_colab_cell(path: Path):
    if path.suffix != ".ipynb":
        return [path.read_text()]
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.get("id") != colab_cell.CELL_ID]


def test_substitutions_are_built_from_the_repository():
    subs = repository_links.substitutions(Repository("https://github.com/o/r", "dev"))
    assert subs["install_command"] == '`pip install "infocourse[notebooks] @ git+https://github.com/o/r@dev"`'
    assert subs["install_block"].splitlines()[1] == subs["install_command"].strip("`")
    assert "git clone https://github.com/o/r\ncd r" in subs["clone_block"]


def test_publish_check_refuses_the_placeholder(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text(f"repository:\n  url: {PLACEHOLDER_URL}\n  branch: main\n")
    assert any("placeholder" in p for p in publish_check.problems(config, tmp_path))
    config.write_text("repository:\n  url: https://gitlab.com/o/r\n")
    assert any("not https://github.com/OWNER/REPO" in p for p in publish_check.problems(config, tmp_path))
    config.write_text("repository:\n  url: https://github.com/o/r/\n  branch: main\n")
    assert publish_check.problems(config, tmp_path) == []  # no chapters in tmp_path


def test_publish_check_refuses_a_colab_cell_for_another_repository(tmp_path):
    (tmp_path / "book").mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/o/old\n")
    colab_cell.apply(nb, Repository.from_config(config))
    nbformat.write(nb, tmp_path / "book" / "01_x.ipynb")
    assert publish_check.problems(config, tmp_path) == []
    config.write_text("repository:\n  url: https://github.com/o/new\n")
    (problem,) = publish_check.problems(config, tmp_path)
    assert problem.startswith("book/01_x.ipynb: its Colab install cell differs")
