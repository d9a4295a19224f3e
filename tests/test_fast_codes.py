"""Each speed path of infocourse._fast.codes against the plain path it replaces."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from infocourse._fast import codes


def _same_partition(a, b):
    """Two code arrays label the samples identically up to a renaming."""
    pairs = set(zip(a.tolist(), b.tolist()))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


@pytest.mark.parametrize("n", [1, 17, 300_000])
@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int64, bool])
def test_pair_table_matches_the_plain_table(n, dtype):
    rng = np.random.default_rng(n)
    hi = 2 if dtype is bool else 100
    x, y = rng.integers(0, hi, n).astype(dtype), rng.integers(0, hi, n).astype(dtype)
    fast, plain = codes.pair_table(x, y), codes.pair_table_plain(x, y)
    np.testing.assert_array_equal(fast, plain[: fast.shape[0], : fast.shape[1]])
    assert fast.sum() == plain.sum() == n


def test_pair_table_declines_like_the_plain_path():
    x = np.arange(10)
    for a, b in [(x - 1, x), (x * 10**9, x), (x.tolist(), x), (x[:-1], x)]:
        assert codes.pair_table(a, b) is None
        assert codes.pair_table_plain(a, b) is None


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=200))
def test_pair_table_property(pairs):
    x = np.array([p[0] for p in pairs])
    y = np.array([p[1] for p in pairs])
    fast, plain = codes.pair_table(x, y), codes.pair_table_plain(x, y)
    np.testing.assert_array_equal(fast, plain)


@pytest.mark.parametrize("n", [1000, 400_000])
def test_joint_counts_matches_one_bincount(n):
    rng = np.random.default_rng(3)
    cx, cy = rng.integers(0, 7, n), rng.integers(0, 11, n)
    np.testing.assert_array_equal(codes.joint_counts(cx, 11, cy, 77),
                                  codes.joint_counts_plain(cx, 11, cy, 77))


@pytest.mark.parametrize(
    "labels",
    [
        np.array(["cat", "dog", "cat", "", "ca", "dogs", "dog"]),
        np.array([b"a", b"ab", b"a\x00", b"b", b""]),
        np.array(["\u00e9t\u00e9", "ete", "\U0001f600", "\u00e9t\u00e9"]),
        np.array(["", "", ""]),
        np.random.default_rng(0).integers(0, 100, 200_000).astype(str),
    ],
)
def test_string_codes_partition_like_np_unique(labels):
    fast, k = codes.string_codes(labels, max(4 * labels.size, 1 << 16))
    plain, k_plain = codes.string_codes_plain(labels)
    assert _same_partition(fast, plain)
    assert len(np.unique(fast)) == k_plain <= k


@given(st.lists(st.text(alphabet="ab\u00e9\x00", max_size=4), min_size=1, max_size=60))
def test_string_codes_property(words):
    arr = np.array(words)
    fast, _ = codes.string_codes(arr, 4)  # a small max_codes forces the compaction
    plain, _ = codes.string_codes_plain(arr)
    assert _same_partition(fast, plain)


def _same_counts(v, eps):
    # eps = 0 (duplicated points) is the caller's case: its open ball is empty.
    pos = eps > 0
    np.testing.assert_array_equal(codes.strict_counts_1d(v, eps)[pos],
                                  codes.strict_counts_plain(v[:, None], eps)[pos])


@pytest.mark.parametrize("seed", range(3))
def test_strict_counts_1d_matches_the_tree(seed):
    rng = np.random.default_rng(seed)
    v = np.round(rng.standard_normal(2000), 2)  # many ties
    eps = np.abs(rng.standard_normal(2000)) * 0.05
    eps[::7] = 0.0
    _same_counts(v, eps)


def test_strict_counts_1d_at_rounding_boundaries():
    # v_i + eps_i rounds onto a neighbour: the correction loop must settle it.
    v = np.array([0.1, 0.2, 0.30000000000000004, 0.3, 0.7, 1e-300, 0.0])
    eps = np.array([0.1, 0.1, 0.2, 0.4, 0.4, 1e-300, 1e-300])
    eps = np.r_[eps, [0.2 - 0.1]]
    v = np.r_[v, [0.1]]
    _same_counts(v, eps)


@given(st.lists(st.tuples(st.sampled_from([0.0, 0.1, 0.2, 0.3, 1.0, 1e-9, 2.5]),
                          st.sampled_from([0.0, 0.1, 0.2, 0.30000000000000004, 1e-9])),
                min_size=1, max_size=40))
def test_strict_counts_property(rows):
    v = np.array([r[0] for r in rows])
    eps = np.array([r[1] for r in rows])
    _same_counts(v, eps)
