r"""The rank (copula) transform: each marginal to normal scores.

Mutual information is unchanged by an invertible map of each variable
(applied coordinate by coordinate to a vector), but a finite-sample
estimate is not: nearest-neighbour distances and histogram bins depend on
the shape of the marginals. Replacing every coordinate by the normal score
of its rank,

.. math:: u_i = \Phi^{-1}\!\Big(\frac{r_i}{n + 1}\Big),

with :math:`r_i` the rank of sample :math:`i` in its column (ties get their
average rank, so they stay ties) and :math:`\Phi` the standard normal CDF,
makes every marginal approximately standard normal and leaves only the
dependence structure, the copula. Any strictly increasing map of a column
gives the same ranks, hence exactly the same transformed samples.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats


def normal_scores(arr):
    """Normal scores of the ranks of each column of the float array ``arr`` (n, d)."""
    n = arr.shape[0]
    ranks = stats.rankdata(arr, axis=0, method="average")
    return special.ndtri(ranks / (n + 1))
