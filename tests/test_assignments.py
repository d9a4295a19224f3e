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
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "book" / "assignments"
sys.path.insert(0, str(ROOT / "tools"))

import course as course_tool  # noqa: E402
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
def test_source_has_answers_visible_and_hidden_tests_and_a_written_answer(name):
    nb = _read(SOURCES[name])
    roles = [cells.role(c) for c in nb.cells]
    assert roles.count("answer") >= 3 and roles.count("written") >= 1
    test_cells = [c for c in nb.cells if cells.role(c) == "tests"]
    visible = [c for c in test_cells if c.source.split(cells.BEGIN_HIDDEN)[0].count("assert")]
    assert len(visible) == len(test_cells), "every tests cell has visible asserts"
    assert all(cells.BEGIN_HIDDEN in c.source for c in test_cells), "and hidden tests"
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
        (lambda c: setattr(c["a1_setup"], "source", "### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS"),
         "only tests cells may have them"),
    ],
    ids=["duplicate-id", "markers-outside-answer", "answer-without-markers", "unbalanced",
         "locked-written-answer", "zero-points", "old-schema", "hidden-outside-tests"],
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
    assert captions.index("Appendices") < len(captions) - 1
    assert toc["parts"][-1]["chapters"][-1]["file"] == "book/references"


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
        # Forgets the factor T**2.
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


def _submit(course, student, name, nb):
    path = course / "submitted" / student / name / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _execute(nb, cwd):
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def _errors(nb):
    """{index: ename} for code cells whose stored outputs contain an error."""
    return {
        i: o.ename for i, c in enumerate(nb.cells) if c.cell_type == "code"
        for o in c.get("outputs", []) if o.output_type == "error"
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Release, hand in four students' work, autograde, export grades.csv."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(COURSE / "nbgrader_config.py", course)
    shutil.copytree(COURSE / "source", course / "source")
    released = {p.parent.name: p for p in course_tool.release(course, quiet=True)}
    for name in ASSIGNMENTS:
        _submit(course, "solution", name, _read(SOURCES[name]))
        _submit(course, "blank", name, _read(released[name]))
    for name, answers in PARTIAL.items():
        nb = _read(released[name])
        for gid, code in answers.items():
            _by_id(nb)[gid].source = code
        _submit(course, "partial", name, nb)
    _submit(course, "cheater", "01_entropy", _cheat(_read(released["01_entropy"])))
    rows = course_tool.autograde(course, quiet=True)
    return SimpleNamespace(course=course, released=released, rows=rows)


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


def _row(graded, student, name):
    (row,) = [r for r in graded.rows if r["student_id"] == student and r["assignment"] == name]
    return row


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_released_notebooks_hold_no_solution_or_hidden_test(graded, name):
    released = _read(graded.released[name])
    text = "\n".join(c.source for c in released.cells)
    lines = {line.strip() for line in text.splitlines()}
    secrets = cells.secret_lines(_read(SOURCES[name]))
    assert secrets, "the source has solutions and hidden tests to hide"
    leaked = [s for s in secrets if s[2] in lines and sum(ch.isalnum() for ch in s[2]) >= 3]
    assert not leaked, f"{name}: released notebook shows {leaked}"
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS"):
        assert marker not in text
    assert "raise NotImplementedError()" in text and "YOUR ANSWER HERE" in text
    assert all(not c.get("outputs") for c in released.cells if c.cell_type == "code")


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_released_notebooks_run_top_to_bottom(graded, name):
    """Every cell runs; the only errors are the NotImplementedError of unanswered questions.

    The ``blank`` student handed in the released notebook unchanged, so its
    autograded copy is that notebook run top to bottom in a fresh kernel (with
    the hidden tests restored after the visible ones, which fail first).
    """
    path = graded.course / "autograded" / "blank" / name / f"{name}.ipynb"
    nb = _read(path)
    assert [c.source for c in nb.cells if cells.role(c) != "tests"] == [
        c.source for c in _read(graded.released[name]).cells if cells.role(c) != "tests"]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "every code cell ran"
    errors = _errors(nb)
    assert set(errors.values()) == {"NotImplementedError"}, errors
    failing = {nb.cells[i].metadata.nbgrader["grade_id"] for i in errors}
    tests = {gid for gid, role, _ in cells.graded_cells(nb) if role == "tests"}
    assert tests <= failing, "every test cell reports the unanswered question"
    assert any(c.metadata.nbgrader["grade_id"].endswith("_setup") for i, c in enumerate(nb.cells)
               if c.cell_type == "code" and i not in errors), "the setup cell runs cleanly"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_solutions_get_full_autograded_marks(graded, name):
    scores = _scores(graded, "solution", name)
    auto = {gid: s for gid, s in scores.items() if s.cell_type == "code"}
    assert auto and all(s.score == s.max_score and not s.manual for s in auto.values()), scores
    written = [s for s in scores.values() if s.cell_type == "markdown"]
    assert written and all(s.manual and s.score == 0 for s in written), "written answers await a grader"
    row = _row(graded, "solution", name)
    source = _read(SOURCES[name])
    assert row["score"] == sum(_points(source).values())
    assert row["max_score"] == sum(_points(source, roles=("tests", "written")).values())


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_blank_submissions_score_zero(graded, name):
    assert all(s.score == 0 for s in _scores(graded, "blank", name).values())
    assert _row(graded, "blank", name)["score"] == 0


@pytest.mark.parametrize("name", sorted(PARTIAL))
def test_partial_submission_gets_exactly_the_points_it_earned(graded, name):
    scores = _scores(graded, "partial", name)
    assert {gid: scores[gid].score for gid in PARTIAL_EXPECTED[name]} == PARTIAL_EXPECTED[name]
    assert _row(graded, "partial", name)["score"] == sum(PARTIAL_EXPECTED[name].values())
    assert 0 < _row(graded, "partial", name)["score"] < _row(graded, "solution", name)["score"]


def test_tampering_with_test_cells_earns_nothing(graded, tmp_path):
    # As handed in, the tampered test cells pass ...
    handed_in = graded.course / "submitted" / "cheater" / "01_entropy" / "01_entropy.ipynb"
    run = _execute(_read(handed_in), tmp_path)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in run.cells]
    errors = _errors(run)
    assert "a1_q2_tests" not in ids
    for gid in ("a1_q1_tests", "a1_q2_edge_cases", "a1_q3_tests"):
        assert ids.index(gid) not in errors, f"{gid} should pass as handed in"
    # ... but nbgrader restored them from the gradebook, so they fail: no credit.
    scores = _scores(graded, "cheater", "01_entropy")
    assert {gid: s.score for gid, s in scores.items() if s.cell_type == "code"} == {
        "a1_q1_tests": 0, "a1_q2_tests": 0, "a1_q2_edge_cases": 0, "a1_q3_tests": 0}
    assert scores["a1_q2_edge_cases"].max_score == 1, "points restored from the gradebook"
    assert scores["a1_q2_tests"].manual, "a deleted test cell is flagged for the grader"
    assert _row(graded, "cheater", "01_entropy")["score"] == 0
    graded_nb = _by_id(_read(graded.course / "autograded" / "cheater" / "01_entropy" / "01_entropy.ipynb"))
    source = _by_id(_read(SOURCES["01_entropy"]))
    for gid in ("a1_q1_tests", "a1_q2_edge_cases", "a1_q3_tests"):
        assert graded_nb[gid].source == source[gid].source, f"{gid} restored, hidden tests included"
    assert CHEAT_REDEFINE.strip() not in graded_nb["a1_q3_tests"].source
    # make autograde names the tampering (nbgrader's own log cannot tell it from hidden tests);
    # the "solution" student handed in the sources, whose test cells are the ones graded.
    assert course_tool.tampering(graded.course) == {("cheater", "01_entropy"): [
        "a1_q1_tests edited", "a1_q2_tests deleted", "a1_q2_edge_cases edited",
        "a1_q2_edge_cases points changed to 100", "a1_q3_tests edited"]}


