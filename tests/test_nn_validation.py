"""Every bad input to the public functions of :mod:`infocourse.nn`, type and message checked.

Each public function is described once by a good call and the roles of its
arguments (floating tensors, class labels, ``reduction``); every bad-input
class is then applied to every argument that has that role. The messages
must name the argument at fault (and, for a dtype or device mismatch, the
argument it disagrees with).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

from infocourse import _validation as v
from infocourse import nn as inn

F32 = torch.float32


def _scores(k=4):
    return torch.randn(k, k, generator=torch.Generator().manual_seed(k))


# name -> (call(args) -> result, good args, floating-tensor args, label args, reduction?)
CASES = {
    "label_smoothing_cross_entropy": (
        lambda a: inn.label_smoothing_cross_entropy(a["logits"], a["labels"], **a["kw"]),
        lambda: {"logits": torch.zeros(3, 4), "labels": torch.tensor([0, 1, 3])},
        ("logits",), ("labels",), True,
    ),
    "distillation_loss": (
        lambda a: inn.distillation_loss(a["student_logits"], a["teacher_logits"], a["labels"],
                                        alpha=0.5, **a["kw"]),
        lambda: {"student_logits": torch.zeros(3, 4), "teacher_logits": torch.ones(3, 4),
                 "labels": torch.tensor([0, 1, 3])},
        ("student_logits", "teacher_logits"), ("labels",), True,
    ),
    "categorical_nll": (
        lambda a: inn.categorical_nll(a["logits"], a["targets"], **a["kw"]),
        lambda: {"logits": torch.zeros(2, 3, 5), "targets": torch.tensor([[0, 4, 2], [1, 1, 1]])},
        ("logits",), ("targets",), True,
    ),
    "accuracy": (
        lambda a: inn.accuracy(a["logits"], a["labels"]),
        lambda: {"logits": torch.eye(3), "labels": torch.tensor([0, 1, 1])},
        ("logits",), ("labels",), False,
    ),
    "gaussian_kl": (
        lambda a: inn.gaussian_kl(a["mu"], a["logvar"], a["mu_prior"], a["logvar_prior"],
                                  **a["kw"]),
        lambda: {"mu": torch.zeros(3, 2), "logvar": torch.zeros(3, 2),
                 "mu_prior": torch.zeros(2), "logvar_prior": torch.zeros(2)},
        ("mu", "logvar", "mu_prior", "logvar_prior"), (), True,
    ),
    "gaussian_kl_monte_carlo": (
        lambda a: inn.gaussian_kl_monte_carlo(a["mu"], a["logvar"], a["mu_prior"],
                                              a["logvar_prior"], n_samples=3),
        lambda: {"mu": torch.zeros(3, 2), "logvar": torch.zeros(3, 2),
                 "mu_prior": torch.zeros(2), "logvar_prior": torch.zeros(2)},
        ("mu", "logvar", "mu_prior", "logvar_prior"), (), False,
    ),
    "info_nce_loss": (
        lambda a: inn.info_nce_loss(a["scores"], **a["kw"]),
        lambda: {"scores": _scores()}, ("scores",), (), True,
    ),
    "InfoNCELoss": (
        lambda a: inn.InfoNCELoss(**a["kw"])(a["scores"]),
        lambda: {"scores": _scores()}, ("scores",), (), True,
    ),
    "info_nce_bound": (
        lambda a: inn.info_nce_bound(a["scores"]), lambda: {"scores": _scores()},
        ("scores",), (), False,
    ),
    "donsker_varadhan_loss": (
        lambda a: inn.donsker_varadhan_loss(a["scores"], **a["kw"]),
        lambda: {"scores": _scores()}, ("scores",), (), True,
    ),
    "donsker_varadhan_bound": (
        lambda a: inn.donsker_varadhan_bound(a["scores"]), lambda: {"scores": _scores()},
        ("scores",), (), False,
    ),
    "MINELoss": (
        lambda a: inn.MINELoss(**a["kw"])(a["scores"]), lambda: {"scores": _scores()},
        ("scores",), (), True,
    ),
    "nwj_loss": (
        lambda a: inn.nwj_loss(a["scores"], **a["kw"]), lambda: {"scores": _scores()},
        ("scores",), (), True,
    ),
    "nwj_bound": (
        lambda a: inn.nwj_bound(a["scores"]), lambda: {"scores": _scores()},
        ("scores",), (), False,
    ),
    "interpolated_loss": (
        lambda a: inn.interpolated_loss(a["scores"], a["log_baseline"], 0.5, **a["kw"]),
        lambda: {"scores": _scores(), "log_baseline": torch.zeros(4)},
        ("scores", "log_baseline"), (), True,
    ),
    "interpolated_bound": (
        lambda a: inn.interpolated_bound(a["scores"], a["log_baseline"], 0.5),
        lambda: {"scores": _scores(), "log_baseline": torch.zeros(4)},
        ("scores", "log_baseline"), (), False,
    ),
    "barber_agakov_loss": (
        lambda a: inn.barber_agakov_loss(a["log_likelihood"], 1.0, **a["kw"]),
        lambda: {"log_likelihood": torch.zeros(5)}, ("log_likelihood",), (), True,
    ),
    "barber_agakov_bound": (
        lambda a: inn.barber_agakov_bound(a["log_likelihood"], 1.0),
        lambda: {"log_likelihood": torch.zeros(5)}, ("log_likelihood",), (), False,
    ),
    "SeparableCritic": (
        lambda a: inn.SeparableCritic(3, 2)(a["x"], a["y"]),
        lambda: {"x": torch.zeros(4, 3), "y": torch.zeros(4, 2)}, ("x", "y"), (), False,
    ),
    "ConcatCritic": (
        lambda a: inn.ConcatCritic(3, 2)(a["x"], a["y"]),
        lambda: {"x": torch.zeros(4, 3), "y": torch.zeros(4, 2)}, ("x", "y"), (), False,
    ),
    "GaussianOptimalCritic": (
        lambda a: inn.GaussianOptimalCritic(0.5)(a["x"], a["y"]),
        lambda: {"x": torch.zeros(4, 2), "y": torch.zeros(4, 2)}, ("x", "y"), (), False,
    ),
    "QuadraticCritic": (
        lambda a: inn.QuadraticCritic(3, 2)(a["x"], a["y"]),
        lambda: {"x": torch.zeros(4, 3), "y": torch.zeros(4, 2)}, ("x", "y"), (), False,
    ),
}


def _call(name, **changes):
    call, good, *_ = CASES[name]
    args = {"kw": {}, **good()}
    args.update(changes)
    return call(args)


def _float_cases():
    return [(f, a) for f, case in CASES.items() for a in case[2]]


def _label_cases():
    return [(f, a) for f, case in CASES.items() for a in case[3]]


def _good(name, arg):
    return CASES[name][1]()[arg]


@pytest.mark.parametrize("name", CASES)
def test_the_good_call_works(name):
    out = _call(name)
    assert out is not None
    if isinstance(out, torch.Tensor):
        assert bool(torch.isfinite(out).all())


# --- floating tensors -----------------------------------------------------------


@pytest.mark.parametrize(("name", "arg"), _float_cases())
def test_a_numpy_array_is_refused(name, arg):
    with pytest.raises(TypeError, match=rf"^{arg} must be a torch tensor"):
        _call(name, **{arg: _good(name, arg).numpy()})


@pytest.mark.parametrize(("name", "arg"), _float_cases())
def test_an_integer_tensor_is_refused(name, arg):
    with pytest.raises(TypeError, match=rf"^{arg} must hold floating-point"):
        _call(name, **{arg: _good(name, arg).long()})


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize(("name", "arg"), _float_cases())
def test_nan_and_inf_are_refused(name, arg, bad):
    t = _good(name, arg).clone()
    t.view(-1)[-1] = bad
    with pytest.raises(ValueError, match=rf"^{arg} contains NaN or infinite values"):
        _call(name, **{arg: t})


@pytest.mark.parametrize(("name", "arg"), _float_cases())
def test_an_empty_tensor_is_refused(name, arg):
    t = _good(name, arg)
    empty = t[:0] if t.ndim else t.reshape(1)[:0]
    with pytest.raises(ValueError, match=rf"^{arg} (is empty|must)"):
        _call(name, **{arg: empty})


@pytest.mark.parametrize(("name", "arg"), _float_cases())
def test_a_wrong_number_of_dimensions_is_refused(name, arg):
    t = _good(name, arg)
    pattern = rf"^{arg} (must|\(shape)"
    if name.startswith("gaussian_kl"):
        # broadcastable parameters: one axis too many does not broadcast to mu
        bad = t.unsqueeze(0).expand(5, *t.shape)
        pattern = r"^mu and logvar must have the same shape" if arg == "logvar" else pattern
        bad = torch.tensor(0.0) if arg == "mu" else bad      # mu needs a latent axis
    else:
        bad = t.unsqueeze(0) if t.ndim < 3 else t.reshape(-1)
    with pytest.raises(ValueError, match=pattern):
        _call(name, **{arg: bad})


def _multi_float_cases():
    return [(f, a) for f, case in CASES.items() for a in case[2] if len(case[2]) > 1]


@pytest.mark.parametrize(("name", "arg"), _multi_float_cases())
def test_float32_and_float64_are_not_mixed(name, arg):
    others = [o for o in CASES[name][2] if o != arg]
    with pytest.raises(TypeError, match="silently promote") as err:
        _call(name, **{arg: _good(name, arg).double()})
    message = str(err.value)
    assert re.search(rf"\b{arg}\b is torch.float64", message), message
    assert any(re.search(rf"\b{o}\b is torch.float32", message) for o in others), message


@pytest.mark.parametrize(("name", "arg"), _multi_float_cases() + _label_cases())
def test_a_device_mismatch_is_refused(name, arg):
    """The meta device holds no data, so the check must fire before any value is read."""
    others = [o for o in CASES[name][2] + CASES[name][3] if o != arg]
    t = _good(name, arg)
    with pytest.raises(ValueError, match="on meta") as err:
        _call(name, **{arg: torch.empty(t.shape, dtype=t.dtype, device="meta")})
    message = str(err.value)
    assert re.search(rf"\b{arg}\b is on meta", message), message
    assert any(re.search(rf"\b{o}\b is on cpu", message) for o in others), message


# --- labels ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "arg"), _label_cases())
def test_labels_must_be_tensors(name, arg):
    with pytest.raises(TypeError, match=rf"^{arg} must be a torch tensor of"):
        _call(name, **{arg: _good(name, arg).numpy()})


@pytest.mark.parametrize("dtype", [torch.float32, torch.bool])
@pytest.mark.parametrize(("name", "arg"), _label_cases())
def test_labels_must_be_integers(name, arg, dtype):
    with pytest.raises(TypeError, match=rf"^{arg} must hold integer .* got dtype {dtype}"):
        _call(name, **{arg: _good(name, arg).to(dtype)})


@pytest.mark.parametrize("shift", [-10, 10])
@pytest.mark.parametrize(("name", "arg"), _label_cases())
def test_labels_must_lie_in_range(name, arg, shift):
    t = _good(name, arg).clone()
    t.view(-1)[0] = shift
    with pytest.raises(ValueError, match=rf"^{arg} must lie in \[0, \d+\]"):
        _call(name, **{arg: t})


@pytest.mark.parametrize(("name", "arg"), _label_cases())
def test_labels_must_match_the_batch(name, arg):
    t = _good(name, arg)
    with pytest.raises(ValueError, match=rf"^{arg} must have shape .* per row of"):
        _call(name, **{arg: t[:-1]})
    with pytest.raises(ValueError, match=rf"^{arg} must have shape"):
        _call(name, **{arg: t.unsqueeze(-1)})


# --- reduction ------------------------------------------------------------------


@pytest.mark.parametrize("reduction", ["average", None, 1])
@pytest.mark.parametrize("name", [f for f, case in CASES.items() if case[4]])
def test_reduction_must_be_a_known_name(name, reduction):
    with pytest.raises(ValueError, match=r"^reduction must be one of 'mean'.*'sum', 'none'"):
        _call(name, kw={"reduction": reduction})


# --- functions with array_like arguments ----------------------------------------


def test_smoothed_targets_labels():
    with pytest.raises(TypeError, match="labels must hold integer class indices"):
        inn.smoothed_targets(torch.tensor([0.0, 1.0]), 3, 0.1)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\] for 3 classes"):
        inn.smoothed_targets(torch.tensor([0, 3]), 3, 0.1)
    with pytest.raises(ValueError, match="labels must be a 1-D tensor"):
        inn.smoothed_targets(torch.tensor([[0, 1]]), 3, 0.1)


@pytest.mark.parametrize("fn", [inn.reliability_bins, inn.expected_calibration_error])
def test_calibration_labels_are_checked_as_labels_of_probs(fn):
    probs = np.array([[0.9, 0.1], [0.3, 0.7]])
    with pytest.raises(ValueError, match=r"labels must have shape \(2,\), one class index per "
                                         r"row of probs") as err:
        fn(probs, [0, 1, 1])
    assert "logits" not in str(err.value)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 1\].*does probs have") as err:
        fn(probs, [0, 2])
    assert "logits" not in str(err.value)
    with pytest.raises(TypeError, match="labels must hold integer class indices"):
        fn(probs, [0.0, 1.0])
    with pytest.raises(TypeError, match="labels must hold integer class indices"):
        fn(probs, np.array([True, False]))
    with pytest.raises(TypeError, match="labels is a masked array"):
        fn(probs, np.ma.masked_array([0, 1], mask=[0, 1]))
    with pytest.raises(ValueError, match="labels is on meta but probs is on cpu"):
        fn(torch.tensor(probs), torch.empty(2, dtype=torch.long, device="meta"))
    # numpy and torch labels give the same answer
    ref = inn.expected_calibration_error(probs, [0, 0])
    assert inn.expected_calibration_error(torch.tensor(probs), torch.tensor([0, 0])) == ref


def test_numpy_labels_are_validated_as_numpy():
    out = v.check_class_labels(np.array([0, 1]), "labels", shape=(2,), n_classes=2,
                               rows_of="probs", tensor=False)
    assert isinstance(out, np.ndarray)


def test_binned_layer_information_names_its_arguments():
    h = np.zeros((4, 2))
    with pytest.raises(ValueError, match="activations and labels must hold the same number") \
            as err:
        inn.binned_layer_information(h, [0, 1, 1], bins=2)
    assert "x and y" not in str(err.value)
    with pytest.raises(ValueError, match="labels contains NaN"):
        inn.binned_layer_information(h, [0.0, 1.0, math.nan, 0.0], bins=2)
    with pytest.raises(ValueError, match="activations contains NaN"):
        inn.binned_layer_information(np.full((4, 2), math.nan), [0, 1, 1, 0], bins=2)


def test_model_constructors_validate():
    with pytest.raises(TypeError, match="in_features must be an int"):
        inn.MLP(2.5, 3)
    with pytest.raises(ValueError, match=r"out_features must be an integer in \[1, inf\]"):
        inn.MLP(2, 0)
    with pytest.raises(ValueError, match="each hidden width"):
        inn.MLP(2, 3, hidden=(4, 0))
    with pytest.raises(ValueError, match="activation must be one of"):
        inn.MLP(2, 3, activation="swish")
    with pytest.raises(TypeError, match="dropout must be a real number"):
        inn.MLP(2, 3, dropout="0.1")
    with pytest.raises(ValueError, match=r"dropout must be a finite number in \[0, 1\)"):
        inn.MLP(2, 3, dropout=1.0)
    with pytest.raises(ValueError, match="levels must be at least 2"):
        inn.VAE(4, levels=1)
    with pytest.raises(TypeError, match="latent must be an int"):
        inn.VAE(4, latent=None)


# --- InfoNCE never returns nan or inf for finite scores -------------------------


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("scale", [1e3, 1e20, 1e30])
def test_info_nce_is_finite_and_exact_for_huge_scores(dtype, scale):
    s = torch.tensor([[1.0, -1.0, 0.5], [0.0, 2.0, -2.0], [3.0, 1.0, -1.0]], dtype=dtype) * scale
    ref = torch.logsumexp(s.double(), 1) - torch.diagonal(s.double())   # float64 closed form
    loss = inn.info_nce_loss(s, reduction="none")
    assert bool(torch.isfinite(loss).all())
    torch.testing.assert_close(loss.double(), ref, rtol=1e-6, atol=0)
    bound = inn.info_nce_bound(s, base=math.e)
    assert math.isfinite(float(bound))
    assert float(bound) == pytest.approx(math.log(3) - float(ref.mean()), rel=1e-6)


@pytest.mark.parametrize("symmetric", [False, True])
def test_info_nce_refuses_a_loss_beyond_the_dtype(symmetric):
    big = torch.finfo(torch.float32).max
    s = torch.tensor([[-big, big], [big, -big]])
    with pytest.raises(ValueError, match="info_nce_loss overflowed the range of torch.float32"):
        inn.info_nce_loss(s, symmetric=symmetric)
    with pytest.raises(ValueError, match="overflowed"):
        inn.info_nce_bound(s)
    # the same scores in float64 have a representable loss, 2 * big
    assert float(inn.info_nce_loss(s.double())) == pytest.approx(2 * big)


def test_info_nce_sum_overflow_is_refused():
    h = torch.finfo(torch.float32).max / 4      # each row's loss is about 2h: finite
    s = torch.zeros(4, 4).fill_diagonal_(-h) + torch.eye(4).roll(1, 0) * h
    assert bool(torch.isfinite(inn.info_nce_loss(s, reduction="none")).all())
    with pytest.raises(ValueError, match="overflowed"):
        inn.info_nce_loss(s, reduction="sum")


def test_dtype_and_generator_arguments():
    with pytest.raises(TypeError, match="dtype must be a floating torch dtype"):
        inn.smoothed_targets(torch.tensor([0, 1]), 3, 0.1, dtype=torch.long)
    with pytest.raises(TypeError, match="dtype must be a floating torch dtype"):
        inn.correlated_gaussians(4, 2, 1.0, dtype=np.float64)
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        inn.correlated_gaussians(4, 2, 1.0, generator=0)
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        inn.gaussian_kl_monte_carlo(torch.zeros(2), torch.zeros(2), n_samples=2,
                                    generator=np.random.default_rng(0))
    x, y, _ = inn.correlated_gaussians(4, 2, 1.0, dtype=torch.float64)
    assert x.dtype == y.dtype == torch.float64


def test_training_arguments_use_the_shared_checks():
    net = inn.MLP(2, 2, hidden=())
    data = (torch.zeros(4, 2), torch.tensor([0, 1, 0, 1]))
    loss = lambda m, x, y: inn.label_smoothing_cross_entropy(m(x), y)  # noqa: E731
    with pytest.raises(TypeError, match="epochs must be an int"):
        inn.fit(net, loss, data, epochs=1.5, progress=False, device="cpu")
    with pytest.raises(ValueError, match=r"lr must be a finite number in \(0, inf\)"):
        inn.fit(net, loss, data, epochs=1, lr=math.nan, progress=False, device="cpu")
    with pytest.raises(TypeError, match="batch_size must be an int"):
        inn.evaluate(net, loss, data, batch_size="8")
