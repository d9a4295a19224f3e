"""infocourse.nn: losses against torch built-ins, gradients, calibration, training."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import infocourse as ic
from infocourse.nn import (
    MLP,
    VAE,
    History,
    accuracy,
    binned_layer_information,
    categorical_nll,
    count_parameters,
    default_device,
    distillation_loss,
    evaluate,
    expected_calibration_error,
    fit,
    gaussian_kl,
    gaussian_kl_monte_carlo,
    label_smoothing_cross_entropy,
    predict_logits,
    reliability_bins,
    seed_everything,
    smoothed_targets,
)

GEN = torch.Generator().manual_seed(1234)
LOGITS = 3 * torch.randn(16, 5, generator=GEN, dtype=torch.float64)
TEACHER = 3 * torch.randn(16, 5, generator=GEN, dtype=torch.float64)
LABELS = torch.randint(0, 5, (16,), generator=GEN)
DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


# --- label-smoothed cross-entropy ---------------------------------------------


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("smoothing", [0.0, 0.05, 0.1, 0.5, 0.99])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_label_smoothing_matches_torch(smoothing, reduction, dtype, device):
    logits, labels = LOGITS.to(dtype=dtype, device=device), LABELS.to(device)
    ours = label_smoothing_cross_entropy(logits, labels, smoothing=smoothing, reduction=reduction)
    ref = F.cross_entropy(logits, labels, label_smoothing=smoothing, reduction=reduction)
    assert ours.dtype == dtype and ours.device == logits.device
    torch.testing.assert_close(ours, ref)


def test_label_smoothing_batchmean_is_mean():
    a = label_smoothing_cross_entropy(LOGITS, LABELS, smoothing=0.2, reduction="batchmean")
    b = label_smoothing_cross_entropy(LOGITS, LABELS, smoothing=0.2, reduction="mean")
    assert float(a) == float(b)


def test_label_smoothing_is_cross_entropy_to_smoothed_target():
    """H(t, q) computed by infocourse's discrete cross_entropy, in nats."""
    with torch.no_grad():
        q = torch.softmax(LOGITS, dim=1)
    t = smoothed_targets(LABELS, 5, 0.3, dtype=torch.float64)
    ref = ic.cross_entropy(t, q, base=math.e)
    ours = label_smoothing_cross_entropy(LOGITS, LABELS, smoothing=0.3, reduction="none")
    torch.testing.assert_close(ours, ref)
    # ... = H(t) + KL(t || q): minimising it minimises the KL to the smoothed target.
    decomposed = ic.entropy(t, base=math.e) + ic.kl_divergence(t, q, base=math.e)
    torch.testing.assert_close(ours, decomposed)


def test_smoothed_targets_rows_are_distributions():
    t = smoothed_targets(torch.tensor([0, 1, 3]), 4, 0.2)
    torch.testing.assert_close(t.sum(1), torch.ones(3))
    assert float(t[0, 0]) == pytest.approx(0.8 + 0.05)
    assert float(t[0, 1]) == pytest.approx(0.05)


def test_label_smoothing_is_stable_for_huge_logits():
    logits = torch.tensor([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0]])
    labels = torch.tensor([0, 2])
    loss = label_smoothing_cross_entropy(logits, labels, smoothing=0.1, reduction="none")
    assert torch.isfinite(loss).all()
    torch.testing.assert_close(loss, F.cross_entropy(logits, labels, label_smoothing=0.1,
                                                     reduction="none"))
    # the naive route overflows/underflows: log(softmax) = log(0) = -inf
    naive = -torch.log(torch.softmax(logits, 1))[torch.arange(2), labels]
    assert torch.isinf(naive[1])


