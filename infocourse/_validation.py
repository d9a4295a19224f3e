"""Input checks shared by every public function of :mod:`infocourse`.

One place decides what a valid probability table is, so every measure fails
the same way, with a message that names the argument, says what was found and
how to fix it.

Rules
-----
* Arrays are numpy arrays, torch tensors or (nested) Python sequences of
  numbers. Sequences become float64 numpy arrays, or tensors of the other
  argument's dtype and device when a tensor is also passed. A numpy array and
  a tensor in one call is a ``TypeError``.
* Probabilities are finite and non-negative; a distribution sums to 1 along
  its axis within ``tolerance(dtype, n) = atol(dtype) + n * eps(dtype)``, with
  ``atol`` = 1e-8 for float64, 1e-5 for float32 and 1e-2 for 16-bit floats
  (``n`` is the number of outcomes; the second term covers rounding in the
  sum). Nothing is renormalised silently: call :func:`infocourse.normalize`
  to opt in.
* ``base`` is a real number > 0 and != 1.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._backend import is_tensor

_ATOL = {8: 1e-8, 4: 1e-5, 2: 1e-2}


def _kind(x) -> str:
    if is_tensor(x):
        return "a torch tensor"
    if isinstance(x, np.ndarray):
        return "a numpy array"
    return "a Python sequence"


def check_base(base):
    """Return ``base`` as a float after checking it is a valid log base."""
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise TypeError(
            f"base must be a real number (2 for bits, math.e for nats), "
            f"got {type(base).__name__} {base!r}."
        )
    base = float(base)
    if not math.isfinite(base) or base <= 0 or base == 1:
        raise ValueError(
            f"base must be a finite number > 0 and != 1 (2 for bits, "
            f"math.e for nats), got {base!r}."
        )
    return base


def as_array(x, name, like=None):
    """Convert ``x`` to a float numpy array or tensor, matching ``like``'s kind.

    Raises ``TypeError`` for non-numeric input or for a numpy array mixed with
    a torch tensor.
    """
    if like is not None and is_tensor(like) != is_tensor(x) and (
        is_tensor(x) or isinstance(x, np.ndarray)
    ):
        raise TypeError(
            f"{name} is {_kind(x)} but the other argument is {_kind(like)}; "
            f"do not mix numpy and torch in one call: convert {name} with "
            f"torch.as_tensor(...) or .numpy() first."
        )
    if is_tensor(x):
        import torch

        if x.is_complex():
            raise TypeError(f"{name} must hold real numbers, got a tensor of dtype {x.dtype}.")
        return x if x.is_floating_point() else x.to(torch.get_default_dtype())
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array of probabilities, got a string {x!r}.")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists, odd objects
        raise TypeError(f"{name} could not be read as a numeric array: {exc}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold real numbers, got an array of dtype {arr.dtype}."
        )
    if is_tensor(like):
        import torch

        return torch.as_tensor(arr, dtype=like.dtype, device=like.device)
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def _numel(x) -> int:
    return x.numel() if is_tensor(x) else x.size


def _stats(x):
    """Host-side floats: (any non-finite, min) of an array or tensor."""
    if is_tensor(x):
        import torch

        d = x.detach()
        return (not bool(torch.isfinite(d).all())), float(d.min())
    return (not bool(np.isfinite(x).all())), float(x.min())


def _eps(x):
    if is_tensor(x):
        import torch

        return torch.finfo(x.dtype).eps, x.element_size()
    return np.finfo(x.dtype).eps, x.dtype.itemsize


def check_axis(x, axis, name):
    """Return ``axis`` normalised to a non-negative int valid for ``x``."""
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an int, got {type(axis).__name__} {axis!r}.")
    ndim = x.ndim
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"axis={axis} is out of range for {name} with {ndim} dimension(s) "
            f"(shape {tuple(x.shape)}); use an axis in [{-ndim}, {ndim - 1}]."
        )
    return axis % ndim


def check_nonnegative(x, name, *, upper=None):
    """Check ``x`` is non-empty, finite, >= 0 (and <= ``upper`` if given)."""
    if x.ndim == 0:
        x = x.reshape(1)
    if _numel(x) == 0:
        raise ValueError(
            f"{name} is empty (shape {tuple(x.shape)}); pass at least one probability."
        )
    nonfinite, lo = _stats(x)
    if nonfinite:
        raise ValueError(
            f"{name} contains NaN or infinite values; probabilities must be "
            f"finite numbers in [0, 1]. Remove or impute them first."
        )
    if lo < 0:
        raise ValueError(
            f"{name} contains negative values (minimum {lo:.6g}); probabilities "
            f"must be >= 0. Did you pass log-probabilities or logits? Apply "
            f"softmax/exp first."
        )
    if upper is not None:
        hi = float(x.detach().max()) if is_tensor(x) else float(x.max())
        if hi > upper:
            raise ValueError(
                f"{name} contains values above {upper} (maximum {hi:.6g}); "
                f"probabilities must lie in [0, 1]."
            )


def _tolerance(p, n):
    """Allowed |sum - 1| for ``n`` outcomes of ``p``'s dtype (see the module docstring)."""
    eps, width = _eps(p)
    return _ATOL.get(width, 1e-2) + n * eps


