"""Chapter 3's theory: total variation, Pinsker, log-sum, convexity, chain rule, DPI.

References are independent of the code under test: the definition of total
variation as a maximum over events (enumerated), scipy's L1 distance and
``scipy.special.rel_entr`` for the divergences.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.spatial.distance import cityblock
from scipy.special import rel_entr

import infocourse as ic
from tests.strategies import distributions

ABS = 1e-12


@st.composite
def pairs(draw, max_n=8, zeros_in_q=True):
    n = draw(st.integers(1, max_n))
    return draw(distributions(n)), draw(distributions(n, zeros=zeros_in_q))


@st.composite
def channels(draw, n, m):
    """A row-stochastic n x m matrix W(y | x)."""
    return np.stack([draw(distributions(m)) for _ in range(n)])


def kl_nats(p, q):
    return float(np.sum(rel_entr(p, q)))


# --- total variation -------------------------------------------------------------


@given(pairs(max_n=7))
def test_total_variation_is_the_largest_event_difference(pq):
    p, q = pq
    n = len(p)
    events = itertools.chain.from_iterable(
        itertools.combinations(range(n), k) for k in range(n + 1)
    )
    largest = max(abs(p[list(a)].sum() - q[list(a)].sum()) for a in events)
    assert math.isclose(ic.total_variation(p, q), largest, abs_tol=ABS)


@given(pairs(max_n=12))
def test_total_variation_matches_scipy_and_is_a_bounded_symmetric_metric(pq):
    p, q = pq
    tv = ic.total_variation(p, q)
    assert math.isclose(tv, 0.5 * cityblock(p, q), abs_tol=ABS)
    assert tv == ic.total_variation(q, p)
    assert 0.0 <= tv <= 1.0 + ABS
    assert ic.total_variation(p, p) == 0.0


@given(st.integers(2, 6).flatmap(lambda n: st.tuples(*(distributions(n) for _ in range(3)))))
def test_total_variation_triangle_inequality(triple):
    a, b, c = triple
    tv = ic.total_variation
    assert tv(a, c) <= tv(a, b) + tv(b, c) + ABS


def test_total_variation_values_batches_and_torch():
    assert ic.total_variation([1.0, 0.0], [0.0, 1.0]) == 1.0
    assert math.isclose(ic.total_variation([0.5, 0.5], [0.9, 0.1]), 0.4)
    rng = np.random.default_rng(0)
    ps, qs = rng.dirichlet(np.ones(4), size=(3, 5)), rng.dirichlet(np.ones(4), size=(3, 5))
    batch = ic.total_variation(ps, qs)
    assert batch.shape == (3, 5)
    assert np.allclose(batch, 0.5 * np.abs(ps - qs).sum(-1), rtol=0, atol=ABS)
    along0 = ic.total_variation(ps.swapaxes(0, 2), qs.swapaxes(0, 2), axis=0)
    assert np.allclose(along0, batch.T, rtol=0, atol=ABS)
    p_t = torch.tensor(ps, requires_grad=True)
    out = ic.total_variation(p_t, torch.tensor(qs))
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float64
    assert np.allclose(out.detach().numpy(), batch, rtol=0, atol=ABS)
    out.sum().backward()
    assert torch.allclose(p_t.grad, 0.5 * torch.sign(p_t.detach() - torch.tensor(qs)))


@pytest.mark.parametrize(
    "p, q, error, words",
    [
        ([0.5, 0.6], [0.5, 0.5], ValueError, "p must sum to 1"),
        ([0.5, 0.5], [0.5, 0.5, 0.0], ValueError, "same shape"),
        ([0.5, float("nan")], [0.5, 0.5], ValueError, "NaN"),
        ([1.5, -0.5], [0.5, 0.5], ValueError, "negative"),
        ([], [], ValueError, "empty"),
        ("ab", [0.5, 0.5], TypeError, "string"),
    ],
)
def test_total_variation_rejects_bad_input(p, q, error, words):
    with pytest.raises(error, match=words):
        ic.total_variation(p, q)


def test_total_variation_rejects_mixed_numpy_and_torch():
    with pytest.raises(TypeError, match="do not mix numpy and torch"):
        ic.total_variation(np.array([0.5, 0.5]), torch.tensor([0.5, 0.5]))


# --- Pinsker, log-sum, convexity, chain rule, data processing ----------------------


@given(pairs(max_n=10))
def test_pinsker_inequality(pq):
    p, q = pq
    kl = ic.kl_divergence(p, q, base=math.e)
    assert math.isclose(kl, kl_nats(p, q), rel_tol=1e-12, abs_tol=ABS)
    # Two probability vectors that sum to 1 only within rounding can give
    # KL = -2e-280 (p = [1, 4e-283], q = [1, 8e-17]).
    assert ic.total_variation(p, q) <= math.sqrt(max(kl, 0.0) / 2) + 1e-9


def test_pinsker_is_tight_for_nearby_coins():
    # For q = p + e near the fair coin, TV = e and KL = 2 e^2 + O(e^4) nats.
    for e in (1e-2, 1e-3):
        p, q = np.array([0.5, 0.5]), np.array([0.5 + e, 0.5 - e])
        ratio = ic.total_variation(p, q) / math.sqrt(ic.kl_divergence(p, q, base=math.e) / 2)
        assert 1 - 2 * e**2 < ratio < 1


@given(
    arrays(np.float64, st.integers(1, 8), elements=st.floats(1e-6, 1e3)),
    st.data(),
)
def test_log_sum_inequality(a, data):
    b = data.draw(arrays(np.float64, a.shape, elements=st.floats(1e-6, 1e3)))
    lhs = np.sum(a * np.log(a / b))
    rhs = a.sum() * math.log(a.sum() / b.sum())
    assert lhs >= rhs - 1e-9 * (1 + abs(rhs))
    # The same sum through the library: A D(a/A || b/B) + A log(A/B).
    via_kl = a.sum() * (
        ic.kl_divergence(a / a.sum(), b / b.sum(), base=math.e) + math.log(a.sum() / b.sum())
    )
    assert math.isclose(lhs, via_kl, rel_tol=1e-9, abs_tol=1e-9)


@given(
    st.integers(1, 6).flatmap(lambda n: st.tuples(*(distributions(n) for _ in range(4)))),
    st.floats(0.001, 0.999),
)
def test_kl_is_jointly_convex(quad, lam):
    p1, p2, q1, q2 = quad
    mixed = ic.kl_divergence(lam * p1 + (1 - lam) * p2, lam * q1 + (1 - lam) * q2)
    separate = lam * ic.kl_divergence(p1, q1) + (1 - lam) * ic.kl_divergence(p2, q2)
    assert mixed <= separate + 1e-9 or math.isinf(separate)


@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_kl_chain_rule(n, m, data):
    p_x, q_x = data.draw(distributions(n)), data.draw(distributions(n, zeros=False))
    w_p, w_q = data.draw(channels(n, m)), data.draw(channels(n, m))
    w_q = 0.5 * w_q + 0.5 / m  # q(y | x) > 0: every term finite
    joint = ic.kl_divergence((p_x[:, None] * w_p).ravel(), (q_x[:, None] * w_q).ravel())
    conditional = float(np.sum(p_x * ic.kl_divergence(w_p, w_q)))
    assert math.isclose(joint, ic.kl_divergence(p_x, q_x) + conditional, abs_tol=1e-9)


@given(st.integers(1, 6), st.integers(1, 6), st.data())
def test_data_processing_inequality_for_kl_and_tv(n, m, data):
    p, q = data.draw(distributions(n)), data.draw(distributions(n))
    w = data.draw(channels(n, m))
    p_out, q_out = p @ w, q @ w
    p_out, q_out = p_out / p_out.sum(), q_out / q_out.sum()  # rounding only
    assert ic.kl_divergence(p_out, q_out) <= ic.kl_divergence(p, q) + 1e-9
    assert ic.total_variation(p_out, q_out) <= ic.total_variation(p, q) + 1e-9
    assert ic.js_divergence(p_out, q_out) <= ic.js_divergence(p, q) + 1e-9


def test_merging_outcomes_lowers_kl_and_keeps_it_when_ratios_agree():
    p, q = np.array([0.1, 0.3, 0.2, 0.4]), np.array([0.25, 0.25, 0.25, 0.25])
    merge = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=float)
    assert ic.kl_divergence(p @ merge, q @ merge) < ic.kl_divergence(p, q)
    # Equality when p/q is constant on each merged group (a sufficient statistic).
    p_eq = np.array([0.1, 0.1, 0.4, 0.4])
    assert math.isclose(
        ic.kl_divergence(p_eq @ merge, q @ merge), ic.kl_divergence(p_eq, q), abs_tol=ABS
    )


@given(st.integers(1, 10).flatmap(distributions))
def test_entropy_is_log_n_minus_kl_to_uniform(p):
    n = len(p)
    u = np.full(n, 1 / n)
    assert math.isclose(ic.entropy(p), math.log2(n) - ic.kl_divergence(p, u), abs_tol=1e-9)