def test_label_smoothing_gradcheck():
    logits = LOGITS[:4].clone().requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda z: label_smoothing_cross_entropy(z, LABELS[:4], smoothing=0.2), (logits,)
    )


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(-20, 20), min_size=3, max_size=3),
    st.integers(0, 2),
    st.floats(0.001, 0.95),
)
def test_label_smoothing_never_below_target_entropy(z, y, eps):
    """H(t, q) >= H(t), with equality iff q = t (Gibbs' inequality)."""
    logits = torch.tensor([z], dtype=torch.float64)
    labels = torch.tensor([y])
    loss = float(label_smoothing_cross_entropy(logits, labels, smoothing=eps))
    t = smoothed_targets(labels, 3, eps, dtype=torch.float64)
    h_t = float(ic.entropy(t[0], base=math.e))
    assert loss >= h_t - 1e-9
    # and equality when the model predicts the smoothed target itself
    at_target = float(label_smoothing_cross_entropy(torch.log(t), labels, smoothing=eps))
    assert at_target == pytest.approx(h_t, abs=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"smoothing": 1.0}, ValueError, "smoothing"),
        ({"smoothing": -0.1}, ValueError, "smoothing"),
        ({"smoothing": "0.1"}, TypeError, "smoothing"),
        ({"reduction": "batchmen"}, ValueError, "reduction"),
        ({"labels": torch.tensor([0, 5])}, ValueError, r"labels must lie in \[0, 4\]"),
        ({"labels": torch.tensor([0.0, 1.0])}, TypeError, "integer class indices"),
        ({"labels": torch.tensor([0, 1, 2])}, ValueError, r"shape \(2,\)"),
        ({"labels": [0, 1]}, TypeError, "labels must be a torch tensor"),
        ({"logits": torch.zeros(2, 5, dtype=torch.long)}, TypeError, "logits"),
        ({"logits": torch.zeros(5)}, ValueError, "logits must have 2 dimension"),
        ({"logits": torch.tensor([[0.0, float("nan")] * 2 + [0.0]] * 2)}, ValueError, "NaN"),
        ({"logits": torch.zeros(2, 1)}, ValueError, "at least 2 columns"),
    ],
)
def test_label_smoothing_rejects_bad_arguments(kwargs, exc, match):
    args = {"logits": torch.zeros(2, 5), "labels": torch.tensor([0, 1])}
    args.update(kwargs)
    logits, labels = args.pop("logits"), args.pop("labels")
    with pytest.raises(exc, match=match):
        label_smoothing_cross_entropy(logits, labels, **args)


# --- distillation --------------------------------------------------------------


@pytest.mark.parametrize("temperature", [0.5, 1.0, 4.0, 20.0])
def test_distillation_matches_kl_div_batchmean(temperature):
    log_s = F.log_softmax(LOGITS / temperature, dim=1)
    log_t = F.log_softmax(TEACHER / temperature, dim=1)
    ref = temperature**2 * F.kl_div(log_s, log_t, reduction="batchmean", log_target=True)
    ours = distillation_loss(LOGITS, TEACHER, temperature=temperature)
    torch.testing.assert_close(ours, ref)
    # ... and the same KL from probabilities (log_target=False)
    ref_p = temperature**2 * F.kl_div(log_s, log_t.exp(), reduction="batchmean")
    torch.testing.assert_close(ours, ref_p)


def test_distillation_mixes_in_hard_label_cross_entropy():
    soft = distillation_loss(LOGITS, TEACHER, temperature=3.0, reduction="none")
    hard = F.cross_entropy(LOGITS, LABELS, reduction="none")
    mixed = distillation_loss(LOGITS, TEACHER, LABELS, temperature=3.0, alpha=0.7,
                              reduction="none")
    torch.testing.assert_close(mixed, 0.7 * soft + 0.3 * hard)
    only_hard = distillation_loss(LOGITS, TEACHER, LABELS, alpha=0.0, reduction="sum")
    torch.testing.assert_close(only_hard, hard.sum())


def test_distillation_per_example_kl_matches_infocourse():
    p_t = torch.softmax(TEACHER / 2.0, 1)
    p_s = torch.softmax(LOGITS / 2.0, 1)
    ref = 4.0 * ic.kl_divergence(p_t, p_s, base=math.e)
    torch.testing.assert_close(distillation_loss(LOGITS, TEACHER, temperature=2.0,
                                                 reduction="none"), ref)


def test_distillation_is_zero_when_student_equals_teacher():
    assert float(distillation_loss(TEACHER, TEACHER, temperature=5.0)) == pytest.approx(0, abs=1e-12)


def test_distillation_t_squared_keeps_gradient_scale():
    """Hinton et al. (2015): for large T, d KL / d z_s ~ (z_s - z_t) / (K T^2) for
    zero-mean logits, so with the T^2 factor the gradient no longer depends on T."""
    s = torch.tensor([[0.3, -0.2, 0.1, 0.0]], dtype=torch.float64, requires_grad=True)
    t = torch.tensor([[0.1, 0.2, -0.3, 0.0]], dtype=torch.float64)
    grads = []
    for temperature in (50.0, 100.0):
        s.grad = None
        distillation_loss(s, t, temperature=temperature).backward()
        grads.append(s.grad.clone())
    zs, zt = s.detach() - s.detach().mean(), t - t.mean()
    for g in grads:
        torch.testing.assert_close(g, (zs - zt) / 4, rtol=0.02, atol=0)
    # exact gradient at any T: T (softmax(z_s/T) - softmax(z_t/T))
    torch.testing.assert_close(
        grads[1], 100.0 * (torch.softmax(s.detach() / 100, 1) - torch.softmax(t / 100, 1))
    )


