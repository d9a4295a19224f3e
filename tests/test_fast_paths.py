"""Fast paths give the same answers as the reference implementations.

* ``entropy`` of large numpy arrays sums p log p in cache-sized chunks
  (:mod:`infocourse._fast.entropy`, numpy only); values must match scipy and
  the plain path (:func:`infocourse._fast.entropy.plain`), and validation is
  the same whichever path computes.
* ``estimate.mutual_information``: the plug-in fast path matches a
  contingency-table computation (and scikit-learn) to 1e-12; KSG matches a
  brute-force O(n^2) implementation of Kraskov et al.'s estimator 1.
"""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from collections import Counter

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats
from sklearn.feature_selection import mutual_info_regression
from sklearn.metrics import mutual_info_score

import infocourse as ic
from infocourse import estimate, gaussian
from infocourse._fast import entropy as fast_entropy
from infocourse._fast.codes import pair_table
from infocourse.estimate._checks import factorize

BIG = fast_entropy.MIN_SIZE  # arrays at least this large take the chunked path


def dirichlet(shape, seed=0, zeros=0.0, dtype=np.float64):
    """Random distributions along the last axis, with a fraction of exact zeros."""
    rng = np.random.default_rng(seed)
    w = rng.gamma(0.5, size=shape)
    if zeros:
        w[rng.random(shape) < zeros] = 0.0
        w[..., 0] += 1.0  # no all-zero row
    return (w / w.sum(axis=-1, keepdims=True)).astype(dtype)


@pytest.fixture
def reference_path(monkeypatch):
    """Run a call with the chunked path switched off (the plain path)."""

    def run(f):
        with monkeypatch.context() as m:
            m.setattr(fast_entropy, "MIN_SIZE", 1 << 62)
            return f()

    return run


# --- entropy -------------------------------------------------------------------


@pytest.mark.parametrize("zeros", [0.0, 0.3])
def test_long_vector_matches_scipy_and_numpy_path(reference_path, zeros):
    p = dirichlet(3 * BIG + 12345, seed=1, zeros=zeros)
    assert fast_entropy.applies(p)  # the fast path is taken
    h = ic.entropy(p)
    assert isinstance(h, np.float64)
    assert h == pytest.approx(stats.entropy(p, base=2), rel=1e-12)
    assert h == pytest.approx(reference_path(lambda: ic.entropy(p)), rel=1e-12)


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 2e-6)])
@pytest.mark.parametrize("base", [2, math.e, 10])
def test_batch_matches_scipy(reference_path, dtype, rtol, base):
    P = dirichlet((700, 130), seed=2, zeros=0.1, dtype=dtype)
    h = ic.entropy(P, base=base)
    assert isinstance(h, np.ndarray) and h.dtype == dtype and h.shape == (700,)
    np.testing.assert_allclose(h, stats.entropy(P.astype(np.float64), base=base, axis=-1), rtol=rtol)
    ref = reference_path(lambda: ic.entropy(P, base=base))
    assert ref.dtype == dtype
    np.testing.assert_allclose(h, ref, rtol=rtol)


def test_long_rows_in_a_batch():
    # Rows longer than a chunk: chunked along the outcomes, row by row.
    P = dirichlet((3, 2 * fast_entropy.CHUNK + 7), seed=3)
    np.testing.assert_allclose(ic.entropy(P), stats.entropy(P, base=2, axis=-1), rtol=1e-12)


@pytest.mark.parametrize("axis", [0, 1, -3, None])
def test_other_axes_and_strided_views(axis):
    P = dirichlet((40, 50, 60), seed=4)  # 120 000 elements
    if axis is None:
        P = P / P.sum()
        expected = stats.entropy(P.ravel(), base=2)
    else:
        P = P / P.sum(axis=axis, keepdims=True)
        expected = stats.entropy(P, base=2, axis=axis)
    np.testing.assert_allclose(ic.entropy(P, axis=axis), expected, rtol=1e-12)
    # A non-contiguous view (every other row of a bigger array) gives the same.
    Q = np.zeros((80, 50, 60))
    Q[::2] = P
    np.testing.assert_allclose(ic.entropy(Q[::2], axis=axis), expected, rtol=1e-12)


