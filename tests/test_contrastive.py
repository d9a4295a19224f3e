"""InfoNCE: torch's cross-entropy as the reference, gradients, the log K ceiling,
the bound against the closed-form MI of Gaussians, and the critics."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from scipy import special, stats

from infocourse import gaussian
from infocourse.nn import (
    ConcatCritic,
    GaussianOptimalCritic,
    InfoNCELoss,
    SeparableCritic,
    correlated_gaussians,
    info_nce_bound,
    info_nce_ceiling,
    info_nce_loss,
)


DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def _scores(k, seed=0, dtype=torch.float64, scale=3.0):
    g = torch.Generator().manual_seed(seed)
    return (scale * torch.randn(k, k, generator=g)).to(dtype)


# --- the loss against torch's built-in and an independent formula ---------------


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("device", DEVICES)
def test_equals_cross_entropy_with_diagonal_targets(reduction, dtype, device):
    s = _scores(7, dtype=dtype).to(device)
    expected = F.cross_entropy(s, torch.arange(7, device=device), reduction=reduction)
    got = info_nce_loss(s, reduction=reduction)
    assert got.dtype == dtype and got.device == s.device
    torch.testing.assert_close(got, expected)
    torch.testing.assert_close(InfoNCELoss(reduction=reduction)(s), expected)


def test_matches_scipy_logsumexp():
    s = _scores(9, seed=3)
    a = s.numpy()
    per_row = special.logsumexp(a, axis=1) - np.diag(a)
    np.testing.assert_allclose(info_nce_loss(s, reduction="none").numpy(), per_row, rtol=1e-12)


def test_symmetric_is_the_mean_of_rows_and_columns():
    s = _scores(6, seed=1)
    t = torch.arange(6)
    expected = 0.5 * (F.cross_entropy(s, t) + F.cross_entropy(s.T, t))
    torch.testing.assert_close(info_nce_loss(s, symmetric=True), expected)


def test_stable_for_huge_scores():
    s = _scores(5, seed=2, dtype=torch.float32, scale=1e30)
    assert torch.isfinite(info_nce_loss(s))
    big = torch.full((4, 4), 1e38)
    torch.testing.assert_close(info_nce_loss(big), torch.tensor(math.log(4)))


def test_gradcheck_float64():
    s = _scores(5, seed=4).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda x: info_nce_loss(x), (s,))
    assert torch.autograd.gradcheck(lambda x: info_nce_loss(x, reduction="none"), (s,))
    assert torch.autograd.gradcheck(lambda x: info_nce_loss(x, symmetric=True), (s,))
    assert torch.autograd.gradcheck(lambda x: info_nce_bound(x, base=2), (s,))


def test_gradient_matches_softmax_minus_identity():
    # d loss_i / d S_ij = softmax(S_i)_j - [i = j]  (averaged over the K rows).
    s = _scores(6, seed=5).requires_grad_(True)
    info_nce_loss(s).backward()
    expected = (torch.softmax(s.detach(), dim=1) - torch.eye(6)) / 6
    torch.testing.assert_close(s.grad, expected)


# --- the bound and its ceiling -----------------------------------------------------


@given(st.integers(1, 40), st.integers(0, 10_000), st.floats(0.01, 100))
def test_bound_never_exceeds_log_k(k, seed, scale):
    s = _scores(k, seed=seed, scale=scale)
    bound = float(info_nce_bound(s, base=math.e))
    assert bound <= math.log(k) + 1e-9
    assert bound <= info_nce_ceiling(k, base=math.e) + 1e-9


def test_bound_extremes_and_units():
    assert float(info_nce_bound(torch.zeros(8, 8, dtype=torch.float64))) == 0.0
    assert abs(float(info_nce_bound(torch.zeros(8, 8)))) < 1e-6   # float32 rounding
    # A critic that singles out the positives reaches log K.
    assert math.isclose(float(info_nce_bound(100 * torch.eye(32, dtype=torch.float64), base=math.e)), math.log(32),
                        abs_tol=1e-9)
    s = _scores(10, seed=6)
    assert math.isclose(float(info_nce_bound(s, base=2)),
                        float(info_nce_bound(s, base=math.e)) / math.log(2))


@pytest.mark.parametrize("k", [1, 2, 7, 64, 1024])
def test_ceiling(k):
    assert info_nce_ceiling(k) == math.log2(k)
    assert math.isclose(info_nce_ceiling(k, base=math.e), math.log(k))
    assert math.isclose(info_nce_ceiling(k, base=10), math.log10(k))


def test_optimal_critic_is_the_log_density_ratio():
    # log p(y | x) - log p(y) from scipy's multivariate normal densities.
    rho, d = 0.6, 3
    x, y, _ = correlated_gaussians(4, d, 1.0, generator=torch.Generator().manual_seed(2),
                                   dtype=torch.float64)
    s = GaussianOptimalCritic(rho)(x, y)
    for i in range(4):
        for j in range(4):
            cond = stats.multivariate_normal(rho * x[i].numpy(), (1 - rho**2) * np.eye(d))
            marg = stats.multivariate_normal(np.zeros(d), np.eye(d))
            expected = cond.logpdf(y[j].numpy()) - marg.logpdf(y[j].numpy())
            assert math.isclose(float(s[i, j]), expected, rel_tol=1e-10, abs_tol=1e-10)


def test_optimal_critic_is_defined_up_to_a_function_of_x_not_of_y():
    """Row shifts c(x_i) leave every row's softmax unchanged; column shifts g(y_j) do not."""
    gen = torch.Generator().manual_seed(5)
    k = 256
    x, y, rho = correlated_gaussians(k, 5, 4.0, generator=gen, dtype=torch.float64)
    s = GaussianOptimalCritic(rho)(x, y)
    c_x = (3 * (x**2).sum(1) + x[:, 0]).unsqueeze(1)
    torch.testing.assert_close(info_nce_loss(s + c_x, reduction="none"),
                               info_nce_loss(s, reduction="none"))
    g_y = 3 * (y**2).sum(1).unsqueeze(0)
    assert float(info_nce_bound(s + g_y)) < float(info_nce_bound(s)) - 10