@pytest.mark.parametrize("temperature", [1e3, 1e4])
def test_distillation_high_temperature_limit_is_centred_logit_matching(temperature):
    """Hinton et al. (2015), section 2.1: T^2 KL -> sum_k (gap_k - mean gap)^2 / (2K),
    a loss that still depends on every logit (except the row means)."""
    gap = LOGITS - TEACHER
    centred = gap - gap.mean(dim=1, keepdim=True)
    limit = (centred**2).sum(dim=1) / (2 * LOGITS.shape[1])
    ours = distillation_loss(LOGITS, TEACHER, temperature=temperature, reduction="none")
    # the next term of the expansion is O(|gap|^3 / T)
    torch.testing.assert_close(ours, limit, rtol=50 / temperature, atol=0)
    # adding a constant to a row changes nothing, at any temperature
    shifted = distillation_loss(LOGITS + 7.0, TEACHER - 3.0, temperature=temperature,
                                reduction="none")
    torch.testing.assert_close(shifted, ours)


def test_distillation_gradcheck():
    s = LOGITS[:4].clone().requires_grad_(True)
    t = TEACHER[:4].clone().requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda a, b: distillation_loss(a, b, LABELS[:4], temperature=3.0, alpha=0.5), (s, t)
    )


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"temperature": 0.0}, ValueError, "temperature"),
        ({"temperature": -1.0}, ValueError, "temperature"),
        ({"temperature": float("inf")}, ValueError, "temperature"),
        ({"alpha": 1.5}, ValueError, "alpha"),
        ({"alpha": 0.5}, ValueError, "labels are required"),
        ({"reduction": "elementwise_mean"}, ValueError, "reduction"),
        ({"teacher_logits": torch.zeros(3, 4)}, ValueError, "same shape"),
    ],
)
def test_distillation_rejects_bad_arguments(kwargs, exc, match):
    args = {"student_logits": torch.zeros(3, 5), "teacher_logits": torch.zeros(3, 5)}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        distillation_loss(args.pop("student_logits"), args.pop("teacher_logits"), **args)


# --- categorical likelihood of discrete pixels ------------------------------------


def test_categorical_nll_matches_hand_computation():
    logits = torch.tensor([[[0.0, 1.0, 2.0], [3.0, 0.0, 0.0]]], dtype=torch.float64)
    x = torch.tensor([[2, 1]])
    # -log(e^2 / (1 + e + e^2)) - log(1 / (e^3 + 2))
    e = math.e
    hand = -math.log(e**2 / (1 + e + e**2)) - math.log(1 / (e**3 + 2))
    assert float(categorical_nll(logits, x)) == pytest.approx(hand, rel=1e-14)


def test_categorical_nll_matches_cross_entropy_and_reductions():
    g = torch.Generator().manual_seed(0)
    logits = 3 * torch.randn(5, 7, 4, generator=g, dtype=torch.float64)
    x = torch.randint(0, 4, (5, 7), generator=g)
    per_example = categorical_nll(logits, x, reduction="none")
    ref = F.cross_entropy(logits.permute(0, 2, 1), x, reduction="none").sum(dim=1)
    torch.testing.assert_close(per_example, ref)
    torch.testing.assert_close(categorical_nll(logits, x), ref.mean())
    torch.testing.assert_close(categorical_nll(logits, x, reduction="mean"), ref.mean())
    torch.testing.assert_close(categorical_nll(logits, x, reduction="sum"), ref.sum())


def test_categorical_nll_is_a_normalised_likelihood():
    """exp(-nll) summed over all L^d images is 1 (a Bernoulli BCE on grey levels is not)."""
    g = torch.Generator().manual_seed(1)
    d, levels = 3, 4
    logits = 2 * torch.randn(1, d, levels, generator=g, dtype=torch.float64)
    grid = torch.cartesian_prod(*[torch.arange(levels)] * d)       # all 64 images
    nll = categorical_nll(logits.expand(len(grid), d, levels), grid, reduction="none")
    assert float(torch.exp(-nll).sum()) == pytest.approx(1.0, abs=1e-12)
    # the same sum for "Bernoulli on grey levels k / (L - 1)" is not 1
    p = torch.sigmoid(logits[0, :, 0])
    u = grid.double() / (levels - 1)
    bce = F.binary_cross_entropy(p.expand(len(grid), d), u, reduction="none").sum(1)
    assert float(torch.exp(-bce).sum()) > 1.5


