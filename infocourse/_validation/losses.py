"""Torch losses (:mod:`infocourse.nn`): score tensors and integer class labels.

What every function of :mod:`infocourse.nn` checks, in one order: the type,
dtype and shape of each tensor, then that the tensors passed together share
one dtype and one device (torch would silently promote float32 to float64, and
a device mismatch fails deep inside a kernel), then finite values (skipped on
the "meta" device, which holds no values), then labels. Tensors go to numpy
through the one conversion, :func:`infocourse._backend.to_numpy`.

These checks take torch tensors (the losses are torch functions); torch is
imported inside the functions that need it, so importing this module never
imports torch.
"""

from __future__ import annotations

import math

import numpy as np

from .._backend import is_tensor, to_numpy  # noqa: F401  (to_numpy: v.to_numpy for nn)


def check_same_kind(x, name, like, like_name):
    """Check tensor ``x`` has the dtype (if floating) and device of tensor ``like``."""
    if x.device != like.device:
        raise ValueError(
            f"{name} is on {x.device} but {like_name} is on {like.device}; move both "
            f"to one device with .to(device)."
        )
    if x.is_floating_point() and like.is_floating_point() and x.dtype != like.dtype:
        raise TypeError(
            f"{name} is {x.dtype} but {like_name} is {like.dtype}; torch would "
            f"silently promote one to the other. Convert both with .double() (or "
            f".float()) first."
        )


def check_finite_tensor(x, name):
    """Check a tensor holds no NaN or infinity (nothing to check on the meta device)."""
    if x.device.type == "meta":
        return
    import torch

    bad = ~torch.isfinite(x.detach())
    if bool(bad.any()):
        where = tuple(int(i) for i in bad.nonzero()[0])
        raise ValueError(
            f"{name} contains NaN or infinite values (the first at index {where}); "
            f"remove them, or look for an overflow earlier in the model."
        )


def check_float_tensor(x, name, *, what="values", ndim=None, min_ndim=None,
                       like=None, like_name=None, finite=True):
    """Check ``x`` is a non-empty floating tensor, optionally with ``ndim`` axes,
    of ``like``'s dtype and device, with finite values; return it."""
    if not is_tensor(x):
        raise TypeError(
            f"{name} must be a torch tensor of floating-point {what}, got "
            f"{type(x).__name__}; convert it with torch.as_tensor(...)."
        )
    if not x.is_floating_point():
        raise TypeError(
            f"{name} must hold floating-point {what}, got dtype {x.dtype}; call "
            f".float() or .double() first."
        )
    if ndim is not None and x.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {tuple(x.shape)}.")
    if min_ndim is not None and x.ndim < min_ndim:
        raise ValueError(
            f"{name} must have at least {min_ndim} dimension(s), got shape {tuple(x.shape)}."
        )
    if x.numel() == 0:
        raise ValueError(f"{name} is empty (shape {tuple(x.shape)}); pass at least one value.")
    if like is not None:
        check_same_kind(x, name, like, like_name)
    if finite:
        check_finite_tensor(x, name)
    return x


def check_scores(scores, name="scores", *, min_pairs=1):
    """Check a square ``(K, K)`` critic-score matrix with ``K >= min_pairs``, finite."""
    check_float_tensor(scores, name, what="scores (logits)", finite=False)
    if scores.ndim != 2 or scores.shape[0] != scores.shape[1]:
        raise ValueError(
            f"{name} must be a square matrix (entry [i, j] scores x_i with y_j; the "
            f"positive pairs on the diagonal), got shape {tuple(scores.shape)}."
        )
    if scores.shape[0] < min_pairs:
        raise ValueError(
            f"{name} must be at least {min_pairs} x {min_pairs} (the off-diagonal "
            f"entries are the samples of p(x)p(y)), got shape {tuple(scores.shape)}; "
            f"use a batch of {min_pairs} or more pairs."
        )
    check_finite_tensor(scores, name)
    return scores


