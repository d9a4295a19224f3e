"""Seeds: one rule for every function that draws random numbers.

Modelled on scikit-learn's ``check_random_state``: ``None`` (fresh entropy
from the operating system), an int >= 0, or a ``numpy.random.Generator``
(used as it is, so a caller can share one stream). Anything else is a
``TypeError`` (bool, float, str, the legacy ``RandomState``), a negative int
a ``ValueError``; both messages say what is accepted.
"""

from __future__ import annotations

import numbers

import numpy as np

_ACCEPTED = "None, an int >= 0 or a numpy.random.Generator"


def check_seed(seed, name="seed"):
    """Return a ``numpy.random.Generator`` for ``seed``.

    Parameters
    ----------
    seed : None, int >= 0 or numpy.random.Generator
        A generator is returned unchanged; an int or None seeds a new one with
        ``numpy.random.default_rng``.
    name : str, default "seed"
        The argument's name, for messages.

    Examples
    --------
    >>> import numpy as np
    >>> rng = check_seed(0)
    >>> check_seed(rng) is rng
    True
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    ValueError: seed must be None, an int >= 0 or a numpy.random.Generator, got -1.
    """
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        hint = (" Use numpy.random.default_rng(seed) instead of the legacy "
                "RandomState." if isinstance(seed, np.random.RandomState) else "")
        raise TypeError(
            f"{name} must be {_ACCEPTED}, got {type(seed).__name__} {seed!r}.{hint}"
        )
    if seed < 0:
        raise ValueError(f"{name} must be {_ACCEPTED}, got {seed!r}.")
    return np.random.default_rng(int(seed))
