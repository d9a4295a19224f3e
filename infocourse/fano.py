r"""Fano's inequality: how small the error of a guess can be, given H(Y | X).

For a label :math:`Y` with :math:`K` values and any guess :math:`\hat Y = g(X)`
with error probability :math:`P_e = P(\hat Y \ne Y)`,

.. math:: H(Y \mid X) \le H(Y \mid \hat Y) \le h(P_e) + P_e \log (K - 1),

where :math:`h` is the binary entropy function. :func:`fano_bound` evaluates
the right-hand side; :func:`fano_error_lower_bound` inverts it, turning a
conditional entropy into the smallest error probability any guess can have.
"""

from __future__ import annotations

import math

import numpy as np

from . import _validation as v
from ._backend import to_numpy

__all__ = ["fano_bound", "fano_error_lower_bound"]

_BISECTION_STEPS = 200  # halves [0, 1] far below the spacing of float64 numbers


def _real_array(x, name):
    """A non-empty, finite float64 numpy array (a tensor is copied to the host)."""
    arr = to_numpy(v.as_array(x, name), dtype=np.float64)
    v.check_finite(arr, name)
    return arr


def _finish(arr):
    return arr.item() if arr.ndim == 0 else arr


def _fano_function(p_e, n_classes):
    """h(p_e) + p_e ln(K - 1) in nats, element-wise, for p_e in [0, 1]."""
    q = 1.0 - p_e
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.where(p_e > 0, p_e * np.log(p_e), 0.0) - np.where(
            q > 0, q * np.log(q), 0.0
        )
    return h + p_e * math.log(n_classes - 1)


def fano_bound(error, n_classes, *, base=2):
    r"""The right-hand side of Fano's inequality, element-wise.

    .. math:: F_K(P_e) = h(P_e) + P_e \log_b (K - 1),

    with :math:`h` the binary entropy function. By Fano's inequality, a guess
    of a :math:`K`-valued label :math:`Y` from :math:`X` that is wrong with
    probability :math:`P_e` can only exist if :math:`H(Y \mid X) \le
    F_K(P_e)`. On :math:`[0, (K - 1)/K]` the function rises from 0 to its
    maximum :math:`\log_b K`; beyond that it falls again.

    Parameters
    ----------
    error : float or array_like
        Error probabilities :math:`P_e`, in [0, 1].
    n_classes : int
        Number of classes :math:`K \ge 2`.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    float or numpy.ndarray
        :math:`F_K(P_e)` in units of ``base``; a float for a scalar ``error``,
        otherwise an array of the same shape.

    Raises
    ------
    ValueError
        If ``error`` is empty, not finite or outside [0, 1], or ``n_classes``
        is below 2.
    TypeError
        If ``error`` holds booleans or non-numbers, or ``n_classes`` is not an
        int.

    See Also
    --------
    fano_error_lower_bound : the inverse, the smallest error allowed by
        :math:`H(Y \mid X)`.
    binary_entropy : :math:`h(p)`, the case :math:`K = 2`.

    Examples
    --------
    >>> from infocourse import fano_bound
    >>> print(fano_bound([0.0, 0.5], 2))
    [0. 1.]
    >>> round(fano_bound(0.9, 10), 4)  # (K - 1) / K: the maximum, log2(10)
    3.3219

    References
    ----------
    Cover and Thomas (2006), *Elements of Information Theory*, theorem 2.10.1.
    """
    n_classes = v.check_int(n_classes, "n_classes", minimum=2)
    base = v.check_base(base)
    p_e = _real_array(error, "error")
    if np.any(p_e < 0) or np.any(p_e > 1):
        raise ValueError(
            f"error must be probabilities in [0, 1], got values from "
            f"{p_e.min():.6g} to {p_e.max():.6g}."
        )
    return _finish(_fano_function(p_e, n_classes) / math.log(base))


