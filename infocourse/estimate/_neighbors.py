"""Nearest-neighbour distances and strict neighbour counts (cKDTree, no O(n^2) memory)."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from .._fast.codes import strict_counts_1d, strict_counts_plain


def kth_distance(points, k, *, p, others=None):
    """Distance from each row of ``points`` to its k-th nearest neighbour.

    Without ``others``, the neighbours are the other rows of ``points`` (the
    point itself, at distance 0, is skipped: this is the (k+1)-th smallest
    distance, which is right also when points are duplicated). With
    ``others``, the neighbours are the rows of ``others``.
    """
    tree = cKDTree(points if others is None else others)
    kk = k + 1 if others is None else k
    dist, _ = tree.query(points, k=[kk], p=p)
    return dist[:, 0]


def count_strictly_within(values, eps):
    """For each row i, the number of other rows j with max-norm distance < eps[i].

    The inequality is strict, as in Kraskov et al. (2004): the neighbour that
    defines ``eps[i]`` is not counted. Distances are the floating-point
    ``|v_j - v_i|`` that cKDTree uses for the joint space, so the count is
    consistent with ``eps`` to the last bit. With ``eps[i] = 0`` (duplicated
    points) the open ball is empty and the count is 0.

    * 1-D: sort once and search (:func:`infocourse._fast.codes.strict_counts_1d`);
    * d-D: a KD-tree ball query (:func:`infocourse._fast.codes.strict_counts_plain`).
    """
    d = values.shape[1]
    positive = eps > 0
    if d == 1:
        inside = strict_counts_1d(values[:, 0], eps)
    else:
        inside = strict_counts_plain(values, eps)
    # The point itself is inside its own open ball exactly when eps > 0.
    return np.where(positive, inside - 1, 0).astype(np.int64)
