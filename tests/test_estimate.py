"""Sample-based estimators against scikit-learn, brute force and Gaussian closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats
from scipy.special import digamma
from sklearn.feature_selection import mutual_info_regression
from sklearn.metrics import mutual_info_score

import infocourse as ic
from infocourse import estimate, gaussian
from infocourse.estimate._neighbors import count_strictly_within

LN2 = math.log(2)
TRUE_MI_07 = float(gaussian.mutual_information_from_correlation(0.7))


# --- plug-in and Miller-Madow ---------------------------------------------------------


@pytest.mark.parametrize("kx, ky, n", [(2, 2, 10), (5, 3, 1000), (30, 40, 500), (1, 4, 50)])
def test_plugin_mi_matches_sklearn_int_labels(kx, ky, n):
    rng = np.random.default_rng(kx * 100 + ky)
    x = rng.integers(0, kx, n)
    y = (x + rng.integers(0, ky, n)) % ky
    ref = mutual_info_score(x, y) / LN2
    assert abs(estimate.mutual_information(x, y, method="plugin") - ref) < 1e-12


def test_plugin_mi_matches_sklearn_string_and_tuple_labels():
    rng = np.random.default_rng(0)
    words = np.array(["cat", "dog", "emu", "yak"])
    x = words[rng.integers(0, 4, 800)]
    y = np.where(rng.random(800) < 0.6, x, words[rng.integers(0, 4, 800)])
    ref = mutual_info_score(x, y) / LN2
    assert abs(estimate.mutual_information(list(x), list(y), method="plugin") - ref) < 1e-12
    # tuple labels: a list of pairs, and the same as rows of a 2-D array
    pairs = list(zip(x, rng.integers(0, 2, 800)))
    joined = [f"{a}|{b}" for a, b in pairs]
    ref2 = mutual_info_score(joined, y) / LN2
    assert abs(estimate.mutual_information(pairs, y, method="plugin") - ref2) < 1e-12
    xi = rng.integers(0, 3, (800, 2))
    ref3 = mutual_info_score([f"{a},{b}" for a, b in xi], y) / LN2
    assert abs(estimate.mutual_information(xi, y, method="plugin") - ref3) < 1e-12


def test_plugin_mi_mixed_unorderable_and_negative_labels():
    x = ["a", 1, "a", 1, (2, 3), (2, 3)]
    y = [-5, 7, -5, 7, 7, -5]
    ref = mutual_info_score([str(t) for t in x], y) / LN2
    assert abs(estimate.mutual_information(x, y, method="plugin") - ref) < 1e-12


def test_plugin_mi_many_labels_uses_sparse_path_and_matches_sklearn():
    # ~n distinct labels each: a dense table would have ~n^2 cells.
    rng = np.random.default_rng(1)
    n = 20_000
    x = rng.integers(0, 10**9, n)
    y = np.where(rng.random(n) < 0.5, x, rng.integers(0, 10**9, n))
    ref = mutual_info_score(x, y) / LN2
    assert abs(estimate.mutual_information(x, y, method="plugin") - ref) < 1e-11


def test_plugin_entropy_matches_scipy():
    rng = np.random.default_rng(2)
    x = rng.choice(["a", "b", "c", "d"], size=500, p=[0.5, 0.25, 0.2, 0.05])
    _, counts = np.unique(x, return_counts=True)
    ref = stats.entropy(counts, base=2)
    assert estimate.entropy(x, method="plugin") == pytest.approx(ref, abs=1e-12)
    assert estimate.entropy(x, method="plugin", base=math.e) == pytest.approx(
        stats.entropy(counts), abs=1e-12
    )


def test_miller_madow_formula():
    rng = np.random.default_rng(3)
    x, y = rng.integers(0, 4, 300), rng.integers(0, 6, 300)
    n = 300
    for labels, m in ((x, 4), (y, 6)):
        mm = estimate.entropy(labels, method="miller-madow", base=math.e)
        pl = estimate.entropy(labels, method="plugin", base=math.e)
        assert mm - pl == pytest.approx((len(np.unique(labels)) - 1) / (2 * n), abs=1e-14)
    # I_MM = H_MM(X) + H_MM(Y) - H_MM(X, Y)
    h = lambda s: estimate.entropy(s, method="miller-madow")  # noqa: E731
    ref = h(x) + h(y) - h(np.column_stack([x, y]))
    assert estimate.mutual_information(x, y, method="miller-madow") == pytest.approx(ref, abs=1e-12)


def test_miller_madow_reduces_plugin_bias_on_independent_labels():
    plug, mm = [], []
    for seed in range(200):
        rng = np.random.default_rng(seed)
        x, y = rng.integers(0, 6, 200), rng.integers(0, 6, 200)  # true MI = 0
        plug.append(estimate.mutual_information(x, y, method="plugin"))
        mm.append(estimate.mutual_information(x, y, method="miller-madow"))
    bias_plug, bias_mm = np.mean(plug), np.mean(mm)
    # the first-order plug-in bias (K-1)^2 / (2n) nats
    assert bias_plug == pytest.approx(25 / 400 / LN2, rel=0.15)
    assert abs(bias_mm) < 0.25 * bias_plug


def test_miller_madow_reduces_entropy_bias():
    truth = math.log2(20)
    plug = [estimate.entropy(np.random.default_rng(s).integers(0, 20, 100), method="plugin")
            for s in range(200)]
    mm = [estimate.entropy(np.random.default_rng(s).integers(0, 20, 100), method="miller-madow")
          for s in range(200)]
    assert abs(np.mean(mm) - truth) < 0.5 * abs(np.mean(plug) - truth)


# --- histogram --------------------------------------------------------------------------


def tutorial_sample():
    """The tutorial's correlated pair: legacy seed 42, n = 1000, rho = 0.7."""
    rs = np.random.RandomState(42)
    x = rs.normal(0, 1, 1000)
    y = 0.7 * x + np.sqrt(1 - 0.7**2) * rs.normal(0, 1, 1000)
    return x, y


