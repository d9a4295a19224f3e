"""Tests of infocourse.rate_distortion against closed forms."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from infocourse import binary_entropy
from infocourse.rate_distortion import (
    blahut_arimoto,
    gaussian_distortion_rate,
    gaussian_rate_distortion,
)

HAMMING2 = 1 - np.eye(2)


@pytest.mark.parametrize("p1", [0.2, 0.3, 0.5])
@pytest.mark.parametrize("target", [0.02, 0.05, 0.09])
def test_binary_hamming_matches_closed_form(p1, target):
    point = blahut_arimoto([1 - p1, p1], HAMMING2, target_distortion=target)
    assert point.distortion == pytest.approx(target, rel=1e-8)
    expected = binary_entropy(p1) - binary_entropy(target)
    assert point.rate == pytest.approx(expected, abs=1e-8)
    assert point.gap <= 1e-10 / math.log(2) + 1e-15
    np.testing.assert_allclose(point.channel.sum(axis=1), 1.0)


def test_uniform_source_hamming_closed_form():
    # m-ary uniform source, Hamming distortion: R(D) = log m - h(D) - D log(m - 1)
    m, target = 4, 0.2
    point = blahut_arimoto(np.ones(m) / m, 1 - np.eye(m), target_distortion=target)
    expected = math.log2(m) - binary_entropy(target) - target * math.log2(m - 1)
    assert point.rate == pytest.approx(expected, abs=1e-8)


def test_slope_gives_the_point_where_the_binary_curve_has_that_slope():
    # R(D) = h(p) - h(D) has slope log((D)/(1 - D)) nats, so s = log((1 - D)/D)
    for target in (0.05, 0.2):
        point = blahut_arimoto([0.6, 0.4], HAMMING2, slope=math.log((1 - target) / target))
        assert point.distortion == pytest.approx(target, abs=1e-9)


def test_discretised_gaussian_is_close_to_gaussian_rd():
    x = np.linspace(-4, 4, 33)
    p = np.exp(-(x**2) / 2)
    p /= p.sum()
    d = (x[:, None] - x[None, :]) ** 2
    point = blahut_arimoto(p, d, slope=2.0, max_iter=300)
    # the grid's variance is within 1e-3 of 1; the curve at D = 1/4 is 1 bit
    assert point.distortion == pytest.approx(0.25, abs=2e-3)
    assert point.rate == pytest.approx(gaussian_rate_distortion(point.distortion), abs=5e-3)
    assert point.gap < 0.01


def test_curve_is_decreasing_and_convex():
    p = [0.5, 0.3, 0.2]
    d = 1 - np.eye(3)
    targets = np.linspace(0.05, 0.25, 5)
    rates = np.array(
        [blahut_arimoto(p, d, target_distortion=t, tol=1e-9).rate for t in targets]
    )
    assert np.all(np.diff(rates) < 0)
    assert np.all(np.diff(rates, 2) > -1e-9)


def test_rate_zero_at_and_above_dmax():
    point = blahut_arimoto([0.7, 0.3], HAMMING2, target_distortion=0.3)
    assert point.rate == 0.0 and point.distortion == pytest.approx(0.3)


@given(st.floats(0.01, 100.0), st.floats(0.0, 8.0))
def test_gaussian_inverse_pair(variance, rate):
    d = gaussian_distortion_rate(rate, variance)
    assert gaussian_rate_distortion(d, variance) == pytest.approx(rate, abs=1e-9)


def test_gaussian_closed_forms_and_units():
    assert gaussian_rate_distortion(0.25) == pytest.approx(1.0)
    assert gaussian_rate_distortion(2.0) == 0.0
    assert gaussian_rate_distortion(0.25, base=math.e) == pytest.approx(math.log(2))
    np.testing.assert_allclose(gaussian_distortion_rate([0, 1, 2]), [1, 0.25, 0.0625])


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: gaussian_rate_distortion(0.0), ValueError),
        (lambda: gaussian_rate_distortion(float("nan")), ValueError),
        (lambda: gaussian_rate_distortion(0.5, variance=-1.0), ValueError),
        (lambda: gaussian_rate_distortion(True), TypeError),
        (lambda: gaussian_distortion_rate(-1.0), ValueError),
        (lambda: gaussian_distortion_rate(1.0, base=1), ValueError),
        (lambda: blahut_arimoto([0.5, 0.6], HAMMING2, slope=1.0), ValueError),
        (lambda: blahut_arimoto([0.5, 0.5], np.ones((3, 2)), slope=1.0), ValueError),
        (lambda: blahut_arimoto([0.5, 0.5], -HAMMING2, slope=1.0), ValueError),
        (lambda: blahut_arimoto([0.5, 0.5], HAMMING2), TypeError),
        (lambda: blahut_arimoto([0.5, 0.5], HAMMING2, slope=1.0, target_distortion=0.1),
         TypeError),
        (lambda: blahut_arimoto([0.5, 0.5], HAMMING2, slope=-1.0), ValueError),
        (lambda: blahut_arimoto([0.5, 0.5], HAMMING2, target_distortion=0.0), ValueError),
    ],
)
def test_invalid_arguments(call, error):
    with pytest.raises(error):
        call()