def check_pair(x, y, names=("x", "y")):
    """Check paired 2-D float tensors: one row per example, same dtype and device."""
    check_float_tensor(x, names[0], what="features", ndim=2)
    check_float_tensor(y, names[1], what="features", ndim=2, like=x, like_name=names[0])
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"{names[0]} and {names[1]} must hold the same number of paired examples "
            f"(rows), got {x.shape[0]} and {y.shape[0]}."
        )


def check_class_labels(labels, name, *, shape, n_classes, rows_of, like=None,
                       what="class indices", each="class index", tensor=True):
    """Check integer labels of ``shape`` with values in ``[0, n_classes)``.

    ``rows_of`` names the argument the labels index (``"logits"``, ``"probs"``)
    so that the message points at it. With ``tensor=False`` numpy arrays and
    sequences are accepted too, and are checked without torch; a tensor must
    then be on ``like``'s device. Returns the labels (a numpy array when they
    were not a tensor).
    """
    if is_tensor(labels):
        import torch

        bad = labels.dtype == torch.bool or labels.is_floating_point() or labels.is_complex()
        dtype = labels.dtype
    elif tensor:
        raise TypeError(
            f"{name} must be a torch tensor of {what}, got {type(labels).__name__}; "
            f"convert it with torch.as_tensor(..., dtype=torch.long)."
        )
    else:
        if isinstance(labels, np.ma.MaskedArray):
            raise TypeError(
                f"{name} is a masked array; drop the masked entries (and their rows "
                f"of {rows_of}) first."
            )
        try:
            labels = np.asarray(labels)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be an array of {what}, got {labels!r}.") from None
        bad = labels.dtype.kind not in "iu"
        dtype = labels.dtype
    if bad:
        raise TypeError(
            f"{name} must hold integer {what} (dtype torch.long or numpy int), got "
            f"dtype {dtype}. Integer-valued floats: use .long() or .astype(int); for "
            f"probability targets, pass the class indices (argmax) instead."
        )
    if tuple(labels.shape) != tuple(shape):
        raise ValueError(
            f"{name} must have shape {tuple(shape)}, one {each} per row of {rows_of}, "
            f"got shape {tuple(labels.shape)}."
        )
    if like is not None and is_tensor(labels) and is_tensor(like):
        check_same_kind(labels, name, like, rows_of)
    if is_tensor(labels) and labels.device.type == "meta":
        return labels
    if math.prod(labels.shape):
        lo, hi = int(labels.min()), int(labels.max())
        if lo < 0 or hi >= n_classes:
            raise ValueError(
                f"{name} must lie in [0, {n_classes - 1}] for {n_classes} classes (the "
                f"last axis of {rows_of}), got values from {lo} to {hi}. Are the labels "
                f"1-based, or does {rows_of} have too few columns?"
            )
    return labels


def check_finite_result(value, name, hint):
    """Raise if a loss computed from finite inputs overflowed to inf (or gave NaN)."""
    import torch

    if value.device.type != "meta" and not bool(torch.isfinite(value.detach()).all()):
        raise ValueError(f"{name} overflowed the range of {value.dtype}: {hint}")
    return value


def check_float_dtype(dtype, name="dtype"):
    """Return ``dtype`` if it is None or a floating torch dtype (e.g. torch.float64)."""
    import torch

    if dtype is not None and not (isinstance(dtype, torch.dtype) and dtype.is_floating_point):
        raise TypeError(
            f"{name} must be a floating torch dtype such as torch.float32 or "
            f"torch.float64 (or None for the default), got {dtype!r}."
        )
    return dtype


def check_generator(generator, name="generator"):
    """Return ``generator`` if it is None or a ``torch.Generator``."""
    import torch

    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(
            f"{name} must be a torch.Generator (or None), got {type(generator).__name__}; "
            f"make one with torch.Generator().manual_seed(seed)."
        )
    return generator
