"""Array back ends: the few operations the measures need, for numpy and torch.

Every measure is written once against this small interface, so numpy in gives
numpy out and torch in gives torch out (dtype, device and autograd kept).
torch is imported lazily: a tensor can only exist if torch is already loaded.
"""

from __future__ import annotations

import math
import sys
import warnings

import numpy as np
from scipy import special


def is_tensor(x) -> bool:
    """True when ``x`` is a torch tensor (without importing torch)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(x, torch.Tensor)


class NumpyOps:
    """numpy/scipy implementations; 0·log 0 = 0 through scipy's special functions."""

    name = "numpy"

    @staticmethod
    def xlogy(x, y):
        return special.xlogy(x, y)

    @staticmethod
    def rel_entr(x, y):
        return special.rel_entr(x, y)

    @staticmethod
    def sum(x, axis=None, keepdims=False):
        return np.sum(x, axis=axis, keepdims=keepdims)

    @staticmethod
    def where(cond, x, y):
        return np.where(cond, x, y)

    # log 0 = -inf is the intended value (an impossible event), not a warning.
    @staticmethod
    def log(x):
        with np.errstate(divide="ignore"):
            return np.log(x)

    @staticmethod
    def log2(x):
        with np.errstate(divide="ignore"):
            return np.log2(x)

    @staticmethod
    def finish(x):
        # Adding +0.0 turns an IEEE negative zero (-(1·log 1)) into 0.0, and
        # 0-d arrays into numpy scalars.
        out = x + 0.0
        return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out


class TorchOps:
    """torch implementations whose gradients stay finite where p = 0."""

    name = "torch"

    @staticmethod
    def xlogy(x, y):
        import torch

        # torch.xlogy(0, 0) is 0, but its gradient with respect to y is 0/0.
        # Feeding y = 1 where x = y = 0 keeps the value (0) and makes both
        # gradients 0 there (the convention for 0·log 0); elsewhere the
        # gradients are exact, e.g. d/dx x·log y = log y at x = 0 < y.
        both_zero = (x == 0) & (y == 0)
        return torch.xlogy(x, torch.where(both_zero, torch.ones_like(y), y))

    @staticmethod
    def rel_entr(x, y):
        import torch

        # x·log(x/y), with the division guarded where x = 0 (same reason).
        safe_y = torch.where(x > 0, y, torch.ones_like(y))
        return TorchOps.xlogy(x, x / safe_y)

    @staticmethod
    def sum(x, axis=None, keepdims=False):
        import torch

        if axis is None:
            return torch.sum(x)
        return torch.sum(x, dim=axis, keepdim=keepdims)

    @staticmethod
    def where(cond, x, y):
        import torch

        return torch.where(cond, x, y)

    @staticmethod
    def log(x):
        import torch

        return torch.log(x)

    @staticmethod
    def log2(x):
        import torch

        return torch.log2(x)

    @staticmethod
    def finish(x):
        return x + 0.0


def ops_for(x):
    """The operations matching the array type of ``x``."""
    return TorchOps if is_tensor(x) else NumpyOps


def nats_to(value, base):
    """Convert a quantity in nats to units of ``base`` (bits for base 2)."""
    if base == math.e:
        return value
    return value / math.log(base)


# --- Fused fast path for large numpy arrays -----------------------------------
#
# scipy/numpy spend most of an entropy on the logarithm (numpy's float64 log is
# scalar on most x86 CPUs) and on memory traffic of full-size temporaries.
# torch's CPU log is vectorised (SLEEF). Working on a zero-copy torch view of
# the numpy array in cache-sized chunks computes sum p*log p, the sums the
# validation needs and the minimum in one sweep over memory.

#: Arrays with fewer elements than this take the plain numpy path (and never
#: import torch): there the fixed cost of the chunk loop is not worth it.
FUSED_MIN_SIZE = 1 << 16

# Elements per chunk: a chunk and its logarithm stay in the L2 cache.
_CHUNK = 1 << 17


def _torch_or_none():
    try:
        import torch
    except ImportError:  # torch is optional for the numpy measures
        return None
    return torch