def test_histogram_mi_equals_core_mi_of_histogram2d_table():
    x, y = tutorial_sample()
    ex, ey = np.linspace(x.min(), x.max(), 10), np.linspace(y.min(), y.max(), 10)
    table, _, _ = np.histogram2d(x, y, bins=[ex, ey])
    ref = float(ic.mutual_information(table / table.sum()))
    got = estimate.mutual_information(x, y, method="histogram", bins=[ex, ey])
    assert got == pytest.approx(ref, abs=1e-12)
    assert f"{got:.3f}" == "0.436"  # the tutorial's printed value (9 bins per axis)
    # counts and rules go through np.histogram_bin_edges, like np.histogram2d
    for bins in (7, (5, 12), "fd", [np.linspace(-4, 4, 9), "sturges"]):
        bx, by = bins if isinstance(bins, (tuple, list)) else (bins, bins)
        edges = [np.histogram_bin_edges(x, bx), np.histogram_bin_edges(y, by)]
        table, _, _ = np.histogram2d(x, y, bins=edges)
        ref = float(ic.mutual_information(table / table.sum()))
        got = estimate.mutual_information(x, y, method="histogram", bins=bins)
        assert got == pytest.approx(ref, abs=1e-12), bins


def test_histogram_mi_grows_with_bins_on_independent_data():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=500), rng.normal(size=500)
    vals = [estimate.mutual_information(x, y, method="histogram", bins=b) for b in (2, 10, 50)]
    assert vals[0] < vals[1] < vals[2]  # invented information: all are bias


def test_histogram_entropy_matches_hand_computation_and_converges():
    rng = np.random.default_rng(1)
    z = rng.normal(size=400)
    counts, edges = np.histogram(z, bins=12)
    p = counts / counts.sum()
    nz = p > 0
    ref = -np.sum(p[nz] * np.log2(p[nz] / np.diff(edges)[nz]))
    assert estimate.entropy(z, method="histogram", bins=12) == pytest.approx(ref, abs=1e-12)
    big = np.random.default_rng(2).normal(scale=3.0, size=200_000)
    assert estimate.entropy(big, method="histogram") == pytest.approx(
        float(gaussian.entropy(9.0)), abs=0.01
    )


# --- neighbour counts and KSG ---------------------------------------------------------------


