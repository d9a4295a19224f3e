"""The nbgrader assignments in book/assignments: metadata, release, autograding, feedback.

The grading workflow runs once per test session, in a temporary copy of the
course folder (the working tree is never touched), through the same functions
as ``make release`` / ``make autograde`` / ``make feedback`` (tools/course.py).
Four simulated students hand in:

* ``solution``: the source notebooks, solutions included -> full autograded marks;
* ``blank``: the released notebooks, untouched -> 0;
* ``partial``: some answers right, some wrong, some untouched -> exactly the
  points of the test cells whose answers are right;
* ``cheater``: unanswered, with test cells edited, deleted, re-pointed (points
  raised) and a checked function redefined inside a test cell -> 0, although
  run as handed in those test cells pass.
"""

from __future__ import annotations

import copy
import csv
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "book" / "assignments"
sys.path.insert(0, str(ROOT / "tools"))

import course as course_tool  # noqa: E402
import grader  # noqa: E402
import nbgrader_cells as cells  # noqa: E402

ASSIGNMENTS = ["01_entropy", "02_cross_entropy_kl", "03_estimating_mi", "04_deep_learning"]
SOURCES = {a: COURSE / "source" / a / f"{a}.ipynb" for a in ASSIGNMENTS}


def _read(path):
    return nbformat.read(path, as_version=4)


def _by_id(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def _points(nb, *, roles=("tests",)):
    return {gid: pts for gid, role, pts in cells.graded_cells(nb) if role in roles}


# --- the source notebooks and the metadata checker ------------------------------------


def test_one_assignment_per_part_of_the_book():
    assert course_tool.assignments(COURSE) == ASSIGNMENTS


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_metadata_passes_the_checker(name):
    assert cells.check_file(SOURCES[name]) == []


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_metadata_passes_nbgraders_own_validator(name):
    from nbgrader.nbgraderformat import MetadataValidator

    MetadataValidator().validate_nb(_read(SOURCES[name]))  # raises ValidationError if not


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_has_answers_visible_tests_checks_and_a_written_answer(name):
    nb = _read(SOURCES[name])
    roles = [cells.role(c) for c in nb.cells]
    assert roles.count("answer") >= 3 and roles.count("written") >= 1
    test_cells = [c for c in nb.cells if cells.role(c) == "tests"]
    assert all(c.source.count("assert") for c in test_cells), "every tests cell has visible asserts"
    assert course_tool.check_coverage(COURSE, name) == [], "and checks in checks/<name>.py"
    checks = grader.load_checks(COURSE / "checks" / f"{name}.py")
    assert all(any(case.hidden for case in c.cases) for c in checks.CHECKS), "hidden ones too"
    # Students use only infocourse, numpy and torch.
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    imports = set(re.findall(r"^\s*(?:import|from)\s+([\w.]+)", code, re.M))
    assert {i.split(".")[0] for i in imports} <= {"math", "numpy", "torch", "infocourse"}


def _mutated(name, mutate):
    nb = copy.deepcopy(_read(SOURCES[name]))
    mutate(_by_id(nb))
    return cells.check_notebook(nb)


def test_checker_catches_a_missing_grade_id():
    problems = _mutated("01_entropy", lambda c: c["a1_q2_tests"].metadata.nbgrader.pop("grade_id"))
    assert any("has no grade_id" in p for p in problems), problems


def test_checker_catches_missing_points():
    problems = _mutated("02_cross_entropy_kl", lambda c: c["a2_q1_tests"].metadata.nbgrader.pop("points"))
    assert any("a2_q1_tests" in p and "without 'points'" in p for p in problems), problems


def test_checker_catches_an_unlocked_test_cell():
    def unlock(c):
        c["a3_q1_tests"].metadata.nbgrader["locked"] = False

    problems = _mutated("03_estimating_mi", unlock)
    assert any("a3_q1_tests" in p and "not locked" in p for p in problems), problems


def test_checker_catches_an_unlocked_readonly_cell_and_a_cell_without_metadata():
    def mutate(c):
        c["a4_setup"].metadata.nbgrader["locked"] = False
        del c["a4_intro"].metadata["nbgrader"]

    problems = _mutated("04_deep_learning", mutate)
    assert any("no role" in p for p in problems), problems
    assert any("cell 0: has no nbgrader metadata" in p for p in problems), problems


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda c: c["a1_q3_tests"].metadata.nbgrader.update(grade_id="a1_q1_tests"), "already used"),
        (lambda c: c["a1_q1_answer"].metadata.nbgrader.update(solution=False), "has solution markers"),
        (lambda c: setattr(c["a1_q1_answer"], "source", "def f(p):\n    return p\n"), "without '### BEGIN"),
        (lambda c: setattr(c["a1_q1_answer"], "source", "### BEGIN SOLUTION\nx = 1\n"), "never closed"),
        (lambda c: c["a1_q4_written"].metadata.nbgrader.update(locked=True), "written answer but locked"),
        (lambda c: c["a1_q2_tests"].metadata.nbgrader.update(points=0), "points must be a number > 0"),
        (lambda c: c["a1_q2_tests"].metadata.nbgrader.update(schema_version=1), "schema_version"),
        (lambda c: setattr(c["a1_q1_tests"], "source", "### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS"),
         "hidden checks go in checks/<assignment>.py"),
    ],
    ids=["duplicate-id", "markers-outside-answer", "answer-without-markers", "unbalanced",
         "locked-written-answer", "zero-points", "old-schema", "hidden-tests-in-notebook"],
)
def test_checker_catches_inconsistent_flags(mutate, message):
    problems = _mutated("01_entropy", mutate)
    assert any(message in p for p in problems), problems


