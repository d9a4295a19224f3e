"""Arrays: conversion of every array argument, and the checks of shape and kind.

Arrays are numpy arrays, torch tensors or (nested) Python sequences of real
numbers. Sequences become float64 numpy arrays, or tensors of the other
argument's dtype and device when a tensor is also passed. Refused, with a
``TypeError`` naming the argument: a numpy array and a tensor in one call,
boolean arrays (a mask is not a number), masked arrays (the mask would be
dropped silently), object, string and complex arrays.
"""

from __future__ import annotations

import numpy as np

from .._backend import is_tensor, kind, ops_for


def _refuse_dtype(name, dtype, what):
    if what == "bool":
        raise TypeError(
            f"{name} is a boolean array (dtype {dtype}); a mask is not a number. "
            f"Convert it explicitly, e.g. {name}.astype(float) or "
            f"infocourse.normalize({name}.astype(float)) for a distribution."
        )
    raise TypeError(
        f"{name} must hold real numbers, got an array of dtype {dtype}."
        + (" Take the real part or the modulus first." if what == "complex" else "")
    )


def as_array(x, name, like=None, like_name="the other argument"):
    """Convert ``x`` to a float numpy array or tensor, matching ``like``'s kind.

    Raises ``TypeError`` for non-numeric, boolean, masked, object or complex
    input, and for a numpy array mixed with a torch tensor (the message names
    both arguments: ``like_name`` is the name of ``like``).
    """
    if isinstance(x, np.ma.MaskedArray):
        raise TypeError(
            f"{name} is a masked array; its mask would be dropped silently. Fill "
            f"or remove the masked entries first: {name}.filled(0.0) or "
            f"{name}.compressed()."
        )
    if like is not None and is_tensor(like) != is_tensor(x) and (
        is_tensor(x) or isinstance(x, np.ndarray)
    ):
        fix = (f"torch.as_tensor({name})" if is_tensor(like) else f"{name}.numpy()")
        raise TypeError(
            f"{name} is {kind(x)} but {like_name} is {kind(like)}; do not mix "
            f"numpy and torch in one call: convert {name} with {fix} first."
        )
    if is_tensor(x):
        import torch

        if x.dtype == torch.bool:
            _refuse_dtype(name, x.dtype, "bool")
        if x.is_complex():
            _refuse_dtype(name, x.dtype, "complex")
        return x if x.is_floating_point() else x.to(torch.get_default_dtype())
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got a string {x!r}.")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists, odd objects
        raise TypeError(f"{name} could not be read as a numeric array: {exc}") from None
    if arr.dtype.kind == "b":
        _refuse_dtype(name, arr.dtype, "bool")
    if arr.dtype.kind == "c":
        _refuse_dtype(name, arr.dtype, "complex")
    if arr.dtype.kind not in "iuf":
        _refuse_dtype(name, arr.dtype, "other")
    if is_tensor(like):
        import torch

        return torch.as_tensor(arr, dtype=like.dtype, device=like.device)
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def as_numpy_array(x, name):
    """:func:`as_array` for numerical (numpy-only) code: a tensor is refused."""
    if is_tensor(x):
        raise TypeError(
            f"{name} is a torch tensor; this function is numerical (numpy). "
            f"Pass {name}.detach().cpu().numpy() or a list."
        )
    return as_array(x, name)


def check_axis(x, axis, name):
    """Return ``axis`` normalised to a non-negative int valid for ``x``."""
    from .parameters import check_int

    axis = check_int(axis, "axis")
    ndim = x.ndim
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"axis={axis} is out of range for {name} with {ndim} dimension(s) "
            f"(shape {tuple(x.shape)}); use an axis in [{-ndim}, {ndim - 1}]."
        )
    return axis % ndim


def check_same_shape(a, b, names):
    """Both arrays must have the same shape (no silent broadcasting), dtype and device."""
    check_agree(a, b, names)
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape, got "
            f"{tuple(a.shape)} and {tuple(b.shape)}."
        )


def check_agree(a, b, names):
    """Two tensors must agree in device and dtype (numpy arrays always do).

    torch would promote a float32 tensor to float64 (or fail on two devices)
    in the middle of a measure.
    """
    if is_tensor(a) and is_tensor(b):
        if a.device != b.device:
            raise ValueError(
                f"{names[0]} is on {a.device} but {names[1]} is on {b.device}; "
                f"move both to one device with .to(device)."
            )
        if a.dtype != b.dtype:
            raise TypeError(
                f"{names[0]} has dtype {a.dtype} but {names[1]} has dtype {b.dtype}; "
                f"cast one of them, e.g. {names[1]}.to({names[0]}.dtype)."
            )


def check_vector(x, name):
    """Check ``x`` (already converted by :func:`as_array`) is 1-D and non-empty."""
    if x.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D vector (one entry per symbol), got shape "
            f"{tuple(x.shape)}; flatten it or pass one distribution at a time."
        )
    if ops_for(x).numel(x) == 0:
        raise ValueError(f"{name} is empty; pass at least one entry.")


def check_finite(x, name):
    """Check an array/tensor of real numbers is non-empty and has no NaN/inf."""
    ops = ops_for(x)
    if ops.numel(x) == 0:
        raise ValueError(f"{name} is empty (shape {tuple(x.shape)}); pass at least one value.")
    if not ops.all_finite(x):
        raise ValueError(
            f"{name} contains NaN or infinite values; remove or impute them first."
        )