def brute_ksg(x, y, k):
    """O(n^2) reference implementation of KSG algorithm 1 (nats)."""
    x, y = x.reshape(len(x), -1), y.reshape(len(y), -1)
    dx = np.abs(x[:, None, :] - x[None, :, :]).max(-1)
    dy = np.abs(y[:, None, :] - y[None, :, :]).max(-1)
    dz = np.maximum(dx, dy)
    np.fill_diagonal(dz, np.inf)
    eps = np.sort(dz, axis=1)[:, k - 1]
    np.fill_diagonal(dx, np.inf)
    np.fill_diagonal(dy, np.inf)
    nx = (dx < eps[:, None]).sum(1)
    ny = (dy < eps[:, None]).sum(1)
    n = len(x)
    return digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1))


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(np.float64, st.tuples(st.integers(2, 40), st.integers(1, 3)),
               elements=st.integers(-4, 4).map(float)),
    st.integers(0, 3),
)
def test_strict_counts_match_brute_force_with_ties(values, which):
    # integer-valued data: many ties and points exactly at distance eps
    n = values.shape[0]
    eps = np.abs(values[:, None, :] - values[None, :, :]).max(-1)[np.arange(n), (np.arange(n) + 1 + which) % n]
    d = np.abs(values[:, None, :] - values[None, :, :]).max(-1)
    np.fill_diagonal(d, np.inf)
    ref = (d < eps[:, None]).sum(1)
    np.testing.assert_array_equal(count_strictly_within(values, eps), ref)


def test_strict_counts_with_rounding_at_the_boundary():
    rng = np.random.default_rng(5)
    v = rng.normal(size=(3000, 1)) * 1e3 + 0.1
    # eps equal to a computed distance |v_j - v_i|, where v_i + eps may round
    j = rng.integers(0, 3000, 3000)
    eps = np.abs(v[j, 0] - v[:, 0])
    d = np.abs(v - v.T)
    np.fill_diagonal(d, np.inf)
    np.testing.assert_array_equal(count_strictly_within(v, eps), (d < eps[:, None]).sum(1))


@pytest.mark.parametrize("k", [1, 3, 5])
def test_ksg_matches_brute_force(k):
    rng = np.random.default_rng(k)
    x = rng.normal(size=(300, 2))
    y = x[:, :1] + 0.5 * rng.normal(size=(300, 1))
    got = estimate.mutual_information(x, y, method="ksg", k=k, base=math.e)
    assert got == pytest.approx(brute_ksg(x, y, k), abs=1e-12)
    xr, yr = np.round(x[:, 0], 1), np.round(y[:, 0], 1)  # ties and equal distances
    got = estimate.mutual_information(xr, yr, method="ksg", k=k, base=math.e)
    assert got == pytest.approx(brute_ksg(xr, yr, k), abs=1e-12)


def test_ksg_agrees_with_sklearn():
    x, y = gaussian.sample_correlated(0.6, 2000, seed=7)
    ref = mutual_info_regression(x[:, None], y, n_neighbors=3, discrete_features=False,
                                 random_state=0)[0] / LN2
    # sklearn rescales each variable to unit std (without centring) and adds
    # noise of relative size 1e-10; with the same scaling the two agree closely.
    scaled = estimate.mutual_information(x / x.std(), y / y.std(), method="ksg", k=3)
    assert scaled == pytest.approx(ref, abs=1e-6)
    raw = estimate.mutual_information(x, y, method="ksg", k=3)
    assert abs(raw - ref) < 0.01


def test_ksg_unbiased_at_n1000_for_rho07():
    x, y = gaussian.sample_correlated(0.7, (200, 1000), seed=2024)
    est = [estimate.mutual_information(x[i], y[i], method="ksg", k=3) for i in range(200)]
    assert abs(np.mean(est) - TRUE_MI_07) < 0.02


def test_ksg_multidimensional_against_gaussian_truth():
    rng = np.random.default_rng(11)
    cov = np.array([[1.0, 0.3, 0.5, 0.0],
                    [0.3, 1.0, 0.2, 0.4],
                    [0.5, 0.2, 1.0, 0.1],
                    [0.0, 0.4, 0.1, 1.0]])
    truth = float(gaussian.mutual_information_from_covariance(cov, 2))
    est = []
    for _ in range(20):
        z = rng.multivariate_normal(np.zeros(4), cov, size=2000)
        est.append(estimate.mutual_information(z[:, :2], z[:, 2:], method="ksg"))
    assert abs(np.mean(est) - truth) < 0.03


def test_ksg_not_clipped_on_independent_data():
    est = [estimate.mutual_information(*np.random.default_rng(s).normal(size=(2, 300)),
                                       method="ksg") for s in range(40)]
    assert min(est) < 0 < max(est)
    assert abs(np.mean(est)) < 0.02


