"""Nearest-neighbour distances and strict neighbour counts (cKDTree, no O(n^2) memory)."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree


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


def _settle(s, v, eps, pos, upper):
    """Correct the searchsorted positions ``pos`` where ``v +- eps`` rounded across a sample.

    ``upper``: ``pos`` must end as the number of sorted values ``s_j`` with
    ``fl(s_j - v) < eps``; otherwise as the first index with ``fl(v - s_j) < eps``.
    Both conditions are monotone in ``j``, so a position is right when its two
    neighbours fall on the right sides; the few that are not move past a whole
    run of equal values at a time. Only those few are revisited.
    """
    n = s.size
    idx = np.arange(v.size)
    for _ in range(64):
        p, vv, ee = pos[idx], v[idx], eps[idx]
        left, right = s[np.maximum(p - 1, 0)], s[np.minimum(p, n - 1)]
        if upper:
            back = (p > 0) & (left - vv >= ee)       # s[p-1] is not inside
            fwd = (p < n) & (right - vv < ee)        # s[p] is inside
        else:
            back = (p > 0) & (vv - left < ee)        # s[p-1] is inside
            fwd = (p < n) & (vv - right >= ee)       # s[p] is not inside
        need = back | fwd
        if not need.any():
            return pos
        idx, back, fwd = idx[need], back[need], fwd[need]
        p, left, right = pos[idx], s[np.maximum(pos[idx] - 1, 0)], s[np.minimum(pos[idx], n - 1)]
        pos[idx] = np.where(back, np.searchsorted(s, left, "left"),
                            np.searchsorted(s, right, "right"))
    raise RuntimeError("strict neighbour count did not settle")  # pragma: no cover


def count_strictly_within(values, eps):
    """For each row i, the number of other rows j with max-norm distance < eps[i].

    The inequality is strict, as in Kraskov et al. (2004): the neighbour that
    defines ``eps[i]`` is not counted. Distances are the floating-point
    ``|v_j - v_i|`` that cKDTree uses for the joint space, so the count is
    consistent with ``eps`` to the last bit. With ``eps[i] = 0`` (duplicated
    points) the open ball is empty and the count is 0.

    * 1-D: sort once, then two ``np.searchsorted`` per point for the open
      interval ``(v_i - eps_i, v_i + eps_i)``, corrected at the two ends where
      ``v_i +- eps_i`` rounds across a sample. O(n log n).
    * d-D: ``cKDTree.query_ball_point(..., return_length=True)`` with radius
      ``np.nextafter(eps, 0)`` (the largest float below eps: "<= r" is "< eps").
    """
    n, d = values.shape
    positive = eps > 0
    if d == 1:
        # Work in sorted order (searchsorted is faster on sorted queries).
        order = np.argsort(values[:, 0], kind="stable")
        s = values[order, 0]
        e = eps[order]
        hi = _settle(s, s, e, np.searchsorted(s, s + e, side="left"), upper=True)
        lo = _settle(s, s, e, np.searchsorted(s, s - e, side="right"), upper=False)
        inside = np.empty(n, dtype=np.int64)
        inside[order] = np.maximum(hi - lo, 0)
    else:
        tree = cKDTree(values)
        radius = np.nextafter(eps, 0)
        inside = np.asarray(
            tree.query_ball_point(values, r=radius, p=np.inf, return_length=True)
        )
    # The point itself is inside its own open ball exactly when eps > 0.
    return np.where(positive, inside - 1, 0).astype(np.int64)
