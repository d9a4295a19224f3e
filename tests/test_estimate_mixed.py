"""mutual_information(c, x, method="mixed"): Ross (2014) against scikit-learn's
mutual_info_classif, against a known truth, invariances, validation."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from infocourse import estimate


def _classes(n, seed, shift=1.0, n_classes=3):
    rng = np.random.default_rng(seed)
    c = rng.integers(0, n_classes, n)
    x = shift * c + rng.standard_normal(n)
    return c, x


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("k", [1, 3, 7])
@pytest.mark.parametrize("shift", [0.5, 2.0])
def test_agrees_with_sklearn_mutual_info_classif(seed, k, shift):
    fs = pytest.importorskip("sklearn.feature_selection")
    c, x = _classes(600, seed, shift)
    # scikit-learn standardises x and adds noise of relative size 1e-10 to break
    # ties (its documented behaviour, seeded by random_state), and clips at 0;
    # standardising changes no neighbour order, and the noise no count here.
    sk = fs.mutual_info_classif(x[:, None], c, discrete_features=False, n_neighbors=k,
                                random_state=0)[0] / math.log(2)
    ours = estimate.mutual_information(c, x, method="mixed", k=k)
    assert sk > 0
    assert ours == pytest.approx(sk, abs=0.01)


def test_agrees_with_sklearn_with_rare_labels():
    fs = pytest.importorskip("sklearn.feature_selection")
    c, x = _classes(300, 0, 1.5)
    c[:3] = [7, 8, 8]  # one singleton label (left out) and one label of two samples
    sk = fs.mutual_info_classif(x[:, None], c, n_neighbors=3, random_state=0)[0]
    ours = estimate.mutual_information(c, x, method="mixed", base=math.e)
    assert ours == pytest.approx(sk, abs=0.01 * math.log(2))


def test_matches_the_true_mi_of_a_gaussian_mixture():
    # C uniform on {0, 1}, X | C ~ N(2C, 1): I = h(X) - h(X | C), h(X) by quadrature.
    def mix(t):
        return 0.5 * (stats.norm.pdf(t) + stats.norm.pdf(t, loc=2.0))

    h_x = integrate.quad(lambda t: -mix(t) * math.log(mix(t)), -12, 14)[0]
    truth = (h_x - 0.5 * math.log(2 * math.pi * math.e)) / math.log(2)
    est = [estimate.mutual_information(*_classes(2000, s, 2.0, 2), method="mixed")
           for s in range(5)]
    assert np.mean(est) == pytest.approx(truth, abs=0.02)


def test_independent_labels_give_about_zero_and_are_not_clipped():
    rng = np.random.default_rng(0)
    est = [estimate.mutual_information(rng.integers(0, 3, 500), rng.standard_normal(500),
                                       method="mixed") for _ in range(10)]
    assert abs(np.mean(est)) < 0.02 and min(est) < 0


def test_labels_of_any_type_multidimensional_x_and_rank_transform():
    c, x = _classes(400, 1)
    names = np.array(["cat", "dog", "eel"])[c]
    a = estimate.mutual_information(c, x, method="mixed")
    assert estimate.mutual_information(names, x, method="mixed") == a
    assert estimate.mutual_information(c + 10, x, method="mixed") == a
    assert estimate.mutual_information(c, np.exp(x), method="mixed", transform="rank") == (
        estimate.mutual_information(c, x, method="mixed", transform="rank"))
    x2 = np.stack([x, np.random.default_rng(2).standard_normal(400)], axis=1)
    assert 0 < estimate.mutual_information(c, x2, method="mixed") < a + 0.1


def test_permutation_test_and_interval_accept_mixed():
    c, x = _classes(200, 0, 2.0)
    res = estimate.permutation_test(c, x, method="mixed", n_permutations=19, seed=0)
    assert res.pvalue == 0.05
    ci = estimate.mutual_information_ci(c, x, method="mixed", n_resamples=10, seed=0)
    assert ci.low < ci.estimate < ci.high


@pytest.mark.parametrize(
    "args, kwargs, err, match",
    [
        ((["a", "b"] * 10, ["x"] * 20), {}, TypeError, "y"),
        (([0, 1] * 10, np.zeros(19)), {}, ValueError, "same number"),
        (([0, 1] * 10, np.zeros(20)), {"bins": 3}, TypeError, "bins"),
        (([0, 1] * 10, np.zeros(20)), {"k": 0}, ValueError, "k"),
        (([0, 1] * 10, np.full(20, np.nan)), {}, ValueError, "NaN"),
        ((list(range(20)), np.arange(20.0)), {}, ValueError, "once"),
    ],
)
def test_bad_input_fails_loudly(args, kwargs, err, match):
    with pytest.raises(err, match=match):
        estimate.mutual_information(*args, method="mixed", **kwargs)
