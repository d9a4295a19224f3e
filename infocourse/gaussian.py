r"""Closed forms for Gaussian distributions: differential entropy, KL, mutual information.

These are the reference values the sample-based estimators of
:mod:`infocourse.estimate` are checked against. All functions default to
``base=2`` (bits); pass ``base=math.e`` for nats.

Conventions
-----------
* A *scalar or 1-D array* where a variance is expected is read as variance(s)
  of univariate Gaussians, element-wise (broadcasting like numpy).
* An array with two or more axes where a covariance is expected is a
  ``(d, d)`` covariance matrix, or a stack ``(..., d, d)`` of them for
  :func:`entropy`.
* numpy in gives numpy out; torch tensors in give torch tensors out (autograd
  kept) for :func:`entropy`, :func:`kl_divergence` and
  :func:`mutual_information_from_correlation`.
"""

from __future__ import annotations

import math  # noqa: F401  (math.e in the doctests)
import numbers

import numpy as np

from . import _validation as v
from ._backend import NumpyOps, first_tensor, nats_to, ops_for, to_numpy

__all__ = [
    "entropy",
    "kl_divergence",
    "mutual_information_from_correlation",
    "mutual_information_from_covariance",
    "sample_correlated",
]

_LOG_2PIE = float(np.log(2 * np.pi * np.e))


def entropy(cov_or_var, *, base=2):
    r"""Differential entropy of a (multivariate) Gaussian distribution.

    .. math:: h(\mathcal N(\mu, \Sigma)) = \tfrac12 \log_b\!\big((2\pi e)^d \det \Sigma\big)

    For one variable this is :math:`\tfrac12 \log_b(2\pi e \sigma^2)`. It does
    not depend on the mean, and it is negative when the distribution is
    concentrated enough (:math:`\sigma^2 < 1 / (2\pi e)` in one dimension):
    differential entropy is not a count of bits the way discrete entropy is.

    Parameters
    ----------
    cov_or_var : float, array_like or torch.Tensor
        A variance (scalar), variances of independent univariate Gaussians
        (1-D, element-wise), or a covariance matrix ``(d, d)`` (or a stack
        ``(..., d, d)``), symmetric positive definite.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    numpy scalar/array or torch.Tensor
        One entropy per variance or per covariance matrix.

    Raises
    ------
    ValueError
        If a variance is not > 0, or a covariance matrix is not square,
        symmetric and positive definite, or anything is NaN/inf.

    Examples
    --------
    >>> from infocourse import gaussian
    >>> print(round(float(gaussian.entropy(1.0, base=math.e)), 4))   # ½ ln(2πe)
    1.4189
    >>> print(gaussian.entropy([1.0, 0.01]).round(3))                 # can be negative
    [ 2.047 -1.275]
    >>> print(round(float(gaussian.entropy([[1.0, 0.5], [0.5, 1.0]])), 4))
    3.8867

    References
    ----------
    Cover and Thomas (2006), theorem 8.4.1.
    """
    base = v.check_base(base)
    c = v.as_array(cov_or_var, "cov_or_var")
    if c.ndim <= 1:
        v.check_variance(c, "cov_or_var")
        ops = ops_for(c)
        return ops.finish(nats_to(0.5 * (_LOG_2PIE + ops.log(c)), base))
    v.check_covariance(c, "cov_or_var")
    d = c.shape[-1]
    ops = ops_for(c)
    logdet = ops.logdet_from_cholesky(ops.cholesky(c))
    return ops.finish(nats_to(0.5 * (d * _LOG_2PIE + logdet), base))