def test_categorical_nll_uniform_and_binary_cases():
    x = torch.randint(0, 17, (6, 64), generator=torch.Generator().manual_seed(2))
    uniform = categorical_nll(torch.zeros(6, 64, 17), x, reduction="none")
    torch.testing.assert_close(uniform, torch.full((6,), 64 * math.log(17)))
    # L = 2 with logits (0, a) is the Bernoulli likelihood with logit a
    a = torch.randn(6, 64, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    b = x % 2
    two = categorical_nll(torch.stack([torch.zeros_like(a), a], dim=-1), b, reduction="sum")
    bce = F.binary_cross_entropy_with_logits(a, b.double(), reduction="sum")
    torch.testing.assert_close(two, bce)


def test_categorical_nll_gradcheck_and_stability():
    logits = torch.randn(2, 3, 5, dtype=torch.float64, requires_grad=True)
    x = torch.tensor([[0, 4, 2], [1, 1, 3]])
    assert torch.autograd.gradcheck(lambda z: categorical_nll(z, x), (logits,))
    huge = torch.tensor([[[1000.0, -1000.0, 0.0]]])
    assert float(categorical_nll(huge, torch.tensor([[1]]))) == pytest.approx(2000.0)


@pytest.mark.parametrize(
    ("logits", "x", "exc", "match"),
    [
        (torch.zeros(2, 3), torch.zeros(2, 3, dtype=torch.long), ValueError, "3 dimension"),
        (torch.zeros(2, 3, 1), torch.zeros(2, 3, dtype=torch.long), ValueError, "2 levels"),
        (torch.zeros(2, 3, 4), torch.zeros(2, 3), TypeError, r"\.long\(\)"),
        (torch.zeros(2, 3, 4), torch.zeros(2, 4, dtype=torch.long), ValueError, "shape"),
        (torch.zeros(2, 3, 4), torch.full((2, 3), 4), ValueError, r"\[0, 3\]"),
        (torch.zeros(2, 3, 4), torch.full((2, 3), -1), ValueError, r"\[0, 3\]"),
        (torch.full((2, 3, 4), float("nan")), torch.zeros(2, 3, dtype=torch.long),
         ValueError, "NaN"),
        (torch.zeros(2, 3, 4), [[0, 0, 0], [0, 0, 0]], TypeError, "torch tensor"),
    ],
)
def test_categorical_nll_rejects_bad_arguments(logits, x, exc, match):
    with pytest.raises(exc, match=match):
        categorical_nll(logits, x)


def test_categorical_nll_rejects_bad_reduction():
    with pytest.raises(ValueError, match="reduction"):
        categorical_nll(torch.zeros(1, 2, 3), torch.zeros(1, 2, dtype=torch.long),
                        reduction="elementwise")


# --- Gaussian KL ---------------------------------------------------------------


def _normal(mu, logvar):
    return torch.distributions.Normal(mu, torch.exp(0.5 * logvar))


@pytest.mark.parametrize("device", DEVICES)
def test_gaussian_kl_to_standard_normal_matches_torch(device):
    g = torch.Generator().manual_seed(0)
    mu = torch.randn(8, 3, generator=g, dtype=torch.float64).to(device)
    logvar = torch.randn(8, 3, generator=g, dtype=torch.float64).to(device)
    std = torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu))
    ref = torch.distributions.kl_divergence(_normal(mu, logvar), std).sum(-1)
    torch.testing.assert_close(gaussian_kl(mu, logvar, reduction="none"), ref)
    torch.testing.assert_close(gaussian_kl(mu, logvar), ref.mean())
    torch.testing.assert_close(gaussian_kl(mu, logvar, reduction="sum"), ref.sum())


def test_gaussian_kl_diagonal_to_diagonal_matches_torch_with_broadcasting():
    g = torch.Generator().manual_seed(1)
    mu, logvar = torch.randn(2, 8, 4, generator=g, dtype=torch.float64)
    m, lv = torch.randn(2, 4, generator=g, dtype=torch.float64)  # one prior per dim
    ref = torch.distributions.kl_divergence(_normal(mu, logvar),
                                            _normal(m.expand(8, 4), lv.expand(8, 4))).sum(-1)
    torch.testing.assert_close(gaussian_kl(mu, logvar, m, lv, reduction="none"), ref)


def test_gaussian_kl_matches_full_covariance_formula():
    """Against infocourse.gaussian.kl_divergence with diagonal covariance matrices."""
    from infocourse import gaussian

    mu, lv = np.array([0.3, -1.2, 0.8]), np.array([0.2, -0.7, 1.1])
    m, lv2 = np.array([-0.5, 0.1, 0.0]), np.array([0.4, 0.3, -0.2])
    ref = gaussian.kl_divergence(mu, np.diag(np.exp(lv)), m, np.diag(np.exp(lv2)), base=math.e)
    t = torch.from_numpy
    assert float(gaussian_kl(t(mu), t(lv), t(m), t(lv2))) == pytest.approx(float(ref), rel=1e-10)


def test_gaussian_kl_1d_textbook_formula():
    """log(s/sigma) + (sigma^2 + (mu-m)^2)/(2 s^2) - 1/2."""
    mu, sigma, m, s = 0.7, 0.4, -0.2, 1.3
    ref = math.log(s / sigma) + (sigma**2 + (mu - m) ** 2) / (2 * s**2) - 0.5
    t = lambda x: torch.tensor([x], dtype=torch.float64)  # noqa: E731
    out = gaussian_kl(t(mu), t(2 * math.log(sigma)), t(m), t(2 * math.log(s)))
    assert float(out) == pytest.approx(ref, rel=1e-12)


