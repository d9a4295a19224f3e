"""Checks of assignment 04_deep_learning, run by the grader (tools/grader.py).

See ``01_entropy.py`` for how checks work. The losses are compared with the
grader's own PyTorch and ``infocourse``; the trained models are evaluated
here on the training data from their outputs. Students never see this file.
"""

import math

import numpy as np
import torch

import infocourse as ic
from grader import Backward, Case, Check, call, close, satisfies, short

FORBIDDEN = {
    "ic": "the reference implementation; use it to check results, not in answers",
    "infocourse": "the reference implementation",
}
FORBIDDEN_ATTRIBUTES = {
    "cross_entropy": "PyTorch's ready-made loss (the reference of the tests)",
    "kl_div": "PyTorch's ready-made loss (the reference of the tests)",
    "CrossEntropyLoss": "PyTorch's ready-made loss",
    "KLDivLoss": "PyTorch's ready-made loss",
    "nll_loss": "PyTorch's ready-made loss",
}
ALLOWED_IMPORTS = {"math", "numpy", "torch"}

F = torch.nn.functional
torch.set_default_dtype(torch.float64)  # as the notebook's setup cell

_gen = torch.Generator().manual_seed(1)
LOGITS = torch.randn(16, 5, generator=_gen, dtype=torch.float64)
TARGETS = torch.randint(0, 5, (16,), generator=_gen)


def _smoothed(eps):
    soft = (1 - eps) * F.one_hot(TARGETS, 5) + eps / 5
    return float(ic.cross_entropy(soft, torch.softmax(LOGITS, dim=-1), base=math.e).mean())


def _leaf(t):
    return t.clone().requires_grad_(True)


BIG = torch.tensor([[1000.0, 0.0, -1000.0]], dtype=torch.float64)

_gen = torch.Generator().manual_seed(2)
STUDENT = torch.randn(8, 4, generator=_gen, dtype=torch.float64)
TEACHER = torch.randn(8, 4, generator=_gen, dtype=torch.float64)


def _distill(T):
    p_t, p_s = torch.softmax(TEACHER / T, dim=-1), torch.softmax(STUDENT / T, dim=-1)
    return float(T**2 * ic.kl_divergence(p_t, p_s, base=math.e).mean())


_gen = torch.Generator().manual_seed(3)
CENTRES = torch.tensor([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]], dtype=torch.float64)
Y_TRAIN = torch.arange(3).repeat_interleave(100)
X_TRAIN = CENTRES[Y_TRAIN] + 0.7 * torch.randn(300, 2, generator=_gen, dtype=torch.float64)


def _softmax(v):
    return torch.softmax(torch.as_tensor(np.asarray(v, dtype=float)), dim=-1)


def _accuracy(v):
    return (_softmax(v).argmax(-1) == Y_TRAIN).double().mean().item()


def _confidence(v):
    return _softmax(v).max(-1).values.mean().item()


def _entropy(v):
    return float(ic.entropy(_softmax(v), base=math.e).mean())


def _grad_rows_sum_to_zero(r):
    return isinstance(r, Backward) and r.grads[0] is not None and np.allclose(
        np.asarray(r.grads[0]).sum(axis=-1), 0.0, atol=1e-12)


def _trained_visible(v):
    for value in v:
        if not isinstance(value, np.ndarray) or value.shape != (300, 3):
            return f"expected models mapping x (300, 2) to logits (300, 3), got {short(value)}"
    acc = [_accuracy(value) for value in v]
    if min(acc) <= 0.9:
        return f"expected accuracies > 0.9, got {acc[0]:.3f} and {acc[1]:.3f}"
    conf = [_confidence(value) for value in v]
    if not conf[1] < conf[0]:
        return f"expected a lower confidence with smoothing, got {conf[0]:.3f} and {conf[1]:.3f}"
    return None


def _trained_hidden(v):
    problem = _trained_visible(v)
    if problem:
        return problem
    conf = _confidence(v[1])
    if not conf < 1 - 0.2 + 0.2 / 3 + 1e-3:
        return f"expected a confidence below 0.868 with epsilon = 0.2, got {conf:.4f}"
    h = [_entropy(value) for value in v]
    if not h[1] > h[0]:
        return f"expected a higher entropy with smoothing, got {h[0]:.4f} and {h[1]:.4f}"
    return None


