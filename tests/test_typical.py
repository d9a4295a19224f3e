"""infocourse.typical against brute force: every one of the 2**n sequences enumerated."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from infocourse.typical import smallest_likely_set, typical_set


def _sequences(n, p):
    """Probability of each of the 2**n sequences, in float64."""
    return np.array([math.prod(p if b else 1 - p for b in s)
                     for s in itertools.product((0, 1), repeat=n)])


@pytest.mark.parametrize("n", [1, 2, 5, 9, 12])
@pytest.mark.parametrize("p", [0.0, 0.1, 0.3, 0.5, 0.8, 1.0])
@pytest.mark.parametrize("eps", [0.05, 0.2, 0.6])
def test_typical_set_matches_enumeration(n, p, eps):
    probs = _sequences(n, p)
    h = 0.0 if p in (0, 1) else -(p * math.log2(p) + (1 - p) * math.log2(1 - p))
    with np.errstate(divide="ignore"):
        info = -np.log2(probs) / n
    gap = np.abs(info - h) - eps
    if np.any(np.abs(gap) < 1e-9):
        pytest.skip("a class lies on the band's edge, where rounding decides (documented)")
    inside = gap <= 0
    got = typical_set(n, p, eps)
    assert got.size == inside.sum()
    assert got.probability == pytest.approx(probs[inside].sum(), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("n", [1, 3, 6, 10])
@pytest.mark.parametrize("p", [0.0, 0.1, 0.25, 0.5, 0.9])
@pytest.mark.parametrize("delta", [0.0, 0.01, 0.2, 0.5, 0.9])
def test_smallest_likely_set_matches_enumeration(n, p, delta):
    # Exact probabilities of the float p's binary value, most probable first;
    # the answer is the shortest prefix that reaches 1 - delta.
    one = Fraction(p)
    probs = sorted((math.prod(one if b else 1 - one for b in s)
                    for s in itertools.product((0, 1), repeat=n)), reverse=True)
    covered, target = Fraction(0), 1 - Fraction(delta)
    for expected, q in enumerate(probs, start=1):
        covered += q
        if covered >= target:
            break
    assert smallest_likely_set(n, p, delta) == expected


def test_large_n_does_not_overflow():
    a = typical_set(5000, 0.1, 0.05)
    assert 0.99 < a.probability <= 1.0
    assert abs(math.log2(a.size) / 5000 - 0.469) < 0.05


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: typical_set(0, 0.1, 0.1), ValueError, "n must be an integer in"),
        (lambda: typical_set(10.0, 0.1, 0.1), TypeError, "n must be an int"),
        (lambda: typical_set(True, 0.1, 0.1), TypeError, "n must be an int"),
        (lambda: typical_set(10, 1.5, 0.1), ValueError, "p must be a finite number"),
        (lambda: typical_set(10, float("nan"), 0.1), ValueError, "p must be a finite number"),
        (lambda: typical_set(10, 0.1, 0.0), ValueError, "eps must be a finite number"),
        (lambda: typical_set(10, 0.1, "0.1"), TypeError, "eps must be a real number"),
        (lambda: smallest_likely_set(10, 0.1, 1.0), ValueError, "delta must be a finite number"),
        (lambda: smallest_likely_set(10, -0.1, 0.1), ValueError, "p must be a finite number"),
    ],
)
def test_bad_inputs_name_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