def fused_plogp(p, axis, *, min_size=None):
    r"""One pass over a large float numpy array for :func:`infocourse.entropy`.

    Computes, along ``axis`` (or over all elements if ``axis`` is None),

    .. math:: s_{\log} = \sum_x p(x) \ln p(x), \qquad s = \sum_x p(x),

    and the overall minimum of ``p``, chunk by chunk on a zero-copy
    ``torch.from_numpy`` view (torch is imported here, not at package import).
    ``0 \ln 0 = 0`` comes from clamping to the smallest subnormal before the log,
    which changes no other value (every positive float is at least that).

    Parameters
    ----------
    p : numpy.ndarray
        float32 or float64, native byte order, at least ``min_size`` elements.
    axis : int or None
        Normalised (non-negative) axis that indexes outcomes.
    min_size : int, optional
        Smaller arrays are left to the numpy path; default ``FUSED_MIN_SIZE``.

    Returns
    -------
    (plogp, sums, minimum) or None
        ``plogp`` and ``sums`` are numpy arrays of ``p``'s dtype with ``axis``
        reduced (0-d for a vector or ``axis=None``); ``minimum`` a float (NaN
        if ``p`` has NaN). None when the fast path does not apply (other
        input, small array, torch not installed): the caller then uses
        :class:`NumpyOps`. The values are not validated here: NaN, inf and
        negative entries show up in ``sums`` and ``minimum``, which
        :func:`infocourse._validation.check_distribution` checks.

    Examples
    --------
    >>> import numpy as np
    >>> plogp, sums, lo = fused_plogp(np.full((2, 4), 0.25), 1, min_size=1)
    >>> print(plogp.round(4), sums, lo)
    [-1.3863 -1.3863] [1. 1.] 0.25
    """
    if (
        type(p) is not np.ndarray
        or p.dtype not in (np.float32, np.float64)
        or not p.dtype.isnative
        or p.size < max(FUSED_MIN_SIZE if min_size is None else min_size, 1)
    ):
        return None
    torch = _torch_or_none()
    if torch is None:
        return None
    q = p.reshape(-1) if axis is None else np.moveaxis(p, axis, -1)
    batch, n = q.shape[:-1], q.shape[-1]
    q = np.ascontiguousarray(q).reshape(-1, n)  # a view unless p was strided
    with warnings.catch_warnings():
        # A read-only array gives a warning about writes; nothing is written to it.
        warnings.simplefilter("ignore", UserWarning)
        x = torch.from_numpy(q)
    rows = x.shape[0]
    tiny = float(np.finfo(p.dtype).smallest_subnormal)
    plogp = torch.empty(rows, dtype=x.dtype)
    sums = torch.empty(rows, dtype=x.dtype)
    lows = []
    if n >= _CHUNK // 2:
        # Long rows (e.g. one vector of 10^7): chunks along the outcomes.
        buf = torch.empty(min(n, _CHUNK), dtype=x.dtype)
        for r in range(rows):
            part_h, part_s = [], []
            for start in range(0, n, _CHUNK):
                c = x[r, start:start + _CHUNK]
                o = buf[: c.shape[0]]
                torch.clamp(c, min=tiny, out=o).log_().mul_(c)
                part_h.append(o.sum())
                part_s.append(c.sum())
                lows.append(c.amin())
            plogp[r] = torch.stack(part_h).sum()
            sums[r] = torch.stack(part_s).sum()
    else:
        # Many short rows (a batch of predictions): blocks of whole rows.
        step = max(1, _CHUNK // n)
        buf = torch.empty((min(step, rows), n), dtype=x.dtype)
        for start in range(0, rows, step):
            c = x[start:start + step]
            o = buf[: c.shape[0]]
            torch.clamp(c, min=tiny, out=o).log_().mul_(c)
            plogp[start:start + step] = o.sum(dim=1)
            sums[start:start + step] = c.sum(dim=1)
            lows.append(c.amin())
    lo = float(torch.stack(lows).min())
    return plogp.numpy().reshape(batch), sums.numpy().reshape(batch), lo