def test_ksg_jitter_is_seeded_and_off_by_default():
    x = np.repeat(np.arange(50.0), 4)
    y = x + np.tile([0.0, 1.0, 2.0, 3.0], 50)
    a = estimate.mutual_information(x, y, method="ksg")
    assert a == estimate.mutual_information(x, y, method="ksg")
    j1 = estimate.mutual_information(x, y, method="ksg", jitter=1e-6, seed=1)
    assert j1 == estimate.mutual_information(x, y, method="ksg", jitter=1e-6, seed=1)
    assert j1 != a


def test_torch_input_is_accepted():
    x, y = gaussian.sample_correlated(0.5, 500, seed=0)
    ref = estimate.mutual_information(x, y, method="ksg")
    assert estimate.mutual_information(torch.from_numpy(x), torch.from_numpy(y),
                                       method="ksg") == ref
    lab = torch.tensor([0, 1, 1, 0, 2])
    assert estimate.entropy(lab, method="plugin") == estimate.entropy([0, 1, 1, 0, 2],
                                                                       method="plugin")


# --- differential entropy and KL from samples ------------------------------------------------


@pytest.mark.parametrize("d", [1, 3])
def test_kl_entropy_against_gaussian_truth(d):
    rng = np.random.default_rng(d)
    cov = np.diag(np.linspace(0.5, 2.0, d))
    truth = float(gaussian.entropy(cov if d > 1 else cov[0, 0]))
    est = [estimate.entropy(rng.multivariate_normal(np.zeros(d), cov, 3000), method="kl")
           for _ in range(20)]
    assert abs(np.mean(est) - truth) < 0.03 * d


def test_kl_entropy_uniform_and_scaling():
    u = np.random.default_rng(0).uniform(0, 0.25, 20_000)   # h = log2(0.25) = -2 bits
    h = estimate.entropy(u, method="kl")
    assert h == pytest.approx(-2.0, abs=0.03)
    # h(aX) = h(X) + log2|a|, exactly, for the estimator too
    assert estimate.entropy(8 * u, method="kl") == pytest.approx(h + 3, abs=1e-9)


def test_kl_divergence_converges_to_closed_form():
    truth = float(gaussian.kl_divergence(0.0, 1.0, 1.0, 4.0))
    errors = []
    for n in (500, 50_000):
        est = [estimate.kl_divergence(*_pair(n, s), k=1) for s in range(6)]
        errors.append(abs(np.mean(est) - truth))
    assert errors[1] < 0.02
    assert estimate.kl_divergence(*_pair(20_000, 1), k=5, base=math.e) == pytest.approx(
        truth * LN2, abs=0.03
    )


def _pair(n, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 1.0, n), rng.normal(1.0, 2.0, n)


def test_kl_divergence_multivariate_and_self():
    rng = np.random.default_rng(3)
    c0, c1 = np.eye(2), np.array([[2.0, 0.5], [0.5, 1.0]])
    x = rng.multivariate_normal([0, 0], c0, 20_000)
    y = rng.multivariate_normal([0.5, 0], c1, 30_000)
    truth = float(gaussian.kl_divergence([0, 0], c0, [0.5, 0], c1))
    assert estimate.kl_divergence(x, y, k=3) == pytest.approx(truth, abs=0.05)
    same = estimate.kl_divergence(x, rng.multivariate_normal([0, 0], c0, 20_000), k=3)
    assert abs(same) < 0.03


# --- permutation test ---------------------------------------------------------------------


def test_permutation_pvalue_has_plus_one_correction_and_is_reproducible():
    x, y = gaussian.sample_correlated(0.8, 300, seed=0)
    res = estimate.permutation_test(x, y, method="ksg", n_permutations=49, seed=3)
    assert res.null_distribution.shape == (49,)
    assert res.pvalue == pytest.approx(1 / 50)  # never 0
    again = estimate.permutation_test(x, y, method="ksg", n_permutations=49, seed=3)
    np.testing.assert_array_equal(res.null_distribution, again.null_distribution)
    # the null values are MI estimates of re-paired samples, with the same rng draws
    rng = np.random.default_rng(3)
    first = estimate.mutual_information(x, y[rng.permutation(300)], method="ksg")
    assert res.null_distribution[0] == pytest.approx(first, abs=1e-12)


