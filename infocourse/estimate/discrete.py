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

from .._fast import codes as _fast
from ..dependence import mutual_information as _core_mi
from ..uncertainty import entropy as _core_entropy

_DENSE_MIN_CELLS = _fast.DENSE_MIN_CELLS


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
    """Plug-in (or Miller-Madow) MI in nats of a joint count table (see :func:`infocourse._fast.codes.pair_table`)."""
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
        table = _fast.joint_counts(cx, ky, cy, cells).reshape(kx, ky)
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