def _sharp_and_smooth():
    return (call("train_classifier", X_TRAIN, Y_TRAIN, epsilon=0.0, apply=(X_TRAIN,)),
            call("train_classifier", X_TRAIN, Y_TRAIN, epsilon=0.2, apply=(X_TRAIN,)))


CHECKS = [
    Check("a4_q1_tests", [
        Case("epsilon = 0 is PyTorch's cross-entropy",
             call("label_smoothed_cross_entropy", LOGITS, TARGETS, 0.0),
             close(float(F.cross_entropy(LOGITS, TARGETS)), rtol=1e-5, atol=1e-8), False),
        Case("epsilon = 0.1 is PyTorch's cross-entropy with label_smoothing=0.1",
             call("label_smoothed_cross_entropy", LOGITS, TARGETS, 0.1),
             close(float(F.cross_entropy(LOGITS, TARGETS, label_smoothing=0.1)), rtol=1e-5,
                   atol=1e-8), False),
    ] + [
        Case(f"epsilon = {eps}: the cross-entropy of the smoothed targets",
             call("label_smoothed_cross_entropy", LOGITS, TARGETS, eps),
             close(_smoothed(eps), rtol=1e-5, atol=1e-8))
        for eps in (0.05, 0.3, 1.0)
    ] + [
        Case("differentiable: the gradient of each row sums to 0",
             call("label_smoothed_cross_entropy", _leaf(LOGITS), TARGETS, 0.2, backward=True),
             satisfies(_grad_rows_sum_to_zero, "a gradient whose rows sum to 0")),
    ]),
    Check("a4_q1_stability", [
        Case("logits of +-1000: a finite loss",
             call("label_smoothed_cross_entropy", BIG, torch.tensor([0]), 0.1),
             satisfies(lambda v: np.isfinite(np.asarray(v, dtype=float)).all(), "a finite loss"),
             False),
        Case("logits of +-1000: the right loss",
             call("label_smoothed_cross_entropy", BIG, torch.tensor([0]), 0.1),
             close(float(F.cross_entropy(BIG, torch.tensor([0]), label_smoothing=0.1)),
                   rtol=1e-5, atol=1e-8)),
        Case("logits of +-1000: a finite gradient",
             call("label_smoothed_cross_entropy", _leaf(BIG), torch.tensor([2]), 0.1, backward=True),
             satisfies(lambda r: isinstance(r, Backward) and r.grads[0] is not None
                       and np.isfinite(np.asarray(r.grads[0])).all(), "a finite gradient")),
    ]),
    Check("a4_q2_tests", [
        Case("a student equal to its teacher has loss 0",
             call("distillation_loss", TEACHER, TEACHER, 3.0), close(0.0, atol=1e-12), False),
        Case("T = 2: 4 x PyTorch's KL divergence",
             call("distillation_loss", STUDENT, TEACHER, 2.0),
             close(float(4.0 * F.kl_div(torch.log_softmax(STUDENT / 2, dim=-1),
                                        torch.log_softmax(TEACHER / 2, dim=-1),
                                        reduction="batchmean", log_target=True)),
                   rtol=1e-5, atol=1e-8), False),
    ] + [
        Case(f"T = {T}: T^2 times the KL divergence", call("distillation_loss", STUDENT, TEACHER, T),
             close(_distill(T), rtol=1e-5, atol=1e-8))
        for T in (0.5, 1.0, 4.0)
    ] + [
        Case("gradients flow into the student only",
             call("distillation_loss", _leaf(STUDENT), _leaf(TEACHER), 2.0, backward=True),
             satisfies(lambda r: isinstance(r, Backward) and r.grads[0] is not None
                       and r.grads[1] is None, "a gradient for the student, none for the teacher")),
    ]),
    Check("a4_q3_tests", [
        Case("train with epsilon = 0 and 0.2: both models classify over 90% of the training "
             "points, and smoothing lowers the mean confidence", _sharp_and_smooth(),
             _trained_visible, False),
        Case("with epsilon = 0.2 the confidence stays below 1 - eps + eps / K = 0.867, and "
             "smoothing raises the entropy of the predictions", _sharp_and_smooth(),
             _trained_hidden),
    ]),
]