def test_gaussian_kl_monte_carlo_converges_to_closed_form():
    mu = torch.tensor([[0.5, -1.0, 0.2]], dtype=torch.float64)
    logvar = torch.tensor([[-0.5, 0.3, 0.0]], dtype=torch.float64)
    exact = float(gaussian_kl(mu, logvar))
    g = torch.Generator().manual_seed(3)
    est, samples = gaussian_kl_monte_carlo(mu, logvar, n_samples=50_000, generator=g,
                                           return_samples=True)
    assert samples.shape == (50_000, 1)
    se = float(samples.std()) / math.sqrt(50_000)
    assert abs(float(est[0]) - exact) < 5 * se
    # fewer samples: a noisier estimate with a larger standard error
    small = gaussian_kl_monte_carlo(mu, logvar, n_samples=100, generator=g, return_samples=True)[1]
    assert float(small.std()) / 10 > se


def test_gaussian_kl_gradcheck():
    g = torch.Generator().manual_seed(2)
    args = [torch.randn(3, 2, generator=g, dtype=torch.float64).requires_grad_(True)
            for _ in range(4)]
    assert torch.autograd.gradcheck(lambda a, b, c, d: gaussian_kl(a, b, c, d), args)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=4, max_size=4))
def test_gaussian_kl_nonnegative_and_zero_on_itself(vals):
    mu, lv, m, s = (torch.tensor([x], dtype=torch.float64) for x in vals)
    assert float(gaussian_kl(mu, lv, m, s)) >= -1e-12
    assert float(gaussian_kl(mu, lv, mu, lv)) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((torch.zeros(2, 3), torch.zeros(2, 4)), "same shape"),
        ((torch.zeros(2, 3), torch.full((2, 3), float("inf"))), "logvar contains NaN"),
        ((torch.zeros(2, 3), torch.zeros(2, 3), torch.zeros(5)), "mu_prior"),
    ],
)
def test_gaussian_kl_rejects_bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        gaussian_kl(*args)


def test_gaussian_kl_rejects_integer_tensors():
    with pytest.raises(TypeError, match="mu"):
        gaussian_kl(torch.zeros(2, 3, dtype=torch.long), torch.zeros(2, 3))


# --- calibration ---------------------------------------------------------------


def _ece_reference(probs, labels, n_bins):
    """Straightforward loop over bins (Guo et al. 2017, eq. 3)."""
    conf, pred = probs.max(1), probs.argmax(1)
    total = 0.0
    for b in range(n_bins):
        lo, hi = b / n_bins, (b + 1) / n_bins
        inside = [(lo < c <= hi) or (b == 0 and c == 0) for c in conf]
        inside = np.array(inside)
        if inside.any():
            gap = abs((pred[inside] == labels[inside]).mean() - conf[inside].mean())
            total += inside.mean() * gap
    return total


@pytest.mark.parametrize("n_bins", [1, 5, 15])
def test_ece_matches_loop_reference(n_bins):
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.full(4, 0.5), size=300)
    labels = rng.integers(0, 4, size=300)
    ours = expected_calibration_error(probs, labels, n_bins=n_bins)
    assert ours == pytest.approx(_ece_reference(probs, labels, n_bins), abs=1e-12)
    # torch in, same answer
    torch_ece = expected_calibration_error(torch.from_numpy(probs), torch.from_numpy(labels),
                                           n_bins=n_bins)
    assert torch_ece == pytest.approx(ours, abs=1e-12)


def test_ece_small_for_calibrated_and_large_for_overconfident():
    rng = np.random.default_rng(1)
    n = 20_000
    probs = rng.dirichlet(np.ones(3), size=n)
    labels = np.array([rng.choice(3, p=p) for p in probs])  # labels drawn from probs
    assert expected_calibration_error(probs, labels, n_bins=10) < 0.02
    sharp = probs**8 / (probs**8).sum(1, keepdims=True)  # same argmax, overconfident
    assert expected_calibration_error(sharp, labels, n_bins=10) > 0.1


def test_reliability_bins_edges_are_right_closed():
    b = reliability_bins([[0.3, 0.3, 0.4], [0.6, 0.4, 0.0]], [2, 0], n_bins=10)
    assert b.counts.tolist() == [0, 0, 0, 1, 0, 1, 0, 0, 0, 0]  # 0.4 -> (0.3, 0.4]
    assert np.isnan(b.accuracy[0]) and b.accuracy[3] == 1.0
    assert b.counts.sum() == 2


def test_equal_mass_bins_hold_equal_counts_and_match_reference():
    rng = np.random.default_rng(3)
    probs = rng.dirichlet(np.full(4, 0.3), size=300)        # distinct confidences
    labels = rng.integers(0, 4, size=300)
    b = reliability_bins(probs, labels, n_bins=10, strategy="quantile")
    assert b.counts.tolist() == [30] * 10
    conf, correct = probs.max(1), probs.argmax(1) == labels
    order = np.argsort(conf, kind="stable")
    ref = sum(abs(correct[i].mean() - conf[i].mean()) * len(i) / 300
              for i in np.array_split(order, 10))
    assert b.ece == pytest.approx(ref, abs=1e-12)
    assert expected_calibration_error(probs, labels, n_bins=10, strategy="quantile") == b.ece
    assert b.edges[0] == 0.0 and b.edges[-1] == 1.0 and bool(np.all(np.diff(b.edges) >= 0))