def test_optimal_critic_bound_approaches_the_truth_from_below_as_k_grows():
    gen = torch.Generator().manual_seed(6)
    x, y, rho = correlated_gaussians(20 * 1024, 5, 4.0, generator=gen, dtype=torch.float64)
    critic = GaussianOptimalCritic(rho)
    bounds = []
    for k in (16, 64, 256, 1024):
        bounds.append(np.mean([float(info_nce_bound(critic(x[i:i + k], y[i:i + k])))
                               for i in range(0, 20 * k, k)]))
    assert all(a < b for a, b in zip(bounds, bounds[1:]))
    assert bounds[-1] < 4.0


def test_optimal_critic_averages_to_the_true_mi():
    # E over positive pairs of the pointwise MI is I(X; Y) (nats).
    x, y, rho = correlated_gaussians(20_000, 2, 1.5, base=math.e,
                                     generator=torch.Generator().manual_seed(3),
                                     dtype=torch.float64)
    critic = GaussianOptimalCritic(rho)
    diag = torch.cat([torch.diagonal(critic(x[i:i + 500], y[i:i + 500]))
                      for i in range(0, 20_000, 500)])
    assert abs(float(diag.mean()) - 1.5) < 0.05


@pytest.mark.parametrize(("mi", "k"), [(0.5, 512), (1.0, 256), (8.0, 64)])
def test_bound_with_the_optimal_critic_stays_below_true_mi(mi, k):
    g = torch.Generator().manual_seed(0)
    bounds = []
    for _ in range(20):
        x, y, rho = correlated_gaussians(k, 4, mi, base=math.e, generator=g, dtype=torch.float64)
        bounds.append(float(info_nce_bound(GaussianOptimalCritic(rho)(x, y), base=math.e)))
    mean = float(np.mean(bounds))
    stderr = float(np.std(bounds) / math.sqrt(len(bounds)))
    assert mean <= mi + 3 * stderr
    assert mean <= math.log(k)
    if mi < math.log(k) / 4:
        # With K much larger than e^I the optimal critic's bound is nearly tight.
        assert mean > mi - 0.1
    else:
        # 8 nats of MI but log 64 = 4.16: the ceiling, not the critic, limits the bound.
        assert mean > math.log(k) - 0.5


# --- the benchmark data ------------------------------------------------------------------


