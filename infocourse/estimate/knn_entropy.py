r"""The Kozachenko-Leonenko k-nearest-neighbour estimator of differential entropy.

With :math:`r_i` the Euclidean distance from sample i to its k-th nearest
neighbour among the other samples, in :math:`d` dimensions,

.. math::
    \hat h = \psi(n) - \psi(k) + \log V_d + \frac{d}{n} \sum_{i=1}^n \log r_i
    \quad\text{nats}, \qquad V_d = \frac{\pi^{d/2}}{\Gamma(d/2 + 1)},

where :math:`V_d` is the volume of the unit ball (Kozachenko & Leonenko 1987,
with the k-th neighbour generalisation of Kraskov et al. 2004, eq. 20).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import digamma, gammaln

from ._neighbors import kth_distance


def entropy(samples, k):
    """Kozachenko-Leonenko estimate in nats; ``samples`` (n, d), n > k, no duplicates."""
    n, d = samples.shape
    r = kth_distance(samples, k, p=2)
    if (r == 0).any():
        raise ValueError(
            f"samples has {int((r == 0).sum())} point(s) with k={k} or more exact "
            f"duplicates, so a neighbour distance is 0 and log 0 = -inf: the samples do "
            f"not look continuous. Pass jitter=<small noise scale> (with a seed) or "
            f"use method='plugin' for discrete data."
        )
    log_vd = (d / 2) * math.log(math.pi) - gammaln(d / 2 + 1)
    return float(digamma(n) - digamma(k) + log_vd + d * np.mean(np.log(r)))
