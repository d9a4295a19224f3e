"""Sample checks for the estimators: continuous samples, labels, k, seeds.

These build on :mod:`infocourse._validation` (base, ints, reals, choices) and
add what only samples need: one row per observation, the same number of rows
in ``x`` and ``y``, no NaN/inf, enough rows for ``k`` neighbours. Messages
name the argument, say what was found and how to fix it.
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import _validation as v
from .._backend import is_tensor
from .._fast.codes import string_codes

# Largest sample magnitude the continuous estimators accept: the squared
# Euclidean distance of two such samples in d < 10^7 dimensions stays finite.
MAX_MAGNITUDE = 1e150


def _to_numpy(x):
    if is_tensor(x):
        return x.detach().cpu().numpy()
    return x


def continuous(x, name):
    """Return ``x`` as a float64 array of shape ``(n, d)``: one row per sample.

    Accepts shape ``(n,)`` (one variable) or ``(n, d)`` (a d-dimensional
    variable), numpy arrays, sequences or torch tensors.
    """
    x = _to_numpy(x)
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got a string {x!r}.")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"{name} could not be read as a numeric array: {exc}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold real numbers (continuous samples), got an array of "
            f"dtype {arr.dtype}. For category labels use method='plugin' or "
            f"'miller-madow'."
        )
    if arr.ndim == 1:
        arr = arr[:, None]
    elif arr.ndim != 2:
        raise ValueError(
            f"{name} must have shape (n,) or (n, d) (one row per sample), got shape "
            f"{arr.shape}."
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); pass at least one sample.")
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(
            f"{name} contains NaN or infinite values; drop those samples (in x and y "
            f"together) or impute them first."
        )
    top = float(np.abs(arr).max())
    if top > MAX_MAGNITUDE:
        raise ValueError(
            f"{name} holds values of magnitude up to {top:.3g}, above {MAX_MAGNITUDE:.0e}: "
            f"differences and squared distances between samples would overflow to inf. "
            f"Rescale {name} first (e.g. standardise each column)."
        )
    return arr


def one_dimensional(arr, name, method):
    """``arr`` (n, d) from :func:`continuous` must have d = 1; return it as (n,)."""
    if arr.shape[1] != 1:
        raise ValueError(
            f"{name} must be one-dimensional (shape (n,) or (n, 1)) for "
            f"method={method!r}, got {arr.shape[1]} columns. Use method='ksg' "
            f"(or 'kl' for entropy) for multi-dimensional samples."
        )
    return arr[:, 0]


def rows(x, name, what="labels"):
    """``x`` as a numpy array indexable by rows: labels or samples, one per row.

    Ragged sequences (tuples of different lengths) become 1-D object arrays.
    """
    x = _to_numpy(x)
    if x is None or isinstance(x, (str, bytes)) or np.isscalar(x):
        raise TypeError(
            f"{name} must be a sequence of {what} (one per sample), got "
            f"{type(x).__name__} {x!r}."
        )
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError):  # ragged, e.g. tuples of different lengths
        items = list(x)
        arr = np.empty(len(items), dtype=object)
        arr[:] = items
    if arr.ndim == 0:
        raise TypeError(f"{name} must be a sequence of {what} (one per sample), got {x!r}.")
    return arr


def _label_array(x, name):
    arr = rows(x, name)
    if arr.ndim > 2:
        raise ValueError(
            f"{name} must have shape (n,) (one label per sample) or (n, d) (each row "
            f"a tuple-valued label), got shape {arr.shape}."
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty; pass at least one label.")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(
            f"{name} contains NaN or infinite labels; drop those samples (in x and y "
            f"together) or give missing values an explicit label first."
        )
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must hold hashable labels, got complex numbers.")
    return arr


def _dict_codes(rows):
    table = {}
    codes = np.fromiter((table.setdefault(r, len(table)) for r in rows), dtype=np.int64,
                        count=len(rows))
    return codes, len(table)


def factorize(x, name):
    """Integer codes ``0..K-1`` for labels of any hashable type; return (codes, K).

    * non-negative-range integers: ``x - min(x)`` directly (no sort) when the
      range is at most a few times the number of samples (unused codes have
      zero counts, which no estimator counts as observed);
    * numpy string arrays (``str``/``bytes``): character positions combined
      into integers (:func:`infocourse._fast.codes.string_codes`), no string sorting;
    * other 1-D labels (floats, mixed objects): ``np.unique(...,
      return_inverse=True)``, falling back to a dict for unorderable objects;
    * 2-D arrays: each row is one label (a tuple), via ``np.unique(axis=0)``.
    """
    arr = _label_array(x, name)
    n = arr.shape[0]
    if arr.ndim == 1 and arr.dtype.kind in "biu":
        a = arr.astype(np.int64, copy=False)
        lo, hi = int(a.min()), int(a.max())
        if hi - lo < max(4 * n, 1 << 16):
            return (a if lo == 0 else a - lo), hi - lo + 1  # no copy for 0-based labels
    if arr.ndim == 1 and arr.dtype.kind in "US":
        codes = string_codes(arr, max(4 * n, 1 << 16))
        if codes is not None:
            return codes
    if arr.dtype.kind == "O":
        rows = arr.tolist() if arr.ndim == 1 else [tuple(r) for r in arr.tolist()]
        try:
            if arr.ndim == 1:
                uniq, codes = np.unique(arr, return_inverse=True)
                return codes.reshape(-1).astype(np.int64), len(uniq)
        except TypeError:  # e.g. a mix of strings and numbers cannot be sorted
            pass
        try:
            return _dict_codes(rows)
        except TypeError as exc:
            raise TypeError(f"{name} must hold hashable labels: {exc}") from None
    if arr.ndim == 1:
        uniq, codes = np.unique(arr, return_inverse=True)
    else:
        uniq, codes = np.unique(arr, axis=0, return_inverse=True)
    return codes.reshape(-1).astype(np.int64), len(uniq)


def same_length(nx, ny, names=("x", "y")):
    if nx != ny:
        raise ValueError(
            f"{names[0]} and {names[1]} must hold the same number of samples (paired "
            f"observations), got {nx} and {ny}."
        )


def neighbours(k, n, name="x", *, need=None):
    """Check ``k`` is an int >= 1 and there are more than ``k`` samples."""
    k = v.check_int(k, "k", minimum=1)
    need = k + 1 if need is None else need
    if n < need:
        raise ValueError(
            f"{name}: {n} sample{' is' if n == 1 else 's are'} too few for k={k} neighbours; "
            f"at least {need} are needed. Pass more samples or a smaller k."
        )
    return k


def generator(seed, name="seed"):
    """A numpy Generator from an int, a Generator or None: the package's one
    seed rule, :func:`infocourse._validation.check_seed`."""
    return v.check_seed(seed, name)


def jittered(arr, jitter, seed, name):
    """Add N(0, jitter^2) noise to every coordinate (a copy), or return ``arr``."""
    if jitter is None:
        return arr
    jitter = v.check_real(jitter, "jitter", low=0, low_open=True,
                          hint="It is the standard deviation of the noise, in data units.")
    rng = generator(seed)
    return arr + jitter * rng.standard_normal(arr.shape)


def jittered_all(arrays, names, jitter, seed):
    """The one jitter block: N(0, jitter^2) noise on every array from one generator.

    Without ``jitter`` the arrays are returned as they are, and a ``seed``
    (which would seed nothing) raises.
    """
    if jitter is None:
        if seed is not None:
            raise TypeError("seed only seeds the jitter noise; pass jitter too, or drop seed.")
        return tuple(arrays)
    rng = generator(seed)
    return tuple(jittered(a, jitter, rng, name) for a, name in zip(arrays, names))


def unused(method, **given):
    """Raise if an option was passed that ``method`` does not use."""
    extra = [k for k, val in given.items() if val is not None]
    if extra:
        raise TypeError(
            f"{', '.join(extra)} {'does' if len(extra) == 1 else 'do'} not apply to "
            f"method={method!r}; remove {'it' if len(extra) == 1 else 'them'}."
        )