def test_equal_mass_bins_with_ties_and_one_bin():
    probs = [[1.0, 0.0]] * 6 + [[0.6, 0.4]] * 2
    b = reliability_bins(probs, [0] * 7 + [1], n_bins=4, strategy="quantile")
    assert b.counts.tolist() == [2, 6, 0, 0]  # the tied 1.0s share a bin; two stay empty
    assert b.ece == pytest.approx(2 / 8 * abs(0.5 - 0.6), abs=1e-12)
    one = expected_calibration_error(probs, [0] * 7 + [1], n_bins=1, strategy="quantile")
    assert one == pytest.approx(abs(7 / 8 - (6 * 1.0 + 2 * 0.6) / 8), abs=1e-12)


def test_ece_of_a_calibrated_model_is_biased_upwards_on_small_samples():
    """Labels drawn from the model's own probabilities: the population ECE is 0,
    the binned estimate on 450 samples is not, and it shrinks with n."""
    rng = np.random.default_rng(4)

    def mean_ece(n, strategy):
        values = []
        for _ in range(40):
            probs = rng.dirichlet(np.ones(3), size=n)
            labels = (rng.random(n)[:, None] > probs.cumsum(1)).sum(1)
            values.append(expected_calibration_error(probs, labels, n_bins=10,
                                                     strategy=strategy))
        return np.mean(values)

    for strategy in ("uniform", "quantile"):
        small, large = mean_ece(450, strategy), mean_ece(20_000, strategy)
        assert small > 0.02 and large < small / 3


def test_calibration_rejects_bad_arguments():
    with pytest.raises(ValueError, match="probs must sum to 1"):
        expected_calibration_error([[0.5, 0.6]], [0])
    with pytest.raises(ValueError, match="labels must lie"):
        expected_calibration_error([[0.5, 0.5]], [2])
    with pytest.raises(ValueError, match="2-D"):
        expected_calibration_error([0.5, 0.5], [0])
    with pytest.raises(ValueError, match="n_bins"):
        expected_calibration_error([[0.5, 0.5]], [0], n_bins=0)
    with pytest.raises(ValueError, match="strategy"):
        expected_calibration_error([[0.5, 0.5]], [0], strategy="equal-mass")


# --- models and training -------------------------------------------------------


def _toy_data():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(120, 4, generator=g)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).long() + (x[:, 2] > 1).long()
    return x, y


def _ce(model, x, y):
    return F.cross_entropy(model(x), y)


def _train_once(seed, dropout=0.2):
    seed_everything(seed)
    net = MLP(4, 3, hidden=(16, 8), dropout=dropout)
    x, y = _toy_data()
    h = fit(net, _ce, (x, y), test=(x[:40], y[:40]), epochs=4, batch_size=32, lr=1e-2,
            seed=seed, progress=False, device="cpu")
    return net, h


def test_fit_is_deterministic_for_a_seed():
    net_a, h_a = _train_once(0)
    net_b, h_b = _train_once(0)
    assert h_a.train["loss"] == h_b.train["loss"]  # bitwise
    assert h_a.test["loss"] == h_b.test["loss"]
    for pa, pb in zip(net_a.parameters(), net_b.parameters()):
        assert torch.equal(pa, pb)
    _, h_c = _train_once(1)
    assert h_c.train["loss"] != h_a.train["loss"]


def test_fit_learns_and_logs_every_term():
    seed_everything(0)
    net = MLP(4, 3, hidden=16)
    x, y = _toy_data()

    def loss_fn(model, xb, yb):
        logits = model(xb)
        return {"loss": F.cross_entropy(logits, yb),
                "acc": (logits.argmax(1) == yb).float().mean()}

    h = fit(net, loss_fn, (x, y), test=(x, y), epochs=30, lr=1e-2, progress=False,
            device="cpu")
    assert isinstance(h, History) and h.epochs == 30
    assert set(h.train) == {"loss", "acc"} == set(h.test)
    assert h.train["loss"][-1] < 0.5 * h.train["loss"][0]
    # the last test entry is an evaluation of the final model
    final = evaluate(net, loss_fn, (x, y), batch_size=7)
    assert final["loss"] == pytest.approx(h.test["loss"][-1], rel=1e-5)
    assert final["acc"] == pytest.approx(accuracy(predict_logits(net, x), y))
    assert not net.training  # fit leaves the model in eval mode


