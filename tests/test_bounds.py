"""Variational MI bounds (infocourse.nn.bounds): independent reference formulas,
closed forms at the optimal critic on correlated Gaussians, MINE's gradient,
stability, validation, dtypes, devices and reductions."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy import special

from infocourse.nn import (
    GaussianOptimalCritic,
    MINELoss,
    QuadraticCritic,
    barber_agakov_bound,
    barber_agakov_loss,
    correlated_gaussians,
    donsker_varadhan_bound,
    donsker_varadhan_loss,
    info_nce_bound,
    interpolated_bound,
    interpolated_loss,
    nwj_bound,
    nwj_loss,
    train_bound,
)
from infocourse.nn.bounds import _log_leave_one_out_mean

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def _scores(k, seed=0, dtype=torch.float64, scale=2.0):
    g = torch.Generator().manual_seed(seed)
    return (scale * torch.randn(k, k, generator=g, dtype=torch.float64)).to(dtype)


SCORE_LOSSES = {
    "dv": donsker_varadhan_loss,
    "nwj": nwj_loss,
    "alpha": lambda s, **kw: interpolated_loss(s, 0.3, 0.2, **kw),
    "mine": lambda s, **kw: MINELoss(**kw)(s),
}


# --- independent references ------------------------------------------------------


def _off(a):
    return a[~np.eye(a.shape[0], dtype=bool)]


def test_dv_and_nwj_match_numpy_formulas():
    s = _scores(7, seed=1)
    a = s.numpy()
    dv = np.mean(np.diag(a)) - (special.logsumexp(_off(a)) - math.log(42))
    nwj = np.mean(np.diag(a)) - np.mean(np.exp(_off(a) - 1))
    assert float(-donsker_varadhan_loss(s)) == pytest.approx(dv, rel=1e-12)
    assert float(-nwj_loss(s)) == pytest.approx(nwj, rel=1e-12)
    assert float(donsker_varadhan_bound(s)) == pytest.approx(dv / math.log(2), rel=1e-12)
    assert float(nwj_bound(s, base=10)) == pytest.approx(nwj / math.log(10), rel=1e-12)


def _interpolated_by_loops(a, log_a, alpha):
    """Poole et al.'s alpha-bound written out entry by entry (a[i, j] = f(x_i, y_j))."""
    k = a.shape[0]

    def log_base(col, leave_out):
        others = [a[m, col] for m in range(k) if m != leave_out]
        log_m = special.logsumexp(others) - math.log(k - 1)
        return math.log(alpha * math.exp(log_m) + (1 - alpha) * math.exp(log_a[col]))

    per_pair = []
    for i in range(k):
        joint = np.mean([a[i, i] - log_base(i, j) for j in range(k) if j != i])
        marg = np.mean([math.exp(a[j, i] - log_base(i, i)) for j in range(k) if j != i])
        per_pair.append(1 + joint - marg)
    return np.array(per_pair)


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.5, 1.0])
def test_interpolated_matches_the_formula_written_out(alpha):
    s = _scores(6, seed=2)
    log_a = torch.linspace(-0.5, 0.7, 6, dtype=torch.float64)
    expected = _interpolated_by_loops(s.numpy(), log_a.numpy(), alpha)
    got = -interpolated_loss(s, log_a, alpha, reduction="none")
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-11)


def test_interpolated_at_alpha_zero_with_baseline_e_is_nwj():
    s = _scores(8, seed=3)
    torch.testing.assert_close(interpolated_loss(s, 1.0, 0.0), nwj_loss(s))


def test_leave_one_out_mean_is_exact_when_one_score_dominates():
    t = torch.tensor([[800.0, 0.0, 1.0], [0.0, 0.0, 0.0], [-5.0, 3.0, 900.0]],
                     dtype=torch.float64)
    got = _log_leave_one_out_mean(t)
    for i in range(3):
        for j in range(3):
            others = [float(t[i, m]) for m in range(3) if m != j]
            assert float(got[i, j]) == pytest.approx(
                special.logsumexp(others) - math.log(2), rel=1e-13, abs=1e-13
            )


def test_barber_agakov_is_entropy_plus_mean_log_likelihood():
    ll = torch.tensor([-1.0, -2.0, -0.5], dtype=torch.float64)
    assert float(barber_agakov_loss(ll, 2.0)) == pytest.approx(-(2.0 - 3.5 / 3))
    assert float(barber_agakov_loss(ll, 2.0, reduction="sum")) == pytest.approx(-(6.0 - 3.5))
    assert float(barber_agakov_bound(ll, 2.0)) == pytest.approx((2.0 - 3.5 / 3) / math.log(2))