def test_read_only_and_fortran_arrays_no_warning():
    P = np.asfortranarray(dirichlet((500, 200), seed=5))
    P.setflags(write=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = ic.entropy(P)
    np.testing.assert_allclose(h, stats.entropy(P, base=2, axis=-1), rtol=1e-12)


def test_point_masses_give_positive_zero():
    P = np.zeros((1000, 100))
    P[np.arange(1000), np.arange(1000) % 100] = 1.0
    h = ic.entropy(P)
    assert np.all(h == 0.0) and not np.signbit(h).any()


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(1, 5),
    n=st.integers(1, 3 * (1 << 16) // 2),
    seed=st.integers(0, 2**32 - 1),
    zeros=st.sampled_from([0.0, 0.5]),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_chunked_sum_equals_plain(rows, n, seed, zeros, dtype):
    P = dirichlet((rows, n), seed=seed, zeros=zeros, dtype=dtype)
    fast = fast_entropy.plogp_sum(P, 1)
    plain = fast_entropy.plain(P, 1)
    assert fast.dtype == plain.dtype == dtype and fast.shape == plain.shape == (rows,)
    rtol = 1e-12 if dtype == np.float64 else 2e-5
    np.testing.assert_allclose(fast, plain, rtol=rtol, atol=rtol)


def test_subnormal_probabilities_in_the_chunked_path():
    p = np.full(BIG, 1 / BIG)
    p[:10] = 5e-324
    p[10:20] = 0.0
    np.testing.assert_allclose(fast_entropy.plogp_sum(p, 0), fast_entropy.plain(p, 0), rtol=1e-13)


def test_fast_path_only_for_large_float_numpy():
    assert not fast_entropy.applies(np.full(8, 1 / 8))  # small
    assert not fast_entropy.applies(np.ones(BIG, dtype=np.int64))  # not float
    assert not fast_entropy.applies(np.full(BIG, 1 / BIG).astype(">f8"))  # byte order
    assert not fast_entropy.applies(torch.full((BIG,), 1 / BIG))  # tensors keep theirs


def test_torch_in_torch_out_unchanged():
    p = torch.from_numpy(dirichlet(BIG + 1, seed=6)).requires_grad_()
    h = ic.entropy(p)
    assert isinstance(h, torch.Tensor) and h.dtype == torch.float64 and h.requires_grad
    assert float(h.detach()) == pytest.approx(stats.entropy(p.detach().numpy(), base=2), rel=1e-12)


def _message(f):
    with pytest.raises(ValueError) as info:
        f()
    return str(info.value)


def _bad_inputs():
    good = dirichlet((300, 400), seed=7)
    cases = {}
    for name, (i, j, value) in {
        "nan": (5, 6, np.nan), "inf": (7, 8, np.inf), "-inf": (9, 1, -np.inf),
        "negative": (11, 2, -0.25), "unnormalised": (13, 3, 0.7),
    }.items():
        bad = good.copy()
        bad[i, j] = value
        cases[name] = bad
    cases["sum just outside the tolerance"] = good * (1 + 3e-8)
    return cases


@pytest.mark.parametrize("case", list(_bad_inputs()))
@pytest.mark.parametrize("axis", [-1, 1])
def test_errors_are_those_of_the_full_check(reference_path, case, axis):
    bad = _bad_inputs()[case]
    fast = _message(lambda: ic.entropy(bad, axis=axis))
    slow = reference_path(lambda: _message(lambda: ic.entropy(bad, axis=axis)))
    assert fast == slow
    assert "p" in fast


def test_sums_near_the_tolerance_are_accepted_on_both_paths(reference_path):
    P = dirichlet((300, 400), seed=8)
    P = P * (1 + 0.75 * ic._validation.tolerance(np.finfo(np.float64).eps, 400))
    np.testing.assert_allclose(ic.entropy(P), reference_path(lambda: ic.entropy(P)), rtol=1e-12)


def test_importing_infocourse_does_not_import_torch():
    code = "import sys, infocourse; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- estimate.mutual_information: plug-in --------------------------------------


def plugin_reference(x, y):
    """Plug-in MI in bits from a Counter of pairs: no numpy codes at all."""
    n = len(x)
    pairs = Counter(zip(x, y))
    cx, cy = Counter(x), Counter(y)
    return sum(c / n * math.log2(c * n / (cx[a] * cy[b])) for (a, b), c in pairs.items())


def dependent_labels(n, k, seed, offset=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, k, n)
    y = np.where(rng.random(n) < 0.4, x, rng.integers(0, k, n))
    return x + offset, y + offset


@pytest.mark.parametrize(
    "n, k, offset",
    [
        (300_000, 100, 0),  # chunked joint counts, 0-based labels (no copy)
        (300_000, 100, -50),  # negative labels: shifted codes
        (50_000, 100, 7),  # one chunk
        (300_000, 600, 0),  # a table larger than a chunk: counted in one go
    ],
)
def test_plugin_integers_match_references(n, k, offset):
    x, y = dependent_labels(n, k, seed=k, offset=offset)
    got = estimate.mutual_information(x, y, method="plugin")
    assert got == pytest.approx(mutual_info_score(x, y) / math.log(2), abs=1e-12)
    if n <= 50_000:
        assert got == pytest.approx(plugin_reference(x.tolist(), y.tolist()), abs=1e-12)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.uint32, np.int64, np.uint64, bool])