@pytest.mark.parametrize(("mi", "dim", "base"), [(1.0, 1, 2), (2.0, 5, 2), (6.0, 20, math.e)])
def test_correlated_gaussians_have_the_requested_mi(mi, dim, base):
    x, y, rho = correlated_gaussians(50_000, dim, mi, base=base,
                                     generator=torch.Generator().manual_seed(1),
                                     dtype=torch.float64)
    # The closed form from infocourse.gaussian, on the joint covariance.
    cov = np.block([[np.eye(dim), rho * np.eye(dim)], [rho * np.eye(dim), np.eye(dim)]])
    assert math.isclose(float(gaussian.mutual_information_from_covariance(cov, dim, base=base)),
                        mi, rel_tol=1e-9)
    corr = np.corrcoef(x[:, 0].numpy(), y[:, 0].numpy())[0, 1]
    assert abs(corr - rho) < 0.02
    assert abs(float(y.std()) - 1.0) < 0.02


# --- critics ---------------------------------------------------------------------------


def test_separable_critic_is_a_dot_product_of_embeddings():
    torch.manual_seed(0)
    critic = SeparableCritic(3, 2, hidden=8, embed=4, temperature=0.5).double()
    x, y = torch.randn(5, 3, dtype=torch.float64), torch.randn(5, 2, dtype=torch.float64)
    s = critic(x, y)
    for i in range(5):
        for j in range(5):
            expected = critic.g(x[i:i + 1]) @ critic.h(y[j:j + 1]).T / 0.5
            torch.testing.assert_close(s[i, j], expected[0, 0])


def test_concat_critic_scores_every_pair():
    torch.manual_seed(0)
    critic = ConcatCritic(3, 2, hidden=(8,)).double()
    x, y = torch.randn(4, 3, dtype=torch.float64), torch.randn(4, 2, dtype=torch.float64)
    s = critic(x, y)
    for i in range(4):
        for j in range(4):
            torch.testing.assert_close(s[i, j], critic.net(torch.cat([x[i], y[j]]))[0])


@pytest.mark.parametrize("critic_cls", [SeparableCritic, ConcatCritic])
def test_training_a_critic_raises_the_bound(critic_cls):
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    critic = critic_cls(2, 2)
    opt = torch.optim.Adam(critic.parameters(), lr=3e-3)
    for _ in range(150):
        x, y, _ = correlated_gaussians(64, 2, 1.0, base=math.e, generator=g)
        loss = info_nce_loss(critic(x, y))
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        x, y, _ = correlated_gaussians(1024, 2, 1.0, base=math.e, generator=g)
        bound = float(info_nce_bound(critic(x, y), base=math.e))
    assert 0.6 < bound < 1.0 + 0.1   # learned most of the 1 nat, without exceeding it


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: info_nce_loss(torch.zeros(3, 4)), ValueError, "square"),
        (lambda: info_nce_loss(torch.zeros(3)), ValueError, "square"),
        (lambda: info_nce_loss(np.zeros((3, 3))), TypeError, "torch tensor"),
        (lambda: info_nce_loss(torch.zeros(3, 3, dtype=torch.long)), TypeError, "floating"),
        (lambda: info_nce_loss(torch.zeros(3, 3), reduction="batchmean"), ValueError, "reduction"),
        (lambda: info_nce_loss(torch.zeros(3, 3), symmetric=1), TypeError, "symmetric"),
        (lambda: InfoNCELoss(reduction="avg"), ValueError, "reduction"),
        (lambda: info_nce_bound(torch.zeros(2, 2), base=1), ValueError, "base"),
        (lambda: info_nce_ceiling(0), ValueError, "batch_size"),
        (lambda: info_nce_ceiling(2.5), TypeError, "batch_size"),
        (lambda: SeparableCritic(2, 2)(torch.zeros(3, 2), torch.zeros(4, 2)), ValueError, "same number"),
        (lambda: SeparableCritic(2, 2, temperature=0), ValueError, "temperature"),
        (lambda: correlated_gaussians(4, 2, -1.0), ValueError, "mutual_information"),
        (lambda: correlated_gaussians(4, 1, 100.0), ValueError, "too large"),
        (lambda: correlated_gaussians(0, 2, 1.0), ValueError, "n must"),
        (lambda: GaussianOptimalCritic(1.0), ValueError, "rho"),
        (lambda: GaussianOptimalCritic(0.5)(torch.zeros(3, 2), torch.zeros(3, 1)), ValueError,
         "same dimension"),
    ],
)
def test_bad_input_is_explained(call, error, match):
    with pytest.raises(error, match=match):
        call()
