r"""Mutual information between a discrete and a continuous variable (Ross 2014).

For labels :math:`c_i` and continuous samples :math:`x_i` (shape ``(n,)`` or
``(n, d)``, max-norm distances): let :math:`d_i` be the distance from
:math:`x_i` to its k-th nearest neighbour among the samples **with the same
label**, :math:`N_{c_i}` the number of samples with that label, and
:math:`m_i` the number of samples of **any** label at distance less than
:math:`d_i`, counting :math:`x_i` itself. Then

.. math::
    \hat I(C; X) = \psi(n) - \langle \psi(N_{c_i}) \rangle + \psi(k)
        - \langle \psi(m_i) \rangle \quad \text{nats}.

A label held by a single sample has no neighbour of its own: such samples
are left out (``n`` counts only the others), as in scikit-learn's
``mutual_info_classif``; a label held by ``N_c <= k`` samples uses
``k = N_c - 1`` for its samples.

Reference: B. C. Ross, "Mutual information between discrete and continuous
data sets", PLoS ONE 9(2): e87357 (2014).
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma

from ._neighbors import count_strictly_within, kth_distance


def mutual_information(codes, x, k):
    """Ross's estimate in nats; ``codes`` int labels 0..K-1 (n,), ``x`` float (n, d)."""
    counts = np.bincount(codes)
    label_n = counts[codes]
    keep = label_n > 1
    codes, x, label_n = codes[keep], x[keep], label_n[keep]
    if codes.size == 0:
        raise ValueError(
            "every label occurs only once, so no sample has a neighbour with its own "
            "label; the mixed estimator needs repeated labels."
        )
    radius = np.empty(codes.size)
    k_used = np.empty(codes.size)
    for label in np.unique(codes):
        idx = np.flatnonzero(codes == label)
        kk = min(k, idx.size - 1)
        radius[idx] = kth_distance(x[idx], kk, p=np.inf)
        k_used[idx] = kk
    # m_i: samples strictly within d_i, the point itself included.
    m = count_strictly_within(x, radius) + 1
    n_kept = codes.size
    return float(digamma(n_kept) - np.mean(digamma(label_n)) + np.mean(digamma(k_used))
                 - np.mean(digamma(m)))
