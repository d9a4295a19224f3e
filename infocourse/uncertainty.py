"""Uncertainty of one distribution: self-information, entropy, joint and conditional entropy."""

from __future__ import annotations

import math  # noqa: F401  (math.e in the doctests)
import numbers

import numpy as np

from . import _fast
from . import _validation as v
from ._backend import nats_to, ops_for


def self_information(p, *, base=2):
    r"""Self-information (surprisal) of an event of probability ``p``.

    .. math:: I(x) = -\log_b p(x)

    Parameters
    ----------
    p : float, array_like or torch.Tensor
        Probabilities in [0, 1], element-wise. ``p = 0`` gives ``inf``.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats, 10 hartleys.

    Returns
    -------
    numpy scalar/array or torch.Tensor
        Element-wise surprisal, same shape and kind as ``p``.

    Examples
    --------
    >>> from infocourse import self_information
    >>> print(self_information(1 / 64))
    6.0
    >>> print(self_information([0.5, 0.25], base=math.e).round(4))
    [0.6931 1.3863]

    References
    ----------
    C. E. Shannon, "A Mathematical Theory of Communication", Bell System
    Technical Journal 27 (1948), section 6.
    """
    base = v.check_base(base)
    p = v.as_array(p, "p")
    v.check_nonnegative(p, "p", upper=1.0)
    ops = ops_for(p)
    # log2 is exact for powers of two (1/64 -> 6.0, not 5.999...).
    out = -ops.log2(p) if base == 2 else nats_to(-ops.log(p), base)
    return ops.finish(out)


def entropy(p, *, base=2, axis=-1):
    r"""Shannon entropy of a discrete distribution.

    .. math:: H(p) = -\sum_x p(x) \log_b p(x), \qquad 0 \log 0 = 0

    Parameters
    ----------
    p : array_like or torch.Tensor
        Probabilities, non-negative and summing to 1 along ``axis`` (see
        :mod:`infocourse._validation` for the tolerance). Other axes are
        batch axes.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.
    axis : int, default -1
        The axis that indexes outcomes.

    Returns
    -------
    numpy scalar/array or torch.Tensor
        Entropy, with ``axis`` reduced. In ``[0, log_b n]`` for ``n`` outcomes.

    Raises
    ------
    ValueError
        If ``p`` is empty, has NaN/inf or negative entries, or does not sum to 1.

    Examples
    --------
    >>> from infocourse import entropy
    >>> print(entropy([0.25, 0.25, 0.25, 0.25]))
    2.0
    >>> print(entropy([1.0, 0.0, 0.0]))   # no "-0.0": a point mass has 0 bits
    0.0
    >>> print(entropy([[0.5, 0.5], [0.9, 0.1]], base=math.e).round(4))
    [0.6931 0.3251]

    References
    ----------
    T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
    Wiley (2006), eq. (2.1).
    """
    base = v.check_base(base)
    p, ax = v.distribution(p, "p", axis=axis)
    # Large numpy arrays take the chunked path of infocourse._fast.
    return ops_for(p).finish(nats_to(-_fast.plogp_sum(p, ax), base))


def binary_entropy(p, *, base=2):
    r"""Entropy of a coin that lands heads with probability ``p``, element-wise.

    .. math:: h(p) = -p \log_b p - (1 - p) \log_b (1 - p)

    Parameters
    ----------
    p : float, array_like or torch.Tensor
        Probabilities of heads, in [0, 1].
    base : float, default 2
        Logarithm base: 2 gives bits (maximum 1 at ``p = 0.5``), ``math.e`` nats.

    Returns
    -------
    numpy scalar/array or torch.Tensor
        Same shape and kind as ``p``.

    Examples
    --------
    >>> from infocourse import binary_entropy
    >>> print(binary_entropy([0.0, 0.11, 0.5]).round(3))
    [0.  0.5 1. ]

    References
    ----------
    Cover and Thomas (2006), eq. (2.5).
    """
    base = v.check_base(base)
    p = v.as_array(p, "p")
    v.check_nonnegative(p, "p", upper=1.0)
    ops = ops_for(p)
    q = 1.0 - p
    return ops.finish(nats_to(-(ops.xlogy(p, p) + ops.xlogy(q, q)), base))


def joint_entropy(p_xy, *, base=2):
    r"""Joint entropy of a joint probability table, over all of its axes.

    .. math:: H(X, Y) = -\sum_{x, y} p(x, y) \log_b p(x, y)

    Parameters
    ----------
    p_xy : array_like or torch.Tensor
        Joint probabilities, any number of axes (one per variable), summing to 1.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    numpy scalar or 0-d torch.Tensor

    Examples
    --------
    >>> from infocourse import joint_entropy
    >>> print(joint_entropy([[0.25, 0.25], [0.25, 0.25]]))
    2.0

    References
    ----------
    Cover and Thomas (2006), eq. (2.8).
    """
    base = v.check_base(base)
    p_xy = v.joint_table(p_xy, "p_xy", ndim=None)
    ops = ops_for(p_xy)
    return ops.finish(nats_to(-ops.sum(ops.xlogy(p_xy, p_xy)), base))


def conditional_entropy(p_xy, *, given=0, base=2):
    r"""Conditional entropy from a 2-D joint table.

    With ``given=0`` (rows are X) this is :math:`H(Y \mid X)`; with
    ``given=1`` it is :math:`H(X \mid Y)`.

    .. math:: H(Y \mid X) = -\sum_{x, y} p(x, y) \log_b \frac{p(x, y)}{p(x)}

    Computed term by term (each term is >= 0), not as ``H(X, Y) - H(X)``,
    so the result never comes out as a tiny negative number.

    Parameters
    ----------
    p_xy : array_like or torch.Tensor
        2-D joint probabilities (rows X, columns Y) summing to 1.
    given : {0, 1}, default 0
        The axis of the conditioning variable.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    numpy scalar or 0-d torch.Tensor

    Examples
    --------
    >>> from infocourse import conditional_entropy
    >>> p_xy = [[0.5, 0.0], [0.25, 0.25]]   # Y is fixed when X = 0
    >>> print(conditional_entropy(p_xy, given=0))
    0.5

    References
    ----------
    Cover and Thomas (2006), eq. (2.10)-(2.12).
    """
    base = v.check_base(base)
    p_xy = v.joint_table(p_xy, "p_xy")
    if isinstance(given, (bool, np.bool_)) or not isinstance(given, numbers.Integral):
        raise TypeError(
            f"given must be an int: 0 (condition on the row variable X) or 1 (on "
            f"the column variable Y), got {type(given).__name__} {given!r}."
        )
    if given not in (0, 1):
        raise ValueError(
            f"given must be 0 (condition on the row variable X) or 1 (on the "
            f"column variable Y), got {given!r}."
        )
    ops = ops_for(p_xy)
    p_given = ops.sum(p_xy, axis=1 - given, keepdims=True)
    return ops.finish(nats_to(-ops.sum(ops.rel_entr(p_xy, p_given)), base))

