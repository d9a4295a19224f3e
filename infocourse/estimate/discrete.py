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
        mi = float(_core_mi(table / n, base=math.e))
        if miller_madow:
            m_xy = np.count_nonzero(table)
            m_x = np.count_nonzero(table.sum(axis=1))
            m_y = np.count_nonzero(table.sum(axis=0))
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