@pytest.mark.parametrize("method, kw", [("plugin", {}), ("miller-madow", {}),
                                        ("histogram", {"bins": 8})])
def test_permutation_null_matches_direct_estimates(method, kw):
    rng = np.random.default_rng(0)
    if method == "histogram":
        x, y = rng.normal(size=150), rng.normal(size=150)
    else:
        x, y = rng.integers(0, 4, 150), rng.integers(0, 3, 150)
    res = estimate.permutation_test(x, y, method=method, n_permutations=30, seed=9, **kw)
    rng = np.random.default_rng(9)
    direct = [estimate.mutual_information(x, y[rng.permutation(150)], method=method, **kw)
              for _ in range(30)]
    np.testing.assert_allclose(res.null_distribution, direct, atol=1e-12)
    manual = (1 + np.sum(np.asarray(direct) >= res.statistic - 1e-12)) / 31
    assert res.pvalue == pytest.approx(manual)


def test_permutation_pvalues_roughly_uniform_under_independence():
    ps = []
    for s in range(40):
        rng = np.random.default_rng(100 + s)
        res = estimate.permutation_test(rng.normal(size=100), rng.normal(size=100),
                                        method="histogram", bins=6, n_permutations=99, seed=s)
        ps.append(res.pvalue)
    assert 0.3 < np.mean(ps) < 0.7
    assert np.mean(np.asarray(ps) <= 0.05) < 0.2


# --- properties of the measures (core) on random tables ---------------------------------------


def _simplex(n):
    return hnp.arrays(np.float64, n, elements=st.floats(0.01, 1.0)).map(lambda w: w / w.sum())


@settings(max_examples=80, deadline=None)
@given(st.data(), st.integers(2, 5), st.integers(2, 5), st.integers(2, 5))
def test_data_processing_inequality(data, nx, ny, nz):
    p_x = data.draw(_simplex(nx))
    a = np.stack([data.draw(_simplex(ny)) for _ in range(nx)])  # p(y | x)
    b = np.stack([data.draw(_simplex(nz)) for _ in range(ny)])  # p(z | y)
    p_xy = p_x[:, None] * a
    p_xz = p_xy @ b                                            # X -> Y -> Z
    p_xy, p_xz = p_xy / p_xy.sum(), p_xz / p_xz.sum()
    assert ic.mutual_information(p_xz) <= ic.mutual_information(p_xy) + 1e-12


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_chain_rule_on_random_tables(nx, ny, data):
    w = data.draw(hnp.arrays(np.float64, (nx, ny), elements=st.floats(0.0, 1.0)))
    if w.sum() == 0:
        w[0, 0] = 1.0
    p = w / w.sum()
    p_x, p_y = ic.marginals(p)
    h_xy = ic.joint_entropy(p)
    assert h_xy == pytest.approx(ic.entropy(p_x) + ic.conditional_entropy(p, given=0), abs=1e-9)
    assert h_xy == pytest.approx(ic.entropy(p_y) + ic.conditional_entropy(p, given=1), abs=1e-9)
    assert ic.mutual_information(p) == pytest.approx(
        ic.entropy(p_x) + ic.entropy(p_y) - h_xy, abs=1e-9
    )


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(np.int64, st.integers(2, 60), elements=st.integers(0, 5)),
    hnp.arrays(np.int64, 6, elements=st.integers(0, 2)),
    st.integers(0, 2**16),
)
def test_plugin_estimate_obeys_data_processing(x, f, seed):
    # Z = f(Y) is a Markov chain X -> Y -> Z for the empirical distribution too.
    y = np.random.default_rng(seed).integers(0, 6, x.size)
    y = np.where(np.random.default_rng(seed + 1).random(x.size) < 0.5, x, y)
    z = f[y]
    i_xy = estimate.mutual_information(x, y, method="plugin")
    assert estimate.mutual_information(x, z, method="plugin") <= i_xy + 1e-12
    assert i_xy <= estimate.entropy(x, method="plugin") + 1e-12


# --- bad inputs ----------------------------------------------------------------------------

_X = np.arange(10.0)
_Y = np.arange(10.0)[::-1].copy()


