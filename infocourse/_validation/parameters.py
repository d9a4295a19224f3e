"""Parameters: scalars (base, ints, reals, choices) and Gaussian parameters.

* ``base`` is a real number > 0 and != 1.
* Integers are ``int`` or numpy integers, never ``bool``; a wrong type is a
  ``TypeError``, a value out of range a ``ValueError``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .._backend import ops_for, to_numpy
from .arrays import check_finite


def check_base(base):
    """Return ``base`` as a float after checking it is a valid log base."""
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise TypeError(
            f"base must be a real number (2 for bits, math.e for nats), "
            f"got {type(base).__name__} {base!r}."
        )
    base = float(base)
    if not math.isfinite(base) or base <= 0 or base == 1:
        raise ValueError(
            f"base must be a finite number > 0 and != 1 (2 for bits, "
            f"math.e for nats), got {base!r}."
        )
    return base


def check_int(value, name, *, minimum=None, maximum=None):
    """Return ``value`` as an int after checking it is an integer in range."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}.")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        lo = "-inf" if minimum is None else minimum
        hi = "inf" if maximum is None else maximum
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value}.")
    return value


def check_positive_int(value, name):
    """Return ``value`` as an int >= 1 (a count: samples, symbols, bins, neighbours).

    Examples
    --------
    >>> check_positive_int(3, "k")
    3
    >>> check_positive_int(0, "k")
    Traceback (most recent call last):
    ...
    ValueError: k must be an integer in [1, inf], got 0.
    """
    return check_int(value, name, minimum=1)


def check_choice(value, name, choices, hint=""):
    """Return ``value`` if it is one of ``choices`` (e.g. a ``reduction`` name)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(
            f"{name} must be one of {', '.join(repr(c) for c in choices)}, got "
            f"{value!r}.{' ' + hint if hint else ''}"
        )
    return value


def check_real(value, name, *, low=None, high=None, low_open=False, high_open=False,
               hint=""):
    """Return ``value`` as a float after checking it is a finite real in range.

    ``low_open``/``high_open`` exclude the end points, e.g. ``low=0,
    low_open=True`` for a temperature (> 0), ``low=0, high=1, high_open=True``
    for a label-smoothing weight in [0, 1).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}.")
    value = float(value)
    below = low is not None and (value <= low if low_open else value < low)
    above = high is not None and (value >= high if high_open else value > high)
    if not math.isfinite(value) or below or above:
        lo = "(-inf" if low is None else ("(" if low_open else "[") + f"{low:g}"
        hi = "inf)" if high is None else f"{high:g}" + (")" if high_open else "]")
        raise ValueError(
            f"{name} must be a finite number in {lo}, {hi}, got {value!r}."
            f"{' ' + hint if hint else ''}"
        )
    return value


# --- Gaussian parameters -------------------------------------------------------


def check_variance(var, name):
    """Check variances are finite and strictly positive (element-wise)."""
    check_finite(var, name)
    lo = ops_for(var).min(var)
    if lo <= 0:
        raise ValueError(
            f"{name} must be > 0 (a variance), got a minimum of {lo:.6g}. Pass "
            f"sigma**2 rather than sigma, and drop constant (degenerate) variables."
        )


def check_covariance(cov, name):
    """Check ``cov`` is a stack (..., d, d) of symmetric positive-definite matrices."""
    if cov.ndim < 2 or cov.shape[-1] != cov.shape[-2] or cov.shape[-1] == 0:
        raise ValueError(
            f"{name} must be a square (d, d) covariance matrix with d >= 1, got "
            f"shape {tuple(cov.shape)}."
        )
    check_finite(cov, name)
    c = to_numpy(cov, dtype=np.float64)
    ct = np.swapaxes(c, -1, -2)
    scale = max(float(np.abs(c).max()), np.finfo(float).tiny)
    eps = ops_for(cov).eps(cov)
    asym = float(np.abs(c - ct).max())
    if asym > 100 * eps * scale:
        raise ValueError(
            f"{name} must be symmetric, but |{name} - {name}.T| reaches {asym:.3g}; "
            f"symmetrise it with ({name} + {name}.T) / 2 if this is rounding."
        )
    lo = float(np.linalg.eigvalsh((c + ct) / 2).min())
    if lo <= 0:
        raise ValueError(
            f"{name} must be positive definite, but its smallest eigenvalue is "
            f"{lo:.6g}. A singular covariance (a variable that is constant or an "
            f"exact linear function of the others) has no density; drop the "
            f"redundant variable or add a small multiple of the identity."
        )


def check_correlation(rho, name):
    """Check correlation coefficients are finite with |rho| < 1 (element-wise)."""
    check_finite(rho, name)
    ops = ops_for(rho)
    hi = max(ops.max(rho), -ops.min(rho))
    if hi >= 1:
        raise ValueError(
            f"{name} must lie strictly between -1 and 1, got |{name}| = {hi:.6g}. "
            f"At |rho| = 1 one variable is a function of the other and the "
            f"mutual information of continuous variables is infinite."
        )
