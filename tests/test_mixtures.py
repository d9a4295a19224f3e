"""Gaussian mixtures and forward/reverse KL fits, against scipy and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from infocourse import mixtures as mx


BIMODAL = dict(weights=[0.3, 0.7], means=[-2.0, 3.0], variances=[0.5, 1.5])


def _kl_normal_nats(m0, v0, m1, v1):
    """Closed-form KL(N(m0, v0) || N(m1, v1)) in nats."""
    return 0.5 * (v0 / v1 - 1 - math.log(v0 / v1) + (m0 - m1) ** 2 / v1)


def test_pdf_matches_scipy():
    x = np.linspace(-8, 9, 101)
    w, m, s2 = (np.array(BIMODAL[k]) for k in ("weights", "means", "variances"))
    ref = sum(wk * stats.norm.pdf(x, mk, math.sqrt(vk)) for wk, mk, vk in zip(w, m, s2))
    np.testing.assert_allclose(mx.mixture_pdf(x, **BIMODAL), ref, rtol=1e-12)
    np.testing.assert_allclose(mx.mixture_logpdf(x, **BIMODAL), np.log(ref), rtol=1e-12)


def test_logpdf_finite_far_in_the_tail():
    val = mx.mixture_logpdf(200.0, **BIMODAL)
    assert np.isfinite(val)
    assert val == pytest.approx(math.log(0.7) + stats.norm.logpdf(200.0, 3.0, math.sqrt(1.5)), rel=1e-12)


def test_moments_against_numerical_integration():
    mean, var = mx.mixture_moments(**BIMODAL)
    f = lambda x: mx.mixture_pdf(x, **BIMODAL)  # noqa: E731
    m1 = integrate.quad(lambda x: x * f(x), -np.inf, np.inf)[0]
    m2 = integrate.quad(lambda x: (x - m1) ** 2 * f(x), -np.inf, np.inf)[0]
    assert mean == pytest.approx(m1, abs=1e-8)
    assert var == pytest.approx(m2, abs=1e-7)


@pytest.mark.parametrize("m0,v0,m1,v1", [(0, 1, 1, 1), (0, 1, -1, 1), (0.5, 2.0, -1.0, 0.3), (0, 0.2, 0, 5)])
def test_grid_kl_between_gaussians_matches_closed_form(m0, v0, m1, v1):
    g = np.linspace(-30, 30, 60001)
    lp = stats.norm.logpdf(g, m0, math.sqrt(v0))
    lq = stats.norm.logpdf(g, m1, math.sqrt(v1))
    assert mx.grid_kl_divergence(lp, lq, g, base=math.e) == pytest.approx(
        _kl_normal_nats(m0, v0, m1, v1), abs=1e-8
    )
    assert mx.grid_kl_divergence(lp, lq, g) == pytest.approx(
        _kl_normal_nats(m0, v0, m1, v1) / math.log(2), abs=1e-8
    )


def test_grid_kl_infinite_when_q_misses_mass():
    g = np.linspace(-1, 1, 11)
    lp = np.zeros(11) - math.log(2)
    lq = np.where(g < 0, math.log(1.0), -np.inf)
    assert mx.grid_kl_divergence(lp, lq, g) == math.inf


def test_forward_fit_is_moment_matching():
    fit = mx.fit_gaussian(**BIMODAL, divergence="forward")
    mean, var = mx.mixture_moments(**BIMODAL)
    assert fit.mean == pytest.approx(mean, abs=1e-5)
    assert fit.variance == pytest.approx(var, rel=1e-5)
    assert fit.divergence == "forward" and fit.base == 2
    assert fit.std == pytest.approx(math.sqrt(fit.variance))


def test_reverse_fit_seeks_the_heavier_mode_of_a_separated_mixture():
    mix = dict(weights=[0.25, 0.75], means=[-10.0, 10.0], variances=[1.0, 2.0])
    fit = mx.fit_gaussian(**mix, divergence="reverse")
    assert fit.mean == pytest.approx(10.0, abs=1e-3)
    assert fit.variance == pytest.approx(2.0, rel=1e-3)
    # q = the heavier component: KL(q || p) -> -log w as the modes separate.
    assert fit.kl == pytest.approx(-math.log2(0.75), abs=1e-4)
    other = mx.fit_gaussian(**mix, divergence="reverse", init=(-10.0, 1.0))
    assert other.mean == pytest.approx(-10.0, abs=1e-3)
    assert other.kl == pytest.approx(-math.log2(0.25), abs=1e-4)
    assert fit.kl < other.kl


def test_reverse_fit_is_narrower_than_forward_fit():
    fwd = mx.fit_gaussian(**BIMODAL, divergence="forward")
    rev = mx.fit_gaussian(**BIMODAL, divergence="reverse")
    assert rev.variance < fwd.variance
    assert rev.mean == pytest.approx(3.0, abs=0.2)


@pytest.mark.parametrize("divergence", ["forward", "reverse"])
def test_single_gaussian_is_recovered(divergence):
    fit = mx.fit_gaussian([1.0], [1.5], [0.7], divergence=divergence)
    assert fit.mean == pytest.approx(1.5, abs=1e-4)
    assert fit.variance == pytest.approx(0.7, rel=1e-4)
    assert abs(fit.kl) < 1e-8


@given(
    st.floats(0.1, 0.9),
    st.floats(0.5, 6.0),
    st.floats(0.2, 3.0),
    st.floats(0.2, 3.0),
    st.floats(-3.0, 3.0),
    st.floats(0.2, 20.0),
)
@settings(max_examples=25, deadline=None)
def test_fits_are_optimal(w0, gap, v0, v1, mu, var):
    """Neither fit can be beaten by an arbitrary Gaussian (checked on the same grid)."""
    mix = dict(weights=[w0, 1 - w0], means=[-gap / 2, gap / 2], variances=[v0, v1])
    g = mx.default_grid(**mix, n=4001)
    lp = mx.mixture_logpdf(g, **mix)
    lq = stats.norm.logpdf(g, mu, math.sqrt(var))
    fwd = mx.fit_gaussian(**mix, divergence="forward", grid=g)
    rev = mx.fit_gaussian(**mix, divergence="reverse", grid=g)
    assert fwd.kl <= mx.grid_kl_divergence(lp, lq, g) + 1e-7
    assert rev.kl <= mx.grid_kl_divergence(lq, lp, g) + 1e-7
    assert fwd.kl >= -1e-9 and rev.kl >= -1e-9


# --- bad input ------------------------------------------------------------------


def test_weights_must_sum_to_one():
    with pytest.raises(ValueError, match="weights must sum to 1"):
        mx.fit_gaussian([0.5, 0.6], [0, 1], [1, 1])


def test_variances_must_be_positive():
    with pytest.raises(ValueError, match="variances must be > 0"):
        mx.mixture_pdf(0.0, [0.5, 0.5], [0, 1], [1, -1])


def test_shapes_must_match():
    with pytest.raises(ValueError, match="weights and means must have the same shape"):
        mx.mixture_moments([0.5, 0.5], [0, 1, 2], [1, 1])


def test_bad_divergence_name():
    with pytest.raises(ValueError, match="divergence must be 'forward'"):
        mx.fit_gaussian([1.0], [0.0], [1.0], divergence="backward")


def test_bad_init_and_grid():
    with pytest.raises(ValueError, match="init must be"):
        mx.fit_gaussian([1.0], [0.0], [1.0], init=(0.0, -1.0))
    with pytest.raises(TypeError, match="init must be a pair"):
        mx.fit_gaussian([1.0], [0.0], [1.0], init=0.0)
    with pytest.raises(ValueError, match="strictly increasing"):
        mx.fit_gaussian([1.0], [0.0], [1.0], grid=[0.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="log_q must have one value per grid point"):
        mx.grid_kl_divergence(np.zeros(5), np.zeros(4), np.arange(5.0))


def test_torch_is_refused_with_a_fix():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="numpy"):
        mx.mixture_pdf(0.0, torch.tensor([1.0]), [0.0], [1.0])
