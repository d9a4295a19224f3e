r"""One Gaussian fitted to a one-dimensional Gaussian mixture by forward or reverse KL.

Approximating a complicated distribution :math:`p` by a simple one :math:`q`
means minimising a divergence, and the direction matters:

* **forward** KL, :math:`D_{KL}(p \,\|\, q)` (the expectation is under
  :math:`p`): :math:`q` is punished wherever :math:`p` has mass that
  :math:`q` misses, so it spreads out to *cover every mode* (for a Gaussian
  :math:`q` the optimum matches the mean and variance of :math:`p`);
* **reverse** KL, :math:`D_{KL}(q \,\|\, p)` (the expectation is under
  :math:`q`, as in variational inference): :math:`q` is punished wherever it
  puts mass that :math:`p` lacks, so, once the modes are far enough apart, it
  *locks onto one mode* (for modes that are close it still covers both).

The divergences are computed numerically, by the trapezoidal rule on a fine
grid, from log-densities (so nothing underflows to ``log 0``), and minimised
over the mean and the log standard deviation with :func:`scipy.optimize.minimize`.
This module works on numpy arrays and Python sequences (it is a numerical
optimisation, not a differentiable measure).

Parameters follow :mod:`infocourse.gaussian`: a Gaussian is given by its mean
and its **variance**.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from . import _validation as v
from ._backend import nats_to

__all__ = [
    "GaussianFit",
    "default_grid",
    "fit_gaussian",
    "grid_kl_divergence",
    "mixture_logpdf",
    "mixture_moments",
    "mixture_pdf",
]

_DIVERGENCES = ("forward", "reverse")


@dataclass(frozen=True)
class GaussianFit:
    """The Gaussian :math:`\\mathcal N(\\text{mean}, \\text{variance})` that minimises a KL.

    Attributes
    ----------
    mean, variance : float
        Parameters of the fitted Gaussian :math:`q`.
    divergence : {"forward", "reverse"}
        ``"forward"`` minimised :math:`D_{KL}(p \\| q)`, ``"reverse"``
        minimised :math:`D_{KL}(q \\| p)`.
    kl : float
        The minimised divergence, in units of ``base``.
    base : float
        Logarithm base of ``kl`` (2: bits).
    """

    mean: float
    variance: float
    divergence: str
    kl: float
    base: float

    @property
    def std(self) -> float:
        """Standard deviation of the fitted Gaussian."""
        return math.sqrt(self.variance)


def _mixture(weights, means, variances):
    """Check and convert the three parameter vectors of a mixture."""
    w, _ = v.distribution(v.as_numpy_array(weights, "weights"), "weights")
    m = v.as_numpy_array(means, "means")
    s2 = v.as_numpy_array(variances, "variances")
    for name, x in (("weights", w), ("means", m), ("variances", s2)):
        if x.ndim != 1:
            raise ValueError(
                f"{name} must be a 1-D vector with one entry per mixture component, "
                f"got shape {tuple(x.shape)}."
            )
    v.check_finite(m, "means")
    v.check_variance(s2, "variances")
    v.check_same_shape(w, m, ("weights", "means"))
    v.check_same_shape(w, s2, ("weights", "variances"))
    return w.astype(float), m.astype(float), s2.astype(float)


def _normal_logpdf(x, mean, variance):
    return -0.5 * (np.log(2 * np.pi * variance) + (x - mean) ** 2 / variance)


def _logpdf(x, w, m, s2):
    # log sum_k w_k N(x; m_k, s2_k), by log-sum-exp: finite far in the tails.
    comps = _normal_logpdf(np.asarray(x, float)[..., None], m, s2)
    return special.logsumexp(comps, axis=-1, b=w)


def mixture_logpdf(x, weights, means, variances):
    r"""Log-density of a one-dimensional Gaussian mixture (natural log).

    .. math:: \ln p(x) = \ln \sum_k w_k\, \mathcal N(x;\, \mu_k, \sigma_k^2)

    Computed with log-sum-exp, so it stays finite far in the tails where the
    density itself underflows to 0.

    Parameters
    ----------
    x : float or array_like
        Points at which to evaluate.
    weights : array_like, shape (K,)
        Mixture weights, non-negative and summing to 1.
    means : array_like, shape (K,)
        Component means.
    variances : array_like, shape (K,)
        Component variances (> 0).

    Returns
    -------
    numpy scalar or array, same shape as ``x``

    Examples
    --------
    >>> from infocourse.mixtures import mixture_logpdf
    >>> print(round(float(mixture_logpdf(0.0, [1.0], [0.0], [1.0])), 6))   # -ln sqrt(2 pi)
    -0.918939
    >>> print(round(float(mixture_logpdf(60.0, [0.5, 0.5], [-2, 2], [1, 1])), 1))
    -1683.6

    References
    ----------
    C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer (2006),
    section 2.3.9.
    """
    w, m, s2 = _mixture(weights, means, variances)
    x = v.as_array(x, "x")
    v.check_finite(x, "x")
    out = _logpdf(x, w, m, s2)
    return out[()] if np.ndim(out) == 0 else out


def mixture_pdf(x, weights, means, variances):
    r"""Density of a one-dimensional Gaussian mixture.

    .. math:: p(x) = \sum_k w_k\, \mathcal N(x;\, \mu_k, \sigma_k^2)

    Parameters
    ----------
    x : float or array_like
        Points at which to evaluate.
    weights, means, variances : array_like, shape (K,)
        Mixture weights (summing to 1), component means and variances (> 0).

    Returns
    -------
    numpy scalar or array, same shape as ``x``

    Examples
    --------
    >>> from infocourse.mixtures import mixture_pdf
    >>> print(round(float(mixture_pdf(0.0, [0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])), 6))
    0.241971

    References
    ----------
    Bishop (2006), eq. (2.188).
    """
    return np.exp(mixture_logpdf(x, weights, means, variances))


def mixture_moments(weights, means, variances):
    r"""Mean and variance of a one-dimensional Gaussian mixture (closed form).

    .. math::
        \mu = \sum_k w_k \mu_k, \qquad
        \sigma^2 = \sum_k w_k \big(\sigma_k^2 + \mu_k^2\big) - \mu^2

    These are the parameters of the Gaussian that minimises the *forward*
    divergence :math:`D_{KL}(p \,\|\, q)` (moment matching).

    Parameters
    ----------
    weights, means, variances : array_like, shape (K,)
        Mixture weights (summing to 1), component means and variances (> 0).

    Returns
    -------
    (mean, variance) : tuple of float

    Examples
    --------
    >>> from infocourse.mixtures import mixture_moments
    >>> mixture_moments([0.5, 0.5], [-2.0, 2.0], [1.0, 1.0])   # 1 + 2**2
    (0.0, 5.0)

    References
    ----------
    Bishop (2006), section 10.7 (moment matching minimises the forward KL).
    """
    w, m, s2 = _mixture(weights, means, variances)
    mean = float(np.sum(w * m))
    var = float(np.sum(w * (s2 + (m - mean) ** 2)))
    return mean, var


def default_grid(weights, means, variances, *, n=20001, width=10.0):
    r"""An evenly spaced grid covering a mixture and its tails.

    From :math:`\min_k(\mu_k - w\sigma_k)` to :math:`\max_k(\mu_k + w\sigma_k)`
    with :math:`w` = ``width`` standard deviations (also wide enough for
    the moment-matched Gaussian).

    Parameters
    ----------
    weights, means, variances : array_like, shape (K,)
        The mixture.
    n : int, default 20001
        Number of grid points (>= 3).
    width : float, default 10.0
        Half-width in standard deviations (> 0).

    Returns
    -------
    numpy.ndarray, shape (n,)

    Examples
    --------
    >>> from infocourse.mixtures import default_grid
    >>> g = default_grid([1.0], [0.0], [1.0], n=5, width=2.0)
    >>> print(g)
    [-2. -1.  0.  1.  2.]

    References
    ----------
    Bishop (2006), section 10.1.2 (figure 10.3, the bimodal example).
    """
    w, m, s2 = _mixture(weights, means, variances)
    n = v.check_int(n, "n", minimum=3)
    if isinstance(width, bool) or not isinstance(width, (int, float)) or not width > 0:
        raise ValueError(f"width must be a number of standard deviations > 0, got {width!r}.")
    s = np.sqrt(s2)
    _, var = mixture_moments(w, m, s2)
    mean = float(np.sum(w * m))
    lo = min(float(np.min(m - width * s)), mean - width * math.sqrt(var))
    hi = max(float(np.max(m + width * s)), mean + width * math.sqrt(var))
    return np.linspace(lo, hi, n)


def _check_grid(grid):
    g = v.as_array(grid, "grid")
    if g.ndim != 1 or g.shape[0] < 3:
        raise ValueError(
            f"grid must be a 1-D array of at least 3 points, got shape {tuple(g.shape)}; "
            f"use infocourse.mixtures.default_grid(...)."
        )
    v.check_finite(g, "grid")
    if not np.all(np.diff(g) > 0):
        raise ValueError("grid must be strictly increasing; sort it (np.sort) and drop duplicates.")
    return g.astype(float)


def grid_kl_divergence(log_p, log_q, grid, *, base=2):
    r"""KL divergence between two densities given by their log on a grid.

    .. math:: D_{KL}(p \,\|\, q) = \int p(x) \big(\ln p(x) - \ln q(x)\big)\, dx

    integrated with the trapezoidal rule. Both densities should have
    negligible mass outside the grid.

    Parameters
    ----------
    log_p, log_q : array_like, shape (n,)
        Natural-log densities at the grid points (``-inf`` allowed in
        ``log_p`` where ``p = 0``).
    grid : array_like, shape (n,)
        Strictly increasing points.
    base : float, default 2
        Logarithm base of the result: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    float
        ``inf`` if ``q = 0`` somewhere ``p > 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from infocourse.mixtures import grid_kl_divergence
    >>> x = np.linspace(-12, 13, 20001)
    >>> log_n = lambda mu: -0.5 * np.log(2 * np.pi) - 0.5 * (x - mu) ** 2
    >>> print(round(grid_kl_divergence(log_n(0.0), log_n(1.0), x, base=math.e), 6))
    0.5

    References
    ----------
    Kullback and Leibler (1951); Cover and Thomas (2006), eq. (8.46).
    """
    base = v.check_base(base)
    g = _check_grid(grid)
    lp = np.asarray(log_p, float)
    lq = np.asarray(log_q, float)
    for name, a in (("log_p", lp), ("log_q", lq)):
        if a.shape != g.shape:
            raise ValueError(
                f"{name} must have one value per grid point, shape {g.shape}, got {a.shape}."
            )
        if np.isnan(a).any() or np.isposinf(a).any():
            raise ValueError(f"{name} contains NaN or +inf; pass finite log-densities (or -inf).")
    p = np.exp(lp)
    with np.errstate(invalid="ignore"):
        integrand = np.where(p > 0, p * (lp - lq), 0.0)
    return float(nats_to(np.trapezoid(integrand, g), base))


def _kl_for(params, lp, g, divergence):
    mu, log_sd = params
    lq = _normal_logpdf(g, mu, math.exp(2 * log_sd))
    if divergence == "forward":
        p = np.exp(lp)
        return np.trapezoid(p * (lp - lq), g)
    q = np.exp(lq)
    return np.trapezoid(q * (lq - lp), g)


def fit_gaussian(weights, means, variances, *, divergence="forward", init=None, grid=None, base=2):
    r"""Fit one Gaussian :math:`q` to a Gaussian mixture :math:`p` by minimising a KL.

    .. math::
        \text{forward: } \min_{\mu, \sigma} D_{KL}(p \,\|\, \mathcal N(\mu, \sigma^2)),
        \qquad
        \text{reverse: } \min_{\mu, \sigma} D_{KL}(\mathcal N(\mu, \sigma^2) \,\|\, p)

    The forward fit is mode covering (its optimum is moment matching, see
    :func:`mixture_moments`); the reverse fit is mode seeking and has one
    local optimum per well-separated mode. Without ``init`` the optimiser
    starts from the moment-matched Gaussian and from every component and
    returns the best optimum found; with ``init`` it returns the optimum
    reached from that start (e.g. to show a second local optimum).

    Parameters
    ----------
    weights, means, variances : array_like, shape (K,)
        The mixture: weights summing to 1, component means, variances (> 0).
    divergence : {"forward", "reverse"}, default "forward"
        Which KL to minimise.
    init : (mean, variance), optional
        A single starting point for the optimiser.
    grid : array_like, optional
        Integration grid; :func:`default_grid` if omitted.
    base : float, default 2
        Logarithm base of the reported divergence (2: bits).

    Returns
    -------
    GaussianFit
        Mean, variance and the minimised divergence.

    Examples
    --------
    >>> from infocourse.mixtures import fit_gaussian
    >>> mix = dict(weights=[0.3, 0.7], means=[-3.0, 3.0], variances=[1.0, 1.0])
    >>> fwd = fit_gaussian(**mix, divergence="forward")
    >>> print(f"{fwd.mean:.3f} {fwd.variance:.3f}")   # the mixture's mean and variance
    1.200 8.560
    >>> rev = fit_gaussian(**mix, divergence="reverse")
    >>> print(f"{rev.mean:.2f} {rev.variance:.2f} {rev.kl:.2f}")  # near the heavier mode
    2.99 1.03 0.51

    References
    ----------
    T. Minka, "Divergence measures and message passing", Microsoft Research
    technical report MSR-TR-2005-173 (2005); Bishop (2006), section 10.1.2.
    """
    base = v.check_base(base)
    w, m, s2 = _mixture(weights, means, variances)
    if divergence not in _DIVERGENCES:
        raise ValueError(
            f"divergence must be 'forward' (minimise KL(p || q), mode covering) or "
            f"'reverse' (minimise KL(q || p), mode seeking), got {divergence!r}."
        )
    g = default_grid(w, m, s2) if grid is None else _check_grid(grid)
    lp = _logpdf(g, w, m, s2)
    mean0, var0 = mixture_moments(w, m, s2)
    if init is None:
        starts = [(mean0, var0)] + list(zip(m.tolist(), s2.tolist()))
    else:
        try:
            mu_init, var_init = (float(t) for t in init)
        except (TypeError, ValueError):
            raise TypeError(f"init must be a pair (mean, variance) of numbers, got {init!r}.") from None
        if not (math.isfinite(mu_init) and math.isfinite(var_init) and var_init > 0):
            raise ValueError(
                f"init must be (mean, variance) with a finite mean and a variance > 0, got {init!r}."
            )
        starts = [(mu_init, var_init)]
    # Keep the standard deviation where the grid can represent q: not narrower
    # than a few grid steps, not wider than the grid itself.
    step = float(g[1] - g[0])
    span = float(g[-1] - g[0])
    bounds = [(float(g[0]), float(g[-1])), (math.log(5 * step), math.log(span / 10))]
    best = None
    for mu, var in starts:
        x0 = np.clip([mu, 0.5 * math.log(var)], [b[0] for b in bounds], [b[1] for b in bounds])
        res = optimize.minimize(
            _kl_for, x0, args=(lp, g, divergence), method="L-BFGS-B", bounds=bounds,
            options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 1000},
        )
        if best is None or res.fun < best.fun:
            best = res
    mu, log_sd = best.x
    return GaussianFit(
        mean=float(mu) + 0.0,
        variance=float(math.exp(2 * log_sd)),
        divergence=divergence,
        kl=float(nats_to(best.fun, base)),
        base=base,
    )