def test_evaluate_matches_full_batch_cross_entropy():
    seed_everything(0)
    net = MLP(4, 3, hidden=8)
    x, y = _toy_data()
    with torch.no_grad():
        ref = float(F.cross_entropy(net(x), y))
    assert evaluate(net, _ce, (x, y), batch_size=13)["loss"] == pytest.approx(ref, rel=1e-6)


def test_fit_rejects_bad_arguments():
    net = MLP(4, 3)
    x, y = _toy_data()
    with pytest.raises(ValueError, match="epochs"):
        fit(net, _ce, (x, y), epochs=0, progress=False, device="cpu")
    with pytest.raises(ValueError, match="same first dimension"):
        fit(net, _ce, (x, y[:10]), epochs=1, progress=False, device="cpu")
    with pytest.raises(ValueError, match="lr"):
        fit(net, _ce, (x, y), epochs=1, lr=0, progress=False, device="cpu")
    with pytest.raises(ValueError, match="optimizer"):
        fit(net, _ce, (x, y), epochs=1, optimizer="rmsprop", progress=False, device="cpu")
    with pytest.raises(TypeError, match="loss_fn must return"):
        fit(net, lambda m, a, b: 1.0, (x, y), epochs=1, progress=False, device="cpu")
    with pytest.raises(ValueError, match="scalar tensor"):
        fit(net, lambda m, a, b: F.cross_entropy(m(a), b, reduction="none"), (x, y),
            epochs=1, progress=False, device="cpu")


def test_seed_everything_and_default_device():
    seed_everything(5)
    a = (torch.rand(3), np.random.rand(3))
    seed_everything(5)
    b = (torch.rand(3), np.random.rand(3))
    assert torch.equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert torch.are_deterministic_algorithms_enabled()
    assert default_device() == torch.device("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(TypeError, match="seed"):
        seed_everything(-1)


def test_mlp_shapes_hidden_and_validation():
    net = MLP(64, 10, hidden=(32, 16), activation="tanh")
    logits, hidden = net(torch.zeros(3, 64), return_hidden=True)
    assert logits.shape == (3, 10) and [h.shape[1] for h in hidden] == [32, 16]
    assert all(float(h.detach().abs().max()) <= 1 for h in hidden)  # tanh range
    assert MLP(5, 2, hidden=()).layers[0].in_features == 5  # logistic regression
    with pytest.raises(ValueError, match="activation"):
        MLP(4, 2, activation="swishy")
    with pytest.raises(ValueError, match="dropout"):
        MLP(4, 2, dropout=1.0)
    with pytest.raises(ValueError, match="in_features"):
        MLP(0, 2)


def test_vae_forward_and_elbo_terms():
    seed_everything(0)
    vae = VAE(64, latent=3, hidden=32, levels=17)
    x = torch.randint(0, 17, (5, 64))
    vae.eval()
    logits, mu, logvar = vae(x)
    assert logits.shape == (5, 64, 17) and mu.shape == (5, 3) == logvar.shape
    torch.testing.assert_close(logits, vae.decode(mu))  # eval mode decodes the mean
    vae.train()
    logits_t, _, _ = vae(x)
    assert not torch.equal(logits_t, logits)  # training mode samples z
    kl = gaussian_kl(mu, logvar, reduction="none")
    assert kl.shape == (5,) and bool((kl >= 0).all())
    nll = categorical_nll(logits, x, reduction="none")
    assert nll.shape == (5,) and bool((nll > 0).all())
    # the encoder sees intensities x / 16: integer or float levels give the same code
    torch.testing.assert_close(vae.encode(x)[0], vae.encode(x.double().float())[0])
    manual = vae.to_mu(vae.encoder(x.float() / 16))
    torch.testing.assert_close(vae.encode(x)[0], manual)


def test_vae_mean_image_and_validation():
    vae = VAE(4, latent=2, hidden=8, levels=3)
    logits = torch.log(torch.tensor([[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0],
                                      [0.5, 0.0, 0.5], [0.2, 0.3, 0.5]]]) + 1e-300)
    expected = torch.tensor([[0.0, 1.0, 0.5, (0.3 + 2 * 0.5) / 2]])
    torch.testing.assert_close(vae.mean_image(logits.double()), expected.double())
    with pytest.raises(ValueError, match="levels"):
        VAE(64, levels=1)
    with pytest.raises(ValueError, match="shape"):
        vae.encode(torch.zeros(2, 5))


# --- information plane, parameter counts --------------------------------------------------


