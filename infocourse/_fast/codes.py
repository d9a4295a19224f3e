r"""The speed paths of the estimators, each next to the plain path it replaces.

Every function here has a plain counterpart (``*_plain``) that computes the
same result the obvious way; ``tests/test_fast_codes.py`` checks each pair
against the other. The estimators call the fast ones; nothing outside
:mod:`infocourse.estimate` uses this module, and validation knows nothing
about it. The tricks and what they buy (benchmarks/README.md):

* :func:`pair_table` - joint counts of two integer label arrays in one
  sweep: a bitwise-OR bound instead of min and max, and a shift-or pair
  code instead of ``x * ky + y`` (both vectorise for 64-bit integers);
* :func:`joint_counts` - the pair codes counted a cache-sized chunk at a
  time, without an n-long temporary;
* :func:`string_codes` - numpy string labels to integer codes by their
  character positions (mixed radix), without sorting strings;
* :func:`strict_counts_1d` - strict neighbour counts in 1-D with two
  ``np.searchsorted`` per point and a correction loop for the ends that
  round across a sample, instead of a KD-tree ball query.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

# Largest joint table (in cells) that is built densely: proportional to n, so
# memory stays O(n) however many distinct labels there are.
DENSE_MIN_CELLS = 1 << 16
# Samples per chunk when counting pairs into a small joint table.
_CHUNK = 1 << 17


def compact(codes):
    """Dense codes ``0..K-1`` of integer codes (their ranks); return (codes, K)."""
    uniq, inv = np.unique(codes, return_inverse=True)
    return inv.reshape(-1).astype(np.int64, copy=False), len(uniq)


def joint_counts(cx, ky, cy, cells):
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


def joint_counts_plain(cx, ky, cy, cells):
    """The plain path of :func:`joint_counts`: one bincount of the pair codes."""
    return np.bincount(cx * ky + cy, minlength=cells)


def pair_table(x, y):
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
    if not _eligible(x, y):
        return None
    n = x.shape[0]
    limit = max(4 * n, DENSE_MIN_CELLS)
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


def _eligible(x, y):
    return (type(x) is np.ndarray and type(y) is np.ndarray and x.ndim == y.ndim == 1
            and x.shape == y.shape and x.size > 0
            and x.dtype.kind in "biu" and y.dtype.kind in "biu"
            and np.can_cast(x.dtype, np.int64) and np.can_cast(y.dtype, np.int64))


def pair_table_plain(x, y):
    """The plain path of :func:`pair_table`: min, max and one bincount of ``x * ky + y``.

    Returns None in the same cases, except near the size limit, where the
    fast path's OR bound (up to twice the maximum) may decline a table that
    this one builds.
    """
    if not _eligible(x, y):
        return None
    x, y = x.astype(np.int64), y.astype(np.int64)
    if x.min() < 0 or y.min() < 0:
        return None
    rows, cols = int(x.max()) + 1, int(y.max()) + 1
    if rows * cols > max(4 * x.shape[0], DENSE_MIN_CELLS):
        return None
    return np.bincount(x * cols + y, minlength=rows * cols).reshape(rows, cols)


def string_codes(arr, max_codes):
    """Codes for a 1-D numpy ``str``/``bytes`` array without sorting any string.

    A numpy string array is an ``(n, width)`` block of small integers (code
    points, or bytes). Each character position is renumbered densely with a
    ``np.bincount``-sized lookup table and the positions are combined into
    one integer per label (mixed radix; positions where every label has the
    same character are skipped), compacted with ``np.unique`` on integers
    only if it would overflow or exceed ``max_codes``. Two labels get the same
    code exactly when they are equal strings (numpy ignores trailing NULs,
    and so does this). About 10x faster than ``np.unique`` on the strings.
    Returns None for code points out of the Unicode range (left to np.unique).
    """
    n = arr.shape[0]
    if arr.dtype.itemsize == 0:  # only empty strings
        return np.zeros(n, dtype=np.int64), 1
    if arr.dtype.kind == "U":
        arr = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("="))
        block = arr.view(np.uint32).reshape(n, -1)
    else:
        block = np.ascontiguousarray(arr).view(np.uint8).reshape(n, -1)
    codes, k = np.zeros(n, dtype=np.int64), 1
    for j in range(block.shape[1]):
        col = block[:, j]
        if int(col.max()) > 0x10FFFF:
            return None
        present = np.flatnonzero(np.bincount(col))
        m = present.size
        if m == 1:
            continue
        rank = np.zeros(int(present[-1]) + 1, dtype=np.int64)
        rank[present] = np.arange(m)
        if k * m >= 1 << 62:
            codes, k = compact(codes)
        codes *= m
        codes += rank[col]
        k *= m
    return compact(codes) if k > max_codes else (codes, k)


def string_codes_plain(arr):
    """The plain path of :func:`string_codes`: ``np.unique`` on the strings."""
    uniq, codes = np.unique(arr, return_inverse=True)
    return codes.reshape(-1).astype(np.int64), len(uniq)


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



def strict_counts_1d(values, eps):
    """For each of the 1-D ``values`` (n,), the number of values ``v_j`` (itself
    included) with ``fl(|v_j - v_i|) < eps_i``: sort once, two
    ``np.searchsorted`` per point for the open interval, corrected by
    :func:`_settle` at the ends where ``v_i +- eps_i`` rounds across a sample.
    """
    n = values.shape[0]
    order = np.argsort(values, kind="stable")  # searchsorted is faster on sorted queries
    s, e = values[order], eps[order]
    hi = _settle(s, s, e, np.searchsorted(s, s + e, side="left"), upper=True)
    lo = _settle(s, s, e, np.searchsorted(s, s - e, side="right"), upper=False)
    inside = np.empty(n, dtype=np.int64)
    inside[order] = np.maximum(hi - lo, 0)
    return inside


def strict_counts_plain(values, eps):
    """The plain path of :func:`strict_counts_1d`, for values (n, d) of any d:
    ``cKDTree.query_ball_point`` with radius ``np.nextafter(eps, 0)`` (the
    largest float below eps, so "<= r" is "< eps"), max-norm.
    """
    tree = cKDTree(values)
    radius = np.nextafter(eps, 0)
    return np.asarray(tree.query_ball_point(values, r=radius, p=np.inf, return_length=True),
                      dtype=np.int64)
