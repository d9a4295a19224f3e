"""Checks of assignment 03_estimating_mi, run by the grader (tools/grader.py).

See ``01_entropy.py`` for how checks work. Students never see this file.
"""

import math

import numpy as np

import infocourse as ic
from grader import Case, Check, call, close, satisfies
from infocourse import gaussian

FORBIDDEN = {
    "ic": "the reference implementation; use it to check results, not in answers",
    "infocourse": "the reference implementation",
    "gaussian": "part of the reference implementation",
}
ALLOWED_IMPORTS = {"math", "numpy"}


def _table_mi(x, y):
    """Plug-in MI in bits of paired labels, from the reference implementation."""
    _, xi = np.unique(x, return_inverse=True)
    _, yi = np.unique(y, return_inverse=True)
    table = np.zeros((xi.max() + 1, yi.max() + 1))
    np.add.at(table, (xi, yi), 1.0)
    return float(ic.mutual_information(table / table.sum()))


LABELS4 = np.tile(np.arange(4), 25)
_rng = np.random.default_rng(301)
X1 = _rng.integers(0, 5, size=400)
Y1 = (X1 + _rng.integers(0, 3, size=400)) % 5
MI1 = _table_mi(X1, Y1)

X, Y = gaussian.sample_correlated(0.8, 20_000, seed=0)
TRUTH = float(gaussian.mutual_information_from_correlation(0.8))
X0, Y0 = gaussian.sample_correlated(0.0, 20_000, seed=1)


def _hist_mi(bins):
    counts, _, _ = np.histogram2d(X, Y, bins=bins)
    return float(ic.mutual_information(counts / counts.sum()))


LABELS8 = np.tile(np.arange(8), 20)
_rng = np.random.default_rng(303)
X3 = _rng.integers(0, 3, size=300)
Y3 = _rng.integers(0, 3, size=300)
MI3 = _table_mi(X3, Y3)


def _pair(v):
    mi, p_value = (float(np.asarray(t)) for t in v)
    return mi, p_value


CHECKS = [
    Check("a3_q1_tests", [
        Case("Y = X with 4 equally likely values: 2 bits", call("plugin_mi", LABELS4, LABELS4),
             close(2.0, rtol=1e-9), False),
        Case("Y constant: 0 bits", call("plugin_mi", LABELS4, np.zeros(100, dtype=int)),
             close(0.0, atol=1e-12), False),
        Case("400 dependent labels", call("plugin_mi", X1, Y1), close(MI1, rtol=1e-9)),
        Case("symmetric in x and y", call("plugin_mi", Y1, X1), close(MI1, rtol=1e-9)),
        Case("labels are names only (10 x + 7, y - 3)", call("plugin_mi", 10 * X1 + 7, Y1 - 3),
             close(MI1, rtol=1e-9)),
    ]),
    Check("a3_q2_tests", [
        Case("20 bins, rho = 0.8: within 0.1 bit of the truth", call("histogram_mi", X, Y, 20),
             close(TRUTH, atol=0.1, rtol=0), False),
        Case("20 bins, independent: between 0 and 0.05 bit", call("histogram_mi", X0, Y0, 20),
             satisfies(lambda v: 0 <= float(np.asarray(v)) < 0.05, "a value in [0, 0.05)"), False),
    ] + [
        Case(f"{bins} bins: the plug-in MI of np.histogram2d's counts",
             call("histogram_mi", X, Y, bins), close(_hist_mi(bins), rtol=1e-9))
        for bins in (5, 12, 30)
    ]),
    Check("a3_q3_tests", [
        Case("Y = X, 99 shuffles: MI 3 bits, p-value 1/100",
             call("permutation_test", LABELS8, LABELS8, n_permutations=99, seed=0),
             satisfies(lambda v: math.isclose(_pair(v)[0], 3.0) and math.isclose(_pair(v)[1], 0.01),
                       "(3.0, 0.01)"), False),
        Case("Y constant: every shuffle ties, p-value 1",
             call("permutation_test", LABELS8, np.ones_like(LABELS8), n_permutations=99, seed=0),
             satisfies(lambda v: _pair(v)[1] == 1.0, "p-value 1.0"), False),
        Case("independent labels, 49 shuffles: MI is the plug-in estimate, p-value k/50",
             call("permutation_test", X3, Y3, n_permutations=49, seed=5),
             satisfies(lambda v: math.isclose(_pair(v)[0], MI3, rel_tol=1e-9)
                       and 0 < _pair(v)[1] <= 1
                       and math.isclose(_pair(v)[1] * 50, round(_pair(v)[1] * 50)),
                       f"({MI3:.6g}, a multiple of 1/50 in (0, 1])")),
    ]),
]