# --- closed forms at the optimal critic --------------------------------------------


def _gaussian_batches(mi_bits, k, n_batches, dim=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    x, y, rho = correlated_gaussians(n_batches * k, dim, mi_bits, generator=g,
                                     dtype=torch.float64)
    critic = GaussianOptimalCritic(rho)
    return [critic(x[b * k:(b + 1) * k], y[b * k:(b + 1) * k]) for b in range(n_batches)], (
        x, y, rho)


def _mean_and_se(values):
    values = np.asarray(values)
    return values.mean(), values.std(ddof=1) / math.sqrt(len(values))


@pytest.mark.parametrize("mi_bits", [0.5, 2.0])
def test_nwj_is_unbiased_and_tight_at_the_optimal_critic(mi_bits):
    """f* = 1 + log p(y|x)/p(y): E[NWJ] = I exactly (both terms are plain means)."""
    scores, _ = _gaussian_batches(mi_bits, 32, 300)
    mean, se = _mean_and_se([float(nwj_bound(s + 1)) for s in scores])
    assert abs(mean - mi_bits) < 4 * se + 1e-12


def test_dv_is_tight_at_the_optimal_critic_up_to_a_constant():
    scores, _ = _gaussian_batches(2.0, 64, 200)
    for c in (0.0, -3.0, 5.0):  # DV is invariant to adding a constant
        mean, se = _mean_and_se([float(donsker_varadhan_bound(s + c)) for s in scores])
        assert abs(mean - 2.0) < 4 * se + 0.02  # + the small upward bias of log(mean)


def test_nwj_with_a_shifted_critic_is_strictly_lower():
    """The NWJ bound is not shift invariant: f* + c loses 1 + c - e^c (in nats)."""
    scores, _ = _gaussian_batches(1.0, 32, 200)
    for c in (-1.0, 1.0):
        gap = np.mean([float(nwj_bound(s + 1, base=math.e) - nwj_bound(s + 1 + c, base=math.e))
                       for s in scores])
        assert gap == pytest.approx(math.exp(c) - 1 - c, rel=0.1)


def test_interpolated_alpha_zero_is_tight_with_matching_baseline():
    """TUBA: f = log a(y) + pmi with baseline log a(y) gives E = I."""
    g = torch.Generator().manual_seed(5)
    x, y, rho = correlated_gaussians(300 * 32, 4, 1.5, generator=g, dtype=torch.float64)
    critic = GaussianOptimalCritic(rho)
    values = []
    for b in range(300):
        xb, yb = x[b * 32:(b + 1) * 32], y[b * 32:(b + 1) * 32]
        log_a = 0.3 * yb.sum(1)  # any function of y
        values.append(float(interpolated_bound(critic(xb, yb) + log_a[None, :], log_a, 0.0)))
    mean, se = _mean_and_se(values)
    assert abs(mean - 1.5) < 4 * se


@pytest.mark.parametrize("alpha", [0.01, 0.5, 1.0])
def test_interpolated_is_below_the_truth_and_its_ceiling(alpha):
    k = 16
    scores, _ = _gaussian_batches(6.0, k, 100)
    values = [float(interpolated_bound(s + 1, 1.0, alpha)) for s in scores]
    mean, se = _mean_and_se(values)
    assert mean < 6.0 + 4 * se
    assert max(values) <= (1 + math.log((k - 1) / alpha)) / math.log(2)


def test_infonce_below_log_k_while_nwj_is_not():
    scores, _ = _gaussian_batches(8.0, 16, 100)
    nce = np.mean([float(info_nce_bound(s)) for s in scores])
    nwj = np.mean([float(nwj_bound(s + 1)) for s in scores])
    assert nce <= 4.0 < nwj


def test_barber_agakov_with_the_true_posterior_is_the_mutual_information():
    g = torch.Generator().manual_seed(3)
    dim, mi = 3, 2.0
    y, x, rho = correlated_gaussians(100_000, dim, mi, generator=g, dtype=torch.float64)
    # (x, y) is symmetric: x = rho * y + sqrt(1 - rho^2) noise as well.
    sd = math.sqrt(1 - rho**2)
    ll = (-0.5 * ((x - rho * y) / sd) ** 2 - math.log(sd) - 0.5 * math.log(2 * math.pi)).sum(1)
    h_x = 0.5 * dim * math.log(2 * math.pi * math.e)
    values = -barber_agakov_loss(ll, h_x, reduction="none") / math.log(2)
    mean, se = _mean_and_se(values.numpy())
    assert abs(mean - mi) < 4 * se
    assert float(barber_agakov_bound(ll, h_x)) == pytest.approx(mean, rel=1e-12)


def test_quadratic_critic_holds_the_gaussian_pointwise_mutual_information():
    g = torch.Generator().manual_seed(0)
    x, y, rho = correlated_gaussians(9, 3, 2.0, generator=g, dtype=torch.float64)
    critic = QuadraticCritic(3, 3).double()
    with torch.no_grad():
        critic.weight.copy_(torch.eye(3, dtype=torch.float64) * rho / (1 - rho**2))
        critic.x_terms[1].fill_(-(rho**2) / (2 * (1 - rho**2)))
        critic.y_terms[1].fill_(-(rho**2) / (2 * (1 - rho**2)))
        critic.bias.fill_(-1.5 * math.log(1 - rho**2))
    torch.testing.assert_close(critic(x, y), GaussianOptimalCritic(rho)(x, y))


# --- MINE's moving-average gradient ------------------------------------------------


def test_mine_value_is_dv_and_momentum_one_is_the_dv_gradient():
    s = _scores(6, seed=7).requires_grad_(True)
    loss = MINELoss(momentum=1.0)
    value = loss(s)
    torch.testing.assert_close(value, donsker_varadhan_loss(s))
    (g_mine,) = torch.autograd.grad(value, s)
    (g_dv,) = torch.autograd.grad(donsker_varadhan_loss(s), s)
    torch.testing.assert_close(g_mine, g_dv)


def test_mine_gradient_divides_by_the_moving_average():
    k, momentum = 5, 0.1
    loss = MINELoss(momentum=momentum)
    first = _scores(k, seed=8)
    loss(first)
    m_first = float(np.mean(np.exp(_off(first.numpy()))))
    s = _scores(k, seed=9).requires_grad_(True)
    value = loss(s)
    m_batch = float(np.mean(np.exp(_off(s.detach().numpy()))))
    m_bar = (1 - momentum) * m_first + momentum * m_batch
    assert float(loss.log_moving_average) == pytest.approx(math.log(m_bar), rel=1e-12)
    (grad,) = torch.autograd.grad(value, s)
    a = s.detach().numpy()
    expected = np.exp(a) / (k * (k - 1)) / m_bar
    np.fill_diagonal(expected, -1.0 / k)
    np.testing.assert_allclose(grad.numpy(), expected, rtol=1e-10)


def test_mine_does_not_update_in_eval_mode():
    loss = MINELoss()
    loss(_scores(4, seed=1))
    before = float(loss.log_moving_average)
    loss.eval()
    loss(_scores(4, seed=2) + 3)
    assert float(loss.log_moving_average) == before


# --- reductions, dtypes, devices, gradients, stability -----------------------------


@pytest.mark.parametrize("name", sorted(SCORE_LOSSES))
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("device", DEVICES)
def test_reductions_dtypes_and_devices(name, dtype, device):
    fn = SCORE_LOSSES[name]
    s = _scores(6, seed=4, dtype=dtype).to(device)
    none = fn(s, reduction="none")
    assert none.shape == (6,) and none.dtype == dtype and none.device == s.device
    torch.testing.assert_close(fn(s, reduction="mean"), none.mean())
    torch.testing.assert_close(fn(s, reduction="sum"), none.sum())
    if device != "cpu":
        cpu = SCORE_LOSSES[name](s.cpu(), reduction="none")
        torch.testing.assert_close(none.cpu(), cpu)


def test_barber_agakov_keeps_dtype_and_device():
    ll = torch.tensor([-1.0, -2.0], dtype=torch.float32)
    out = barber_agakov_loss(ll, 1.0, reduction="none")
    assert out.dtype == torch.float32 and out.shape == (2,)


def test_gradcheck_float64():
    s = _scores(5, seed=6).requires_grad_(True)
    log_a = torch.linspace(-1, 1, 5, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(donsker_varadhan_loss, (s,))
    assert torch.autograd.gradcheck(nwj_loss, (s,))
    for alpha in (0.0, 0.4, 1.0):
        assert torch.autograd.gradcheck(
            lambda a, b, al=alpha: interpolated_loss(a, b, al, reduction="none"), (s, log_a)
        )


def test_dv_and_interpolated_are_stable_for_large_scores():
    s = _scores(6, seed=5)
    shifted = s + 1e4
    torch.testing.assert_close(donsker_varadhan_loss(shifted), donsker_varadhan_loss(s))
    assert torch.isfinite(interpolated_loss(1e3 * s, 0.0, 0.5))
    assert torch.isfinite(MINELoss()(1e3 * s))
    # The alpha = 1 bound only sees differences of scores within a column.
    torch.testing.assert_close(
        interpolated_loss(s + 500.0, 0.0, 1.0), interpolated_loss(s, 0.0, 1.0)
    )


# --- validation ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCORE_LOSSES))
def test_bad_scores_fail_loudly(name):
    fn = SCORE_LOSSES[name]
    with pytest.raises(ValueError, match="square"):
        fn(torch.zeros(3, 4))
    with pytest.raises(ValueError, match="at least"):
        fn(torch.zeros(1, 1))
    with pytest.raises(TypeError, match="floating"):
        fn(torch.zeros(3, 3, dtype=torch.int64))
    with pytest.raises(TypeError, match="torch tensor"):
        fn(np.zeros((3, 3)))
    bad = torch.zeros(3, 3)
    bad[0, 1] = float("nan")
    with pytest.raises(ValueError, match="NaN"):
        fn(bad)
    with pytest.raises(ValueError, match="reduction"):
        fn(torch.zeros(3, 3), reduction="avg")


def test_bad_arguments_fail_loudly():
    s = torch.zeros(4, 4)
    with pytest.raises(ValueError, match="alpha"):
        interpolated_loss(s, 0.0, 1.5)
    with pytest.raises(ValueError, match=r"one entry per pair"):
        interpolated_loss(s, torch.zeros(3), 0.5)
    with pytest.raises(ValueError, match="3 x 3"):
        interpolated_loss(torch.zeros(2, 2), 0.0, 0.5)
    with pytest.raises(TypeError, match="log_baseline"):
        interpolated_loss(s, "zero", 0.5)
    with pytest.raises(ValueError, match="momentum"):
        MINELoss(momentum=0.0)
    with pytest.raises(ValueError, match="base"):
        nwj_bound(s, base=1)
    with pytest.raises(ValueError, match="dimension"):
        barber_agakov_loss(torch.zeros(2, 2), 1.0)
    with pytest.raises(ValueError, match="entropy"):
        barber_agakov_loss(torch.zeros(2), float("inf"))
    with pytest.raises(ValueError, match="NaN"):
        barber_agakov_loss(torch.tensor([0.0, float("nan")]), 1.0)
    with pytest.raises(ValueError, match="columns"):
        QuadraticCritic(2, 3)(torch.zeros(4, 2), torch.zeros(4, 2))
    with pytest.raises(ValueError, match="rows"):
        QuadraticCritic(2, 2)(torch.zeros(4, 2), torch.zeros(3, 2))


# --- train_bound ---------------------------------------------------------------------


def _tiny_run(seed=0):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    critic = QuadraticCritic(2, 2).double()
    optimiser = torch.optim.Adam(critic.parameters(), lr=0.05)

    def batch_loss():
        x, y, _ = correlated_gaussians(32, 2, 1.0, generator=gen, dtype=torch.float64)
        return nwj_loss(critic(x, y))

    return batch_loss, optimiser


def test_train_bound_is_the_plain_training_loop():
    batch_loss, optimiser = _tiny_run()
    got = train_bound(batch_loss, optimiser, 30)
    batch_loss, optimiser = _tiny_run()
    expected = []
    for _ in range(30):
        loss = batch_loss()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        expected.append(-loss.item() / math.log(2))
    np.testing.assert_array_equal(got, expected)


def test_train_bound_continues_a_run_with_the_same_optimiser():
    batch_loss, optimiser = _tiny_run()
    whole = train_bound(batch_loss, optimiser, 20)
    batch_loss, optimiser = _tiny_run()
    parts = np.concatenate([train_bound(batch_loss, optimiser, 10) for _ in range(2)])
    np.testing.assert_array_equal(whole, parts)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("not callable", None, 3), TypeError, "batch_loss must be a function"),
        ((lambda: None, "adam", 3), TypeError, "optimizer must be a torch.optim"),
        ((None, None, 0), ValueError, "steps"),
        ((None, None, True), TypeError, "steps"),
    ],
)
def test_train_bound_refuses_bad_arguments(args, error, match):
    batch_loss, optimiser = _tiny_run()
    fn, opt, steps = args
    fn = batch_loss if fn is None else fn
    opt = optimiser if opt is None else opt
    with pytest.raises(error, match=match):
        train_bound(fn, opt, steps)


def test_train_bound_stops_on_a_non_finite_or_non_scalar_loss():
    _, optimiser = _tiny_run()
    param = optimiser.param_groups[0]["params"][0]
    with pytest.raises(ValueError, match="step 0"):
        train_bound(lambda: param.sum() * float("nan"), optimiser, 3)
    with pytest.raises(ValueError, match="scalar tensor"):
        train_bound(lambda: param * 1.0, optimiser, 3)