@pytest.mark.parametrize(
    "call, exc, words",
    [
        # mutual_information
        (lambda: estimate.mutual_information(_X, _Y), TypeError, "method"),
        (lambda: estimate.mutual_information(_X, _Y, method="kde"), ValueError,
         "method must be one of 'plugin', 'miller-madow', 'histogram', 'ksg'"),
        (lambda: estimate.mutual_information(_X, _Y[:5], method="ksg"), ValueError, "x and y"),
        (lambda: estimate.mutual_information([1, 2], [1, 2, 3], method="plugin"), ValueError,
         "x and y"),
        (lambda: estimate.mutual_information(np.r_[_X[:9], np.nan], _Y, method="ksg"),
         ValueError, "x contains NaN"),
        (lambda: estimate.mutual_information(_X, np.r_[_Y[:9], np.inf], method="histogram"),
         ValueError, "y contains NaN"),
        (lambda: estimate.mutual_information([1.0, np.nan], [0, 1], method="plugin"),
         ValueError, "x contains NaN"),
        (lambda: estimate.mutual_information(_X[:3], _Y[:3], method="ksg", k=3), ValueError,
         "too few for k=3"),
        (lambda: estimate.mutual_information(_X, _Y, method="ksg", k=0), ValueError, "k must"),
        (lambda: estimate.mutual_information(_X, _Y, method="ksg", k=2.5), TypeError, "k must"),
        (lambda: estimate.mutual_information(_X, _Y, method="ksg", bins=5), TypeError, "bins"),
        (lambda: estimate.mutual_information(_X, _Y, method="plugin", k=3), TypeError, "k"),
        (lambda: estimate.mutual_information(_X, _Y, method="ksg", jitter=-1.0), ValueError,
         "jitter"),
        (lambda: estimate.mutual_information(_X, _Y, method="ksg", seed=1), TypeError, "seed"),
        (lambda: estimate.mutual_information(_X, _Y, method="ksg", jitter=1e-3, seed="s"),
         TypeError, "seed"),
        (lambda: estimate.mutual_information(_X, _Y, method="histogram", bins=0), ValueError,
         "bins"),
        (lambda: estimate.mutual_information(_X, _Y, method="histogram", bins="many"),
         ValueError, "bins"),
        (lambda: estimate.mutual_information(_X, _Y, method="histogram",
                                             bins=np.array([0.0, 5.0, 3.0])), ValueError, "bins"),
        (lambda: estimate.mutual_information(_X, _Y, method="histogram",
                                             bins=np.array([0.0, 5.0])), ValueError, "bins"),
        (lambda: estimate.mutual_information(_X, _Y, method="histogram", bins=[2.5, 3.5]),
         ValueError, "bins"),
        (lambda: estimate.mutual_information(_X, _Y, method="histogram", bins={"a": 1}),
         TypeError, "bins"),
        (lambda: estimate.mutual_information(np.ones((10, 2)), _Y, method="histogram"),
         ValueError, "x must be one-dimensional"),
        (lambda: estimate.mutual_information(["a"] * 10, _Y, method="ksg"), TypeError,
         "x must hold real numbers"),
        (lambda: estimate.mutual_information(np.ones((2, 2, 2)), _Y[:2], method="ksg"),
         ValueError, "x must have shape"),
        (lambda: estimate.mutual_information([], [], method="ksg"), ValueError, "x is empty"),
        (lambda: estimate.mutual_information([], [], method="plugin"), ValueError, "x is empty"),
        (lambda: estimate.mutual_information(3, 4, method="plugin"), TypeError, "x must be"),
        (lambda: estimate.mutual_information(_X, _Y, method="ksg", base=1), ValueError, "base"),
        (lambda: estimate.mutual_information(_X, _Y, method="plugin", base="2"), TypeError,
         "base"),
        # entropy
        (lambda: estimate.entropy(_X, method="ksg"), ValueError, "method must be one of"),
        (lambda: estimate.entropy(_X[:2], method="kl", k=2), ValueError, "samples: 2 samples are too few"),
        (lambda: estimate.entropy(np.r_[_X, _X], method="kl", k=1), ValueError, "duplicates"),
        (lambda: estimate.entropy(np.r_[_X, np.nan], method="kl"), ValueError,
         "samples contains NaN"),
        (lambda: estimate.entropy(np.ones((5, 2)), method="histogram"), ValueError,
         "samples must be one-dimensional"),
        (lambda: estimate.entropy(_X, method="histogram", bins=-2), ValueError, "bins"),
        (lambda: estimate.entropy(_X, method="histogram", bins=np.array([2.0, 5.0])), ValueError,
         "outside the edges"),
        (lambda: estimate.entropy(_X, method="plugin", bins=3), TypeError, "bins"),
        (lambda: estimate.entropy(_X, method="kl", base=0), ValueError, "base"),
        # kl_divergence
        (lambda: estimate.kl_divergence(_X, _Y, method="kde"), ValueError, "method"),
        (lambda: estimate.kl_divergence(_X, np.ones((10, 2))), ValueError, "same dimension"),
        (lambda: estimate.kl_divergence(_X[:1], _Y), ValueError, "x: 1 sample is too few"),
        (lambda: estimate.kl_divergence(_X, _Y[:2], k=3), ValueError, "y: 2 samples are too few"),
        (lambda: estimate.kl_divergence(_X, _Y, k=True), TypeError, "k must"),
        (lambda: estimate.kl_divergence(_X, _Y, k=1), ValueError, "coincide"),
        (lambda: estimate.kl_divergence(np.r_[_X, 0.0], _Y + 0.5), ValueError, "duplicated"),
        (lambda: estimate.kl_divergence(_X, [np.nan] * 3), ValueError, "y contains NaN"),
        (lambda: estimate.kl_divergence(_X, _Y + 0.5, base=-1), ValueError, "base"),
        # permutation_test
        (lambda: estimate.permutation_test(_X, _Y, method="nope"), ValueError, "method"),
        (lambda: estimate.permutation_test(_X, _Y, method="ksg", n_permutations=0), ValueError,
         "n_permutations"),
        (lambda: estimate.permutation_test(_X, _Y, method="ksg", n_permutations=1.5), TypeError,
         "n_permutations"),
        (lambda: estimate.permutation_test(_X, _Y, method="ksg", bins=4), TypeError, "bins"),
        (lambda: estimate.permutation_test(_X, _Y, method="plugin", jitter=0.1), TypeError,
         "jitter"),
        (lambda: estimate.permutation_test(_X, _Y[:4], method="plugin"), ValueError, "x and y"),
        (lambda: estimate.permutation_test(_X, _Y, method="ksg", seed=-3), ValueError, "seed"),
        (lambda: estimate.permutation_test(_X, _Y, method="ksg", k=20), ValueError, "k=20"),
    ],
)
def test_bad_inputs(call, exc, words):
    with pytest.raises(exc, match=words.replace("(", r"\(").replace(")", r"\)")):
        call()


