"""Comparing two distributions: cross-entropy, KL and Jensen-Shannon divergence."""

from __future__ import annotations

from . import _validation as v
from ._backend import nats_to, ops_for


def cross_entropy(p, q, *, base=2, axis=-1):
    r"""Cross-entropy of a model ``q`` under the true distribution ``p``.

    .. math:: H(p, q) = -\sum_x p(x) \log_b q(x) = H(p) + D_{KL}(p \,\|\, q)

    The average code length, in bits for ``base=2``, when outcomes drawn from
    ``p`` are coded with a code built for ``q``.

    Parameters
    ----------
    p, q : array_like or torch.Tensor
        Distributions of the same shape, each summing to 1 along ``axis``.
        Other axes are batch axes.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.
    axis : int, default -1
        The axis that indexes outcomes.

    Returns
    -------
    numpy scalar/array or torch.Tensor
        With ``axis`` reduced. ``inf`` where ``q(x) = 0 < p(x)`` (the model
        rules out something that happens): this is the correct value, not an
        error.

    Examples
    --------
    >>> from infocourse import cross_entropy
    >>> print(cross_entropy([0.5, 0.5], [0.25, 0.75]).round(4))
    1.2075
    >>> print(cross_entropy([0.5, 0.5], [1.0, 0.0]))
    inf

    References
    ----------
    Cover and Thomas (2006), section 5.4 ("wrong code").
    """
    base = v.check_base(base)
    p, q, ax = v.distribution_pair(p, q, axis=axis)
    ops = ops_for(p)
    return ops.finish(nats_to(-ops.sum(ops.xlogy(p, q), axis=ax), base))


def kl_divergence(p, q, *, base=2, axis=-1):
    r"""Kullback-Leibler divergence (relative entropy) of ``q`` from ``p``.

    .. math:: D_{KL}(p \,\|\, q) = \sum_x p(x) \log_b \frac{p(x)}{q(x)} \ge 0

    Zero if and only if ``p == q``; not symmetric in ``p`` and ``q``.

    Parameters
    ----------
    p, q : array_like or torch.Tensor
        Distributions of the same shape, each summing to 1 along ``axis``.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.
    axis : int, default -1
        The axis that indexes outcomes.

    Returns
    -------
    numpy scalar/array or torch.Tensor
        With ``axis`` reduced; ``inf`` where ``q(x) = 0 < p(x)``.

    Examples
    --------
    >>> from infocourse import kl_divergence
    >>> print(kl_divergence([0.5, 0.5], [0.25, 0.75]).round(4))
    0.2075
    >>> print(kl_divergence([0.25, 0.75], [0.5, 0.5]).round(4))   # asymmetric
    0.1887

    References
    ----------
    S. Kullback and R. A. Leibler, "On Information and Sufficiency", Annals of
    Mathematical Statistics 22 (1951). Cover and Thomas (2006), eq. (2.26).
    """
    base = v.check_base(base)
    p, q, ax = v.distribution_pair(p, q, axis=axis)
    ops = ops_for(p)
    return ops.finish(nats_to(ops.sum(ops.rel_entr(p, q), axis=ax), base))


def js_divergence(p, q, *, base=2, axis=-1):
    r"""Jensen-Shannon divergence: symmetric, bounded, finite.

    .. math::
        D_{JS}(p \,\|\, q) = \tfrac12 D_{KL}(p \,\|\, m) + \tfrac12 D_{KL}(q \,\|\, m),
        \qquad m = \tfrac12 (p + q)

    Equivalently :math:`D_{JS}(p \,\|\, q) = I(X; B)`, where a fair coin
    :math:`B` chooses whether :math:`X` is drawn from ``p`` or from ``q``; so
    it is always between 0 and 1 bit (``log_b 2`` in general, the entropy of
    the coin), with 1 bit for disjoint supports. JS itself fails the triangle
    inequality; its square root is a metric (Endres and Schindelin 2003).

    Parameters
    ----------
    p, q : array_like or torch.Tensor
        Distributions of the same shape, each summing to 1 along ``axis``.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.
    axis : int, default -1
        The axis that indexes outcomes.

    Returns
    -------
    numpy scalar/array or torch.Tensor

    Examples
    --------
    >>> from infocourse import js_divergence
    >>> print(js_divergence([1.0, 0.0], [0.0, 1.0]))   # disjoint supports
    1.0

    References
    ----------
    J. Lin, "Divergence measures based on the Shannon entropy", IEEE
    Transactions on Information Theory 37 (1991).

    D. M. Endres and J. E. Schindelin, "A new metric for probability
    distributions", IEEE Transactions on Information Theory 49 (2003).
    """
    base = v.check_base(base)
    p, q, ax = v.distribution_pair(p, q, axis=axis)
    ops = ops_for(p)
    m = 0.5 * (p + q)
    # Half the smallest subnormal rounds to 0; m must stay > 0 where p or q is
    # (else the term would be inf): keep p + q there (a change below 1e-323).
    m = ops.where((m == 0) & (p + q > 0), p + q, m)
    js = 0.5 * ops.sum(ops.rel_entr(p, m) + ops.rel_entr(q, m), axis=ax)
    return ops.finish(nats_to(js, base))


# --- total variation distance (added for chapter 3's Pinsker section, issue 17) ---


def total_variation(p, q, *, axis=-1):
    r"""Total variation distance between two distributions on the same outcomes.

    .. math::
        \operatorname{TV}(p, q) = \tfrac12 \sum_x \lvert p(x) - q(x) \rvert
        = \max_{A} \lvert p(A) - q(A) \rvert

    The largest difference between the probabilities that ``p`` and ``q``
    give to any one event :math:`A` (the maximum is attained at
    :math:`A = \{x : p(x) > q(x)\}`). It is a metric, it has no unit (it is a
    difference of probabilities, not a number of bits), and it lies in
    :math:`[0, 1]`, with 1 exactly for disjoint supports. Pinsker's
    inequality bounds it by the KL divergence in nats:
    :math:`\operatorname{TV}(p, q) \le \sqrt{D_{KL}(p \,\|\, q) / 2}`.

    Parameters
    ----------
    p, q : array_like or torch.Tensor
        Distributions of the same shape, each summing to 1 along ``axis``.
        Other axes are batch axes.
    axis : int, default -1
        The axis that indexes outcomes.

    Returns
    -------
    numpy scalar/array or torch.Tensor
        With ``axis`` reduced; in ``[0, 1]``.

    See Also
    --------
    kl_divergence : the divergence that Pinsker's inequality compares it with.
    js_divergence : another symmetric, bounded comparison.

    Examples
    --------
    >>> import math
    >>> from infocourse import kl_divergence, total_variation
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> print(total_variation(p, q).round(4))
    0.4
    >>> bound = math.sqrt(kl_divergence(p, q, base=math.e) / 2)  # Pinsker
    >>> print(round(bound, 4))
    0.5054
    >>> print(total_variation([1.0, 0.0], [0.0, 1.0]))   # disjoint supports
    1.0

    References
    ----------
    Cover and Thomas (2006), section 11.6 (the L1 distance, twice this one,
    and Lemma 11.6.1, Pinsker's inequality).
    """
    p, q, ax = v.distribution_pair(p, q, axis=axis)
    ops = ops_for(p)
    return ops.finish(0.5 * ops.sum(abs(p - q), axis=ax))