def test_binned_layer_information_against_hand_counted_patterns():
    # 2 bins per unit over the layer's range [0, 1]: patterns 00, 01, 11, 11, 10, 00.
    h = torch.tensor([[0.0, 0.1], [0.2, 0.9], [0.8, 1.0], [1.0, 0.95], [0.7, 0.3], [0.4, 0.2]])
    y = torch.tensor([0, 0, 1, 1, 1, 0])
    i_xt, i_ty = binned_layer_information(h, y, bins=2)
    p_t = np.array([2, 1, 2, 1]) / 6              # 00, 01, 11, 10
    assert i_xt == pytest.approx(ic.entropy(p_t), abs=1e-12)
    joint = np.array([[2, 0], [1, 0], [0, 2], [0, 1]]) / 6   # rows T, columns Y
    assert i_ty == pytest.approx(ic.mutual_information(joint), abs=1e-12)
    nats = binned_layer_information(h.numpy(), y.numpy(), bins=2, base=math.e)
    assert nats == pytest.approx((i_xt * math.log(2), i_ty * math.log(2)), abs=1e-12)


def test_binned_layer_information_degenerates_at_fine_bins():
    """Distinct patterns for every input: I(X;T) = log2 n and I(T;Y) = H(Y), whatever the layer."""
    rng = np.random.default_rng(0)
    h, y = rng.normal(size=(200, 8)), rng.integers(0, 10, size=200)  # y independent of h
    i_xt, i_ty = binned_layer_information(h, y, bins=1000)
    assert i_xt == pytest.approx(math.log2(200), abs=1e-12)
    assert i_ty == pytest.approx(ic.entropy(np.bincount(y) / 200), abs=1e-12)


def test_binned_layer_information_with_fixed_edges():
    """Edges from value_range, not from the data: 2 bins on [-1, 1] split at 0."""
    h = np.array([[-0.9, 0.2], [-0.1, 0.3], [0.4, -0.5], [0.6, 1.0], [1.0, -1.0]])
    y = [0, 0, 1, 1, 1]
    i_xt, i_ty = binned_layer_information(h, y, bins=2, value_range=(-1, 1))
    p_t = np.array([2, 2, 1]) / 5                 # patterns 01, 10, 11 (1.0 in the last bin)
    assert i_xt == pytest.approx(ic.entropy(p_t), abs=1e-12)
    joint = np.array([[2, 0], [0, 2], [0, 1]]) / 5
    assert i_ty == pytest.approx(ic.mutual_information(joint), abs=1e-12)
    # The same edges whatever the data's own range: shrinking the activations
    # towards 0 merges patterns with fixed edges, but not with the layer's range.
    small = 1e-3 * np.abs(h)
    fixed = binned_layer_information(small, y, bins=2, value_range=(-1, 1))
    assert fixed == pytest.approx((0.0, 0.0), abs=1e-12)
    assert binned_layer_information(small, y, bins=2)[0] > 0


def test_binned_layer_information_fixed_edges_match_numpy_histogram():
    rng = np.random.default_rng(1)
    h = np.tanh(rng.normal(size=(300, 3)))
    y = rng.integers(0, 3, size=300)
    edges = np.linspace(-1, 1, 7)
    codes = np.stack([np.digitize(h[:, k], edges[1:-1]) for k in range(3)], axis=1)
    _, counts = np.unique(codes, axis=0, return_counts=True)
    i_xt, _ = binned_layer_information(torch.from_numpy(h), y, bins=6, value_range=(-1, 1))
    assert i_xt == pytest.approx(ic.entropy(counts / counts.sum()), abs=1e-12)


def test_binned_layer_information_rejects_bad_arguments():
    h = np.zeros((4, 2))
    with pytest.raises(ValueError, match="bins"):
        binned_layer_information(h, [0, 1, 0, 1], bins=0)
    with pytest.raises(ValueError, match="same number of samples"):
        binned_layer_information(h, [0, 1, 0], bins=2)
    with pytest.raises(ValueError, match="base"):
        binned_layer_information(h, [0, 1, 0, 1], bins=2, base=1)
    with pytest.raises(ValueError, match="activations contains NaN"):
        binned_layer_information(np.full((4, 2), np.nan), [0, 1, 0, 1], bins=2)
    with pytest.raises(ValueError, match="outside the edges in value_range"):
        binned_layer_information(h + 2.0, [0, 1, 0, 1], bins=2, value_range=(-1, 1))
    with pytest.raises(ValueError, match="low < high"):
        binned_layer_information(h, [0, 1, 0, 1], bins=2, value_range=(1, -1))
    with pytest.raises(TypeError, match="pair"):
        binned_layer_information(h, [0, 1, 0, 1], bins=2, value_range=1.0)
    with pytest.raises(ValueError, match="value_range"):
        binned_layer_information(h, [0, 1, 0, 1], bins=2, value_range=(0, np.inf))


def test_count_parameters():
    net = MLP(64, 10, hidden=(32, 16))
    manual = 64 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10
    assert count_parameters(net) == manual
    assert count_parameters(net, matrices_only=True) == 64 * 32 + 32 * 16 + 16 * 10
    with pytest.raises(TypeError, match="torch.nn.Module"):
        count_parameters([torch.zeros(3)])
    with pytest.raises(TypeError, match="matrices_only"):
        count_parameters(net, matrices_only=1)
