"""pytest configuration for every run from the repository root.

The notebooks' declared numeric tolerance (cell metadata ``nbval-tolerance``,
see tests/nbval_tolerance.py) applies to every nbval run from here: ``make
notebooks`` and a single chapter checked by hand alike.
"""

pytest_plugins = ["tests.nbval_tolerance"]
