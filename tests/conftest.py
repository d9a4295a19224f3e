"""Settings shared by the unit, property and doctests.

* Hypothesis: the ``ci`` profile (derandomized: each property test tries the
  same examples on every run and machine, so the suite passes or fails for a
  reason, not by chance) is loaded by default; ``--hypothesis-profile=dev``
  draws fresh random examples (a counterexample it finds belongs in an
  explicit test).
* torch runs on one thread: the suite runs on pytest-xdist workers, and small
  training loops slow down badly when the threads of two workers compete.
* The tests that use the nbgrader fixture ``graded`` (one release and
  autograde of a whole course, the slowest setup of the suite) are marked
  ``slow``, with the tests that run pytest in a subprocess: ``-m "not slow"``
  skips them. ``make unit`` keeps each file on one xdist worker
  (``--dist loadfile``), so the fixture is built once.
"""

from __future__ import annotations

import pytest
import torch
from hypothesis import settings

settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True,
                          database=None, print_blob=True)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile("ci")

torch.set_num_threads(1)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "graded" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
