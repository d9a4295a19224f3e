"""Building probability tables: the explicit opt-in to normalisation, and marginals."""

from __future__ import annotations

from . import _validation as v
from ._backend import ops_for


def normalize(weights, *, axis=-1):
    r"""Divide non-negative weights (e.g. counts) by their sum along ``axis``.

    The measures never renormalise their input silently; call this when you
    mean to turn counts or unnormalised scores into probabilities.

    .. math:: p_i = w_i \Big/ \sum_j w_j

    Parameters
    ----------
    weights : array_like or torch.Tensor
        Finite, non-negative, with a positive sum along ``axis``.
    axis : int or None, default -1
        Axis to normalise along; ``None`` normalises the whole table (a joint
        distribution).

    Returns
    -------
    numpy array or torch.Tensor
        Same shape as ``weights``.

    Examples
    --------
    >>> from infocourse import normalize
    >>> print(normalize([2, 1, 1]))
    [0.5  0.25 0.25]

    References
    ----------
    Cover and Thomas (2006), section 2.1.
    """
    w = v.as_array(weights, "weights")
    if w.ndim == 0:
        raise ValueError("weights is a scalar; pass one weight per outcome.")
    v.check_nonnegative(w, "weights")
    ax = None if axis is None else v.check_axis(w, axis, "weights")
    total = ops_for(w).sum(w, axis=ax, keepdims=ax is not None)
    if bool((total == 0).any()):
        raise ValueError(
            "weights sum to 0 along axis "
            f"{axis}; at least one weight per distribution must be positive."
        )
    return w / total


def marginals(p_xy):
    r"""Marginal distributions of a 2-D joint table (rows X, columns Y).

    .. math:: p(x) = \sum_y p(x, y), \qquad p(y) = \sum_x p(x, y)

    Parameters
    ----------
    p_xy : array_like or torch.Tensor
        2-D joint probabilities summing to 1.

    Returns
    -------
    (p_x, p_y) : tuple of numpy arrays or torch tensors

    Examples
    --------
    >>> from infocourse import marginals
    >>> p_x, p_y = marginals([[0.1, 0.5], [0.1, 0.3]])
    >>> print(p_x, p_y)
    [0.6 0.4] [0.2 0.8]

    References
    ----------
    Cover and Thomas (2006), section 2.2.
    """
    p_xy = v.joint_table(p_xy, "p_xy")
    return p_xy.sum(1), p_xy.sum(0)
