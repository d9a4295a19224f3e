"""Fano's inequality: infocourse.fano against closed forms and brute force."""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

import infocourse as ic
from infocourse.fano import fano_bound, fano_error_lower_bound


@pytest.mark.parametrize("k", [2, 3, 10, 1000])
def test_bound_is_entropy_of_error_spread_evenly(k):
    # F_K(P) is the entropy of (1 - P, P/(K-1), ..., P/(K-1)): closed form
    for p_e in [0.0, 0.01, 0.3, (k - 1) / k, 1.0]:
        if k == 2 and p_e == 1.0:
            dist = np.array([0.0, 1.0])
        else:
            dist = np.r_[1 - p_e, np.full(k - 1, p_e / (k - 1))]
        assert fano_bound(p_e, k) == pytest.approx(ic.entropy(dist), abs=1e-12)


def test_bound_base_and_binary_case():
    p = np.linspace(0, 1, 11)
    np.testing.assert_allclose(fano_bound(p, 2), ic.binary_entropy(p), atol=1e-15)
    np.testing.assert_allclose(
        fano_bound(p, 7, base=math.e), fano_bound(p, 7) * math.log(2), rtol=1e-13
    )


@pytest.mark.parametrize("k", [2, 3, 10, 256])
def test_inverse_against_brentq_and_round_trip(k):
    h = np.linspace(0, math.log2(k), 23)[1:-1]
    p_star = fano_error_lower_bound(h, k)
    for hi, pi in zip(h, p_star):
        ref = brentq(
            lambda p, target=hi: fano_bound(p, k) - target,
            0.0,
            (k - 1) / k,
            xtol=1e-15,
        )
        assert pi == pytest.approx(ref, abs=1e-12)
        assert pi <= ref + 1e-15  # rounded down: still a valid lower bound
    np.testing.assert_allclose(fano_bound(p_star, k), h, atol=1e-12)


def test_inverse_end_points_and_brute_force_grid():
    assert fano_error_lower_bound(0.0, 10) == 0.0
    assert fano_error_lower_bound(math.log(10), 10, base=math.e) == 0.9
    # log2(10) in nats may round one ulp below ln 10; F is flat there (documented)
    assert fano_error_lower_bound(math.log2(10), 10) == pytest.approx(0.9, abs=1e-7)
    # brute force: the smallest grid point whose Fano value reaches H
    grid = np.linspace(0, 0.9, 900_001)
    values = fano_bound(grid, 10)
    for h in [0.05, 0.7, 2.0, 3.3]:
        first = grid[np.argmax(values >= h)]
        assert abs(fano_error_lower_bound(h, 10) - first) <= 1e-6


def test_every_guess_on_random_joint_tables_obeys_the_bound():
    rng = np.random.default_rng(17)
    for _ in range(300):
        k = int(rng.integers(2, 8))
        n_x = int(rng.integers(1, 9))
        alpha = rng.choice([0.1, 1.0, 10.0])
        p_xy = rng.dirichlet(np.full(n_x * k, alpha)).reshape(n_x, k)
        h = ic.conditional_entropy(p_xy, given=0)
        bound = fano_error_lower_bound(h, k)
        bayes_error = 1.0 - p_xy.max(axis=1).sum()  # the best guess, MAP
        assert bayes_error >= bound - 1e-12
        random_guess = rng.integers(0, k, size=n_x)
        error = 1.0 - p_xy[np.arange(n_x), random_guess].sum()
        assert error >= bound - 1e-12


def test_equality_when_errors_spread_evenly():
    # Y = X with prob 1 - P, else uniform on the other K - 1 values: equality
    k, p_e = 5, 0.2
    p_xy = np.full((k, k), p_e / (k - 1) / k)
    np.fill_diagonal(p_xy, (1 - p_e) / k)
    h = ic.conditional_entropy(p_xy, given=0)
    assert fano_error_lower_bound(h, k) == pytest.approx(p_e, abs=1e-12)


def test_scalar_and_shape():
    assert isinstance(fano_error_lower_bound(1.0, 4), float)
    assert isinstance(fano_bound(0.1, 4), float)
    assert fano_error_lower_bound(np.ones((2, 3)), 4).shape == (2, 3)


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: fano_error_lower_bound(4.0, 10), ValueError, "at most log"),
        (lambda: fano_error_lower_bound(-0.1, 10), ValueError, ">= 0"),
        (lambda: fano_error_lower_bound(float("nan"), 10), ValueError, "NaN"),
        (lambda: fano_error_lower_bound([], 10), ValueError, "empty"),
        (lambda: fano_error_lower_bound(True, 10), TypeError, "boolean"),
        (lambda: fano_error_lower_bound(np.array([True]), 3), TypeError, "boolean"),
        (lambda: fano_error_lower_bound(0.5, 1), ValueError, "n_classes"),
        (lambda: fano_error_lower_bound(0.5, 2.0), TypeError, "n_classes"),
        (lambda: fano_error_lower_bound(0.5, 3, base=1), ValueError, "base"),
        (lambda: fano_error_lower_bound("a", 3), TypeError, "string"),
        (lambda: fano_bound(1.5, 3), ValueError, r"\[0, 1\]"),
        (lambda: fano_bound(-0.5, 3), ValueError, r"\[0, 1\]"),
    ],
)
def test_bad_input_fails_loudly(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_nats_input():
    h_bits = 0.5
    assert fano_error_lower_bound(h_bits * math.log(2), 2, base=math.e) == (
        pytest.approx(fano_error_lower_bound(h_bits, 2), abs=1e-14)
    )