def test_plugin_integer_dtypes(dtype):
    k = 2 if dtype is bool else 100
    x, y = dependent_labels(200_000, k, seed=5)
    x = x.astype(dtype)
    got = estimate.mutual_information(x, y, method="plugin")
    assert got == pytest.approx(mutual_info_score(x, y) / math.log(2), abs=1e-12)


def test_small_int_table_grows_and_declines():
    # Larger labels only in later chunks: the table grows on the way.
    x, y = dependent_labels(400_000, 20, seed=6)
    x[300_000:] += 37
    y[350_000:] += 300
    table = pair_table(x, y)
    expected = np.zeros((x.max() + 1, y.max() + 1), dtype=np.int64)
    np.add.at(expected, (x, y), 1)
    np.testing.assert_array_equal(table, expected)
    got = estimate.mutual_information(x, y, method="plugin")
    assert got == pytest.approx(mutual_info_score(x, y) / math.log(2), abs=1e-12)
    # Negative labels, huge labels, lists and mismatched lengths take the general path.
    assert pair_table(x - 1, y) is None
    assert pair_table(x * 10**9, y) is None
    assert pair_table(x.tolist(), y) is None
    assert pair_table(x[:-1], y) is None
    with pytest.raises(ValueError, match="same number of samples"):
        estimate.mutual_information(x[:-1], y, method="plugin")


def test_plugin_sparse_integer_labels():
    # A range far larger than n: codes from np.unique, not from the values.
    x, y = dependent_labels(20_000, 50, seed=1)
    x = x * 10**12 - 3
    got = estimate.mutual_information(x, y, method="plugin")
    assert got == pytest.approx(plugin_reference(x.tolist(), y.tolist()), abs=1e-12)


def _strings(codes, names):
    return np.asarray(names)[codes]


@pytest.mark.parametrize(
    "names",
    [
        [f"class_{i:02d}" for i in range(100)],
        ["", "a", "ab", "abc", "b", "ba", "é", "日本", "\U0001f600", "a b"],  # lengths, non-ASCII
    ],
)
def test_plugin_strings_match_references(names):
    xi, yi = dependent_labels(30_000, len(names), seed=len(names))
    x, y = _strings(xi, names), _strings(yi, names)
    got = estimate.mutual_information(x, y, method="plugin")
    assert got == pytest.approx(mutual_info_score(x, y) / math.log(2), abs=1e-12)
    assert got == pytest.approx(plugin_reference(x.tolist(), y.tolist()), abs=1e-12)
    # Python lists, bytes, big-endian and strided arrays give the same value.
    assert estimate.mutual_information(x.tolist(), y.tolist(), method="plugin") == got
    xb = np.char.encode(x, "utf-8")
    assert estimate.mutual_information(xb, y, method="plugin") == pytest.approx(got, abs=1e-12)
    xs = x.astype(x.dtype.newbyteorder(">"))
    assert estimate.mutual_information(xs, y, method="plugin") == pytest.approx(got, abs=1e-12)
    x2 = np.repeat(x, 2)[::2]
    assert estimate.mutual_information(x2, y, method="plugin") == pytest.approx(got, abs=1e-12)


def test_plugin_many_distinct_long_strings():
    # 24 characters from 62 letters: the mixed-radix code overflows int64 and
    # is compacted on the way; most labels are distinct.
    rng = np.random.default_rng(9)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
    words = np.array(["".join(w) for w in letters[rng.integers(0, 62, (3000, 24))]])
    xi = rng.integers(0, 3000, 20_000)
    x, y = words[xi], words[(xi + rng.integers(0, 3, 20_000)) % 3000]
    got = estimate.mutual_information(x, y, method="plugin")
    assert got == pytest.approx(mutual_info_score(x, y) / math.log(2), abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.text("ab\x00é日", max_size=3), st.text("xy", max_size=2)),
                min_size=1, max_size=60))