def test_checker_cli_exit_status(tmp_path, capsys):
    nb = _read(SOURCES["01_entropy"])
    _by_id(nb)["a1_q1_tests"].metadata.nbgrader.pop("points")
    broken = tmp_path / "broken.ipynb"
    nbformat.write(nb, broken)
    assert cells.main(["check", str(broken)]) == 1
    assert "(a1_q1_tests): is a grade cell without 'points'" in capsys.readouterr().out
    assert cells.main(["check", *map(str, SOURCES.values())]) == 0
    assert "4 notebook(s) checked, 0 problem(s)." in capsys.readouterr().out


def test_cell_builders_refuse_bad_metadata():
    with pytest.raises(ValueError, match="points"):
        cells.tests("assert True", "t1", 0)
    with pytest.raises(ValueError, match="grade_id"):
        cells.answer("### BEGIN SOLUTION\n### END SOLUTION", "has space")


# --- configuration, ignores, build exclusion, TOC ---------------------------------------


def test_nbgrader_config():
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(COURSE)).load_config()
    assert Path(cfg.CourseDirectory.root) == COURSE
    assert cfg.CourseDirectory.db_url == f"sqlite:///{COURSE / 'gradebook.db'}"
    assert cfg.CourseDirectory.course_id
    assert "raise NotImplementedError()" in cfg.ClearSolutions.code_stub["python"]
    assert cfg.ExecutePreprocessor.timeout > 0


@pytest.mark.parametrize(
    "path",
    ["release/01_entropy/01_entropy.ipynb", "submitted/ada/01_entropy/01_entropy.ipynb",
     "autograded/ada/01_entropy/01_entropy.ipynb", "feedback/ada/01_entropy/01_entropy.html",
     "gradebook.db", "grades.csv", ".nbgrader.log"],
)
def test_generated_files_are_git_ignored(path):
    rel = f"book/assignments/{path}"
    res = subprocess.run(["git", "check-ignore", "-q", rel], cwd=ROOT)
    assert res.returncode == 0, f"{rel} is not git-ignored"


def test_sources_are_not_git_ignored():
    rel = "book/assignments/source/01_entropy/01_entropy.ipynb"
    assert subprocess.run(["git", "check-ignore", "-q", rel], cwd=ROOT).returncode == 1


def test_assignments_stay_out_of_the_book_and_nbval():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "book/assignments/**" in config["exclude_patterns"]
    makefile = (ROOT / "Makefile").read_text()
    assert "--ignore=book/assignments" in makefile
    for target in ("release", "autograde", "feedback"):
        assert re.search(rf"^{target}:.*\n\t.*tools/course\.py {target}", makefile, re.M), target


def test_instructor_guide_is_an_appendix_before_the_back_matter():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    captions = [part["caption"] for part in toc["parts"]]
    appendix = toc["parts"][captions.index("Appendices")]
    assert "book/instructor_guide" in [c["file"] for c in appendix["chapters"]]
    assert captions.index("Appendices") < captions.index("Back matter")
    back = toc["parts"][captions.index("Back matter")]
    assert back["chapters"][-1]["file"] == "book/references"


# --- the grader's AST policy, the late policy and the roster (no kernel) ---------------

POLICY = {"forbidden": {"ic": "the reference"}, "forbidden_attributes": {"kl_div": "ready-made"},
          "allowed_imports": {"math", "numpy", "torch"}}


def _inspect(*sources):
    cells_ = [(f"cell {i}", src) for i, src in enumerate(sources)]
    return grader.inspect_code(cells_, dict(POLICY), {"np", "torch", "math", "ic"})


