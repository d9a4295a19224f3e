r"""Plug-in and Miller-Madow estimates for discrete samples (labels of any type).

Counts come from integer codes (see :func:`._checks.factorize`) with a single
``np.bincount``; the measures themselves are the core ones of
:mod:`infocourse` applied to the empirical distribution, so there is one
implementation of entropy and mutual information in the library.

The plug-in estimate is biased: low for entropy, high for mutual information.
To first order in :math:`1/n` (Miller 1955; Paninski 2003),

.. math::
    \mathbb E[\hat H_{\text{plug-in}}] \approx H - \frac{m - 1}{2n} \quad \text{nats},

with :math:`m` the number of outcomes of positive probability. The
Miller-Madow estimate adds :math:`(\hat m - 1)/(2n)` back, with :math:`\hat m`
the number of outcomes actually observed.
"""

from __future__ import annotations

import math

import numpy as np

from ..dependence import mutual_information as _core_mi
from ..uncertainty import entropy as _core_entropy

# Largest joint table (in cells) that is built densely: proportional to n, so
# memory stays O(n) however many distinct labels there are.
_DENSE_MIN_CELLS = 1 << 16
# Samples per chunk when counting pairs into a small joint table.
_CHUNK = 1 << 17


def _h_counts(counts, n):
    """Plug-in entropy in nats of a vector of counts summing to ``n``."""
    return float(_core_entropy(counts / n, base=math.e))


def entropy_from_codes(codes, n_codes, *, miller_madow=False):
    """Plug-in (or Miller-Madow) entropy in nats of integer codes ``0..n_codes-1``."""
    n = codes.shape[0]
    counts = np.bincount(codes, minlength=n_codes)
    h = _h_counts(counts, n)
    if miller_madow:
        h += (np.count_nonzero(counts) - 1) / (2 * n)
    return h


def _joint_counts(cx, ky, cy, cells):
    """``np.bincount(cx * ky + cy, minlength=cells)`` without an n-long temporary.

    For a small table the combined codes are formed and counted a cache-sized
    chunk at a time: a fresh n-element array costs page faults and memory
    traffic comparable to the counting itself.
    """
    n = cx.shape[0]
    if cells > _CHUNK or n <= _CHUNK:
        return np.bincount(cx * ky + cy, minlength=cells)
    counts = np.zeros(cells, dtype=np.int64)
    buf = np.empty(_CHUNK, dtype=np.int64)
    for start in range(0, n, _CHUNK):
        b = buf[: min(_CHUNK, n - start)]
        np.multiply(cx[start:start + _CHUNK], ky, out=b)
        b += cy[start:start + _CHUNK]
        counts += np.bincount(b, minlength=cells)
    return counts


