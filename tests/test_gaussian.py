"""Gaussian closed forms against scipy, torch.distributions and numerical integration."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from infocourse import gaussian

LN2 = math.log(2)


def random_spd(d, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((d, d))
    return a @ a.T + 0.5 * np.eye(d)


# --- entropy --------------------------------------------------------------------


@pytest.mark.parametrize("var", [1e-4, 0.3, 1.0, 17.0])
def test_entropy_univariate_matches_scipy(var):
    ref = stats.norm(scale=math.sqrt(var)).entropy()  # nats
    assert gaussian.entropy(var, base=math.e) == pytest.approx(ref, rel=1e-12)
    assert gaussian.entropy(var) == pytest.approx(ref / LN2, rel=1e-12)


def test_entropy_elementwise_variances():
    var = np.array([0.01, 1.0, 4.0])
    ref = stats.norm(scale=np.sqrt(var)).entropy() / LN2
    np.testing.assert_allclose(gaussian.entropy(var), ref, rtol=1e-12)


@pytest.mark.parametrize("d", [1, 2, 5])
def test_entropy_multivariate_matches_scipy(d):
    cov = random_spd(d, d)
    ref = stats.multivariate_normal(mean=np.zeros(d), cov=cov).entropy()
    assert gaussian.entropy(cov, base=math.e) == pytest.approx(ref, rel=1e-12)


def test_entropy_stack_of_covariances():
    covs = np.stack([random_spd(3, s) for s in range(4)])
    out = gaussian.entropy(covs)
    assert out.shape == (4,)
    np.testing.assert_allclose(out, [gaussian.entropy(c) for c in covs], rtol=1e-13)


def test_entropy_negative_and_scaling():
    # h(aX) = h(X) + log|a|: scaling by a changes the variance by a^2.
    assert gaussian.entropy(0.01) < 0
    assert gaussian.entropy(9.0) - gaussian.entropy(1.0) == pytest.approx(math.log2(3))


def test_entropy_torch_in_torch_out_with_grad():
    var = torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True)
    h = gaussian.entropy(var, base=math.e)
    assert isinstance(h, torch.Tensor)
    h.sum().backward()
    # d/dvar ½ ln(2πe var) = 1 / (2 var)
    torch.testing.assert_close(var.grad, 1 / (2 * var.detach()))


# --- KL divergence ----------------------------------------------------------------


@pytest.mark.parametrize(
    "mu0, var0, mu1, var1",
    [(0.0, 1.0, 0.0, 1.0), (0.0, 1.0, 1.0, 1.0), (1.0, 2.0, -3.0, 0.5), (0.2, 1e-3, 0.0, 5.0)],
)
def test_kl_univariate_matches_torch(mu0, var0, mu1, var1):
    p = torch.distributions.Normal(torch.tensor(mu0, dtype=torch.float64), math.sqrt(var0))
    q = torch.distributions.Normal(torch.tensor(mu1, dtype=torch.float64), math.sqrt(var1))
    ref = float(torch.distributions.kl_divergence(p, q))
    assert gaussian.kl_divergence(mu0, var0, mu1, var1, base=math.e) == pytest.approx(
        ref, rel=1e-12, abs=1e-15
    )


def test_kl_univariate_matches_numerical_integration():
    p, q = stats.norm(0.5, 1.3), stats.norm(-1.0, 0.8)
    ref, _ = integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), -30, 30)
    assert gaussian.kl_divergence(0.5, 1.3**2, -1.0, 0.8**2, base=math.e) == pytest.approx(
        ref, rel=1e-9
    )


@pytest.mark.parametrize("d", [1, 3, 6])
def test_kl_multivariate_matches_torch(d):
    rng = np.random.default_rng(d)
    mu0, mu1 = rng.standard_normal(d), rng.standard_normal(d)
    c0, c1 = random_spd(d, 10 + d), random_spd(d, 20 + d)
    p = torch.distributions.MultivariateNormal(torch.tensor(mu0), torch.tensor(c0))
    q = torch.distributions.MultivariateNormal(torch.tensor(mu1), torch.tensor(c1))
    ref = float(torch.distributions.kl_divergence(p, q))
    got = gaussian.kl_divergence(mu0, c0, mu1, c1, base=math.e)
    assert got == pytest.approx(ref, rel=1e-10)


def test_kl_elementwise_broadcasting():
    out = gaussian.kl_divergence(np.array([0.0, 1.0, 2.0]), 1.0, 0.0, 1.0, base=math.e)
    np.testing.assert_allclose(out, [0.0, 0.5, 2.0], rtol=1e-14, atol=1e-15)


def test_kl_torch_in_torch_out_with_grad():
    mu0 = torch.tensor([0.3, -1.0], dtype=torch.float64, requires_grad=True)
    var0 = torch.tensor([0.5, 2.0], dtype=torch.float64)
    kl = gaussian.kl_divergence(mu0, var0, 0.0, 1.0, base=math.e)
    assert isinstance(kl, torch.Tensor) and kl.shape == (2,)
    ref = torch.distributions.kl_divergence(
        torch.distributions.Normal(mu0, var0.sqrt()),
        torch.distributions.Normal(torch.zeros(2, dtype=torch.float64), 1.0),
    )
    torch.testing.assert_close(kl, ref)
    kl.sum().backward()
    torch.testing.assert_close(mu0.grad, mu0.detach())  # d/dmu0 (mu0 - mu1)^2 / 2


def test_kl_multivariate_torch():
    c0 = torch.tensor(random_spd(3, 1))
    c1 = torch.tensor(random_spd(3, 2))
    m = torch.zeros(3, dtype=torch.float64)
    out = gaussian.kl_divergence(m, c0, m + 1, c1)
    assert isinstance(out, torch.Tensor)
    ref = gaussian.kl_divergence(m.numpy(), c0.numpy(), (m + 1).numpy(), c1.numpy())
    assert float(out) == pytest.approx(float(ref), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-5, 5), st.floats(0.01, 10), st.floats(-5, 5), st.floats(0.01, 10),
)
def test_kl_nonnegative_and_zero_on_equal(mu0, v0, mu1, v1):
    assert gaussian.kl_divergence(mu0, v0, mu1, v1) >= -1e-12
    assert abs(gaussian.kl_divergence(mu0, v0, mu0, v0)) < 1e-12


# --- mutual information ---------------------------------------------------------


def test_mi_from_correlation_matches_numerical_integration():
    rho = 0.7
    joint = stats.multivariate_normal(mean=[0, 0], cov=[[1, rho], [rho, 1]])

    def integrand(y, x):
        lp = joint.logpdf([x, y])
        return math.exp(lp) * (lp - stats.norm.logpdf(x) - stats.norm.logpdf(y))

    ref, _ = integrate.dblquad(integrand, -8, 8, -8, 8, epsabs=1e-10)
    assert gaussian.mutual_information_from_correlation(rho, base=math.e) == pytest.approx(
        ref, rel=1e-6
    )


@settings(max_examples=50, deadline=None)
@given(st.floats(-0.99, 0.99), st.floats(0.1, 10), st.floats(0.1, 10))
def test_mi_from_covariance_agrees_and_is_scale_invariant(rho, sx, sy):
    cov = np.array([[sx**2, rho * sx * sy], [rho * sx * sy, sy**2]])
    got = gaussian.mutual_information_from_covariance(cov, 1)
    assert got == pytest.approx(float(gaussian.mutual_information_from_correlation(rho)),
                                rel=1e-9, abs=1e-12)


def test_mi_from_covariance_is_kl_of_joint_to_product():
    cov = random_spd(4, 3)
    prod = cov.copy()
    prod[:2, 2:] = 0
    prod[2:, :2] = 0
    kl = gaussian.kl_divergence(np.zeros(4), cov, np.zeros(4), prod)
    assert gaussian.mutual_information_from_covariance(cov, 2) == pytest.approx(kl, rel=1e-10)
    # a list of indices picks the same blocks after a permutation
    perm = [2, 0, 3, 1]
    cov_p = cov[np.ix_(perm, perm)]
    assert gaussian.mutual_information_from_covariance(cov_p, [1, 3]) == pytest.approx(
        kl, rel=1e-10
    )


def test_mi_from_correlation_torch():
    r = torch.tensor([0.0, 0.7], dtype=torch.float64)
    out = gaussian.mutual_information_from_correlation(r)
    assert isinstance(out, torch.Tensor)
    torch.testing.assert_close(out, -0.5 * torch.log2(1 - r**2))


# --- sampler ------------------------------------------------------------------------


def test_sample_correlated_statistics_and_reproducibility():
    x, y = gaussian.sample_correlated(-0.6, 200_000, seed=3)
    assert x.shape == y.shape == (200_000,)
    assert np.corrcoef(x, y)[0, 1] == pytest.approx(-0.6, abs=0.01)
    assert np.std(y) == pytest.approx(1.0, abs=0.01)
    x2, _ = gaussian.sample_correlated(-0.6, 200_000, seed=3)
    np.testing.assert_array_equal(x, x2)
    xb, yb = gaussian.sample_correlated(0.5, (4, 10), seed=np.random.default_rng(0))
    assert xb.shape == yb.shape == (4, 10)


# --- bad inputs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: gaussian.entropy(0.0), ValueError, "cov_or_var"),
        (lambda: gaussian.entropy([1.0, -1.0]), ValueError, "cov_or_var"),
        (lambda: gaussian.entropy(float("nan")), ValueError, "cov_or_var"),
        (lambda: gaussian.entropy([[1.0, 2.0], [2.0, 1.0]]), ValueError, "positive definite"),
        (lambda: gaussian.entropy([[1.0, 0.5], [0.0, 1.0]]), ValueError, "symmetric"),
        (lambda: gaussian.entropy(np.ones((2, 3))), ValueError, "square"),
        (lambda: gaussian.entropy("1"), TypeError, "cov_or_var"),
        (lambda: gaussian.entropy(1.0, base=1), ValueError, "base"),
        (lambda: gaussian.kl_divergence(0, 0.0, 0, 1), ValueError, "cov0"),
        (lambda: gaussian.kl_divergence(0, 1, 0, -1), ValueError, "cov1"),
        (lambda: gaussian.kl_divergence(np.nan, 1, 0, 1), ValueError, "mu0"),
        (lambda: gaussian.kl_divergence([0, 0], [1, 1, 1], 0, 1), ValueError, "broadcast"),
        (lambda: gaussian.kl_divergence([0, 0], np.eye(2), [0, 0, 0], np.eye(2)), ValueError,
         "mu1"),
        (lambda: gaussian.kl_divergence([0, 0], np.eye(2), [0, 0], 1.0), ValueError, "cov1"),
        (lambda: gaussian.kl_divergence([0, 0], np.eye(2), [0, 0, 0], np.eye(3)), ValueError,
         "same dimension"),
        (lambda: gaussian.kl_divergence(torch.zeros(1), 1.0, np.zeros(1), 1.0), TypeError,
         "mu1"),
        (lambda: gaussian.mutual_information_from_correlation(1.0), ValueError, "rho"),
        (lambda: gaussian.mutual_information_from_correlation([0.2, -1.5]), ValueError, "rho"),
        (lambda: gaussian.mutual_information_from_correlation(0.5, base=-2), ValueError, "base"),
        (lambda: gaussian.mutual_information_from_covariance(np.eye(2), 2), ValueError,
         "dims_x"),
        (lambda: gaussian.mutual_information_from_covariance(np.eye(3), [0, 0]), ValueError,
         "dims_x"),
        (lambda: gaussian.mutual_information_from_covariance(np.eye(3), 1.5), TypeError,
         "dims_x"),
        (lambda: gaussian.mutual_information_from_covariance(np.ones(3), 1), ValueError, "cov"),
        (lambda: gaussian.sample_correlated(1.2, 10), ValueError, "rho"),
        (lambda: gaussian.sample_correlated(0.5, 0), ValueError, "n"),
        (lambda: gaussian.sample_correlated(0.5, 10.0), TypeError, "n"),
        (lambda: gaussian.sample_correlated(0.5, 10, seed="a"), TypeError, "seed"),
    ],
)
def test_bad_inputs(call, exc, words):
    with pytest.raises(exc, match=words):
        call()
