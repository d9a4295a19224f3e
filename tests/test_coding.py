"""Huffman and Shannon codes: hand-computed codes, brute-force optimality, bounds."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

import infocourse as ic
from infocourse import coding


@st.composite
def distributions(draw, min_n=1, max_n=12, zeros=True):
    n = draw(st.integers(min_n, max_n))
    weights = draw(arrays(np.float64, n, elements=st.floats(0, 1e3, allow_subnormal=False)))
    if not zeros:
        weights = weights + 1e-3
    if weights.sum() == 0:
        weights[draw(st.integers(0, n - 1))] = 1.0
    return weights / weights.sum()


# --- hand-computed codes ------------------------------------------------------


def test_dyadic_distribution_meets_entropy():
    p = [0.5, 0.25, 0.125, 0.125]
    lengths = coding.huffman_code_lengths(p)
    np.testing.assert_array_equal(lengths, [1, 2, 3, 3])
    assert coding.expected_code_length(p, lengths) == 1.75 == ic.entropy(p)


def test_cover_thomas_example_5_6_1():
    # Cover & Thomas (2006), Example 5.6.1: lengths (2, 2, 2, 3, 3), L = 2.3 bits.
    p = [0.25, 0.25, 0.2, 0.15, 0.15]
    lengths = coding.huffman_code_lengths(p)
    np.testing.assert_array_equal(lengths, [2, 2, 2, 3, 3])
    assert math.isclose(coding.expected_code_length(p, lengths), 2.3)


def test_huffman_tie_case_has_optimal_length():
    # Two optimal trees exist, (1, 2, 3, 4, 4) and (2, 2, 2, 3, 3); both give 2.2 bits.
    p = [0.4, 0.2, 0.2, 0.1, 0.1]
    lengths = coding.huffman_code_lengths(p)
    assert math.isclose(coding.expected_code_length(p, lengths), 2.2)
    assert coding.kraft_sum(lengths) == 1.0


def test_hand_built_code_and_roundtrip():
    code = coding.huffman_code([0.1, 0.6, 0.3], symbols="abc")
    assert code == {"b": "0", "a": "10", "c": "11"}
    bits = coding.encode("bacab", code)
    assert bits == "0" + "10" + "11" + "10" + "0"
    assert "".join(coding.decode(bits, code)) == "bacab"


def test_zero_probability_and_single_symbol():
    np.testing.assert_array_equal(coding.huffman_code_lengths([0.0, 1.0, 0.0]), [np.inf, 0, np.inf])
    assert coding.huffman_code([0.0, 1.0], symbols="xy") == {"y": ""}
    assert coding.expected_code_length([0.0, 1.0], [np.inf, 0]) == 0.0
    assert coding.expected_code_length([0.5, 0.5], [np.inf, 0]) == np.inf


def test_shannon_lengths_by_hand():
    np.testing.assert_array_equal(coding.shannon_code_lengths([0.5, 0.3, 0.2]), [1, 2, 3])
    np.testing.assert_array_equal(coding.shannon_code_lengths([1 / 8] * 8), [3] * 8)


def test_kraft_sum_by_hand():
    assert coding.kraft_sum([1, 2, 3, 3]) == 1.0
    assert coding.kraft_sum([1, 1, 2]) == 1.25
    assert coding.kraft_sum([2, np.inf]) == 0.25


def test_canonical_code_by_hand():
    assert coding.canonical_code([2, 1, 3, 3], symbols="abcd") == {
        "b": "0", "a": "10", "c": "110", "d": "111"
    }
    # Kraft sum < 1 is allowed (a code with spare codewords).
    assert coding.canonical_code([2, 2, 2]) == {0: "00", 1: "01", 2: "10"}


def test_empirical_distribution_matches_counter():
    text = "the quick brown fox jumps over the lazy dog"
    symbols, p = coding.empirical_distribution(text)
    assert symbols == sorted(set(text))
    assert p[symbols.index(" ")] == text.count(" ") / len(text)
    symbols, p = coding.empirical_distribution("ab", alphabet="abz", pseudocount=0.5)
    np.testing.assert_allclose(p, [1.5 / 3.5, 1.5 / 3.5, 0.5 / 3.5])


def test_tensor_input_gives_the_same_lengths():
    p = [0.3, 0.3, 0.2, 0.1, 0.1]
    np.testing.assert_array_equal(
        coding.huffman_code_lengths(torch.tensor(p, dtype=torch.float64)),
        coding.huffman_code_lengths(p),
    )


# --- properties ---------------------------------------------------------------


def _brute_force_optimum(p):
    """Smallest expected length over all integer lengths obeying Kraft (p > 0 only)."""
    p = p[p > 0]
    if len(p) == 1:
        return 0.0
    best = math.inf
    for lengths in itertools.product(range(1, len(p)), repeat=len(p)):
        if sum(2.0 ** -n for n in lengths) <= 1:
            best = min(best, float(np.dot(p, lengths)))
    return best


@given(distributions(max_n=5))
def test_huffman_is_optimal_against_brute_force(p):
    lengths = coding.huffman_code_lengths(p)
    assert math.isclose(coding.expected_code_length(p, lengths), _brute_force_optimum(p), abs_tol=1e-9)


@given(distributions())
def test_huffman_within_one_bit_of_entropy(p):
    h = stats.entropy(p, base=2)
    length = coding.expected_code_length(p, coding.huffman_code_lengths(p))
    # L < H + 1 is strict in exact arithmetic; p = (1e-165, 1 - 1e-165) gives
    # L = 1 and H + 1 = 1 in floating point, hence the rounding allowance.
    assert h - 1e-9 <= length < h + 1 + 1e-12


@given(distributions())
def test_huffman_tree_is_full(p):
    lengths = coding.huffman_code_lengths(p)
    assert math.isclose(coding.kraft_sum(lengths), 1.0)
    assert np.all(np.isinf(lengths) == (p == 0))


@given(distributions(), st.data())
def test_wrong_model_code_costs_cross_entropy(p, data):
    q = data.draw(distributions(min_n=len(p), max_n=len(p), zeros=False))
    h_pq = ic.cross_entropy(p, q)
    # Shannon code for q on data from p: H(p, q) <= L < H(p, q) + 1 (Cover & Thomas 5.4.3).
    l_shannon = coding.expected_code_length(p, coding.shannon_code_lengths(q))
    assert h_pq - 1e-9 <= l_shannon < h_pq + 1 + 1e-9
    # A Huffman code for q is still a prefix code: no better than Huffman for p, >= H(p).
    l_wrong = coding.expected_code_length(p, coding.huffman_code_lengths(q))
    l_right = coding.expected_code_length(p, coding.huffman_code_lengths(p))
    assert l_wrong >= l_right - 1e-9 >= ic.entropy(p) - 2e-9


@given(distributions(zeros=False))
def test_shannon_lengths_satisfy_kraft(q):
    assert coding.kraft_sum(coding.shannon_code_lengths(q)) <= 1 + 1e-12


@given(st.text(alphabet="abcdefgh", min_size=1, max_size=200))
def test_encode_decode_roundtrip(text):
    symbols, p = coding.empirical_distribution(text)
    code = coding.huffman_code(p, symbols)
    bits = coding.encode(text, code)
    if len(symbols) > 1:
        assert "".join(coding.decode(bits, code)) == text
    # The compressed size is exactly N times the expected length under the text's frequencies.
    assert math.isclose(len(bits), len(text) * coding.expected_code_length(p, coding.huffman_code_lengths(p)))


@given(distributions(min_n=2))
def test_canonical_code_is_prefix_free_with_the_lengths(p):
    lengths = coding.huffman_code_lengths(p)
    code = coding.canonical_code(lengths)
    assert sorted(code) == [i for i in range(len(p)) if p[i] > 0]
    for i, word in code.items():
        assert len(word) == lengths[i]
    words = list(code.values())
    for a, b in itertools.permutations(words, 2):
        assert not b.startswith(a)


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: coding.huffman_code_lengths([0.5, 0.6]), ValueError, "sum to 1"),
        (lambda: coding.huffman_code_lengths([[0.5, 0.5]]), ValueError, "1-D"),
        (lambda: coding.huffman_code_lengths([]), ValueError, "empty"),
        (lambda: coding.huffman_code_lengths("ab"), TypeError, "string"),
        (lambda: coding.shannon_code_lengths([-0.5, 1.5]), ValueError, "negative"),
        (lambda: coding.kraft_sum([1, 1.5]), ValueError, "whole numbers"),
        (lambda: coding.kraft_sum([-1]), ValueError, "whole numbers"),
        (lambda: coding.expected_code_length([0.5, 0.5], [1, 1, 1]), ValueError, "same shape"),
        (lambda: coding.canonical_code([1, 1, 1]), ValueError, "Kraft"),
        (lambda: coding.canonical_code([1, 1], symbols="a"), ValueError, "one symbol per length"),
        (lambda: coding.canonical_code([1, 1], symbols="aa"), ValueError, "duplicates"),
        (lambda: coding.encode("abc", {"a": "0", "b": "1"}), ValueError, "'c' has no codeword"),
        (lambda: coding.decode("01", {"a": "0", "b": "01"}), ValueError, "not a prefix code"),
        (lambda: coding.decode("1", {"a": "0", "b": "10"}), ValueError, "middle of a codeword"),
        (lambda: coding.decode("012", {"a": "0", "b": "1"}), ValueError, "only '0' and '1'"),
        (lambda: coding.decode("", {"a": ""}), ValueError, "empty codeword"),
        (lambda: coding.empirical_distribution("abc", alphabet="ab"), ValueError, "lacks 1 symbol"),
        (lambda: coding.empirical_distribution(""), ValueError, "empty"),
        (lambda: coding.empirical_distribution("a", pseudocount=-1), ValueError, "pseudocount"),
    ],
)
def test_bad_input_is_explained(call, error, match):
    with pytest.raises(error, match=match):
        call()