@pytest.mark.parametrize("sources, tainted", [
    (["def f(p):\n    return ic.entropy(p)\n"], {"f"}),
    (["g = ic.entropy\n", "def f(p):\n    return g(p)\n"], {"g", "f"}),
    (["from infocourse import entropy as e\n", "def f(p):\n    return e(p)\n"], {"e", "f"}),
    (["import scipy.stats\n", "def f(p):\n    return scipy.stats.entropy(p)\n"], {"scipy", "f"}),
    (["def f(x):\n    return torch.nn.functional.kl_div(x, x)\n"], {"f"}),
    # Checking against ic outside the answers is allowed: h is not used by f.
    (["def f(p):\n    return -np.sum(p * np.log2(p))\n", "p = [0.5, 0.5]\nh = ic.entropy(p)\n"],
     {"h"}),
    (["for p in ([1.0],):\n    print(ic.entropy(p))\n", "def f(p):\n    return p\n"], {"p"}),
])
def test_ast_policy_follows_names_to_the_reference(sources, tainted):
    found = _inspect(*sources)
    assert set(found["tainted"]) == tainted and not found["global"], found


@pytest.mark.parametrize("source, reason", [
    ("torch.allclose = lambda *a, **k: True", "patches `torch.allclose`"),
    ("get_ipython().events.register('post_run_cell', print)", "uses `get_ipython()`"),
    ("exec('f = 1')", "uses `exec`"),
    ("x = ().__class__", "uses the attribute `__class__`"),
    ("globals()['f'] = 1", "uses `globals`"),
])
def test_ast_policy_voids_everything_for_dynamic_code(source, reason):
    assert any(reason in g for g in _inspect(source)["global"])


def test_ast_policy_allows_magics():
    assert _inspect("%timeit -n1 sum([1])\n!echo hi\n")["global"] == []


def test_late_policy_counts_started_days_after_the_grace_period():
    conf = course_tool.settings(COURSE)
    due = course_tool.due_date(conf, "01_entropy")
    parse = course_tool._parse_time
    assert course_tool.lateness(conf, "01_entropy", None, 8) == (0, 0.0)
    assert course_tool.lateness(conf, "01_entropy", due, 8) == (0, 0.0)
    assert course_tool.lateness(conf, "01_entropy", parse("2026-10-17 00:10", "UTC"), 8) == (0, 0.0)
    assert course_tool.lateness(conf, "01_entropy", parse("2026-10-17 00:20", "UTC"), 8) == (1, 0.8)
    assert course_tool.lateness(conf, "01_entropy", parse("2026-12-01 00:00", "UTC"), 8) == (45, 4.0)


def test_roster_rejects_bad_rows(tmp_path):
    bad = tmp_path / "roster.csv"
    bad.write_text("student_id,first_name,last_name,email\nada,Ada,L,a@x\nada,A,B,c@x\nbo b,B,C,d@x\n")
    with pytest.raises(course_tool.CourseError, match="repeats line 2") as exc:
        course_tool.read_roster(bad)
    assert "without spaces" in str(exc.value)
    bad.write_text("id,name\n1,x\n")
    with pytest.raises(course_tool.CourseError, match="missing column"):
        course_tool.read_roster(bad)


# --- the grading workflow, in a temporary copy of the course ---------------------------

# Answers of the "partial" student: grade_id of an answer cell -> its code.
PARTIAL = {
    "01_entropy": {
        # Right.
        "a1_q1_answer": "def self_information(p):\n    return -np.log2(np.asarray(p, dtype=float))\n",
        # Right on full-support distributions, but 0 * log 0 gives nan and bad input is accepted.
        "a1_q2_answer": "def entropy(p):\n    p = np.asarray(p, dtype=float)\n"
                        "    return float(-np.sum(p * np.log2(p)))\n",
        # a1_q3_answer left as released (NotImplementedError).
    },
    "04_deep_learning": {
        # Right values, but log(softmax) overflows to -inf for large logits.
        "a4_q1_answer": (
            "def label_smoothed_cross_entropy(logits, targets, epsilon=0.1):\n"
            "    k = logits.shape[-1]\n"
            "    t = (1 - epsilon) * torch.nn.functional.one_hot(targets, k) + epsilon / k\n"
            "    return -(t * torch.log(torch.softmax(logits, dim=-1))).sum(-1).mean()\n"
        ),
        # Forgets the factor T**2, and calls the reference (forbidden).
        "a4_q2_answer": (
            "def distillation_loss(student_logits, teacher_logits, temperature=2.0):\n"
            "    p = torch.softmax(teacher_logits.detach() / temperature, dim=-1)\n"
            "    return ic.kl_divergence(p, torch.softmax(student_logits / temperature, dim=-1),\n"
            "                            base=math.e).mean()\n"
        ),
        # Right.
        "a4_q3_answer": (
            "def train_classifier(x, y, epsilon, steps=300, lr=0.5, seed=0):\n"
            "    torch.manual_seed(seed)\n"
            "    model = torch.nn.Linear(2, 3)\n"
            "    opt = torch.optim.SGD(model.parameters(), lr=lr)\n"
            "    for _ in range(steps):\n"
            "        opt.zero_grad()\n"
            "        label_smoothed_cross_entropy(model(x), y, epsilon).backward()\n"
            "        opt.step()\n"
            "    return model\n"
        ),
    },
}
# The points each partial submission must get, test cell by test cell.
PARTIAL_EXPECTED = {
    "01_entropy": {"a1_q1_tests": 1, "a1_q2_tests": 2, "a1_q2_edge_cases": 0, "a1_q3_tests": 0},
    "04_deep_learning": {"a4_q1_tests": 2, "a4_q1_stability": 0, "a4_q2_tests": 0, "a4_q3_tests": 2},
}