def _fused_clean(p, axis, sums, minimum):
    """True when precomputed (sums, minimum) of ``p`` show a valid distribution.

    Half the tolerance, so that a sum near the limit, where another summation
    order could round the other way, is left to the full check.
    """
    n = _numel(p) if axis is None else p.shape[axis]
    dev = np.abs(np.asarray(sums, dtype=np.float64) - 1.0)
    # NaN fails every comparison, so NaN/inf in p fall through to the full check.
    return bool(minimum >= 0) and bool(np.all(dev <= 0.5 * _tolerance(p, n)))


def check_distribution(p, name, axis, shown_axis=None, *, fused=None):
    """Check ``p`` is a probability distribution along ``axis`` (or all axes if None).

    ``shown_axis`` is the axis as the caller wrote it (e.g. -1), for messages.
    ``fused`` is ``(sums, minimum)`` along ``axis`` when a caller has already
    computed them in its own pass over ``p`` (:func:`infocourse._backend.fused_plogp`):
    a clean result needs no second pass; anything doubtful (NaN, inf, a
    negative entry, a sum near the tolerance) runs the full check below, so
    errors and messages are the same either way.
    """
    if fused is not None and _fused_clean(p, axis, *fused):
        return
    shown_axis = axis if shown_axis is None else shown_axis
    check_nonnegative(p, name)
    if axis is None:
        sums = p.sum()
        n = _numel(p)
        where = "in total"
    else:
        if p.shape[axis] == 0:
            raise ValueError(
                f"{name} has no outcomes along axis {axis} (shape {tuple(p.shape)}); "
                f"pass at least one probability."
            )
        sums = p.sum(axis) if not is_tensor(p) else p.detach().sum(dim=axis)
        n = p.shape[axis]
        where = f"along axis {shown_axis}"
    sums = sums.detach().cpu().double().numpy() if is_tensor(sums) else np.asarray(sums)
    tol = _tolerance(p, n)
    dev = np.abs(sums - 1.0)
    if dev.max() > tol:
        worst = np.unravel_index(np.argmax(dev), dev.shape) if dev.ndim else ()
        at = f" at index {tuple(int(i) for i in worst)}" if worst else ""
        axis_arg = "" if axis is None or shown_axis == -1 else f", axis={shown_axis}"
        raise ValueError(
            f"{name} must sum to 1 {where}, but it sums to "
            f"{float(sums[worst]):.10g}{at} (tolerance {tol:.1e}). If {name} "
            f"holds counts or unnormalised weights, divide by the total "
            f"first: infocourse.normalize({name}{axis_arg})."
        )


def check_same_shape(a, b, names):
    """Both arrays must have the same shape (no silent broadcasting)."""
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape, got "
            f"{tuple(a.shape)} and {tuple(b.shape)}."
        )
    if is_tensor(a) and a.device != b.device:
        raise ValueError(
            f"{names[0]} is on {a.device} but {names[1]} is on {b.device}; "
            f"move both to one device with .to(device)."
        )


def distribution(p, name="p", *, axis=-1, like=None, check=True):
    """Convert and check one distribution; return (array, normalised axis).

    ``check=False`` converts and checks the shape and axis only, for a caller
    that then runs :func:`check_distribution` with fused reductions.
    """
    p = as_array(p, name, like=like)
    if p.ndim == 0:
        raise ValueError(
            f"{name} is a scalar; pass a vector of probabilities (one per outcome)."
        )
    ax = None if axis is None else check_axis(p, axis, name)
    if check:
        check_distribution(p, name, ax, shown_axis=axis)
    return p, ax


def distribution_pair(p, q, names=("p", "q"), *, axis=-1):
    """Convert and check two distributions over the same outcomes."""
    like = p if is_tensor(p) else q if is_tensor(q) else None
    p = as_array(p, names[0], like=like)
    q = as_array(q, names[1], like=p if is_tensor(p) else None)
    p, ax = distribution(p, names[0], axis=axis)
    q, _ = distribution(q, names[1], axis=axis)
    check_same_shape(p, q, names)
    return p, q, ax


def joint_table(p_xy, name="p_xy", *, ndim=2):
    """Check a joint probability table with exactly ``ndim`` axes summing to 1."""
    p_xy = as_array(p_xy, name)
    if ndim is not None and p_xy.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D joint table (rows X, columns Y), got "
            f"shape {tuple(p_xy.shape)}. Reshape it, or build it with np.outer(p_x, p_y)."
        )
    if p_xy.ndim == 0:
        raise ValueError(f"{name} is a scalar; pass a joint probability table.")
    check_distribution(p_xy, name, None)
    return p_xy


