"""Torch losses (:mod:`infocourse.nn`): score tensors and integer class labels.

These checks take torch tensors only (the losses are torch functions); they
are imported lazily by the caller's module, which already needs torch.
"""

from __future__ import annotations

from .._backend import is_tensor


def _numel(x) -> int:
    return x.numel()


def check_tensor(x, name, *, ndim=None, square=False):
    """Check ``x`` is a floating-point torch tensor with ``ndim`` axes (square if asked)."""
    if not is_tensor(x):
        raise TypeError(
            f"{name} must be a torch tensor of floating-point scores, got "
            f"{type(x).__name__}; convert it with torch.as_tensor(...)."
        )
    if not x.is_floating_point():
        raise TypeError(
            f"{name} must hold floating-point scores (logits), got dtype {x.dtype}; "
            f"call .float() first."
        )
    if ndim is not None and x.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {tuple(x.shape)}.")
    if square and (x.ndim != 2 or x.shape[0] != x.shape[1]):
        raise ValueError(
            f"{name} must be a square matrix (entry [i, j] scores x_i with y_j; the "
            f"positive pairs on the diagonal), got shape {tuple(x.shape)}."
        )
    if _numel(x) == 0:
        raise ValueError(f"{name} is empty (shape {tuple(x.shape)}); pass a batch of at least one pair.")


def check_labels(labels, name, *, n, n_classes):
    """Check integer class labels: a 1-D tensor of length ``n`` with values in [0, n_classes)."""
    if not is_tensor(labels):
        raise TypeError(
            f"{name} must be a torch tensor of class indices, got {type(labels).__name__}; "
            f"convert it with torch.as_tensor(..., dtype=torch.long)."
        )
    import torch

    if labels.dtype == torch.bool or labels.is_floating_point() or labels.is_complex():
        raise TypeError(
            f"{name} must hold integer class indices (dtype torch.long), got dtype "
            f"{labels.dtype}. For probability targets, pass class indices instead "
            f"(labels.argmax(dim=1)) or use a soft-target loss."
        )
    if tuple(labels.shape) != (n,):
        raise ValueError(
            f"{name} must have shape ({n},), one class index per row of the logits, "
            f"got shape {tuple(labels.shape)}."
        )
    if n and (int(labels.min()) < 0 or int(labels.max()) >= n_classes):
        raise ValueError(
            f"{name} must lie in [0, {n_classes - 1}] for {n_classes} classes, got values "
            f"from {int(labels.min())} to {int(labels.max())}. Are the labels 1-based, "
            f"or do the logits have too few columns?"
        )