def kl_divergence(mu0, cov0, mu1, cov1, *, base=2):
    r"""KL divergence between two Gaussians, :math:`D_{KL}(\mathcal N_0 \,\|\, \mathcal N_1)`.

    .. math::
        D_{KL} = \tfrac12\Big[\operatorname{tr}(\Sigma_1^{-1}\Sigma_0)
        + (\mu_1 - \mu_0)^\top \Sigma_1^{-1} (\mu_1 - \mu_0) - d
        + \ln\frac{\det\Sigma_1}{\det\Sigma_0}\Big] \quad\text{nats},

    which for one variable is
    :math:`\ln\frac{\sigma_1}{\sigma_0} + \frac{\sigma_0^2 + (\mu_0-\mu_1)^2}{2\sigma_1^2} - \frac12`.

    Parameters
    ----------
    mu0, cov0 : float/array_like/torch.Tensor
        Mean and variance (or covariance) of :math:`\mathcal N_0` (the "P").
    mu1, cov1 : float/array_like/torch.Tensor
        Mean and variance (or covariance) of :math:`\mathcal N_1` (the "Q").
        Univariate case: all four are scalars or arrays that broadcast
        together (element-wise KLs). Multivariate case (``cov0`` or ``cov1``
        has two axes): both covariances are ``(d, d)`` and both means ``(d,)``.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    numpy scalar/array or torch.Tensor
        Non-negative; zero iff the two Gaussians are equal. Not symmetric.

    Examples
    --------
    >>> from infocourse import gaussian
    >>> print(round(float(gaussian.kl_divergence(0.0, 1.0, 1.0, 1.0, base=math.e)), 4))
    0.5
    >>> print(round(float(gaussian.kl_divergence(0.0, 1.0, 0.0, 4.0)), 4))   # σ: 1 vs 2
    0.459
    >>> print(round(float(gaussian.kl_divergence([0, 0], [[1, 0.5], [0.5, 1]],
    ...                                            [0, 0], [[1, 0], [0, 1]])), 4))  # = I for rho = 0.5
    0.2075

    References
    ----------
    S. Kullback, *Information Theory and Statistics*, Wiley (1959); J. Duchi,
    "Derivations for linear algebra and optimization" (2007), section 9.
    """
    base = v.check_base(base)
    args = {"mu0": mu0, "cov0": cov0, "mu1": mu1, "cov1": cov1}
    like = first_tensor(*args.values())
    ops = ops_for(like)
    a = {k: v.as_array(x, k, like=like) for k, x in args.items()}
    for k in ("mu0", "mu1"):
        v.check_finite(a[k], k)
    mu0, cov0, mu1, cov1 = a["mu0"], a["cov0"], a["mu1"], a["cov1"]
    if cov0.ndim < 2 and cov1.ndim < 2:
        v.check_variance(cov0, "cov0")
        v.check_variance(cov1, "cov1")
        try:
            np.broadcast_shapes(*(tuple(x.shape) for x in (mu0, cov0, mu1, cov1)))
        except ValueError:
            raise ValueError(
                "mu0, cov0, mu1 and cov1 must broadcast together (univariate, "
                "element-wise), got shapes "
                + ", ".join(str(tuple(x.shape)) for x in (mu0, cov0, mu1, cov1))
                + ". For multivariate Gaussians pass (d, d) covariance matrices."
            ) from None
        ratio = cov0 / cov1
        out = 0.5 * (ratio - 1 - ops.log(ratio) + (mu0 - mu1) ** 2 / cov1)
        return ops.finish(nats_to(out, base))
    for k, c in (("cov0", cov0), ("cov1", cov1)):
        if c.ndim != 2:
            raise ValueError(
                f"{k} must be a (d, d) covariance matrix in the multivariate case "
                f"(the other covariance is a matrix), got shape {tuple(c.shape)}."
            )
        v.check_covariance(c, k)
    d = cov0.shape[-1]
    if cov1.shape[-1] != d:
        raise ValueError(
            f"cov0 and cov1 must have the same dimension, got {tuple(cov0.shape)} "
            f"and {tuple(cov1.shape)}."
        )
    for k, m in (("mu0", mu0), ("mu1", mu1)):
        if tuple(m.shape) != (d,):
            raise ValueError(
                f"{k} must be a mean vector of shape ({d},) to match the covariance, "
                f"got shape {tuple(m.shape)}."
            )
    l0, l1 = ops.cholesky(cov0), ops.cholesky(cov1)
    m = ops.solve_lower(l1, l0)                       # L1^{-1} L0
    z = ops.solve_lower(l1, (mu1 - mu0)[:, None])     # L1^{-1} (mu1 - mu0)
    out = 0.5 * (
        (m**2).sum() + (z**2).sum() - d + ops.logdet_from_cholesky(l1) - ops.logdet_from_cholesky(l0)
    )
    return ops.finish(nats_to(out, base))


def mutual_information_from_correlation(rho, *, base=2):
    r"""Mutual information of a bivariate Gaussian with correlation ``rho``.

    .. math:: I(X; Y) = -\tfrac12 \log_b (1 - \rho^2)

    Parameters
    ----------
    rho : float, array_like or torch.Tensor
        Correlation coefficient(s), element-wise, with :math:`|\rho| < 1`.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    numpy scalar/array or torch.Tensor

    Examples
    --------
    >>> from infocourse import gaussian
    >>> print(round(float(gaussian.mutual_information_from_correlation(0.7)), 4))
    0.4857
    >>> print(gaussian.mutual_information_from_correlation([0.0, -0.5, 0.5]).round(4))
    [0.     0.2075 0.2075]

    References
    ----------
    Cover and Thomas (2006), example 8.5.1.
    """
    base = v.check_base(base)
    r = v.as_array(rho, "rho")
    v.check_correlation(r, "rho")
    ops = ops_for(r)
    return ops.finish(nats_to(-0.5 * ops.log1p(-(r**2)), base))


