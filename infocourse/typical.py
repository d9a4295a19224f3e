r"""Typical sets of a coin-tossing source: the asymptotic equipartition property, counted exactly.

For :math:`n` independent tosses of a coin with :math:`P(1) = p`, a sequence
with :math:`k` ones has probability :math:`p^k (1 - p)^{n - k}`, so all
:math:`\binom{n}{k}` sequences with the same :math:`k` share their
probability. That makes the sets of the asymptotic equipartition property
countable exactly, class by class, for any :math:`n` (Cover and Thomas [1],
ch. 3): the typical set :math:`A_\epsilon^{(n)}` and the smallest set of
sequences with probability at least :math:`1 - \delta`.

Sizes are exact Python integers (they exceed any float for large ``n``);
sizes in bits are ``math.log2(size)``.

References
----------
1. T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
   Wiley, 2006, ch. 3 (the AEP; theorem 3.1.2 and section 3.3).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import NamedTuple

from . import _validation as v

__all__ = ["TypicalSet", "typical_set", "smallest_likely_set"]


class TypicalSet(NamedTuple):
    """What :func:`typical_set` returns."""

    #: Number of sequences in the set (exact).
    size: int
    #: Probability of the set.
    probability: float
    #: The numbers of ones ``k`` whose sequences are typical, ascending.
    ones: tuple[int, ...]


def _source(n, p):
    n = v.check_int(n, "n", minimum=1)
    p = v.check_real(p, "p", low=0.0, high=1.0, hint="p is the probability of a 1.")
    return n, p


def _log2_probability(n, k, p):
    """log2 of the probability of one sequence with ``k`` ones (-inf when impossible)."""
    ones = 0.0 if k == 0 else (-math.inf if p == 0 else k * math.log2(p))
    zeros = 0.0 if k == n else (-math.inf if p == 1 else (n - k) * math.log2(1 - p))
    return ones + zeros


def typical_set(n, p, eps):
    r"""Size and probability of the typical set of ``n`` tosses of a ``p``-coin.

    The typical set holds the sequences whose information per symbol is
    within ``eps`` bits of the entropy :math:`h(p)`:

    .. math:: A_\epsilon^{(n)} = \left\{x^n :
              \left| -\tfrac{1}{n} \log_2 p(x^n) - h(p) \right| \le \epsilon \right\}

    By the AEP its probability tends to 1 and
    :math:`\tfrac{1}{n} \log_2 |A_\epsilon^{(n)}| \in [h(p) - \epsilon, h(p) + \epsilon]`
    for large ``n`` ([1], theorem 3.1.2).

    Parameters
    ----------
    n : int
        Number of tosses, at least 1.
    p : float
        Probability of a 1, in [0, 1].
    eps : float
        Width of the band around the entropy, in bits, > 0.

    Returns
    -------
    TypicalSet
        ``size`` (exact int, 0 when no class falls in the band), ``probability``
        (float) and ``ones``, the typical numbers of ones.

    See Also
    --------
    smallest_likely_set : the smallest set with probability at least 1 - delta.
    infocourse.binary_entropy : :math:`h(p)`.

    Notes
    -----
    Membership is decided in floating point: a class whose information lies
    within rounding of the band's edge may fall on either side. The
    probability is summed class by class in log space, so it does not
    overflow for large ``n``.

    References
    ----------
    1. T. M. Cover and J. A. Thomas, *Elements of Information Theory*,
       2nd ed., Wiley, 2006, ch. 3.

    Examples
    --------
    >>> from infocourse.typical import typical_set
    >>> a = typical_set(100, 0.1, 0.1)
    >>> a.ones[0], a.ones[-1], round(a.probability, 4)
    (7, 13, 0.759)
    >>> typical_set(10, 0.5, 0.1).size == 2**10   # a fair coin: every sequence
    True
    """
    n, p = _source(n, p)
    eps = v.check_real(eps, "eps", low=0.0, low_open=True, hint="eps is a width in bits.")
    h = 0.0 if p in (0.0, 1.0) else -(p * math.log2(p) + (1 - p) * math.log2(1 - p))
    ones, size, probability = [], 0, 0.0
    for k in range(n + 1):
        log2_single = _log2_probability(n, k, p)
        if math.isinf(log2_single) or abs(-log2_single / n - h) > eps:
            continue
        ones.append(k)
        size += math.comb(n, k)
        log2_class = (
            math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
        ) / math.log(2) + log2_single
        probability += 2.0**log2_class
    return TypicalSet(size, min(probability, 1.0), tuple(ones))


def smallest_likely_set(n, p, delta):
    r"""Size of the smallest set of ``n``-toss sequences with probability at least ``1 - delta``.

    The set takes the most probable sequences first. Its size in bits per
    symbol, :math:`\tfrac{1}{n} \log_2 |B_\delta^{(n)}|`, tends to the entropy
    :math:`h(p)` for every ``0 < delta < 1`` ([1], section 3.3): no set much
    smaller than the typical set holds most of the probability.

    Parameters
    ----------
    n : int
        Number of tosses, at least 1.
    p : float
        Probability of a 1, in [0, 1].
    delta : float
        Probability the set may miss, in [0, 1).

    Returns
    -------
    int
        The exact size: computed with rational arithmetic on the binary values
        of ``p`` and ``delta``, so no rounding can move it by a sequence.

    See Also
    --------
    typical_set : the sequences with information per symbol near the entropy.

    References
    ----------
    1. T. M. Cover and J. A. Thomas, *Elements of Information Theory*,
       2nd ed., Wiley, 2006, section 3.3.

    Examples
    --------
    >>> from infocourse.typical import smallest_likely_set
    >>> smallest_likely_set(3, 0.5, 0.5)    # 4 of the 8 equally likely sequences
    4
    >>> smallest_likely_set(3, 0.1, 0.2)    # 000 (0.729), then one of 100, 010, 001
    2
    """
    n, p = _source(n, p)
    delta = v.check_real(delta, "delta", low=0.0, high=1.0, high_open=True)
    one, zero, target = Fraction(p), 1 - Fraction(p), 1 - Fraction(delta)
    # Classes in order of decreasing probability of one sequence.
    order = sorted(range(n + 1), key=lambda k: -_log2_probability(n, k, p))
    size, covered = 0, Fraction(0)
    for k in order:
        single = one**k * zero ** (n - k)
        count = math.comb(n, k)
        if covered + count * single >= target:
            return size + math.ceil((target - covered) / single)
        size += count
        covered += count * single
    raise AssertionError("the classes' probabilities sum to 1")  # pragma: no cover
