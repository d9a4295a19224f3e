"""nbgrader configuration of the course's instructor-graded assignments.

nbgrader reads this file when it runs with this folder as the working
directory (``tools/course.py`` and the Makefile targets ``release``,
``autograde`` and ``feedback`` do that). Everything else about the course lives
beside it: ``source/`` (the notebooks with solutions, committed) and the
generated, git-ignored ``release/``, ``submitted/``, ``autograded/``,
``feedback/``, ``gradebook.db`` and ``grades.csv``. See the instructor guide
(``book/instructor_guide.md``).
"""

import os

try:
    c = get_config()  # noqa: F821  (injected by traitlets when nbgrader loads this file)
except NameError:  # imported as a module (e.g. by a test collector): nothing to configure
    from traitlets.config import Config

    c = Config()

HERE = os.path.dirname(os.path.abspath(__file__))

# The course folder is the folder of this file, wherever it is copied to
# (the tests grade in a temporary copy). The gradebook is a SQLite file in it.
c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "infocourse"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# No exchange: students get the notebooks from release/ by whatever channel
# the course uses (LMS, e-mail, a shared drive) and hand them back the same way;
# the instructor copies them to submitted/<student>/<assignment>/.

# What students see in place of a solution region.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Autograding is done by tools/course.py (tools/grader.py), not by
# `nbgrader autograde`, which runs the tests inside the student's kernel; its
# time-out and the due dates are in course.yml. These settings apply only if
# someone runs nbgrader's own autograder (e.g. formgrader's button).
c.ExecutePreprocessor.timeout = 120
c.Execute.timeout = 120
c.OverwriteCells.add_missing_cells = False
