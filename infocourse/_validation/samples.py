"""Samples: arrays of observations for the sample-based estimators.

A sample is a numpy array, a tensor or a sequence of real numbers, read as
``(n,)`` (n scalar observations) or ``(n, d)`` (n points in d dimensions).
It must be finite and non-empty; bool, masked, object and complex arrays are
refused as everywhere (:mod:`.arrays`). Tensors are copied to the host: the
estimators are numerical code, not part of an autograd graph.
"""

from __future__ import annotations

import numpy as np

from .._backend import to_numpy
from .arrays import as_array, check_finite


def as_samples(x, name, *, min_samples=1):
    """Return ``x`` as a float64 numpy array of shape ``(n, d)``.

    Examples
    --------
    >>> as_samples([1.0, 2.0, 3.0], "x").shape
    (3, 1)
    >>> as_samples([[0.0, 1.0]], "x", min_samples=2)
    Traceback (most recent call last):
    ...
    ValueError: x has 1 sample(s); this needs at least 2.
    """
    arr = to_numpy(as_array(x, name), dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must have shape (n,) or (n, d) (one row per sample), got "
            f"shape {arr.shape}."
        )
    check_finite(arr, name)
    if arr.shape[0] < min_samples:
        raise ValueError(
            f"{name} has {arr.shape[0]} sample(s); this needs at least {min_samples}."
        )
    return arr
