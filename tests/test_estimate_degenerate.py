"""Degenerate samples give a documented result (-inf or a ValueError naming the argument)."""

import math

import numpy as np
import pytest

from infocourse import estimate


@pytest.mark.parametrize("n", [2, 7, 1000])
@pytest.mark.parametrize("bins", [None, 10, "sturges"])
def test_histogram_entropy_of_constant_samples_is_minus_infinity(n, bins):
    assert estimate.entropy(np.full(n, 3.5), method="histogram", bins=bins) == -math.inf


def test_histogram_entropy_with_explicit_edges_takes_them_as_given():
    # All mass in one bin of width 0.5: h = log2(0.5) = -1 bit.
    got = estimate.entropy(np.full(5, 0.2), method="histogram", bins=np.array([0.0, 0.5, 1.0]))
    assert got == pytest.approx(-1.0, abs=1e-12)


def test_histogram_entropy_of_a_single_sample_raises():
    with pytest.raises(ValueError, match="samples holds 1 sample; method='histogram'"):
        estimate.entropy([2.0], method="histogram")


def test_histogram_entropy_with_ties_is_finite():
    got = estimate.entropy(np.r_[np.zeros(50), np.ones(50)], method="histogram", bins=2)
    assert math.isfinite(got)


@pytest.mark.parametrize("d", [1, 3])
def test_kl_divergence_with_constant_y_raises(d):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((100, d))
    with pytest.raises(ValueError, match="y is constant \\(all 40 samples equal\\)"):
        estimate.kl_divergence(x, np.full((40, d), 0.3))


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda x, y: estimate.mutual_information(x, y, method="ksg"), "x holds values"),
        (lambda x, y: estimate.mutual_information(y, x, method="histogram"), "y holds values"),
        (lambda x, y: estimate.entropy(x, method="kl"), "samples holds values"),
        (lambda x, y: estimate.entropy(x, method="histogram"), "samples holds values"),
        (lambda x, y: estimate.kl_divergence(y, x), "y holds values"),
        (lambda x, y: estimate.conditional_mutual_information(y, y, x, method="ksg"),
         "z holds values"),
    ],
)
@pytest.mark.parametrize("big", [1e308, -1e200, 1e151])
def test_samples_near_the_float_limit_raise(call, words, big):
    rng = np.random.default_rng(1)
    x = np.r_[big, rng.standard_normal(30)]
    y = rng.standard_normal(31)
    with pytest.raises(ValueError, match=words + ".*overflow"):
        call(x, y)


def test_samples_below_the_magnitude_limit_are_accepted():
    rng = np.random.default_rng(2)
    x = 1e140 * rng.standard_normal(200)
    got = estimate.entropy(x, method="kl", base=math.e)
    assert math.isfinite(got)
    assert got == pytest.approx(estimate.entropy(x / 1e140, method="kl", base=math.e)
                                + math.log(1e140), rel=1e-9)