def small_int_table(x, y):
    """Joint count table of two non-negative integer label arrays, or None.

    The fast path for the common case (class indices, bin numbers): one sweep
    over ``x`` and ``y`` in cache-sized chunks bounds each chunk's labels and
    counts its pairs, growing the table when a larger label appears, so the
    labels are read from memory once (no separate min/max passes, no codes).
    Returns None, leaving the general path (:func:`infocourse.estimate._checks.factorize`)
    to decide, unless both are 1-D numpy integer arrays of one non-zero length
    with labels >= 0 and a table of at most ``max(4n, 65536)`` cells.
    Row ``i``, column ``j`` counts the pairs ``(i, j)``; rows and columns of
    labels that do not occur are zero.
    """
    if not (type(x) is np.ndarray and type(y) is np.ndarray and x.ndim == y.ndim == 1
            and x.shape == y.shape and x.size > 0
            and x.dtype.kind in "biu" and y.dtype.kind in "biu"
            and np.can_cast(x.dtype, np.int64) and np.can_cast(y.dtype, np.int64)):
        return None
    n = x.shape[0]
    limit = max(4 * n, _DENSE_MIN_CELLS)
    rows = cols = 0
    counts = None
    buf = np.empty(min(n, _CHUNK), dtype=np.int64)
    for start in range(0, n, _CHUNK):
        xc, yc = x[start:start + _CHUNK], y[start:start + _CHUNK]
        # The bitwise OR of the labels is negative if any label is, and otherwise
        # at least their maximum (and less than twice it): one vectorised
        # reduction per array instead of a min and a max, which numpy does not
        # vectorise for 64-bit integers. Unused rows and columns are cut below.
        or_x, or_y = int(np.bitwise_or.reduce(xc)), int(np.bitwise_or.reduce(yc))
        if or_x < 0 or or_y < 0:
            return None
        # A power-of-two row length: the pair code is a shift and an OR, which
        # vectorise for 64-bit integers (a multiplication does not).
        new_rows, new_cols = max(rows, or_x + 1), max(cols, 1 << or_y.bit_length())
        if (new_rows, new_cols) != (rows, cols):
            if new_rows * new_cols > limit:
                return None
            grown = np.zeros((new_rows, new_cols), dtype=np.int64)
            if counts is not None:
                grown[:rows, :cols] = counts.reshape(rows, cols)
            counts, rows, cols = grown.reshape(-1), new_rows, new_cols
            shift = cols.bit_length() - 1
        b = buf[: xc.shape[0]]
        np.left_shift(xc, shift, out=b, dtype=np.int64)  # int64 arithmetic for any int dtype
        np.bitwise_or(b, yc, out=b, dtype=np.int64)
        counts += np.bincount(b, minlength=rows * cols)
    table = counts.reshape(rows, cols)
    used_rows = np.flatnonzero(table.sum(axis=1))[-1] + 1
    used_cols = np.flatnonzero(table.sum(axis=0))[-1] + 1
    return table[:used_rows, :used_cols]


def _mi_from_table(table, n, miller_madow):
    """Plug-in (or Miller-Madow) MI in nats of a dense joint count table."""
    mi = float(_core_mi(table / n, base=math.e))
    if miller_madow:
        m_xy = np.count_nonzero(table)
        m_x = np.count_nonzero(table.sum(axis=1))
        m_y = np.count_nonzero(table.sum(axis=0))
        mi += (m_x + m_y - m_xy - 1) / (2 * n)
    return mi


def mutual_information_from_table(table, *, miller_madow=False):
    """Plug-in (or Miller-Madow) MI in nats of a joint count table (see :func:`small_int_table`)."""
    return _mi_from_table(table, int(table.sum()), miller_madow)


def mutual_information_from_codes(cx, kx, cy, ky, *, miller_madow=False):
    r"""Plug-in (or Miller-Madow) mutual information in nats of paired integer codes.

    The joint counts are one ``np.bincount`` of the combined code
    ``cx * ky + cy``. When the table has at most ``max(4n, 65536)`` cells it is
    built densely and passed to the core :func:`infocourse.mutual_information`;
    otherwise (many distinct labels) only the observed cells are kept and
    :math:`I = H(X) + H(Y) - H(X, Y)` is evaluated with the core entropy, so
    memory stays :math:`O(n)`.

    Miller-Madow: :math:`\hat I_{MM} = \hat I + (m_x + m_y - m_{xy} - 1) / (2n)`,
    the sum of the three entropy corrections.
    """
    n = cx.shape[0]
    cells = kx * ky
    if cells <= max(4 * n, _DENSE_MIN_CELLS):
        table = _joint_counts(cx, ky, cy, cells).reshape(kx, ky)
        return _mi_from_table(table, n, miller_madow)
    else:
        _, joint_counts = np.unique(cx * ky + cy, return_counts=True)
        cnt_x = np.bincount(cx, minlength=kx)
        cnt_y = np.bincount(cy, minlength=ky)
        mi = _h_counts(cnt_x, n) + _h_counts(cnt_y, n) - _h_counts(joint_counts, n)
        if miller_madow:
            m_xy = joint_counts.size
            m_x = np.count_nonzero(cnt_x)
            m_y = np.count_nonzero(cnt_y)
    if miller_madow:
        mi += (m_x + m_y - m_xy - 1) / (2 * n)
    return mi