CHEAT_REDEFINE = "def binary_entropy(p):\n    return ic.binary_entropy(p)\n\n"


def _cheat(nb):
    """Tamper with the test cells of released assignment 1 (answers left unanswered)."""
    by_id = _by_id(nb)
    by_id["a1_q1_tests"].source = 'print("self_information: visible tests passed")'   # edited
    nb.cells.remove(by_id["a1_q2_tests"])                                             # deleted
    by_id["a1_q2_edge_cases"].source = "pass"                                         # edited ...
    by_id["a1_q2_edge_cases"].metadata.nbgrader["points"] = 100                       # ... and re-weighted
    by_id["a1_q3_tests"].source = CHEAT_REDEFINE + by_id["a1_q3_tests"].source        # redefined
    for cell in nb.cells:  # and unlocked in the UI
        cell.metadata.pop("editable", None)
        cell.metadata.pop("deletable", None)
    return nb


# --- the adversarial class: every trick of issue 14, built from the released notebooks ---

SWALLOW = '''ip = get_ipython()
ip.set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)


def _forget_errors(result):
    result.error_in_exec = None


ip.events.register("post_run_cell", _forget_errors)


def self_information(p):
    raise NotImplementedError()
'''
PATCHES = '''torch.allclose = lambda *args, **kwargs: True
np.allclose = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
torch.testing.assert_close = lambda *args, **kwargs: None
'''
ZERO_LOSSES = {
    "a4_q1_answer": "def label_smoothed_cross_entropy(logits, targets, epsilon=0.1):\n"
                    "    return (logits * 0).sum()\n",
    "a4_q2_answer": "def distillation_loss(student_logits, teacher_logits, temperature=2.0):\n"
                    "    return (student_logits * 0).sum()\n",
    "a4_q3_answer": "def train_classifier(x, y, epsilon, steps=300, lr=0.5, seed=0):\n"
                    "    return torch.nn.Linear(2, 3)\n",
}
REFERENCE_CALLS = {
    "a1_q1_answer": "def self_information(p):\n    return ic.self_information(p)\n",
    "a1_q3_answer": "def binary_entropy(p):\n    return _h(p)\n",
}
REFERENCE_HELPER = "from infocourse import binary_entropy as _h\n"
LATE_STAMP = "2026-10-19 12:00:00"   # due 2026-10-16 23:59 + 15 min: 3 started days late
TIMEOUT = 15                          # seconds per cell in the test course


def _solution_code(name, gid):
    return _by_id(_read(SOURCES[name]))[gid].source


def _answered(released, answers):
    nb = _read(released)
    for gid, code in answers.items():
        _by_id(nb)[gid].source = code
    return nb


def _insert_after(nb, gid, *new_cells):
    index = nb.cells.index(_by_id(nb)[gid]) + 1
    nb.cells[index:index] = list(new_cells)
    return nb


