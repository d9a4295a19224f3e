"""Identities and bounds of the discrete measures, checked on random distributions."""

from __future__ import annotations

import math

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st

import infocourse as ic
from tests.strategies import distribution_pairs, distributions

ABS = 1e-9


@st.composite
def joint_tables(draw):
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    return draw(distributions(n=rows * cols)).reshape(rows, cols)


@given(distributions())
def test_entropy_between_zero_and_log_n(p):
    h = ic.entropy(p)
    assert -ABS <= h <= math.log2(len(p)) + ABS
    assert h >= 0  # never a negative zero or rounding below 0


@given(st.integers(1, 64))
def test_entropy_bounds_attained(n):
    assert math.isclose(ic.entropy(np.full(n, 1 / n)), math.log2(n), abs_tol=1e-12)
    point = np.zeros(n)
    point[n // 2] = 1.0
    assert ic.entropy(point) == 0.0


@given(distribution_pairs())
def test_gibbs_inequality(pq):
    p, q = pq
    kl = ic.kl_divergence(p, q)
    assert kl >= -ABS
    assert ic.kl_divergence(p, p) == 0.0


@given(distribution_pairs(min_n=2, zeros_in_q=False, subnormal=False))
def test_kl_zero_only_when_equal(pq):
    p, q = pq
    if np.abs(p - q).max() > 1e-3:
        assert ic.kl_divergence(p, q) > 0


@given(distribution_pairs())
def test_cross_entropy_is_entropy_plus_kl(pq):
    p, q = pq
    ce, h, kl = ic.cross_entropy(p, q), ic.entropy(p), ic.kl_divergence(p, q)
    if math.isinf(kl):
        assert math.isinf(ce)
    else:
        assert math.isclose(ce, h + kl, rel_tol=1e-9, abs_tol=1e-9)


@given(joint_tables())
def test_chain_rule(p_xy):
    h_x = ic.entropy(p_xy.sum(1))
    h_y = ic.entropy(p_xy.sum(0))
    h_xy = ic.joint_entropy(p_xy)
    assert math.isclose(h_xy, h_x + ic.conditional_entropy(p_xy, given=0), abs_tol=1e-9)
    assert math.isclose(h_xy, h_y + ic.conditional_entropy(p_xy, given=1), abs_tol=1e-9)
    assert ic.conditional_entropy(p_xy) >= 0


@given(joint_tables())
def test_mutual_information_identities(p_xy):
    mi = ic.mutual_information(p_xy)
    h_x, h_y = ic.entropy(p_xy.sum(1)), ic.entropy(p_xy.sum(0))
    assert math.isclose(mi, h_x + h_y - ic.joint_entropy(p_xy), abs_tol=1e-9)
    assert mi >= -1e-12
    assert math.isclose(mi, ic.mutual_information(p_xy.T), abs_tol=1e-12)  # symmetric
    assert mi <= min(h_x, h_y) + 1e-9


@given(distributions(max_n=6), distributions(max_n=6))
def test_independent_tables_share_nothing(p_x, p_y):
    assert abs(ic.mutual_information(np.outer(p_x, p_y))) < 1e-12


@given(distribution_pairs())
def test_js_between_zero_and_one_bit_and_symmetric(pq):
    p, q = pq
    js = ic.js_divergence(p, q)
    assert -ABS <= js <= 1 + ABS
    assert math.isclose(js, ic.js_divergence(q, p), abs_tol=1e-12)


def test_kl_of_subnormal_p_is_accurate():
    # p carries a subnormal weight; the term p·log(p/q) is computed as
    # p·(log p - log q), to full relative accuracy (scipy gh-20710).
    p = np.array([1.0 - 1e-300, 1e-300, 3e-320])
    q = np.array([0.5, 0.25, 0.25])
    expected = (p[0] * math.log(p[0] / q[0]) + 1e-300 * (math.log(1e-300) - math.log(0.25))
                + 3e-320 * (math.log(3e-320) - math.log(0.25)))
    assert math.isclose(ic.kl_divergence(p, q, base=math.e), expected, rel_tol=1e-13)


@given(distribution_pairs())
def test_numpy_and_torch_agree(pq):
    p, q = pq
    tp, tq = torch.from_numpy(p), torch.from_numpy(q)
    for f in (ic.kl_divergence, ic.cross_entropy, ic.js_divergence):
        a, b = f(p, q), float(f(tp, tq))
        assert (math.isinf(a) and math.isinf(b)) or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@given(distributions(), st.sampled_from([2, math.e, 10]))
def test_units_convert_by_log_of_base(p, base):
    assert math.isclose(ic.entropy(p, base=base), ic.entropy(p, base=math.e) / math.log(base),
                        rel_tol=1e-12, abs_tol=1e-15)
