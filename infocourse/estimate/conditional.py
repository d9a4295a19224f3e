r"""Conditional mutual information I(X; Y | Z) from samples.

.. math::
    I(X; Y \mid Z) = H(X, Z) + H(Y, Z) - H(X, Y, Z) - H(Z),

zero exactly when X and Y are independent given Z (for example on a Markov
chain X -> Z -> Y).

* labels (``"plugin"``, ``"miller-madow"``): the four entropies of the
  empirical joint distribution of the label triples, with Miller's
  first-order bias correction :math:`(\hat m_{xz} + \hat m_{yz} -
  \hat m_{xyz} - \hat m_z)/(2n)` nats for ``"miller-madow"``
  (:math:`\hat m` the numbers of observed values);
* continuous samples (``"ksg"``): Frenzel and Pompe (2007), the KSG idea in
  the conditional setting. With :math:`\varepsilon_i` the max-norm distance
  from :math:`(x_i, y_i, z_i)` to its k-th nearest neighbour and
  :math:`n_{xz}(i)`, :math:`n_{yz}(i)`, :math:`n_z(i)` the numbers of other
  samples strictly within :math:`\varepsilon_i` in those subspaces,

  .. math::
      \hat I(X; Y \mid Z) = \psi(k) - \big\langle \psi(n_{xz} + 1)
          + \psi(n_{yz} + 1) - \psi(n_z + 1) \big\rangle \quad\text{nats}.
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma

from . import _checks as c
from . import _registry
from ._neighbors import count_strictly_within, kth_distance
from ._registry import CMI_METHODS  # noqa: F401  (public: infocourse.estimate.CMI_METHODS)


def _entropy_nats(codes, n):
    counts = np.bincount(codes)
    counts = counts[counts > 0]
    p = counts / n
    return float(-np.sum(p * np.log(p))), counts.size


def _joint(*codes_k):
    """Integer codes of the tuples of several code arrays."""
    codes = np.zeros(codes_k[0][0].size, dtype=np.int64)
    for cod, k in codes_k:
        codes = codes * k + cod
        codes = np.unique(codes, return_inverse=True)[1].reshape(-1).astype(np.int64)
    return codes


def _plugin(x, y, z, miller_madow):
    cx, cy, cz = c.factorize(x, "x"), c.factorize(y, "y"), c.factorize(z, "z")
    n = cx[0].size
    c.same_length(n, cy[0].size)
    c.same_length(n, cz[0].size, ("x", "z"))
    h = {}
    m = {}
    for key, parts in {"xz": (cx, cz), "yz": (cy, cz), "xyz": (cx, cy, cz), "z": (cz,)}.items():
        h[key], m[key] = _entropy_nats(_joint(*parts), n)
    nats = h["xz"] + h["yz"] - h["xyz"] - h["z"]
    if miller_madow:
        nats += (m["xz"] + m["yz"] - m["xyz"] - m["z"]) / (2 * n)
    return nats


def _frenzel_pompe(x, y, z, k):
    eps = kth_distance(np.hstack([x, y, z]), k, p=np.inf)
    nxz = count_strictly_within(np.hstack([x, z]), eps)
    nyz = count_strictly_within(np.hstack([y, z]), eps)
    nz = count_strictly_within(z, eps)
    return float(digamma(k) - np.mean(digamma(nxz + 1) + digamma(nyz + 1) - digamma(nz + 1)))


def conditional_mutual_information(x, y, z, *, method, base=2, k=None, jitter=None,
                                   seed=None, transform=None):
    r"""Estimate the conditional mutual information I(X; Y | Z) from samples.

    .. math:: I(X; Y \mid Z) = H(X \mid Z) - H(X \mid Y, Z)

    The conditioning variable is the third argument, ``z``, as in
    :math:`I(X; Y \mid Z)` (the order of dit and NPEET). For probability
    tables rather than samples see
    :func:`infocourse.markov.conditional_mutual_information`.

    Parameters
    ----------
    x, y, z : array_like or torch.Tensor
        Samples, one row per observation, the same number ``n`` of rows.
        Labels of any hashable type for ``"plugin"``/``"miller-madow"`` (a
        2-D array's rows are tuple labels); numbers of shape ``(n,)`` or
        ``(n, d)`` for ``"ksg"``.
    method : {"plugin", "miller-madow", "ksg"}
        The estimator (keyword, required). ``"ksg"`` is Frenzel and Pompe's
        (2007) nearest-neighbour estimator.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.
    k : int, optional
        ``"ksg"`` only: neighbours, ``1 <= k < n`` (default 3).
    jitter : float, optional
        ``"ksg"`` only: standard deviation of Gaussian noise added to every
        coordinate to break ties (data units).
    seed : int or numpy.random.Generator, optional
        Seed of the ``jitter`` noise.
    transform : {None, "rank"}, default None
        ``"ksg"`` only: replace every coordinate by the normal scores of its
        ranks first (see :func:`~infocourse.estimate.mutual_information`);
        the true CMI is unchanged.

    Returns
    -------
    float
        The estimate in units of ``base``, not clipped at 0 (an unbiased
        estimate of 0 must sometimes be negative).

    Raises
    ------
    ValueError
        Unknown ``method``; samples of different lengths; NaN/inf; too few
        samples for ``k``; bad ``base``.
    TypeError
        Non-numeric samples for ``"ksg"``; an option that does not apply.

    See Also
    --------
    infocourse.estimate.mutual_information : the unconditional estimators.
    infocourse.markov.conditional_mutual_information : the same measure on a table.

    Examples
    --------
    A Markov chain X -> Z -> Y: X and Y are dependent, but independent given Z.

    >>> import numpy as np
    >>> from infocourse import estimate
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(8000)
    >>> z = x + 0.5 * rng.standard_normal(8000)
    >>> y = z + 0.5 * rng.standard_normal(8000)
    >>> print(f"{estimate.mutual_information(x, y, method='ksg'):.3f}")
    0.793
    >>> print(f"{estimate.conditional_mutual_information(x, y, z, method='ksg'):.3f}")
    0.007

    XOR: X and Y are independent coin flips, Z = X xor Y; given Z, X determines Y.

    >>> a, b = rng.integers(0, 2, 4000), rng.integers(0, 2, 4000)
    >>> print(f"{estimate.conditional_mutual_information(a, b, a ^ b, method='plugin'):.3f}")
    1.000

    References
    ----------
    * S. Frenzel and B. Pompe, "Partial mutual information for coupling
      analysis of multivariate time series", Phys. Rev. Lett. 99, 204101
      (2007).
    * G. A. Miller, "Note on the bias of information estimates" (1955).
    """
    return _registry.estimate("cmi", (x, y, z), method=method, base=base, k=k,
                              jitter=jitter, seed=seed, transform=transform)
