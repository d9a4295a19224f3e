r"""The Wang-Kulkarni-Verdú k-nearest-neighbour estimator of KL divergence.

From :math:`x_1..x_n \sim P` and :math:`y_1..y_m \sim Q` in :math:`\mathbb R^d`,
with :math:`\rho_k(i)` the Euclidean distance from :math:`x_i` to its k-th
nearest neighbour among the other x's and :math:`\nu_k(i)` the distance from
:math:`x_i` to its k-th nearest neighbour among the y's,

.. math::
    \hat D(P \,\|\, Q) = \frac{d}{n} \sum_{i=1}^n \log \frac{\nu_k(i)}{\rho_k(i)}
        + \log \frac{m}{n - 1} \quad\text{nats}

(Wang, Kulkarni & Verdú 2009, eq. 5). It is consistent as :math:`n, m \to \infty`
for fixed k; for finite samples it can be negative.
"""

from __future__ import annotations

import math

import numpy as np

from ._neighbors import kth_distance


def kl_divergence(x, y, k):
    """kNN estimate of KL(P || Q) in nats; ``x`` (n, d), ``y`` (m, d), n > k, m >= k."""
    n, d = x.shape
    m = y.shape[0]
    rho = kth_distance(x, k, p=2)
    nu = kth_distance(x, k, p=2, others=y)
    for arr, what in ((rho, "x has duplicated points"), (nu, "points of x coincide with points of y")):
        if (arr == 0).any():
            raise ValueError(
                f"{what} ({int((arr == 0).sum())} sample(s) with a neighbour distance of 0 "
                f"for k={k}); the kNN estimator needs continuous samples. Add a little "
                f"noise to x and y, or use a larger k."
            )
    return float(d * np.mean(np.log(nu) - np.log(rho)) + math.log(m / (n - 1)))