# --- discretize ---------------------------------------------------------------------------


@pytest.mark.parametrize("bins", [1, 2, 6, 13])
def test_discretize_uniform_matches_equal_width_digitize(bins):
    h = np.random.default_rng(bins).normal(size=(60, 3))
    reference = np.digitize(h, np.linspace(h.min(), h.max(), bins + 1)[1:-1])
    codes = estimate.discretize(h, bins)
    assert codes.shape == h.shape and codes.dtype == np.int64
    np.testing.assert_array_equal(codes, reference)
    assert codes.min() == 0 and codes.max() == bins - 1


@pytest.mark.parametrize("bins", [2, 5, 10])
def test_discretize_quantile_fills_bins_equally(bins):
    x = np.random.default_rng(0).standard_normal(1000)
    codes = estimate.discretize(torch.from_numpy(x), bins, strategy="quantile")
    np.testing.assert_array_equal(np.bincount(codes), np.full(bins, 1000 // bins))


def test_discretize_feeds_the_histogram_estimator():
    x, y = gaussian.sample_correlated(0.5, 500, seed=3)
    direct = estimate.mutual_information(x, y, method="histogram", bins=8)
    via_codes = estimate.mutual_information(estimate.discretize(x, 8), estimate.discretize(y, 8),
                                            method="plugin")
    assert via_codes == pytest.approx(direct, abs=1e-12)


@pytest.mark.parametrize(
    "args, kwargs, exc, words",
    [
        (([0.1, 0.2], 0), {}, ValueError, "bins"),
        (([0.1, 0.2], 2.5), {}, TypeError, "bins"),
        (([0.1, 0.2], 2), {"strategy": "kmeans"}, ValueError, "strategy"),
        (([0.1, np.nan], 2), {}, ValueError, "values contains NaN"),
        (([], 2), {}, ValueError, "values is empty"),
        ((["a", "b"], 2), {}, TypeError, "values must hold real numbers"),
    ],
)
def test_discretize_rejects_bad_arguments(args, kwargs, exc, words):
    with pytest.raises(exc, match=words):
        estimate.discretize(*args, **kwargs)


# --- the rank (copula) transform -----------------------------------------------------------


@pytest.mark.parametrize("method, kw", [("ksg", {"k": 3}), ("histogram", {"bins": 8})])
def test_rank_transform_is_invariant_to_increasing_maps(method, kw):
    x, y = gaussian.sample_correlated(0.8, 700, seed=5)
    ref = estimate.mutual_information(x, y, method=method, transform="rank", **kw)
    for f, g in [(np.sinh, np.exp), (lambda t: t**3, lambda t: 1000 * t - 3),
                 (np.arctan, lambda t: np.exp(3 * t))]:
        got = estimate.mutual_information(f(x), g(y), method=method, transform="rank", **kw)
        assert got == ref
    # while the estimate without the transform moves (the test is not vacuous)
    raw = estimate.mutual_information(x, y, method=method, **kw)
    assert abs(estimate.mutual_information(np.sinh(3 * x), y, method=method, **kw) - raw) > 0.05


def test_rank_transform_maps_each_coordinate_of_a_vector():
    rng = np.random.default_rng(6)
    z = rng.multivariate_normal(np.zeros(4), np.eye(4) + 0.5, size=600)
    ref = estimate.mutual_information(z[:, :2], z[:, 2:], method="ksg", transform="rank")
    warped = np.column_stack([np.exp(z[:, 0]), z[:, 1] ** 3, np.sinh(2 * z[:, 2]), z[:, 3]])
    got = estimate.mutual_information(warped[:, :2], warped[:, 2:], method="ksg",
                                      transform="rank")
    assert got == ref


def test_normal_scores_are_standard_normal_quantiles_and_keep_ties():
    from infocourse.estimate.copula import normal_scores

    a = np.array([[3.0, 1.0], [1.0, 1.0], [2.0, 5.0], [10.0, 1.0]])
    u = normal_scores(a)
    ranks = np.array([[3, 2], [1, 2], [2, 4], [4, 2]]) / 5
    np.testing.assert_allclose(u, stats.norm.ppf(ranks), rtol=0, atol=1e-12)


@pytest.mark.parametrize("rho", [0.3, 0.7, 0.9])
def test_rank_ksg_agrees_with_gaussian_closed_form(rho):
    truth = float(gaussian.mutual_information_from_correlation(rho))
    x, y = gaussian.sample_correlated(rho, (20, 2000), seed=int(100 * rho))
    est = [estimate.mutual_information(np.exp(x[i]), y[i] ** 3, method="ksg",
                                       transform="rank") for i in range(20)]
    assert abs(np.mean(est) - truth) < 0.03


def test_rank_transform_in_permutation_test_matches_direct_estimates():
    x, y = gaussian.sample_correlated(0.4, 200, seed=9)
    res = estimate.permutation_test(np.exp(x), y, method="ksg", transform="rank",
                                    n_permutations=5, seed=2)
    assert res.statistic == estimate.mutual_information(x, y, method="ksg", transform="rank")
    perm = np.random.default_rng(2).permutation(200)
    first = estimate.mutual_information(x, y[perm], method="ksg", transform="rank")
    assert res.null_distribution[0] == pytest.approx(first, abs=1e-12)


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: estimate.mutual_information(_X, _Y, method="ksg", transform="ranks"),
         ValueError, "transform must be one of 'rank'"),
        (lambda: estimate.mutual_information(_X, _Y, method="ksg", transform=True),
         ValueError, "transform must be one of"),
        (lambda: estimate.mutual_information(_X, _Y, method="plugin", transform="rank"),
         TypeError, "transform does not apply to method='plugin'"),
        (lambda: estimate.permutation_test(_X, _Y, method="ksg", transform="copula"),
         ValueError, "transform must be one of"),
        (lambda: estimate.permutation_test(_X, _Y, method="plugin", transform="rank"),
         TypeError, "transform does not apply"),
    ],
)
def test_rank_transform_bad_arguments(call, exc, words):
    with pytest.raises(exc, match=words):
        call()
