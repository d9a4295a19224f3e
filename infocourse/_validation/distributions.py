"""Distributions: probability vectors, batches of them and joint tables.

Probabilities are finite and non-negative; a distribution sums to 1 along its
axis within

.. math:: \\mathrm{tol}(n) = \\min\\big(0.005,\\ a + 4 \\sqrt{n}\\, \\varepsilon\\big)

where :math:`\\varepsilon` is the machine epsilon of the array's dtype,
:math:`a` = 1e-8 (float64), 1e-5 (float32) or 2e-3 (16-bit floats) allows for
probabilities typed or stored with a few digits, and the square-root term for
rounding when ``n`` probabilities were normalised in that dtype. The sum is
taken in float64, so the check itself adds no rounding; the cap means no dtype
and no length can accept a sum of 1.01. Nothing is renormalised silently: call
:func:`infocourse.normalize` to opt in.
"""

from __future__ import annotations

import math

import numpy as np

from .._backend import ops_for
from .arrays import as_array, check_agree, check_axis, check_same_shape

#: No tolerance is ever larger than this.
TOLERANCE_CAP = 5e-3


def tolerance(eps, n):
    """Allowed |sum - 1| for ``n`` outcomes of a dtype with machine epsilon ``eps``.

    Examples
    --------
    >>> import numpy as np
    >>> print(f"{tolerance(np.finfo(np.float64).eps, 10):.2e}")
    1.00e-08
    >>> print(tolerance(np.finfo(np.float16).eps, 70_000))  # capped
    0.005
    """
    eps = float(eps)  # a float16 eps times sqrt(n) would overflow in float16
    atol = 1e-8 if eps < 1e-10 else 1e-5 if eps < 1e-6 else 2e-3
    return min(TOLERANCE_CAP, atol + 4 * math.sqrt(n) * eps)


def check_nonnegative(x, name, *, upper=None):
    """Check ``x`` is non-empty, finite, >= 0 (and <= ``upper`` if given)."""
    ops = ops_for(x)
    if ops.numel(x) == 0:
        raise ValueError(
            f"{name} is empty (shape {tuple(x.shape)}); pass at least one probability."
        )
    # min and max propagate NaN, and an infinite entry is one of them: two
    # reductions instead of a full isfinite pass.
    lo, hi = ops.min(x), ops.max(x)
    if not (math.isfinite(lo) and math.isfinite(hi)):
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
    if upper is not None and hi > upper:
        raise ValueError(
            f"{name} contains values above {upper} (maximum {hi:.6g}); "
            f"probabilities must lie in [0, 1]."
        )


def check_distribution(p, name, axis, shown_axis=None):
    """Check ``p`` is a probability distribution along ``axis`` (or all axes if None).

    ``shown_axis`` is the axis as the caller wrote it (e.g. -1), for messages.
    """
    shown_axis = axis if shown_axis is None else shown_axis
    check_nonnegative(p, name)
    ops = ops_for(p)
    if axis is None:
        n = ops.numel(p)
        where = "in total"
    else:
        if p.shape[axis] == 0:
            raise ValueError(
                f"{name} has no outcomes along axis {axis} (shape {tuple(p.shape)}); "
                f"pass at least one probability."
            )
        n = p.shape[axis]
        where = f"along axis {shown_axis}"
    sums = ops.sum64(p, axis)
    tol = tolerance(ops.eps(p), n)
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


def distribution(p, name="p", *, axis=-1, like=None, like_name="the other argument"):
    """Convert and check one distribution; return (array, normalised axis)."""
    p = as_array(p, name, like=like, like_name=like_name)
    if p.ndim == 0:
        raise ValueError(
            f"{name} is a scalar; pass a vector of probabilities (one per outcome)."
        )
    ax = None if axis is None else check_axis(p, axis, name)
    check_distribution(p, name, ax, shown_axis=axis)
    return p, ax


def distribution_pair(p, q, names=("p", "q"), *, axis=-1):
    """Convert and check two distributions over the same outcomes.

    A tensor and a numpy array in one call is a ``TypeError`` that names the
    numpy argument and the tensor argument as they are.
    """
    from .._backend import is_tensor

    if is_tensor(q) and not is_tensor(p):
        p = as_array(p, names[0], like=q, like_name=names[1])
    else:
        p = as_array(p, names[0])
    q = as_array(q, names[1], like=p if is_tensor(p) else None, like_name=names[0])
    check_agree(p, q, names)
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