def fano_error_lower_bound(conditional_entropy, n_classes, *, base=2):
    r"""The smallest error probability that Fano's inequality allows.

    Returns the root :math:`P_e^*` of :math:`F_K(P_e) = H` on
    :math:`[0, (K - 1)/K]`, where :math:`F_K(P_e) = h(P_e) + P_e \log_b (K - 1)`
    (see :func:`fano_bound`) and :math:`H = H(Y \mid X)`. Every guess
    :math:`\hat Y = g(X)` of a :math:`K`-valued label then has

    .. math:: P(\hat Y \ne Y) \ge P_e^*,

    because :math:`F_K` is increasing on that interval and Fano's inequality
    says :math:`H \le F_K(P_e)`. The bound is increasing in :math:`H`: it is a
    lower bound on the error only when :math:`H` is the conditional entropy
    itself or a *lower* bound on it. An upper bound on :math:`H(Y \mid X)`,
    such as the cross-entropy loss of a model, gives no bound on the error.

    :math:`F_K` has no closed-form inverse; it is inverted by bisection to
    float64 precision, rounding down (so the result stays a valid bound).
    Near :math:`H = \log_b K` the root is ill-conditioned, because
    :math:`F_K` is flat at its maximum: there a change of :math:`H` by
    :math:`\delta` moves the root by about :math:`\sqrt{\delta}`, so an
    entropy that rounding left one ulp below :math:`\log_b K` gives a root
    about :math:`10^{-8}` below :math:`(K - 1)/K`.

    Parameters
    ----------
    conditional_entropy : float or array_like
        Values of :math:`H(Y \mid X)`, in units of ``base``, in
        :math:`[0, \log_b K]`.
    n_classes : int
        Number of classes :math:`K \ge 2`.
    base : float, default 2
        Logarithm base of ``conditional_entropy``: 2 for bits, ``math.e`` for
        nats.

    Returns
    -------
    float or numpy.ndarray
        :math:`P_e^*`, in :math:`[0, (K - 1)/K]`; a float for a scalar input,
        otherwise an array of the same shape.

    Raises
    ------
    ValueError
        If ``conditional_entropy`` is empty, not finite, negative or above
        :math:`\log_b K` (no label with :math:`K` values has more entropy),
        or ``n_classes`` is below 2.
    TypeError
        If ``conditional_entropy`` holds booleans or non-numbers, or
        ``n_classes`` is not an int.

    See Also
    --------
    fano_bound : the function inverted here.
    conditional_entropy : :math:`H(Y \mid X)` of a joint table.

    Examples
    --------
    With two classes the bound is the inverse of the binary entropy function:
    a label that keeps half a bit of uncertainty given :math:`X` is guessed
    wrongly at least 11 % of the time.

    >>> from infocourse import fano_error_lower_bound
    >>> round(fano_error_lower_bound(0.5, 2), 4)
    0.11
    >>> print(fano_error_lower_bound([0.0, 1.0], 2))
    [0.  0.5]

    References
    ----------
    Cover and Thomas (2006), *Elements of Information Theory*, theorem 2.10.1;
    R. M. Fano (1961), *Transmission of Information*, MIT Press.
    """
    n_classes = v.check_int(n_classes, "n_classes", minimum=2)
    base = v.check_base(base)
    h = _real_array(conditional_entropy, "conditional_entropy")
    h_nats = h * math.log(base)
    top = math.log(n_classes)
    slack = 8 * np.finfo(np.float64).eps * top  # rounding in an entropy near log K
    if np.any(h_nats < 0):
        raise ValueError(
            f"conditional_entropy must be >= 0, got a minimum of {h.min():.6g}."
        )
    if np.any(h_nats > top + slack):
        raise ValueError(
            f"conditional_entropy must be at most log(n_classes) = "
            f"{top / math.log(base):.6g} in base {base:g} for n_classes = "
            f"{n_classes}, got a maximum of {h.max():.6g}. Check the base and the "
            f"number of classes."
        )
    h_nats = np.minimum(h_nats, top)
    lo = np.zeros_like(h_nats)
    hi = np.full_like(h_nats, (n_classes - 1) / n_classes)
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        below = _fano_function(mid, n_classes) < h_nats
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    # F_K is flat at its maximum: there rounding, not bisection, limits the root
    lo = np.where(h_nats >= top, (n_classes - 1) / n_classes, lo)
    return _finish(lo)
