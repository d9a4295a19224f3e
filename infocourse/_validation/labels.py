"""Labels: discrete observations (class labels, symbols, bins).

Labels are any 1-D array of hashable values (ints, strings, ...), numpy, a
tensor or a sequence; what is refused is what cannot be a label: floats with
NaN (a missing value), masked arrays (the mask would be dropped), more than one
axis, and no labels at all.
"""

from __future__ import annotations

import numpy as np

from .._backend import to_numpy


def as_labels(labels, name):
    """Return ``labels`` as a 1-D non-empty numpy array.

    Examples
    --------
    >>> as_labels(["a", "b", "a"], "y")
    array(['a', 'b', 'a'], dtype='<U1')
    >>> as_labels([0.0, float("nan")], "y")
    Traceback (most recent call last):
    ...
    ValueError: y contains NaN; a label must be a value, not a missing one. Drop or encode the missing entries first.
    """
    if isinstance(labels, np.ma.MaskedArray):
        raise TypeError(
            f"{name} is a masked array; its mask would be dropped silently. Drop "
            f"the masked entries first: {name}.compressed()."
        )
    arr = to_numpy(labels)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of labels (one per sample), got shape "
            f"{arr.shape}."
        )
    if arr.size == 0:
        raise ValueError(f"{name} is empty; pass at least one label.")
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise ValueError(
            f"{name} contains NaN; a label must be a value, not a missing one. "
            f"Drop or encode the missing entries first."
        )
    return arr