def test_string_codes_partition_like_numpy(pairs):
    x = np.array([a for a, _ in pairs])
    y = np.array([b for _, b in pairs])
    codes, k = factorize(x, "x")
    _, inverse = np.unique(x, return_inverse=True)
    # Same label <=> same code (numpy's equality: trailing NULs do not count).
    assert np.array_equal(codes[:, None] == codes[None, :], inverse[:, None] == inverse[None, :])
    assert codes.min() >= 0 and codes.max() < k
    got = estimate.mutual_information(x, y, method="plugin")
    assert got == pytest.approx(mutual_info_score(x, y) / math.log(2), abs=1e-12)


def test_plugin_miller_madow_unchanged_by_fast_codes():
    # Miller-Madow counts observed cells; unused codes of the fast paths must not count.
    xi, yi = dependent_labels(10_000, 20, seed=3)
    names = [f"n{i}" for i in range(20)]
    a = estimate.mutual_information(xi + 1000, yi, method="miller-madow")
    b = estimate.mutual_information(_strings(xi, names), _strings(yi, names), method="miller-madow")
    m_xy = len(set(zip(xi.tolist(), yi.tolist())))
    m_x, m_y = len(set(xi.tolist())), len(set(yi.tolist()))
    expected = plugin_reference(xi.tolist(), yi.tolist()) + (m_x + m_y - m_xy - 1) / (
        2 * len(xi) * math.log(2))
    assert a == pytest.approx(expected, abs=1e-12)
    assert b == pytest.approx(expected, abs=1e-12)


# --- estimate.mutual_information: KSG ------------------------------------------


def ksg_brute_force(x, y, k):
    """Kraskov et al. (2004) algorithm 1 with all pairwise distances, in bits."""
    x = np.asarray(x, dtype=float).reshape(len(x), -1)
    y = np.asarray(y, dtype=float).reshape(len(y), -1)
    n = len(x)
    dx = np.abs(x[:, None, :] - x[None, :, :]).max(-1)
    dy = np.abs(y[:, None, :] - y[None, :, :]).max(-1)
    for d in (dx, dy):
        np.fill_diagonal(d, np.inf)
    eps = np.sort(np.maximum(dx, dy), axis=1)[:, k - 1]
    nx = (dx < eps[:, None]).sum(1)
    ny = (dy < eps[:, None]).sum(1)
    nats = special.digamma(k) + special.digamma(n) - np.mean(
        special.digamma(nx + 1) + special.digamma(ny + 1))
    return nats / math.log(2)


@pytest.mark.parametrize("k", [1, 3, 5])
@pytest.mark.parametrize("rho", [0.0, 0.7, -0.95])
def test_ksg_equals_brute_force(k, rho):
    x, y = gaussian.sample_correlated(rho, 600, seed=k)
    got = estimate.mutual_information(x, y, method="ksg", k=k)
    assert got == pytest.approx(ksg_brute_force(x, y, k), abs=1e-12)


def test_ksg_with_ties_and_multidimensional_x():
    rng = np.random.default_rng(11)
    xt = rng.integers(0, 6, 500).astype(float)  # heavy ties, points at distance eps
    yt = xt + rng.integers(0, 3, 500)
    assert estimate.mutual_information(xt, yt, method="ksg", k=3) == pytest.approx(
        ksg_brute_force(xt, yt, 3), abs=1e-12)
    x2 = rng.normal(size=(400, 2))
    y2 = x2[:, :1] + 0.5 * rng.normal(size=(400, 1))
    assert estimate.mutual_information(x2, y2, method="ksg", k=3) == pytest.approx(
        ksg_brute_force(x2, y2, 3), abs=1e-12)


def test_ksg_is_independent_of_the_sample_order():
    x, y = gaussian.sample_correlated(0.5, 5000, seed=2)
    perm = np.random.default_rng(0).permutation(5000)
    a = estimate.mutual_information(x, y, method="ksg", k=3)
    b = estimate.mutual_information(x[perm], y[perm], method="ksg", k=3)
    assert a == pytest.approx(b, abs=1e-12)


def test_ksg_agrees_with_sklearn():
    x, y = gaussian.sample_correlated(0.7, 20_000, seed=3)
    ours = estimate.mutual_information(x, y, method="ksg", k=3)
    theirs = mutual_info_regression(x[:, None], y, n_neighbors=3, random_state=0)[0]
    assert ours == pytest.approx(theirs / math.log(2), abs=2e-3)
