r"""The sum :math:`\sum_x p(x) \ln p(x)` of large numpy arrays, in chunks.

The plain path, ``ops.sum(ops.xlogy(p, p), axis)``, makes full-size
temporaries and uses scipy's scalar ``xlogy``. Here the array is cut into
cache-sized chunks; each chunk is clamped to the smallest subnormal (so that
``0 ln 0 = 0`` without a branch: every positive float is at least that, so no
other value changes), logged with numpy's vectorised ``log`` into one reused
buffer, multiplied by ``p`` and summed. numpy only, no torch.
"""

from __future__ import annotations

import numpy as np

from .._backend import ops_for

#: Arrays with fewer elements take the plain path (the loop's fixed cost).
MIN_SIZE = 1 << 16

# Elements per chunk: a chunk and its logarithm stay in the L2 cache.
CHUNK = 1 << 16


def applies(p) -> bool:
    """True when :func:`plogp_sum` takes the chunked path for ``p``."""
    return (
        type(p) is np.ndarray
        and p.dtype in (np.float32, np.float64)
        and p.dtype.isnative
        and p.size >= MIN_SIZE
    )


def plain(p, axis):
    """The reference: ``sum xlogy(p, p)`` along ``axis`` (all axes if None)."""
    ops = ops_for(p)
    return ops.sum(ops.xlogy(p, p), axis=axis)


def plogp_sum(p, axis):
    r""":math:`\sum p \ln p` along ``axis`` (or over all elements), 0 ln 0 = 0.

    Parameters
    ----------
    p : numpy.ndarray or torch.Tensor
        A validated probability array (finite, >= 0).
    axis : int or None
        Non-negative axis that indexes outcomes; None for all elements.

    Returns
    -------
    numpy array (``axis`` reduced, 0-d for a vector) or tensor
        In ``p``'s dtype, like the plain path.

    Examples
    --------
    >>> import numpy as np
    >>> p = np.full((2, 1 << 16), 2.0 ** -16)
    >>> print(plogp_sum(p, 1).round(4), plain(p, 1).round(4))
    [-11.0904 -11.0904] [-11.0904 -11.0904]
    """
    if not applies(p):
        return plain(p, axis)
    q = p.reshape(-1) if axis is None else np.moveaxis(p, axis, -1)
    batch, n = q.shape[:-1], q.shape[-1]
    q = np.ascontiguousarray(q).reshape(-1, n)  # a view unless p was strided
    rows = q.shape[0]
    tiny = np.finfo(p.dtype).smallest_subnormal
    out = np.empty(rows, dtype=p.dtype)
    if n >= CHUNK // 2:
        # Long rows (e.g. one vector of 10^7): chunks along the outcomes.
        buf = np.empty(min(n, CHUNK), dtype=p.dtype)
        for r in range(rows):
            parts = []
            for start in range(0, n, CHUNK):
                c = q[r, start:start + CHUNK]
                o = buf[: c.shape[0]]
                np.maximum(c, tiny, out=o)
                np.log(o, out=o)
                o *= c
                parts.append(o.sum())
            out[r] = np.sum(parts, dtype=p.dtype)
    else:
        # Many short rows (a batch of predictions): blocks of whole rows.
        step = max(1, CHUNK // n)
        buf = np.empty((min(step, rows), n), dtype=p.dtype)
        for start in range(0, rows, step):
            c = q[start:start + step]
            o = buf[: c.shape[0]]
            np.maximum(c, tiny, out=o)
            np.log(o, out=o)
            o *= c
            out[start:start + step] = o.sum(axis=1)
    return out.reshape(batch)
