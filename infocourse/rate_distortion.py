r"""Rate–distortion theory: closed forms for a Gaussian source and Blahut–Arimoto.

The rate–distortion function of a source :math:`X \sim p` with distortion
measure :math:`d(x, \hat x)` is the fewest bits per symbol any code can spend
while keeping the expected distortion at most :math:`D`:

.. math::
    R(D) = \min_{Q(\hat x \mid x):\ \mathbb E\, d(X, \hat X) \le D} I(X; \hat X).

* :func:`gaussian_rate_distortion` and :func:`gaussian_distortion_rate`: the
  closed forms :math:`R(D) = \max\{0, \tfrac12 \log(\sigma^2 / D)\}` and
  :math:`D(R) = \sigma^2\, 2^{-2R}` of a Gaussian source under squared error.
* :func:`blahut_arimoto`: one point of :math:`R(D)` of a discrete source, for
  a given slope or a target distortion, with a certificate of its accuracy.

All rates default to ``base=2`` (bits); pass ``base=math.e`` for nats. These
functions take numpy arrays or Python sequences and never import torch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from . import _validation as v

__all__ = [
    "gaussian_rate_distortion",
    "gaussian_distortion_rate",
    "blahut_arimoto",
    "RateDistortionPoint",
]


def _values(x, name):
    """A finite float64 numpy array (scalar kept 0-d), never a boolean."""
    if isinstance(x, bool) or (isinstance(x, np.ndarray) and x.dtype == bool):
        raise TypeError(f"{name} must hold real numbers, got booleans.")
    if hasattr(x, "detach"):
        raise TypeError(
            f"{name} must be a number or a numpy array, got a torch tensor; "
            f"convert it with .numpy() first."
        )
    arr = np.array(v.as_array(x, name), dtype=np.float64)
    v.check_finite(arr, name)
    return arr


def _finish(arr):
    return arr.item() if arr.ndim == 0 else arr


def _variance(variance):
    var = _values(variance, "variance")
    v.check_variance(var, "variance")
    return var


def gaussian_rate_distortion(distortion, variance=1.0, *, base=2):
    r"""Rate–distortion function of a Gaussian source under squared error.

    .. math::
        R(D) = \max\Big\{0,\ \tfrac12 \log_b \frac{\sigma^2}{D}\Big\}

    for :math:`X \sim \mathcal N(\mu, \sigma^2)` and
    :math:`d(x, \hat x) = (x - \hat x)^2`. It is achieved by the test channel
    :math:`X = \hat X + N`, :math:`\hat X \sim \mathcal N(\mu, \sigma^2 - D)`
    independent of :math:`N \sim \mathcal N(0, D)`; it is 0 for
    :math:`D \ge \sigma^2` (send nothing, reconstruct the mean), and it is an
    upper bound on :math:`R(D)` of every source with variance :math:`\sigma^2`.

    Parameters
    ----------
    distortion : float or array_like
        Mean squared error(s) :math:`D > 0`, element-wise.
    variance : float or array_like, default 1.0
        :math:`\sigma^2 > 0`, broadcast against ``distortion``.
    base : float, default 2
        Logarithm base: 2 gives bits per symbol, ``math.e`` nats.

    Returns
    -------
    float or numpy.ndarray

    See Also
    --------
    gaussian_distortion_rate : the inverse, :math:`D(R)`.
    blahut_arimoto : :math:`R(D)` of a discrete source.

    Examples
    --------
    >>> from infocourse.rate_distortion import gaussian_rate_distortion
    >>> print(gaussian_rate_distortion([1.0, 0.25, 1 / 64, 2.0]))
    [0. 1. 3. 0.]
    >>> print(gaussian_rate_distortion(1.0, variance=4.0))
    1.0

    References
    ----------
    1. T. M. Cover and J. A. Thomas, *Elements of Information Theory*,
       2nd ed., Wiley (2006), theorem 10.3.2.
    2. C. E. Shannon, "Coding theorems for a discrete source with a fidelity
       criterion", IRE National Convention Record 7 (1959), 142--163.
    """
    base = v.check_base(base)
    d = _values(distortion, "distortion")
    if d.size and float(d.min()) <= 0:
        raise ValueError(
            f"distortion must be > 0 (a mean squared error), got a minimum of "
            f"{float(d.min()):.6g}; R(D) is infinite at D = 0 for a continuous source."
        )
    var = _variance(variance)
    rate = np.maximum(0.0, 0.5 * np.log(var / d)) / math.log(base)
    return _finish(rate + 0.0)


def gaussian_distortion_rate(rate, variance=1.0, *, base=2):
    r"""Distortion–rate function of a Gaussian source under squared error.

    .. math:: D(R) = \sigma^2\, b^{-2R},

    the smallest mean squared error at :math:`R` units (base :math:`b`) per
    symbol: each bit divides the error by 4 (6.02 dB per bit).

    Parameters
    ----------
    rate : float or array_like
        Rate(s) :math:`R \ge 0`, element-wise, in units of ``base``.
    variance : float or array_like, default 1.0
        :math:`\sigma^2 > 0`, broadcast against ``rate``.
    base : float, default 2
        Unit of ``rate``: 2 for bits, ``math.e`` for nats.

    Returns
    -------
    float or numpy.ndarray

    See Also
    --------
    gaussian_rate_distortion : the inverse, :math:`R(D)`.

    Examples
    --------
    >>> from infocourse.rate_distortion import gaussian_distortion_rate
    >>> print(gaussian_distortion_rate([0, 1, 2, 3]))
    [1.       0.25     0.0625   0.015625]
    >>> print(round(10 * math.log10(1 / gaussian_distortion_rate(1.0)), 2))  # dB per bit
    6.02

    References
    ----------
    1. T. M. Cover and J. A. Thomas, *Elements of Information Theory*,
       2nd ed., Wiley (2006), eq. (10.31).
    """
    base = v.check_base(base)
    r = _values(rate, "rate")
    if r.size and float(r.min()) < 0:
        raise ValueError(f"rate must be >= 0, got a minimum of {float(r.min()):.6g}.")
    var = _variance(variance)
    return _finish(var * np.power(base, -2.0 * r) + 0.0)


@dataclass(frozen=True)
class RateDistortionPoint:
    """One point of a rate–distortion curve, from :func:`blahut_arimoto`.

    Attributes
    ----------
    rate : float
        :math:`I(X; \\hat X)` of the returned test channel, in units of ``base``;
        an achievable rate at ``distortion``, within ``gap`` of :math:`R(D)`.
    distortion : float
        :math:`\\mathbb E\\, d(X, \\hat X)` of the returned test channel.
    slope : float
        The Lagrange multiplier :math:`s \\ge 0`; :math:`-s` (per nat) is the
        slope :math:`R'(D)` of the curve at this point.
    channel : numpy.ndarray
        The test channel :math:`Q(\\hat x \\mid x)`, shape ``(n_x, n_xhat)``, rows
        summing to 1.
    output : numpy.ndarray
        Its output distribution :math:`q(\\hat x)`.
    gap : float
        Certified accuracy: :math:`R(D) \\ge` ``rate - gap`` at ``distortion``
        (units of ``base``).
    iterations : int
        Blahut–Arimoto updates used (summed over the bisection for a target
        distortion).
    """

    rate: float
    distortion: float
    slope: float
    channel: np.ndarray
    output: np.ndarray
    gap: float
    iterations: int


def _solve(log_p, dist, slope, log_q, tol, max_iter):
    """Blahut–Arimoto at a fixed slope; returns (log_q, log_channel, gap, steps)."""
    a = -slope * dist  # (n_x, n_xhat)
    for step in range(1, max_iter + 1):
        log_joint = log_q[None, :] + a
        log_z = logsumexp(log_joint, axis=1)  # log sum_xhat q e^{-s d}
        log_channel = log_joint - log_z[:, None]
        # log c(xhat) = log sum_x p(x) e^{-s d(x, xhat)} / Z(x); the new q is q * c
        log_c = logsumexp(log_p[:, None] + a - log_z[:, None], axis=0)
        gap = float(np.max(log_c))
        if gap <= tol:
            return log_q, log_channel, max(gap, 0.0), step
        log_q = log_q + log_c
        log_q = log_q - logsumexp(log_q)
    return log_q, log_channel, max(gap, 0.0), max_iter


def _point(p, log_p, dist, slope, log_q, tol, max_iter):
    log_q, log_channel, gap, steps = _solve(log_p, dist, slope, log_q, tol, max_iter)
    channel = np.exp(log_channel)
    joint = p[:, None] * channel
    output = joint.sum(axis=0)
    distortion = float((joint * dist).sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(joint > 0, np.log(channel / output[None, :]), 0.0)
    rate = max(float((joint * ratio).sum()), 0.0)
    return rate, distortion, channel, output, gap, steps, log_q


def blahut_arimoto(p, distortion, *, slope=None, target_distortion=None, tol=1e-10,
                   max_iter=100_000, base=2):
    r"""A point of the rate–distortion function of a discrete source (Blahut–Arimoto).

    For a slope :math:`s \ge 0` the algorithm alternates, from a uniform
    :math:`q`,

    .. math::
        Q(\hat x \mid x) = \frac{q(\hat x)\, e^{-s\, d(x, \hat x)}}
                                {\sum_{\hat x'} q(\hat x')\, e^{-s\, d(x, \hat x')}},
        \qquad
        q(\hat x) = \sum_x p(x)\, Q(\hat x \mid x),

    which minimises :math:`I(X; \hat X) + s\, \mathbb E\, d(X, \hat X)`; the
    result is the point of :math:`R(D)` where the curve's slope is :math:`-s`
    (rate in nats). It stops when
    :math:`\max_{\hat x} \log c(\hat x) \le` ``tol`` (nats), with
    :math:`c(\hat x) = \sum_x p(x) e^{-s d(x, \hat x)} / \sum_{\hat x'}
    q(\hat x') e^{-s d(x, \hat x')}`; that maximum bounds the distance of the
    returned rate from :math:`R(D)` at the returned distortion (Blahut 1972,
    theorem 8), and is returned as ``gap``. With ``target_distortion`` the
    slope is found by bisection on :math:`\log s`, warm-started, until the
    distortion is within ``tol`` (relative) of the target.

    Parameters
    ----------
    p : array_like
        Source distribution :math:`p(x)`, shape ``(n_x,)``, summing to 1.
    distortion : array_like
        Distortion matrix :math:`d(x, \hat x) \ge 0`, shape ``(n_x, n_xhat)``.
    slope : float, optional
        :math:`s > 0` (per nat of rate). Exactly one of ``slope`` and
        ``target_distortion`` is given.
    target_distortion : float, optional
        :math:`D` between :math:`D_{\min} = \sum_x p(x) \min_{\hat x} d(x,
        \hat x)` (exclusive) and any larger value; at or above
        :math:`D_{\max} = \min_{\hat x} \sum_x p(x) d(x, \hat x)` the rate is 0.
    tol : float, default 1e-10
        Stopping tolerance (nats) of the gap, and the relative tolerance of the
        distortion for ``target_distortion``.
    max_iter : int, default 100000
        Most updates per slope. When it is reached first (the certificate
        converges slowly where the optimal :math:`q` has many outputs, e.g. a
        finely discretised Gaussian), the result is returned as it is and its
        ``gap``, larger than ``tol``, says how far from :math:`R(D)` it may be.
    base : float, default 2
        Logarithm base of the returned rate and gap: 2 gives bits.

    Returns
    -------
    RateDistortionPoint

    See Also
    --------
    gaussian_rate_distortion : the closed form for a Gaussian source.

    Examples
    --------
    A binary source with :math:`P(X = 1) = 0.3` and Hamming distortion has
    :math:`R(D) = h(0.3) - h(D)` for :math:`D \le 0.3`:

    >>> import numpy as np
    >>> from infocourse import binary_entropy
    >>> from infocourse.rate_distortion import blahut_arimoto
    >>> hamming = 1 - np.eye(2)
    >>> point = blahut_arimoto([0.7, 0.3], hamming, target_distortion=0.1)
    >>> print(f"{point.rate:.6f} {binary_entropy(0.3) - binary_entropy(0.1):.6f}")
    0.412295 0.412295
    >>> print(f"{point.distortion:.6f}, gap below {point.gap:.0e} bits")
    0.100000, gap below 1e-10 bits

    A slope instead of a distortion: at :math:`s = \ln 9` the binary curve sits
    at :math:`D = 1 / (1 + e^{s}) = 0.1`:

    >>> point = blahut_arimoto([0.7, 0.3], hamming, slope=np.log(9))
    >>> print(round(point.distortion, 6), point.channel.round(4).tolist())
    0.1 [[0.9643, 0.0357], [0.25, 0.75]]

    References
    ----------
    1. R. E. Blahut, "Computation of channel capacity and rate-distortion
       functions", IEEE Trans. Inf. Theory 18(4) (1972), 460--473.
    2. S. Arimoto, "An algorithm for computing the capacity of arbitrary
       discrete memoryless channels", IEEE Trans. Inf. Theory 18(1) (1972),
       14--20.
    3. T. M. Cover and J. A. Thomas, *Elements of Information Theory*,
       2nd ed., Wiley (2006), section 10.8.
    """
    base = v.check_base(base)
    if hasattr(p, "detach") or hasattr(distortion, "detach"):
        raise TypeError(
            "p and distortion must be numpy arrays or sequences, got a torch tensor; "
            "convert it with .numpy() first."
        )
    p_arr, _ = v.distribution(p, "p")
    v.check_vector(p_arr, "p")
    p_arr = np.asarray(p_arr, dtype=np.float64)
    dist = _values(distortion, "distortion")
    if dist.ndim != 2 or dist.shape[0] != p_arr.shape[0] or dist.shape[1] == 0:
        raise ValueError(
            f"distortion must have shape (n_x, n_xhat) = ({p_arr.shape[0]}, m) with "
            f"one row per source symbol, got shape {tuple(dist.shape)}."
        )
    if float(dist.min()) < 0:
        raise ValueError(
            f"distortion must be >= 0 everywhere, got a minimum of {float(dist.min()):.6g}; "
            f"shift it by a per-row constant if it is a negative score."
        )
    if (slope is None) == (target_distortion is None):
        raise TypeError(
            "pass exactly one of slope= (a Lagrange multiplier s > 0) and "
            "target_distortion= (the D at which to evaluate R(D))."
        )
    tol = v.check_real(tol, "tol", low=0, low_open=True)
    max_iter = v.check_int(max_iter, "max_iter", minimum=1)
    unit = math.log(base)

    support = p_arr > 0
    p_s, dist_s = p_arr[support], dist[support]
    with np.errstate(divide="ignore"):
        log_p = np.log(p_s)
    n_hat = dist.shape[1]
    log_q0 = np.full(n_hat, -math.log(n_hat))

    def full_channel(channel_s):
        out = np.zeros((p_arr.shape[0], n_hat))
        out[support] = channel_s
        # a symbol that never occurs is mapped to its nearest reproduction
        out[~support, np.argmin(dist[~support], axis=1)] = 1.0
        return out

    def result(rate, d, s, channel_s, output, gap, steps):
        return RateDistortionPoint(rate / unit, d, s, full_channel(channel_s), output,
                                   gap / unit, steps)

    if slope is not None:
        s = v.check_real(slope, "slope", low=0, low_open=True)
        rate, d, ch, out, gap, steps, _ = _point(p_s, log_p, dist_s, s, log_q0, tol,
                                                 max_iter)
        return result(rate, d, s, ch, out, gap, steps)

    target = v.check_real(target_distortion, "target_distortion", low=0)
    d_min = float(p_s @ dist_s.min(axis=1))
    column_means = p_s @ dist_s
    d_max = float(column_means.min())
    if target <= d_min:
        raise ValueError(
            f"target_distortion must exceed D_min = {d_min:.6g}, the distortion of "
            f"mapping every symbol to its best reproduction (R(D) is not defined "
            f"below it and needs an infinite slope at it), got {target!r}."
        )
    if target >= d_max:
        channel_s = np.zeros_like(dist_s)
        channel_s[:, int(np.argmin(column_means))] = 1.0
        return result(0.0, d_max, 0.0, channel_s, channel_s[0], 0.0, 0)

    total = 0
    log_q = log_q0
    lo, hi = None, None  # log s with distortion above / below the target
    log_s = 0.0
    for _ in range(200):
        s = math.exp(log_s)
        rate, d, ch, out, gap, steps, log_q = _point(p_s, log_p, dist_s, s, log_q, tol,
                                                     max_iter)
        total += steps
        log_q = np.log(np.maximum(np.exp(log_q), 1e-300))  # keep every output alive
        if abs(d - target) <= tol * max(target, 1.0):
            break
        if d > target:
            lo = log_s
            log_s = log_s + 2.0 if hi is None else 0.5 * (lo + hi)
        else:
            hi = log_s
            log_s = log_s - 2.0 if lo is None else 0.5 * (lo + hi)
        if lo is not None and hi is not None and hi - lo < 1e-15:
            break
    return result(rate, d, s, ch, out, gap, total)
