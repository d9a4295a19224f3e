r"""A ground-truth lab: samplers whose mutual information is known in closed form.

An estimator can only be judged against a truth. Each task here draws ``n``
paired samples and returns them together with the exact mutual information
of the distribution they come from, as a :class:`Task` ``(x, y, mi)``:

* :func:`gaussian_task` - jointly Gaussian ``X`` (``dim_x`` coordinates) and
  ``Y`` (``dim_y``) with any chosen MI, spread over ``min(dim_x, dim_y)``
  correlated coordinate pairs; optionally pushed through a strictly
  monotone map of every coordinate (``transform=``), which keeps the MI
  (the "beyond normal" benchmarks of Czyż et al. 2023);
* :func:`student_t_task` - the multivariate Student-t, whose MI is the
  Gaussian MI of its scale matrix plus a closed-form correction that depends
  only on the degrees of freedom and the dimensions (positive: the shared
  random scale couples X and Y even when the scale matrix does not);
* :func:`symmetric_channel_task` - a discrete task: uniform ``X`` on ``K``
  symbols sent through a K-ary symmetric channel.

The MI is invariant to an invertible map of each variable, so every task
has the same truth before and after ``transform``; the estimates are not,
which is what the tasks are for.

References
----------
* P. Czyż, F. Grabowski, J. E. Vogt, N. Beerenwinkel and A. Marx,
  "Beyond normal: on the evaluation of mutual information estimators",
  NeurIPS 2023.
* R. B. Arellano-Valle, J. E. Contreras-Reyes and M. G. Genton,
  "Shannon entropy and mutual information for multivariate skew-elliptical
  distributions", Scandinavian Journal of Statistics 40 (2013), 42-62.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy.special import digamma, gammaln

from .. import _validation as v
from .._backend import nats_to
from ._checks import generator

TRANSFORMS = ("sinh", "cube", "half-cube", "exp")

_MAPS = {
    "sinh": lambda t: np.sinh(3.0 * t),
    "cube": lambda t: t**3,
    "half-cube": lambda t: t * np.sqrt(np.abs(t)),
    "exp": np.exp,
}


class Task(NamedTuple):
    """Samples of a task and its true mutual information: ``(x, y, mi)``.

    ``x`` has shape ``(n, dim_x)`` (continuous tasks) or ``(n,)`` (labels),
    ``y`` likewise, and ``mi`` is the exact :math:`I(X; Y)` of the sampled
    distribution, in the units of the ``base`` the task was called with.
    """

    x: np.ndarray
    y: np.ndarray
    mi: float


def _check_n(n):
    return v.check_int(n, "n", minimum=1)


def _check_dims(dim_x, dim_y):
    return v.check_int(dim_x, "dim_x", minimum=1), v.check_int(dim_y, "dim_y", minimum=1)


def _check_mi(mi):
    return v.check_real(mi, "mi", low=0,
                        hint="It is the target mutual information, in units of base.")


def _apply(transform, x, y):
    if transform is None:
        return x, y
    v.check_choice(transform, "transform", TRANSFORMS,
                   hint="Pass transform=None for the Gaussian samples themselves.")
    f = _MAPS[transform]
    return f(x), f(y)


def _pair_correlation(mi_nats, pairs):
    """rho with -pairs/2 log(1 - rho^2) = mi_nats."""
    return math.sqrt(-math.expm1(-2.0 * mi_nats / pairs))


def gaussian_task(n, mi, *, dim_x=1, dim_y=1, transform=None, base=2, seed=None):
    r"""Jointly Gaussian samples with a chosen mutual information.

    ``X`` and ``Y`` are standard normal vectors; coordinate ``j`` of ``X`` is
    correlated with coordinate ``j`` of ``Y`` for ``j < m = min(dim_x, dim_y)``,
    with the same correlation :math:`\rho` in every pair, and all other pairs
    of coordinates are independent. Then

    .. math:: I(X; Y) = -\frac{m}{2} \log(1 - \rho^2),

    and :math:`\rho = \sqrt{1 - e^{-2 I / m}}` (``I`` in nats) gives the
    requested MI. The remaining coordinates of the larger vector are
    independent noise.

    Parameters
    ----------
    n : int
        Number of samples, ``n >= 1``.
    mi : float
        The mutual information, ``>= 0``, in units of ``base``.
    dim_x, dim_y : int, default 1
        Dimensions of X and Y.
    transform : {None, "sinh", "cube", "half-cube", "exp"}, default None
        A strictly increasing map applied to every coordinate of both
        variables: :math:`\sinh(3t)`, :math:`t^3`, :math:`t\sqrt{|t|}` or
        :math:`e^t`. It leaves the MI unchanged and distorts the marginals
        (heavy tails, a spike at 0, skew).
    base : float, default 2
        Logarithm base of ``mi``: 2 for bits, ``math.e`` for nats.
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    Task
        ``x`` of shape ``(n, dim_x)``, ``y`` of shape ``(n, dim_y)`` and ``mi``.

    See Also
    --------
    infocourse.gaussian.mutual_information_from_covariance : the closed form.
    student_t_task : the same structure with heavy tails and a different MI.

    Examples
    --------
    >>> from infocourse import estimate
    >>> task = estimate.tasks.gaussian_task(5000, 1.0, dim_x=2, dim_y=2, seed=0)
    >>> task.x.shape, task.mi
    ((5000, 2), 1.0)
    >>> print(f"{estimate.mutual_information(task.x, task.y, method='ksg'):.2f}")
    1.00
    >>> warped = estimate.tasks.gaussian_task(5000, 1.0, transform="sinh", seed=0)
    >>> print(f"{estimate.mutual_information(warped.x, warped.y, method='ksg'):.2f}")
    0.92
    """
    n = _check_n(n)
    dim_x, dim_y = _check_dims(dim_x, dim_y)
    mi = _check_mi(mi)
    base = v.check_base(base)
    rng = generator(seed)
    m = min(dim_x, dim_y)
    rho = _pair_correlation(mi * math.log(base), m)
    x = rng.standard_normal((n, dim_x))
    y = rng.standard_normal((n, dim_y))
    y[:, :m] = rho * x[:, :m] + math.sqrt(max(1.0 - rho * rho, 0.0)) * y[:, :m]
    x, y = _apply(transform, x, y)
    return Task(x, y, float(mi))


def student_t_correction(df, dim_x, dim_y, *, base=2):
    r"""The MI of a multivariate Student-t minus that of the Gaussian with its scale matrix.

    For :math:`(X, Y)` multivariate t with ``df`` :math:`= \nu` degrees of
    freedom and scale matrix :math:`\Sigma`, :math:`I(X; Y) =
    I_{\mathcal N}(\Sigma) + c(\nu, d_x, d_y)` with

    .. math::
        c = F(0) + F(d_x + d_y) - F(d_x) - F(d_y), \qquad
        F(d) = \log\Gamma\big(\tfrac{\nu + d}{2}\big)
              - \tfrac{\nu + d}{2}\, \psi\big(\tfrac{\nu + d}{2}\big),

    from the entropy of the multivariate t (Arellano-Valle et al. 2013) and the fact that its
    marginals are t with the same :math:`\nu`. :math:`c > 0` and
    :math:`c \to 0` as :math:`\nu \to \infty` (the Gaussian limit).

    Parameters
    ----------
    df : float
        Degrees of freedom, ``> 0``.
    dim_x, dim_y : int
        Dimensions of X and Y.
    base : float, default 2

    Returns
    -------
    float

    Examples
    --------
    >>> from infocourse.estimate import tasks
    >>> print(f"{tasks.student_t_correction(1, 1, 1):.4f}")  # bivariate Cauchy, bits
    0.3234
    >>> print(f"{tasks.student_t_correction(1000, 1, 1):.1e}")  # near the Gaussian limit
    7.2e-07
    """
    df = v.check_real(df, "df", low=0, low_open=True)
    dim_x, dim_y = _check_dims(dim_x, dim_y)
    base = v.check_base(base)

    def f(d):
        a = 0.5 * (df + d)
        return gammaln(a) - a * digamma(a)

    nats = f(0) + f(dim_x + dim_y) - f(dim_x) - f(dim_y)
    return float(nats_to(nats, base))


def student_t_task(n, df, *, rho=0.0, dim_x=1, dim_y=1, base=2, seed=None):
    r"""Multivariate Student-t samples and their exact mutual information.

    Draw :math:`Z \sim \mathcal N(0, \Sigma)` with the pair structure of
    :func:`gaussian_task` (correlation ``rho`` between coordinate ``j`` of X
    and of Y, ``j < min(dim_x, dim_y)``) and :math:`W \sim \chi^2_\nu`
    independent, and return :math:`(X, Y) = Z / \sqrt{W/\nu}`. Then

    .. math:: I(X; Y) = -\frac{m}{2}\log(1 - \rho^2) + c(\nu, d_x, d_y),

    with ``c`` from :func:`student_t_correction`. Even with ``rho = 0`` X and
    Y are dependent (uncorrelated but not independent): a small ``W`` makes
    both large at once.

    Parameters
    ----------
    n : int
        Number of samples.
    df : float
        Degrees of freedom :math:`\nu > 0` (1 is the Cauchy case).
    rho : float, default 0
        Correlation of the scale matrix in each coordinate pair, ``|rho| < 1``.
    dim_x, dim_y : int, default 1
    base : float, default 2
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    Task

    Examples
    --------
    >>> from infocourse.estimate import tasks
    >>> task = tasks.student_t_task(1000, 3, rho=0.5, seed=0)
    >>> print(f"{task.mi:.4f}")
    0.2687
    """
    n = _check_n(n)
    df = v.check_real(df, "df", low=0, low_open=True)
    rho = v.check_real(rho, "rho", low=-1, high=1, low_open=True, high_open=True)
    dim_x, dim_y = _check_dims(dim_x, dim_y)
    base = v.check_base(base)
    rng = generator(seed)
    m = min(dim_x, dim_y)
    x = rng.standard_normal((n, dim_x))
    y = rng.standard_normal((n, dim_y))
    y[:, :m] = rho * x[:, :m] + math.sqrt(1.0 - rho * rho) * y[:, :m]
    scale = np.sqrt(rng.chisquare(df, size=(n, 1)) / df)
    gauss = -0.5 * m * math.log1p(-rho * rho)
    mi = float(nats_to(gauss, base)) + student_t_correction(df, dim_x, dim_y, base=base)
    return Task(x / scale, y / scale, mi)


def symmetric_channel_task(n, n_symbols, error_prob, *, base=2, seed=None):
    r"""Labels through a K-ary symmetric channel, and their exact MI.

    ``X`` is uniform on ``{0, ..., K-1}``; ``Y = X`` with probability
    :math:`1 - \varepsilon` and otherwise one of the other ``K - 1`` symbols,
    uniformly. Then

    .. math::
        I(X; Y) = \log K - H_b(\varepsilon) - \varepsilon \log(K - 1),

    with :math:`H_b` the binary entropy.

    Parameters
    ----------
    n : int
        Number of samples.
    n_symbols : int
        ``K >= 2``.
    error_prob : float
        :math:`\varepsilon \in [0, 1]`.
    base : float, default 2
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    Task
        ``x`` and ``y`` integer labels of shape ``(n,)``, and ``mi``.

    Examples
    --------
    >>> from infocourse.estimate import tasks
    >>> task = tasks.symmetric_channel_task(10_000, 4, 0.1, seed=0)
    >>> print(f"{task.mi:.4f}")
    1.3725
    """
    n = _check_n(n)
    k = v.check_int(n_symbols, "n_symbols", minimum=2)
    eps = v.check_real(error_prob, "error_prob", low=0, high=1)
    base = v.check_base(base)
    rng = generator(seed)
    x = rng.integers(0, k, size=n)
    flip = rng.random(n) < eps
    shift = rng.integers(1, k, size=n)
    y = np.where(flip, (x + shift) % k, x)
    hb = -sum(p * math.log(p) for p in (eps, 1.0 - eps) if p > 0)
    nats = math.log(k) - hb - (eps * math.log(k - 1) if eps > 0 else 0.0)
    return Task(x, y, float(nats_to(nats, base)))