def _adversarial(course, released):
    """Hand in the adversarial class; return {student: assignment} of the notebooks made."""
    r1, r4 = released["01_entropy"], released["04_deep_learning"]
    q1 = _solution_code("01_entropy", "a1_q1_answer")
    q2 = _solution_code("01_entropy", "a1_q2_answer")
    q3 = _solution_code("01_entropy", "a1_q3_answer")
    # Exceptions swallowed by a custom exception handler and a post_run_cell hook.
    _submit(course, "swallow", "01_entropy", _answered(r1, {"a1_q1_answer": SWALLOW}))
    # torch/numpy checks patched; losses that return 0.
    nb = _answered(r4, ZERO_LOSSES)
    _submit(course, "patcher", "04_deep_learning",
            _insert_after(nb, "a4_setup", nbformat.v4.new_code_cell(PATCHES)))
    # The reference called directly and through a helper in an extra cell; q2 done right.
    nb = _answered(r1, dict(REFERENCE_CALLS, a1_q2_answer=q2))
    _submit(course, "refcaller", "01_entropy",
            _insert_after(nb, "a1_setup", nbformat.v4.new_code_cell(REFERENCE_HELPER)))
    # The kernel dies in the middle (after q2's function is defined); q1 and q3 right.
    _submit(course, "crasher", "01_entropy", _answered(r1, {
        "a1_q1_answer": q1, "a1_q2_answer": q2 + "\nimport os\nos._exit(1)\n", "a1_q3_answer": q3}))
    # An infinite loop before q3's function is defined; q1 right.
    _submit(course, "looper", "01_entropy", _answered(r1, {
        "a1_q1_answer": q1, "a1_q3_answer": "while True:\n    pass\n\n" + q3}))
    # A renamed file (as a browser names a second download).
    path = _submit(course, "renamed", "02_cross_entropy_kl", _read(SOURCES["02_cross_entropy_kl"]))
    path.rename(path.with_name("02_cross_entropy_kl (1).ipynb"))
    # A copy-pasted answer cell (duplicate grade_id); q1 right.
    nb = _answered(r1, {"a1_q1_answer": q1})
    _submit(course, "duplicator", "01_entropy",
            _insert_after(nb, "a1_q1_answer", copy.deepcopy(_by_id(nb)["a1_q1_answer"])))
    # Extra cells: notes, checks against ic (allowed outside answers), a helper.
    nb = _read(SOURCES["01_entropy"])
    _insert_after(nb, "a1_q2_tests",
                  nbformat.v4.new_markdown_cell("My notes: entropy of a fair coin is 1 bit."),
                  nbformat.v4.new_code_cell("p = [0.5, 0.5]\nprint(entropy(p), ic.entropy(p))"),
                  nbformat.v4.new_code_cell("def _check(f, x):\n    return f(x)\n"))
    _submit(course, "extras", "01_entropy", nb)
    # A late submission.
    path = _submit(course, "late", "01_entropy", _read(SOURCES["01_entropy"]))
    (path.parent / "timestamp.txt").write_text(LATE_STAMP + "\n")
    # Not a notebook at all.
    path = course / "submitted" / "corrupt" / "03_estimating_mi" / "03_estimating_mi.ipynb"
    path.parent.mkdir(parents=True)
    path.write_text("{ this is not JSON")


def _submit(course, student, name, nb):
    path = course / "submitted" / student / name / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


