"""Speed paths, behind one seam.

Each module here computes what a plain implementation elsewhere computes, only
faster on large input, and is tested against that plain path in
``tests/test_fast_paths.py``. The rules:

* a fast path receives arguments that are already validated
  (:mod:`infocourse._validation` knows nothing about this package);
* it decides itself whether it applies and otherwise runs the plain path, so
  a caller makes one call;
* numpy input stays numpy-only (no torch import).

Modules: :mod:`.entropy` (sum p log p of large numpy arrays in cache-sized
chunks) and :mod:`.codes` (the estimators' integer pair tables, string codes
and sorted neighbour counts, each next to its plain path and tested against it
in ``tests/test_fast_codes.py``).
"""

from .entropy import plogp_sum

__all__ = ["plogp_sum"]
