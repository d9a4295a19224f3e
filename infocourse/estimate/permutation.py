"""Permutation test of independence: is an estimated mutual information real?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from . import _checks as c
from . import copula, discrete, histogram
from ._api import MI_METHODS, TRANSFORMS, mutual_information


@dataclass(frozen=True)
class PermutationTestResult:
    """Outcome of :func:`permutation_test`.

    Attributes
    ----------
    statistic : float
        The MI estimate on the data as paired.
    null_distribution : numpy.ndarray
        The estimates after each random re-pairing (shape ``(n_permutations,)``).
    pvalue : float
        ``(1 + #{null >= statistic}) / (1 + n_permutations)``.
    """

    statistic: float
    null_distribution: np.ndarray
    pvalue: float


def permutation_test(x, y, *, method, n_permutations=1000, seed=None, base=2, **kwargs):
    r"""Test "X and Y are independent" with an MI estimate as the statistic.

    Shuffling ``y`` against ``x`` keeps both marginals and destroys any
    dependence, so the estimates on shuffled data show what the estimator
    returns when the true MI is 0 (its bias and spread at this sample size).
    The p-value counts the observed pairing as one of the permutations,

    .. math:: p = \frac{1 + \#\{b : \hat I_b \ge \hat I_{\text{obs}}\}}{1 + B},

    so it is never 0 and the test is valid at any ``B`` (Phipson & Smyth 2010).

    Parameters
    ----------
    x, y : array_like
        Paired samples, as for :func:`mutual_information`.
    method : str
        One of ``"plugin"``, ``"miller-madow"``, ``"histogram"``, ``"ksg"``.
    n_permutations : int, default 1000
        Number of random re-pairings ``B``.
    seed : int or numpy.random.Generator, optional
        Seeds the permutations (and the ``jitter`` noise, which is drawn once).
    base : float, default 2
        Logarithm base of the reported estimates.
    **kwargs
        Options of the method (``bins``, ``k``, ``jitter``, ``transform``).
        ``transform="rank"`` is applied once, before the shuffles (ranks do
        not depend on the pairing).

    Returns
    -------
    PermutationTestResult
        ``statistic``, ``null_distribution`` and ``pvalue``.

    Examples
    --------
    >>> import numpy as np
    >>> from infocourse import estimate
    >>> rng = np.random.default_rng(4)
    >>> x, y = rng.normal(size=200), rng.normal(size=200)      # independent
    >>> res = estimate.permutation_test(x, y, method="histogram", bins=10,
    ...                                 n_permutations=199, seed=0)
    >>> print(f"{res.statistic:.3f} bits, p = {res.pvalue:.2f}")   # 0.276 bits, yet no evidence
    0.276 bits, p = 0.58

    References
    ----------
    B. Phipson and G. K. Smyth, "Permutation p-values should never be zero",
    Stat. Appl. Genet. Mol. Biol. 9 (2010); Kraskov et al. (2004), section IV.
    """
    v.check_choice(method, "method", MI_METHODS)
    n_permutations = v.check_int(n_permutations, "n_permutations", minimum=1)
    rng = c.generator(seed)
    if "seed" in kwargs:  # pragma: no cover - swallowed by the signature
        raise TypeError("seed is the permutation seed here.")
    jitter = kwargs.pop("jitter", None)
    transform = kwargs.pop("transform", None)
    allowed = {"histogram": {"bins"}, "ksg": {"k"}, "mixed": {"k"}}.get(method, set())
    extra = set(kwargs) - allowed
    if extra:
        raise TypeError(
            f"{', '.join(sorted(extra))}: not an option of method={method!r}"
            f"{' (options: ' + ', '.join(sorted(allowed)) + ')' if allowed else ''}."
        )
    if jitter is not None:
        if method != "ksg":
            raise TypeError(f"jitter does not apply to method={method!r}; remove it.")
        xs, ys = c.continuous(x, "x"), c.continuous(y, "y")
        x, y = c.jittered(xs, jitter, rng, "x"), c.jittered(ys, jitter, rng, "y")
    if transform is not None:
        v.check_choice(transform, "transform", TRANSFORMS)
        if method not in ("histogram", "ksg"):
            raise TypeError(f"transform does not apply to method={method!r}; remove it.")
        x = copula.normal_scores(c.continuous(x, "x"))
        y = copula.normal_scores(c.continuous(y, "y"))
    # The observed value also validates every argument.
    observed = mutual_information(x, y, method=method, base=base, **kwargs)

    if method in ("ksg", "mixed"):
        xs = c.continuous(x, "x") if method == "ksg" else np.asarray(x)
        ys = c.continuous(y, "y")
        n = ys.shape[0]

        def stat(perm):
            return mutual_information(xs, ys[perm], method=method, base=base, **kwargs)
    else:
        # Bin or factorize once; each permutation is then one bincount.
        if method == "histogram":
            xs = c.one_dimensional(c.continuous(x, "x"), "x", method)
            ys = c.one_dimensional(c.continuous(y, "y"), "y", method)
            bx, by = histogram.split_bins(kwargs.get("bins") or 10)
            cx, kx = histogram.codes_for(xs, histogram.edges_for(xs, bx), "x")
            cy, ky = histogram.codes_for(ys, histogram.edges_for(ys, by), "y")
        else:
            cx, kx = c.factorize(x, "x")
            cy, ky = c.factorize(y, "y")
        n = cx.size
        mm = method == "miller-madow"
        scale = v.check_base(base)

        def stat(perm):
            nats = discrete.mutual_information_from_codes(cx, kx, cy[perm], ky, miller_madow=mm)
            return float(nats / np.log(scale))

    null = np.array([stat(rng.permutation(n)) for _ in range(n_permutations)])
    # A tolerance so that a null value equal to the observed one up to
    # rounding (e.g. a permutation that reproduces the pairing) counts as >=.
    tol = 1e-12 * max(1.0, abs(observed))
    pvalue = (1 + int(np.count_nonzero(null >= observed - tol))) / (1 + n_permutations)
    return PermutationTestResult(float(observed), null, float(pvalue))
