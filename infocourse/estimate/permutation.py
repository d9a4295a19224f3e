"""Permutation test of independence: is an estimated mutual information real?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from . import _checks as c
from . import _registry
from ._registry import MI_METHODS


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
        Any method of :func:`mutual_information` (``MI_METHODS``).
    n_permutations : int, default 1000
        Number of random re-pairings ``B``.
    seed : int or numpy.random.Generator, optional
        Seeds the permutations (and the ``jitter`` noise, which is drawn once).
    base : float, default 2
        Logarithm base of the reported estimates.
    **kwargs
        Options of the method (``bins``, ``k``, ``jitter``, ``transform``).
        The samples are prepared once (binned, coded, jittered, rank
        transformed: none of it depends on the pairing) and each shuffle
        only re-evaluates the estimate.

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
    base = v.check_base(base)
    known = ("bins", "k", "jitter", "transform")
    extra = sorted(set(kwargs) - set(known))
    if extra:
        raise TypeError(
            f"{', '.join(extra)}: not an option of permutation_test (options of the "
            f"methods: {', '.join(known)}; seed is the permutation seed)."
        )
    options = {name: kwargs.get(name) for name in known}
    # The jitter noise, if any, is drawn once from the permutation generator.
    options["seed"] = rng if options["jitter"] is not None else None
    entry, used = _registry.lookup("mi", method, options)
    prepared = entry.prepare(x, y, **used)  # bins, codes, jitter, ranks: once
    observed = _registry.to_units(entry.evaluate(prepared), base)
    null = np.array([
        _registry.to_units(entry.evaluate(prepared, rng.permutation(prepared.n)), base)
        for _ in range(n_permutations)
    ])
    # A tolerance so that a null value equal to the observed one up to
    # rounding (e.g. a permutation that reproduces the pairing) counts as >=.
    tol = 1e-12 * max(1.0, abs(observed))
    pvalue = (1 + int(np.count_nonzero(null >= observed - tol))) / (1 + n_permutations)
    return PermutationTestResult(float(observed), null, float(pvalue))
