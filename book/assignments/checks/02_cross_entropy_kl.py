"""Checks of assignment 02_cross_entropy_kl, run by the grader (tools/grader.py).

See ``01_entropy.py`` for how checks work. Students never see this file.
"""

import math

import numpy as np

import infocourse as ic
from grader import Case, Check, call, close, satisfies

FORBIDDEN = {
    "ic": "the reference implementation; use it to check results, not in answers",
    "infocourse": "the reference implementation",
}
ALLOWED_IMPORTS = {"math", "numpy"}

P = np.array([0.80, 0.15, 0.05])
U = np.full(3, 1 / 3)


def _pairs(seed, n=20):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        k = rng.integers(2, 10)
        out.append((rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k))))
    return out


def _is_inf(v):
    return np.isposinf(np.asarray(v, dtype=float)).all()


CE_PAIRS, KL_PAIRS, JS_PAIRS = _pairs(201), _pairs(202), _pairs(203)
_rng = np.random.default_rng(7)
ID_PAIRS = [(_rng.dirichlet(np.ones(5)), _rng.dirichlet(np.ones(5))) for _ in range(10)]
ID_PAIRS.append((np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])))


def _identity(a):
    h = float(ic.entropy(a))
    return lambda v: math.isclose(float(np.asarray(v[0])), h + float(np.asarray(v[1])), rel_tol=1e-9)


CHECKS = [
    Check("a2_q1_tests", [
        Case("cross_entropy of two fair coins is 1 bit", call("cross_entropy", [0.5, 0.5], [0.5, 0.5]),
             close(1.0, rtol=1e-9), False),
        Case("cross_entropy([0.5, 0.5], [0.25, 0.75])",
             call("cross_entropy", [0.5, 0.5], [0.25, 0.75]),
             close(float(ic.cross_entropy([0.5, 0.5], [0.25, 0.75])), rtol=1e-9), False),
        Case("cross_entropy(p, p) is the entropy of p", call("cross_entropy", P, P),
             close(float(ic.entropy(P)), rtol=1e-9), False),
    ] + [
        Case(f"random pair {i + 1} of 20 ({len(a)} outcomes)", call("cross_entropy", a, b),
             close(float(ic.cross_entropy(a, b)), rtol=1e-9))
        for i, (a, b) in enumerate(CE_PAIRS)
    ] + [
        Case("inf when q = 0 where p > 0", call("cross_entropy", [0.5, 0.5], [1.0, 0.0]),
             satisfies(_is_inf, "inf")),
        Case("terms with p = 0 contribute 0", call("cross_entropy", [1.0, 0.0], [0.5, 0.5]),
             close(1.0, rtol=1e-9)),
    ]),
    Check("a2_q2_tests", [
        Case("kl_divergence(p, p) is exactly 0", call("kl_divergence", P, P),
             satisfies(lambda v: float(np.asarray(v)) == 0.0, "0.0"), False),
        Case("kl_divergence([0.5, 0.5], [0.25, 0.75])",
             call("kl_divergence", [0.5, 0.5], [0.25, 0.75]),
             close(float(ic.kl_divergence([0.5, 0.5], [0.25, 0.75])), rtol=1e-9), False),
    ] + [
        Case(f"random pair {i + 1} of 20 ({len(a)} outcomes)", call("kl_divergence", a, b),
             close(float(ic.kl_divergence(a, b)), rtol=1e-9, atol=1e-12))
        for i, (a, b) in enumerate(KL_PAIRS)
    ] + [
        Case("inf when q = 0 where p > 0", call("kl_divergence", [0.5, 0.5], [1.0, 0.0]),
             satisfies(_is_inf, "inf")),
        Case("terms with p = 0 contribute 0", call("kl_divergence", [1.0, 0.0], [0.5, 0.5]),
             close(1.0, rtol=1e-9)),
        Case("KL(p || uniform) = log2(3) - H(p)", call("kl_divergence", P, U),
             close(math.log2(3) - float(ic.entropy(P)), rtol=1e-9)),
    ]),
    Check("a2_q3_tests", [
        Case("KL(p || u) differs from KL(u || p)",
             (call("kl_divergence", P, U), call("kl_divergence", U, P)),
             satisfies(lambda v: not math.isclose(float(np.asarray(v[0])), float(np.asarray(v[1]))),
                       "two different values"), False),
        Case("js_divergence is symmetric", (call("js_divergence", P, U), call("js_divergence", U, P)),
             satisfies(lambda v: math.isclose(float(np.asarray(v[0])), float(np.asarray(v[1]))),
                       "equal values"), False),
        Case("disjoint supports: 1 bit", call("js_divergence", [1.0, 0.0], [0.0, 1.0]),
             close(1.0, rtol=1e-9), False),
    ] + [
        Case(f"random pair {i + 1} of 20 ({len(a)} outcomes), between 0 and 1",
             call("js_divergence", a, b), close(float(ic.js_divergence(a, b)), rtol=1e-9, atol=1e-12))
        for i, (a, b) in enumerate(JS_PAIRS)
    ] + [
        Case("partly overlapping supports: 0.5 bit",
             call("js_divergence", [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]), close(0.5, rtol=1e-9)),
    ]),
    Check("a2_q4_tests", [
        Case(f"H(p, q) = H(p) + KL(p || q), pair {i + 1} of {len(ID_PAIRS)}",
             (call("cross_entropy", a, b), call("kl_divergence", a, b)),
             satisfies(_identity(a), "cross_entropy = entropy + kl_divergence"), i >= 10)
        for i, (a, b) in enumerate(ID_PAIRS)
    ]),
]