def test_grades_csv_lists_every_student_and_assignment(graded):
    pairs = {(r["student_id"], r["assignment"]) for r in graded.rows}
    students = {"solution", "blank", "partial", "cheater"}
    assert pairs == {(s, a) for s in students for a in ASSIGNMENTS}
    # A student who handed nothing in for an assignment gets 0 for it.
    assert _row(graded, "cheater", "02_cross_entropy_kl")["score"] == 0
    assert (graded.course / "grades.csv").read_text().startswith("assignment,duedate,timestamp,student_id")


def test_manual_grades_complete_the_score(graded):
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


def test_feedback_is_written_per_submission_without_solutions(graded):
    files = course_tool.feedback(graded.course, quiet=True)
    expected = {(s, a) for s, a in course_tool.submissions(graded.course)}
    assert {(f.parent.parent.name, f.parent.name) for f in files} == expected
    # Feedback shows the student's own answers (and the restored tests), never the solutions.
    for student in ("blank", "cheater"):  # they wrote no answers of their own
        for name in ASSIGNMENTS:
            path = graded.course / "feedback" / student / name / f"{name}.html"
            if not path.exists():
                continue
            text = cells.page_text(path.read_text())
            secrets = cells.secret_lines(_read(SOURCES[name]))
            hidden = {line for kind, _, line in secrets if kind == "hidden test"}
            solutions = [s for s in secrets if s[0] != "hidden test" and s[2] not in hidden]
            assert not cells.find_leaks(text, solutions), (student, name)
    solution_feedback = cells.page_text(
        (graded.course / "feedback" / "solution" / "01_entropy" / "01_entropy.html").read_text())
    assert cells.find_leaks(solution_feedback, cells.secret_lines(_read(SOURCES["01_entropy"]))), (
        "the leak search finds the solution lines in the solution's own feedback")


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


def test_guide_worked_example_shows_what_autograde_prints(graded):
    text = GUIDE.read_text()
    assert course_tool.format_row(None) in text
    for student, as_student in (("ada", "solution"), ("bob", "blank")):
        row = dict(_row(graded, as_student, "01_entropy"), student_id=student)
        assert course_tool.format_row(row) in text, course_tool.format_row(row)