def check_int(value, name, *, minimum=None, maximum=None):
    """Return ``value`` as an int after checking it is an integer in range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}.")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        lo = "-inf" if minimum is None else minimum
        hi = "inf" if maximum is None else maximum
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value}.")
    return value


def check_vector(x, name):
    """Check ``x`` (already converted by :func:`as_array`) is 1-D and non-empty."""
    if x.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D vector (one entry per symbol), got shape "
            f"{tuple(x.shape)}; flatten it or pass one distribution at a time."
        )
    if _numel(x) == 0:
        raise ValueError(f"{name} is empty; pass at least one entry.")


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


# --- Gaussian parameters -------------------------------------------------------


def check_finite(x, name):
    """Check an array/tensor of real parameters is non-empty and has no NaN/inf."""
    x1 = x.reshape(1) if x.ndim == 0 else x
    if _numel(x1) == 0:
        raise ValueError(f"{name} is empty (shape {tuple(x.shape)}); pass at least one value.")
    if _stats(x1)[0]:
        raise ValueError(
            f"{name} contains NaN or infinite values; remove or impute them first."
        )


def check_variance(var, name):
    """Check variances are finite and strictly positive (element-wise)."""
    check_finite(var, name)
    lo = _stats(var.reshape(1) if var.ndim == 0 else var)[1]
    if lo <= 0:
        raise ValueError(
            f"{name} must be > 0 (a variance), got a minimum of {lo:.6g}. Pass "
            f"sigma**2 rather than sigma, and drop constant (degenerate) variables."
        )


def check_covariance(cov, name):
    """Check ``cov`` is a stack (..., d, d) of symmetric positive-definite matrices."""
    if cov.ndim < 2 or cov.shape[-1] != cov.shape[-2] or cov.shape[-1] == 0:
        raise ValueError(
            f"{name} must be a square (d, d) covariance matrix with d >= 1, got "
            f"shape {tuple(cov.shape)}."
        )
    check_finite(cov, name)
    c = cov.detach().cpu().double().numpy() if is_tensor(cov) else np.asarray(cov, float)
    ct = np.swapaxes(c, -1, -2)
    scale = max(float(np.abs(c).max()), np.finfo(float).tiny)
    eps, _ = _eps(cov)
    asym = float(np.abs(c - ct).max())
    if asym > 100 * eps * scale:
        raise ValueError(
            f"{name} must be symmetric, but |{name} - {name}.T| reaches {asym:.3g}; "
            f"symmetrise it with ({name} + {name}.T) / 2 if this is rounding."
        )
    lo = float(np.linalg.eigvalsh((c + ct) / 2).min())
    if lo <= 0:
        raise ValueError(
            f"{name} must be positive definite, but its smallest eigenvalue is "
            f"{lo:.6g}. A singular covariance (a variable that is constant or an "
            f"exact linear function of the others) has no density; drop the "
            f"redundant variable or add a small multiple of the identity."
        )


def check_correlation(rho, name):
    """Check correlation coefficients are finite with |rho| < 1 (element-wise)."""
    check_finite(rho, name)
    r = rho.reshape(1) if rho.ndim == 0 else rho
    hi = float(r.detach().abs().max()) if is_tensor(r) else float(np.abs(r).max())
    if hi >= 1:
        raise ValueError(
            f"{name} must lie strictly between -1 and 1, got |{name}| = {hi:.6g}. "
            f"At |rho| = 1 one variable is a function of the other and the "
            f"mutual information of continuous variables is infinite."
        )


# --- Torch losses (infocourse.nn): scalars, choices, class labels --------------


def check_choice(value, name, choices, hint=""):
    """Return ``value`` if it is one of ``choices`` (e.g. a ``reduction`` name)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(
            f"{name} must be one of {', '.join(repr(c) for c in choices)}, got "
            f"{value!r}.{' ' + hint if hint else ''}"
        )
    return value


def check_real(value, name, *, low=None, high=None, low_open=False, high_open=False,
               hint=""):
    """Return ``value`` as a float after checking it is a finite real in range.

    ``low_open``/``high_open`` exclude the end points, e.g. ``low=0,
    low_open=True`` for a temperature (> 0), ``low=0, high=1, high_open=True``
    for a label-smoothing weight in [0, 1).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}.")
    value = float(value)
    below = low is not None and (value <= low if low_open else value < low)
    above = high is not None and (value >= high if high_open else value > high)
    if not math.isfinite(value) or below or above:
        lo = "(-inf" if low is None else ("(" if low_open else "[") + f"{low:g}"
        hi = "inf)" if high is None else f"{high:g}" + (")" if high_open else "]")
        raise ValueError(
            f"{name} must be a finite number in {lo}, {hi}, got {value!r}."
            f"{' ' + hint if hint else ''}"
        )
    return value


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


# --- torch losses (i16c) -------------------------------------------------------
#
# What every function of infocourse.nn checks, in one order: the type and dtype
# and shape of each tensor, then that the tensors passed together share one
# dtype and one device (torch would silently promote float32 to float64, and a
# device mismatch fails deep inside a kernel), then finite values (skipped on
# the "meta" device, which holds no values), then labels. ``to_numpy`` is the
# one tensor-to-numpy conversion of infocourse.nn (a backend helper, kept here
# until _backend has one).


def to_numpy(x):
    """``x`` as a numpy array; a tensor is detached and copied to the CPU."""
    if is_tensor(x):
        return x.detach().cpu().numpy()
    return np.asarray(x)


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