def mutual_information_from_covariance(cov, dims_x, *, base=2):
    r"""Mutual information between two blocks of a jointly Gaussian vector.

    .. math:: I(X; Y) = \tfrac12 \log_b \frac{\det \Sigma_X \det \Sigma_Y}{\det \Sigma}

    where :math:`\Sigma` is the covariance of :math:`(X, Y)` and
    :math:`\Sigma_X`, :math:`\Sigma_Y` its diagonal blocks. It depends only on
    the correlation structure: rescaling any coordinate leaves it unchanged.

    Parameters
    ----------
    cov : array_like, shape (d, d)
        Symmetric positive-definite covariance of the joint vector.
    dims_x : int or sequence of int
        An int ``k`` means X is the first ``k`` coordinates and Y the rest; a
        sequence lists the coordinates of X (Y is every other coordinate).
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    numpy scalar
        Non-negative.

    Examples
    --------
    >>> from infocourse import gaussian
    >>> cov = [[1.0, 0.7], [0.7, 1.0]]
    >>> print(round(float(gaussian.mutual_information_from_covariance(cov, 1)), 4))
    0.4857

    References
    ----------
    Cover and Thomas (2006), section 8.5 and problem 8.6.
    """
    base = v.check_base(base)
    c = v.as_array(cov, "cov")
    c = to_numpy(c, dtype=np.float64)
    if c.ndim != 2:
        raise ValueError(f"cov must be a (d, d) covariance matrix, got shape {tuple(c.shape)}.")
    v.check_covariance(c, "cov")
    d = c.shape[0]
    if isinstance(dims_x, numbers.Integral) and not isinstance(dims_x, bool):
        if not 1 <= dims_x < d:
            raise ValueError(
                f"dims_x must be between 1 and d - 1 = {d - 1} so that X and Y are "
                f"both non-empty, got {dims_x!r}."
            )
        ix = np.arange(int(dims_x))
    else:
        try:
            ix = np.asarray(dims_x)
        except Exception:  # noqa: BLE001
            ix = np.asarray([], dtype=float)
        if ix.ndim != 1 or ix.dtype.kind not in "iu":
            raise TypeError(
                f"dims_x must be an int (X = the first dims_x coordinates) or a "
                f"sequence of coordinate indices, got {dims_x!r}."
            )
        if ix.size == 0 or ix.size >= d or len(set(ix.tolist())) != ix.size or (
            ix.min() < 0 or ix.max() >= d
        ):
            raise ValueError(
                f"dims_x must list distinct coordinates in [0, {d - 1}], at least one "
                f"and fewer than d = {d} of them, got {dims_x!r}."
            )
    iy = np.setdiff1d(np.arange(d), ix)
    logdet = lambda m: NumpyOps.logdet_from_cholesky(np.linalg.cholesky(m))
    out = 0.5 * (logdet(c[np.ix_(ix, ix)]) + logdet(c[np.ix_(iy, iy)]) - logdet(c))
    return NumpyOps.finish(nats_to(max(out, 0.0), base))


def sample_correlated(rho, n, *, seed=None):
    r"""Draw pairs from a standard bivariate Gaussian with correlation ``rho``.

    .. math::
        X = Z_1, \qquad Y = \rho Z_1 + \sqrt{1 - \rho^2}\, Z_2,
        \qquad Z_1, Z_2 \sim \mathcal N(0, 1) \text{ i.i.d.}

    so that :math:`X, Y \sim \mathcal N(0, 1)` and
    :math:`\operatorname{corr}(X, Y) = \rho`; the true mutual information is
    :func:`mutual_information_from_correlation`.

    Parameters
    ----------
    rho : float
        Correlation, :math:`|\rho| < 1`.
    n : int or tuple of int
        Number of pairs, or a shape: ``(r, n)`` gives ``r`` independent data
        sets of ``n`` pairs each (one per row).
    seed : int, numpy.random.Generator or None
        Seed or generator (``np.random.default_rng(seed)``); ``None`` draws
        fresh entropy (not reproducible).

    Returns
    -------
    x, y : numpy arrays of shape ``n``

    Examples
    --------
    >>> from infocourse import gaussian
    >>> x, y = gaussian.sample_correlated(0.7, 100_000, seed=0)
    >>> print(round(float(np.corrcoef(x, y)[0, 1]), 2))
    0.7

    References
    ----------
    Cover and Thomas (2006), section 8.5.
    """
    r = to_numpy(v.as_array(rho, "rho"))
    if r.ndim != 0:
        raise TypeError(f"rho must be a single number, got {rho!r}.")
    v.check_correlation(r, "rho")
    shape = (n,) if not isinstance(n, tuple) else n
    if not shape:
        raise ValueError("n must be a positive int or a non-empty tuple of them, got ().")
    for s in shape:
        v.check_positive_int(s, "n")
    rng = v.check_seed(seed)
    rho = float(r)
    z = rng.standard_normal((2, *shape))
    return z[0], rho * z[0] + np.sqrt(1 - rho**2) * z[1]
