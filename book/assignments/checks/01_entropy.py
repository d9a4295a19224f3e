"""Checks of assignment 01_entropy, run by the grader (tools/grader.py).

Each tests cell of the notebook scores its points when all of its cases pass.
Inputs are made here, the student's functions are called on them in the
student's process, and the results are compared here with values computed
here (numpy and ``infocourse`` of the grader's process). Cases with
``hidden=False`` repeat the notebook's visible tests; the others are the
hidden tests. Students never see this file.
"""

import math

import numpy as np

import infocourse as ic
from grader import Case, Check, call, close, raises, satisfies

FORBIDDEN = {
    "ic": "the reference implementation; use it to check results, not in answers",
    "infocourse": "the reference implementation",
}
ALLOWED_IMPORTS = {"math", "numpy"}

PROBS = np.random.default_rng(101).uniform(1e-9, 1.0, size=(4, 25))
_rng = np.random.default_rng(102)
DISTRIBUTIONS = [_rng.dirichlet(np.ones(_rng.integers(2, 12))) for _ in range(20)]
GRID = np.linspace(0.0, 1.0, 101)

CHECKS = [
    Check("a1_q1_tests", [
        Case("self_information(0.5) is 1 bit", call("self_information", 0.5), close(1.0), False),
        Case("self_information([1/8, 1]) is [3, 0] bits", call("self_information", [1 / 8, 1.0]),
             close([3.0, 0.0], rtol=1e-5, atol=1e-8), False),
        Case("a (4, 25) array of probabilities, element-wise and same shape",
             call("self_information", PROBS), close(ic.self_information(PROBS), rtol=1e-5, atol=1e-8)),
        Case("self_information(0) is inf", call("self_information", 0.0),
             satisfies(lambda v: np.isposinf(np.asarray(v, dtype=float)).all(), "inf")),
    ]),
    Check("a1_q2_tests", [
        Case("entropy([0.5, 0.5]) is 1 bit", call("entropy", [0.5, 0.5]), close(1.0, rtol=1e-9), False),
        Case("entropy of 8 equally likely outcomes is 3 bits", call("entropy", np.full(8, 1 / 8)),
             close(3.0, rtol=1e-9), False),
        Case("entropy([0.5, 0.25, 0.25]) is 1.5 bits", call("entropy", [0.5, 0.25, 0.25]),
             close(1.5, rtol=1e-9), False),
    ] + [
        Case(f"random distribution {i + 1} of 20 ({len(p)} outcomes)", call("entropy", p),
             close(float(ic.entropy(p)), rtol=1e-9, atol=1e-12))
        for i, p in enumerate(DISTRIBUTIONS)
    ]),
    Check("a1_q2_edge_cases", [
        Case("entropy([1, 0, 0]) is exactly 0", call("entropy", [1.0, 0.0, 0.0]),
             satisfies(lambda v: float(np.asarray(v)) == 0.0, "0.0"), False),
        Case("entropy([0.5, 0, 0.5]) is 1 bit", call("entropy", [0.5, 0.0, 0.5]),
             close(1.0, rtol=1e-9), False),
    ] + [
        Case(f"entropy({bad}) raises ValueError", call("entropy", bad), raises("ValueError"))
        for bad in ([0.5, 0.6], [1.2, -0.2], [0.2, 0.2])
    ] + [
        Case("entropy([0, 1]) is 0, not nan", call("entropy", [0.0, 1.0]), close(0.0, atol=1e-12)),
    ]),
    Check("a1_q3_tests", [
        Case("binary_entropy(0.5) is 1 bit", call("binary_entropy", 0.5), close(1.0, rtol=1e-9), False),
        Case("binary_entropy([0, 1]) is [0, 0]", call("binary_entropy", [0.0, 1.0]),
             close([0.0, 0.0], atol=1e-8), False),
        Case("101 points of [0, 1], element-wise, no nan", call("binary_entropy", GRID),
             close(ic.binary_entropy(GRID), rtol=1e-5, atol=1e-8)),
        Case("binary_entropy(0.11) is about half a bit", call("binary_entropy", 0.11),
             close(0.5, atol=1e-3)),
    ]),
]