STUDENTS = ["solution", "blank", "partial", "cheater", "swallow", "patcher", "refcaller",
            "crasher", "looper", "renamed", "duplicator", "extras", "late", "corrupt", "absent"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Release, import a roster, hand in the class (adversarial part included), autograde."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(COURSE / "nbgrader_config.py", course)
    shutil.copytree(COURSE / "source", course / "source")
    shutil.copytree(COURSE / "checks", course / "checks")
    conf = yaml.safe_load((COURSE / "course.yml").read_text())
    conf["timeout_seconds"] = TIMEOUT
    (course / "course.yml").write_text(yaml.safe_dump(conf))
    released = {p.parent.name: p for p in course_tool.release(course, quiet=True)}
    roster = course / "class.csv"
    roster.write_text("student_id,first_name,last_name,email\n" + "".join(
        f"{s},{s.title()},Test,{s}@example.org\n" for s in STUDENTS if s != "cheater"))
    course_tool.import_roster(roster, course, quiet=True)
    for name in ASSIGNMENTS:
        _submit(course, "solution", name, _read(SOURCES[name]))
        _submit(course, "blank", name, _read(released[name]))
    for name, answers in PARTIAL.items():
        _submit(course, "partial", name, _answered(released[name], answers))
    _submit(course, "cheater", "01_entropy", _cheat(_read(released["01_entropy"])))
    _adversarial(course, released)
    start = time.monotonic()
    report = course_tool.autograde(course, quiet=True)
    return SimpleNamespace(course=course, released=released, rows=report, report=report,
                           seconds=time.monotonic() - start)


def _scores(graded, student, name):
    """{grade_id: Grade} of one autograded submission, from the SQLite gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded.course / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(name, name, student)
        return {
            g.name: SimpleNamespace(score=g.score, max_score=g.max_score, auto=g.auto_score,
                                    manual=g.needs_manual_grade, cell_type=g.cell.cell_type)
            for g in nb.grades
        }


def _auto(graded, student, name):
    return {gid: s.score for gid, s in _scores(graded, student, name).items() if s.cell_type == "code"}


def _row(graded, student, name):
    (row,) = [r for r in graded.rows if r["student_id"] == student and r["assignment"] == name]
    return row


def _problems(graded, student):
    return [reason for s, _, reason in graded.report.problems if s == student]


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_released_notebooks_hold_no_solution_and_name_the_install_command(graded, name):
    released = _read(graded.released[name])
    text = "\n".join(c.source for c in released.cells)
    lines = {line.strip() for line in text.splitlines()}
    secrets = cells.secret_lines(_read(SOURCES[name]))
    assert secrets, "the source has solutions to hide"
    leaked = [s for s in secrets if s[2] in lines and sum(ch.isalnum() for ch in s[2]) >= 3]
    assert not leaked, f"{name}: released notebook shows {leaked}"
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS"):
        assert marker not in text
    assert "raise NotImplementedError()" in text and "YOUR ANSWER HERE" in text
    assert all(not c.get("outputs") for c in released.cells if c.cell_type == "code")
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert f'pip install "infocourse[notebooks] @ git+{url}@' in released.cells[0].source
    assert course_tool.INSTALL_TOKEN not in text


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_released_notebooks_run_top_to_bottom(graded, name):
    """The blank student handed in the released notebook: it runs as released, and every
    tests cell reports the unanswered question (NotImplementedError) and scores 0."""
    nb = _read(graded.course / "autograded" / "blank" / name / f"{name}.ipynb")
    assert [c.source for c in nb.cells] == [c.source for c in _read(graded.released[name]).cells]
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        text = "".join(o.get("text", "") for o in cell.outputs)
        gid = cell.metadata.nbgrader["grade_id"]
        if cells.role(cell) == "tests":
            assert "NotImplementedError" in text and f"[grader] {gid}: 0 /" in text, (gid, text)
        elif gid.endswith("_setup"):
            assert "Error" not in text, text


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_solutions_get_full_autograded_marks(graded, name):
    scores = _scores(graded, "solution", name)
    auto = {gid: s for gid, s in scores.items() if s.cell_type == "code"}
    assert auto and all(s.score == s.max_score and not s.manual for s in auto.values()), scores
    written = [s for s in scores.values() if s.cell_type == "markdown"]
    assert written and all(s.manual and s.score == 0 for s in written), "written answers await a grader"
    row = _row(graded, "solution", name)
    source = _read(SOURCES[name])
    assert row["score"] == row["autograded_score"] == sum(_points(source).values())
    assert row["autograded_max"] == row["autograded_score"], "100% of the autograded points"
    assert row["max_score"] == sum(_points(source, roles=("tests", "written")).values())


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_blank_submissions_score_zero(graded, name):
    assert all(s.score == 0 for s in _scores(graded, "blank", name).values())
    assert _row(graded, "blank", name)["score"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PARTIAL))
def test_partial_submission_gets_exactly_the_points_it_earned(graded, name):
    assert _auto(graded, "partial", name) == PARTIAL_EXPECTED[name]
    assert _row(graded, "partial", name)["score"] == sum(PARTIAL_EXPECTED[name].values())


@pytest.mark.slow
def test_tampering_with_test_cells_earns_nothing_and_is_reported(graded):
    assert _auto(graded, "cheater", "01_entropy") == {
        "a1_q1_tests": 0, "a1_q2_tests": 0, "a1_q2_edge_cases": 0, "a1_q3_tests": 0}
    assert _scores(graded, "cheater", "01_entropy")["a1_q2_edge_cases"].max_score == 1
    graded_nb = _by_id(_read(graded.course / "autograded" / "cheater" / "01_entropy" / "01_entropy.ipynb"))
    released = _by_id(_read(graded.released["01_entropy"]))
    for gid in ("a1_q1_tests", "a1_q2_tests", "a1_q2_edge_cases", "a1_q3_tests"):
        assert graded_nb[gid].source == released[gid].source, f"{gid} restored"
    assert course_tool.tampering(graded.course) == {("cheater", "01_entropy"): [
        "a1_q1_tests edited", "a1_q2_tests deleted", "a1_q2_edge_cases edited",
        "a1_q2_edge_cases points changed to 100", "a1_q3_tests edited"]}
    assert any(p.startswith("tampered: a1_q1_tests edited") for p in _problems(graded, "cheater"))
    assert "not in the roster" in " ".join(_problems(graded, "cheater"))


# What the grader must give each adversarial submission, test cell by test cell.
ADVERSARIAL = {
    ("swallow", "01_entropy"): {"a1_q1_tests": 0, "a1_q2_tests": 0, "a1_q2_edge_cases": 0, "a1_q3_tests": 0},
    ("patcher", "04_deep_learning"): {"a4_q1_tests": 0, "a4_q1_stability": 0, "a4_q2_tests": 0,
                                      "a4_q3_tests": 0},
    ("refcaller", "01_entropy"): {"a1_q1_tests": 0, "a1_q2_tests": 2, "a1_q2_edge_cases": 1, "a1_q3_tests": 0},
    ("crasher", "01_entropy"): {"a1_q1_tests": 1, "a1_q2_tests": 0, "a1_q2_edge_cases": 0, "a1_q3_tests": 2},
    ("looper", "01_entropy"): {"a1_q1_tests": 1, "a1_q2_tests": 0, "a1_q2_edge_cases": 0, "a1_q3_tests": 0},
    ("duplicator", "01_entropy"): {"a1_q1_tests": 1, "a1_q2_tests": 0, "a1_q2_edge_cases": 0, "a1_q3_tests": 0},
    ("extras", "01_entropy"): {"a1_q1_tests": 1, "a1_q2_tests": 2, "a1_q2_edge_cases": 1, "a1_q3_tests": 2},
    ("late", "01_entropy"): {"a1_q1_tests": 1, "a1_q2_tests": 2, "a1_q2_edge_cases": 1, "a1_q3_tests": 2},
}
# Reported problems: a phrase each adversarial submission's report must contain.
REASONS = {
    "swallow": "uses `get_ipython()`",
    "patcher": "patches `torch.allclose`",
    "refcaller": "uses `ic`",
    "crasher": "a1_q2_answer: the kernel died (exit code 1)",
    "looper": f"a1_q3_answer: timed out after {TIMEOUT} s",
    "duplicator": "repeats the grade_id a1_q1_answer",
    "renamed": "mv ",
    "corrupt": "not a readable notebook",
}


@pytest.mark.slow
def test_adversarial_class_is_scored_exactly(graded):
    got = {key: _auto(graded, *key) for key in ADVERSARIAL}
    assert got == ADVERSARIAL
    for student, phrase in REASONS.items():
        assert any(phrase in p for p in _problems(graded, student)), (student, _problems(graded, student))
    # The reference calls are named function by function.
    ref = " ".join(_problems(graded, "refcaller"))
    assert "`self_information`" in ref and "`binary_entropy`" in ref and "`entropy`" not in ref
    renamed = _problems(graded, "renamed")[0]
    assert "02_cross_entropy_kl (1).ipynb" in renamed and renamed.endswith("02_cross_entropy_kl.ipynb")
    assert not [p for s, _, p in graded.report.problems if s in ("solution", "blank", "extras", "late")]
    print(f"adversarial class autograded in {graded.seconds:.0f} s")


def _wide(course):
    with open(course / "grades_wide.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    header, possible, body = rows[0], rows[1], rows[2:]
    return header, possible, {r[2]: dict(zip(header, r)) for r in body}


@pytest.mark.slow
def test_wide_csv_matches_the_expected_table(graded):
    header, possible, table = _wide(graded.course)
    assert header[:6] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Email"]
    assert possible[0] == "Points Possible"
    assert header == course_tool.wide_header(ASSIGNMENTS)
    points = {a: (sum(_points(_read(SOURCES[a])).values()),
                  sum(_points(_read(SOURCES[a]), roles=("written",)).values())) for a in ASSIGNMENTS}
    assert possible[6:10] == [str(points["01_entropy"][0]), str(points["01_entropy"][1]), "", ""]
    expected = {s: {a: (0, 0, 0) for a in ASSIGNMENTS} for s in STUDENTS}
    for name in ASSIGNMENTS:
        expected["solution"][name] = (points[name][0], 0, 0)
    for name, cells_ in PARTIAL_EXPECTED.items():
        expected["partial"][name] = (sum(cells_.values()), 0, 0)
    for (student, name), cells_ in ADVERSARIAL.items():
        expected[student][name] = (sum(cells_.values()), 0, 0)
    expected["late"]["01_entropy"] = (6, 3, 2.4)  # 3 days x 10% of 8 points
    got = {
        s: {a: (float(r[f"{a} autograded"]) + float(r[f"{a} written"]), int(r[f"{a} days late"]),
                -float(r[f"{a} late penalty"])) for a in ASSIGNMENTS}
        for s, r in table.items()
    }
    expected = {s: {a: (float(v[0]), v[1], v[2]) for a, v in per.items()} for s, per in expected.items()}
    assert got == expected
    assert table["late"]["Total"] == "3.6"
    assert table["solution"]["Student"] == "Test, Solution"
    assert table["solution"]["Email"] == "solution@example.org"
    assert table["cheater"]["Student"] == "cheater", "a student missing from the roster keeps the id"
    late = _row(graded, "late", "01_entropy")
    assert (late["status"], late["days_late"], late["late_submission_penalty"], late["score"]) == (
        "late", 3, 2.4, 3.6)
    assert _row(graded, "absent", "01_entropy")["status"] == "missing"


@pytest.mark.slow
def test_grades_csv_lists_every_student_and_assignment(graded):
    pairs = {(r["student_id"], r["assignment"]) for r in graded.rows}
    assert pairs == {(s, a) for s in STUDENTS for a in ASSIGNMENTS}
    assert _row(graded, "cheater", "02_cross_entropy_kl")["score"] == 0
    assert _row(graded, "renamed", "02_cross_entropy_kl")["status"] == "missing"
    assert (graded.course / "grades.csv").read_text().startswith(
        ",".join(course_tool.LONG_COLUMNS))
    on_disk = {(r["student_id"], r["assignment"]): r["score"]
               for r in course_tool.read_grades(graded.course)}
    assert on_disk == {(r["student_id"], r["assignment"]): r["score"] for r in graded.rows}


@pytest.mark.slow
def test_manual_grades_complete_the_score_and_survive_a_regrade(graded):
    """What formgrader does when a grader marks a written answer, via the same gradebook API."""
    from nbgrader.api import Gradebook

    name = "01_entropy"
    with Gradebook(f"sqlite:///{graded.course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("a1_q4_written", name, name, "solution")
        grade.manual_score = grade.max_score
        grade.needs_manual_grade = False  # as formgrader's grade handler does
        gb.db.commit()
        submission = gb.find_submission(name, "solution")
        assert submission.score == submission.max_score == 8
        assert not submission.needs_manual_grade
    course_tool.autograde(graded.course, students={"solution"}, names={name}, force=True, quiet=True)
    rows = course_tool.read_grades(graded.course)
    (row,) = [r for r in rows if r["student_id"] == "solution" and r["assignment"] == name]
    assert (row["autograded_score"], row["manual_score"], row["score"]) == (6, 2, 8)


@pytest.mark.slow
def test_feedback_reports_checks_without_their_code(graded, tmp_path):
    files = course_tool.feedback(graded.course, quiet=True)
    graded_pairs = {(s, a) for s, a, _ in course_tool.discover(graded.course)[0]} - {
        ("corrupt", "03_estimating_mi")}
    assert {(f.parent.parent.name, f.parent.name) for f in files} == graded_pairs
    checks_code = (COURSE / "checks" / "01_entropy.py").read_text()
    secret_code = [line.strip() for line in checks_code.splitlines() if len(line.strip()) >= 20
                   and not line.strip().startswith(('"', "#", "import", "from"))]
    for student in ("blank", "cheater"):  # they wrote no answers of their own
        for name in ASSIGNMENTS:
            path = graded.course / "feedback" / student / name / f"{name}.html"
            if not path.exists():
                continue
            text = cells.page_text(path.read_text())
            secrets = cells.secret_lines(_read(SOURCES[name]))
            assert not cells.find_leaks(text, secrets), (student, name)
            if name == "01_entropy":
                assert not [line for line in secret_code if line in text], "no code of the checks"
    text = cells.page_text((graded.course / "feedback" / "partial" / "01_entropy" / "01_entropy.html").read_text())
    assert "[grader] a1_q2_edge_cases: 0 / 1 points" in text
    assert "FAILED: entropy([0.5, 0.6]) raises ValueError: expected ValueError, but it returned" in text
    assert "passed: entropy([0.5, 0.5]) is 1 bit" in text
    page = tmp_path / "page.html"  # what --show-checks does to every page
    shutil.copy(graded.course / "feedback" / "partial" / "01_entropy" / "01_entropy.html", page)
    course_tool.add_checks_source(graded.course, page, "01_entropy")
    assert "CHECKS = [" in cells.page_text(page.read_text()), "--show-checks adds the checks' code"


# --- the instructor guide ---------------------------------------------------------------

GUIDE = ROOT / "book" / "instructor_guide.md"


def test_guide_table_matches_the_notebooks_points():
    rows = re.findall(r"^\| `(\w+)` \|.*\| (\d+) \| (\d+) \|$", GUIDE.read_text(), re.M)
    table = {name: (int(auto), int(manual)) for name, auto, manual in rows}
    actual = {
        name: (sum(_points(_read(SOURCES[name])).values()),
               sum(_points(_read(SOURCES[name]), roles=("written",)).values()))
        for name in ASSIGNMENTS
    }
    assert table == actual


@pytest.mark.slow
def test_guide_worked_example_shows_what_autograde_prints(graded):
    text = GUIDE.read_text()
    assert course_tool.format_row(None) in text
    for student, as_student in (("ada", "solution"), ("bob", "blank")):
        row = dict(_row(graded, as_student, "01_entropy"), student_id=student)
        assert course_tool.format_row(row) in text, course_tool.format_row(row)


@pytest.mark.slow
def test_autograde_twice_regrades_nothing_then_only_what_changed(graded, capsys):
    """Last in this module: it changes a submission of the shared class."""
    again = course_tool.autograde(graded.course, quiet=True)
    assert again.graded == [] and len(again.reused) == len(graded.report.graded) + 1  # + corrupt
    assert sorted(again.problems) == sorted(graded.report.problems), "problems stay reported"
    assert course_tool.main(["autograde", str(graded.course)]) == 2, "the exit status asks for a look"
    assert "0 submission(s)" in capsys.readouterr().out
    path = graded.course / "submitted" / "blank" / "01_entropy" / "01_entropy.ipynb"
    nb = _read(path)
    _by_id(nb)["a1_q1_answer"].source = _solution_code("01_entropy", "a1_q1_answer")
    nbformat.write(nb, path)
    changed = course_tool.autograde(graded.course, quiet=True)
    assert changed.graded == [("blank", "01_entropy")]
    assert _auto(graded, "blank", "01_entropy")["a1_q1_tests"] == 1
