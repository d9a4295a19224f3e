"""Arithmetic coding: exact round trips, the documented code-length bound, bad inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from infocourse.coding import arithmetic_decode, arithmetic_encode
from tests.strategies import distributions, sequence_models

T = 2**16  # the coder's frequency total


def ideal_bits(symbols, probs):
    """sum_i -log2 p_i(x_i), computed without the coder."""
    probs = np.asarray(probs, dtype=np.float64)
    return float(-np.log2(probs[np.arange(len(symbols)), symbols]).sum())


def bound_bits(symbols, probs):
    """The documented bound: ideal + n (delta_K + delta_R) + 9 bits."""
    n, k = np.shape(probs)
    delta_k = -math.log2(1 - k / T)
    delta_r = -math.log2(1 - T / 2**30)
    return ideal_bits(symbols, probs) + n * (delta_k + delta_r) + 9


# --- properties -------------------------------------------------------------------


@given(sequence_models())
def test_round_trip_on_random_models(model):
    symbols, probs = model
    data = arithmetic_encode(symbols, probs)
    assert isinstance(data, bytes)
    assert arithmetic_decode(data, probs) == symbols.tolist()


@given(sequence_models())
def test_code_length_within_the_documented_bound(model):
    symbols, probs = model
    data = arithmetic_encode(symbols, probs)
    assert 8 * len(data) <= bound_bits(symbols, probs)


@given(st.integers(2, 64), st.integers(200, 400), st.integers(0, 2**32 - 1))
def test_long_messages_cost_their_cross_entropy(k, n, seed):
    # Symbols drawn from the model itself: the code is within 0.5% + 2 bytes of
    # sum -log2 p, the acceptance bound.
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.ones(k), size=n)
    symbols = (probs.cumsum(1) < rng.random((n, 1))).sum(1).clip(0, k - 1)
    data = arithmetic_encode(symbols, probs)
    ideal = ideal_bits(symbols, probs)
    assert 8 * len(data) <= 1.005 * ideal + 16
    assert 8 * len(data) >= ideal - 1e-9 * ideal - 32  # no code beats the model by much
    assert arithmetic_decode(data, probs) == symbols.tolist()


@given(distributions(n=5, zeros=False), st.lists(st.integers(0, 4), max_size=40))
def test_callable_model_matches_the_array_form(p, symbols):
    # A context-dependent model: mix p with a point mass on the previous symbol.
    def model(prefix):
        q = 0.5 * p
        q[prefix[-1] if prefix else 0] += 0.5
        return q

    rows = np.array([model(tuple(symbols[:i])) for i in range(len(symbols))]).reshape(
        len(symbols), 5
    )
    data = arithmetic_encode(symbols, model)
    assert data == arithmetic_encode(symbols, rows)
    assert arithmetic_decode(data, model, n=len(symbols)) == list(symbols)


# --- edge cases -------------------------------------------------------------------


def test_one_symbol():
    probs = [[0.3, 0.7]]
    for s in (0, 1):
        data = arithmetic_encode([s], probs)
        assert arithmetic_decode(data, probs) == [s]
        assert len(data) == 1


def test_empty_message():
    probs = np.zeros((0, 3))
    assert arithmetic_encode([], probs) == b""
    assert arithmetic_decode(b"", probs) == []
    assert arithmetic_decode(b"", lambda prefix: [0.5, 0.5], n=0) == []


def test_single_symbol_alphabet_costs_nothing_per_symbol():
    probs = np.ones((1000, 1))
    data = arithmetic_encode(np.zeros(1000, dtype=int), probs)
    assert len(data) == 1  # only the two terminating bits, padded
    assert arithmetic_decode(data, probs) == [0] * 1000


def test_fair_coin_costs_one_bit_per_flip():
    rng = np.random.default_rng(1)
    flips = rng.integers(0, 2, 8000)
    probs = np.full((8000, 2), 0.5)
    data = arithmetic_encode(flips, probs)
    assert 1000 <= len(data) <= 1002
    assert arithmetic_decode(data, probs) == flips.tolist()


def test_very_skewed_model():
    # p = 1 - 1e-12: the likely symbol costs far less than a bit; the quantised
    # model gives the rare one a single count of 2**16, i.e. 16 bits.
    n = 5000
    probs = np.tile([1 - 1e-12, 1e-12], (n, 1))
    symbols = np.zeros(n, dtype=int)
    symbols[[17, 4000]] = 1
    data = arithmetic_encode(symbols, probs)
    assert arithmetic_decode(data, probs) == symbols.tolist()
    assert 8 * len(data) <= bound_bits(symbols, probs)
    quantised = 2 * 16 + (n - 2) * -math.log2(1 - 1 / T)
    assert 8 * len(data) <= quantised + 9 + n * -math.log2(1 - T / 2**30)


def test_probabilities_near_the_precision_limit():
    # Entries of order 1/T and below: all round to the minimum count of 1.
    k = 50
    probs = np.full((300, k), 1e-7)
    probs[:, 0] = 1 - (k - 1) * 1e-7
    probs[::7, 3] = 1.5 / T
    probs[::7, 0] -= 1.5 / T - 1e-7
    symbols = np.arange(300) % k
    data = arithmetic_encode(symbols, probs)
    assert arithmetic_decode(data, probs) == symbols.tolist()
    assert 8 * len(data) <= bound_bits(symbols, probs)


def test_largest_alphabet():
    k = 2**15
    rng = np.random.default_rng(2)
    probs = rng.dirichlet(np.ones(k), size=20)
    symbols = rng.integers(0, k, 20)
    data = arithmetic_encode(symbols, probs)
    assert arithmetic_decode(data, probs) == symbols.tolist()
    assert 8 * len(data) <= bound_bits(symbols, probs)


def test_float32_rows_and_tensors_are_accepted():
    probs = np.array([[0.1, 0.2, 0.7]] * 4, dtype=np.float32)
    data = arithmetic_encode([2, 1, 0, 2], probs)
    assert arithmetic_decode(data, torch.as_tensor(probs)) == [2, 1, 0, 2]
    assert arithmetic_encode(torch.tensor([2, 1, 0, 2]), torch.as_tensor(probs)) == data


def test_wrong_model_decodes_to_something_else():
    rng = np.random.default_rng(3)
    probs = rng.dirichlet(np.ones(4), size=50)
    symbols = rng.integers(0, 4, 50)
    data = arithmetic_encode(symbols, probs)
    assert arithmetic_decode(data, probs[::-1]) != symbols.tolist()


# --- bad inputs ---------------------------------------------------------------------


def test_zero_probability_symbol_names_its_position():
    probs = np.array([[0.5, 0.5], [1.0, 0.0], [0.5, 0.5]])
    with pytest.raises(ValueError, match=r"symbols\[1\] = 1 has probability 0 in probs\[1\]"):
        arithmetic_encode([0, 1, 0], probs)
    with pytest.raises(ValueError, match=r"symbols\[2\] = 1 has probability 0"):
        arithmetic_encode([0, 0, 1], lambda prefix: [1.0, 0.0] if len(prefix) == 2 else [0.5, 0.5])


def test_symbol_out_of_range():
    with pytest.raises(ValueError, match=r"symbols\[1\] = 3 is out of range for probs with K = 3"):
        arithmetic_encode([0, 3], np.full((2, 3), 1 / 3))
    with pytest.raises(ValueError, match=r"symbols\[0\] = -1 is out of range"):
        arithmetic_encode([-1, 0], np.full((2, 3), 1 / 3))


@pytest.mark.parametrize(
    ("probs", "match"),
    [
        ([[0.5, 0.6]], r"probs must sum to 1 along axis -1, but it sums to 1\.1"),
        ([[0.5, 0.5], [0.2, 0.2]], r"probs must sum to 1 .* at index \(1,\)"),
        ([[np.nan, 1.0]], "probs contains NaN"),
        ([[-0.5, 1.5]], "probs contains negative values"),
        ([0.5, 0.5], r"probs must be a 2-D array of shape \(n, K\)"),
        (np.ones((2, 2**15 + 1)) / (2**15 + 1), "more than the coder's limit of 32768"),
        (np.ones((2, 0)), r"probs has no symbols \(K = 0\)"),
    ],
)
def test_bad_probs(probs, match):
    with pytest.raises(ValueError, match=match):
        arithmetic_encode([0, 0][: len(np.atleast_2d(probs))], probs)


def test_float32_tolerance_is_dtype_scaled():
    almost = np.array([[0.3, 0.7 + 3e-6]], dtype=np.float32)  # within float32's 1e-5
    assert arithmetic_decode(arithmetic_encode([1], almost), almost) == [1]
    with pytest.raises(ValueError, match="probs must sum to 1"):
        arithmetic_encode([1], almost.astype(np.float64))  # beyond float64's 1e-8


def test_shapes_must_agree():
    with pytest.raises(ValueError, match="probs has 3 rows but symbols has 2 entries"):
        arithmetic_encode([0, 1], np.full((3, 2), 0.5))
    with pytest.raises(ValueError, match=r"symbols must be a 1-D sequence"):
        arithmetic_encode([[0, 1]], np.full((2, 2), 0.5))
    with pytest.raises(ValueError, match="n = 2 but probs has 3 rows"):
        arithmetic_decode(b"\x00", np.full((3, 2), 0.5), n=2)


def test_bool_and_non_numeric_inputs_are_refused():
    with pytest.raises(TypeError, match="probs is a boolean array"):
        arithmetic_encode([0], np.array([[True, False]]))
    with pytest.raises(TypeError, match="probs is a boolean array"):
        arithmetic_encode([0], torch.tensor([[True, False]]))
    with pytest.raises(TypeError, match="probs must be an array of numbers, got a string"):
        arithmetic_encode([0], "0.5 0.5")
    with pytest.raises(TypeError, match="symbols must hold integer symbol indices"):
        arithmetic_encode(np.array([True, False]), np.full((2, 2), 0.5))
    with pytest.raises(TypeError, match="symbols must hold integer symbol indices"):
        arithmetic_encode([0.0, 1.0], np.full((2, 2), 0.5))
    with pytest.raises(TypeError, match="symbols must be a sequence of integer symbol"):
        arithmetic_encode("ab", np.full((2, 2), 0.5))
    with pytest.raises(TypeError, match="data must be bytes"):
        arithmetic_decode("0101", np.full((2, 2), 0.5))
    with pytest.raises(TypeError, match="n must be an int"):
        arithmetic_decode(b"", lambda prefix: [0.5, 0.5], n=2.0)


def test_callable_model_needs_n_and_a_fixed_alphabet():
    with pytest.raises(ValueError, match="n is required when probs is a callable"):
        arithmetic_decode(b"\x00", lambda prefix: [0.5, 0.5])
    with pytest.raises(ValueError, match=r"probs\(prefix\) at position 1 has 3 symbols"):
        arithmetic_encode([0, 0], lambda prefix: [0.5, 0.5] if not prefix else [0.2] * 2 + [0.6])
    with pytest.raises(ValueError, match=r"probs\(prefix\) at position 0 must sum to 1"):
        arithmetic_encode([0], lambda prefix: [0.5, 0.4])
    with pytest.raises(ValueError, match=r"probs\(prefix\) at position 0 must return a 1-D"):
        arithmetic_encode([0], lambda prefix: [[0.5, 0.5]])


def test_numpy_input_does_not_import_torch():
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "from infocourse.coding import arithmetic_encode, arithmetic_decode\n"
        "p = np.full((3, 2), 0.5)\n"
        "assert arithmetic_decode(arithmetic_encode([0, 1, 1], p), p) == [0, 1, 1]\n"
        "assert 'torch' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
