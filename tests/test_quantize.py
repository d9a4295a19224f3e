"""Uniform quantization: torch's observer and fake-quantization as references,
error bounds, the entropy of the codes, and whole-model quantization."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats
from torch.ao.quantization.observer import MinMaxObserver

from infocourse import coding
from infocourse.nn import (
    MLP,
    code_entropy,
    model_code_entropy,
    model_huffman_length,
    quantize_model,
    quantize_uniform,
)

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, allow_subnormal=False)


# --- against torch's built-in quantization ------------------------------------------------


@pytest.mark.filterwarnings("ignore:torch.quantize_per_tensor:UserWarning")
@pytest.mark.parametrize("bits", [1, 2, 3, 4, 6, 8])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_torch_observer_and_fake_quantize(bits, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(500, generator=g) * 0.3 + (0.5 if seed == 2 else 0.0)
    obs = MinMaxObserver(quant_min=0, quant_max=2**bits - 1, dtype=torch.quint8)
    obs(x)
    scale, zero_point = obs.calculate_qparams()
    q = quantize_uniform(x, bits)
    assert q.scale == float(scale)
    assert q.zero_point == int(zero_point)
    expected = torch.fake_quantize_per_tensor_affine(x, q.scale, q.zero_point, 0, 2**bits - 1)
    torch.testing.assert_close(q.values, expected, rtol=0, atol=0)
    if bits == 8:
        # ...and torch's real 8-bit quantized tensor stores the same integer codes.
        qt = torch.quantize_per_tensor(x, q.scale, q.zero_point, torch.quint8)
        torch.testing.assert_close(qt.int_repr().long(), q.codes, rtol=0, atol=0)


def test_numpy_in_numpy_out_agrees_with_torch():
    x = np.random.default_rng(0).normal(size=(20, 7)).astype(np.float32)
    qn = quantize_uniform(x, 4)
    qt = quantize_uniform(torch.from_numpy(x), 4)
    assert isinstance(qn.values, np.ndarray) and qn.values.dtype == np.float32
    assert qn.values.shape == (20, 7) and qn.codes.dtype == np.int64
    np.testing.assert_array_equal(qn.codes, qt.codes.numpy())
    np.testing.assert_allclose(qn.values, qt.values.numpy(), rtol=0, atol=1e-6)


def test_hand_computed_example():
    q = quantize_uniform([-1.0, -0.2, 0.0, 0.45, 2.0], bits=2)
    # range [-1, 2], 4 levels: s = 1, zero point 1, levels -1, 0, 1, 2.
    assert (q.scale, q.zero_point, q.levels) == (1.0, 1, 4)
    np.testing.assert_array_equal(q.codes, [0, 1, 1, 1, 3])
    np.testing.assert_array_equal(q.values, [-1.0, 0.0, 0.0, 0.0, 2.0])


def test_tensor_properties_kept():
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    q = quantize_uniform(x, 5)
    assert q.values.dtype == torch.float64 and q.values.shape == (3, 4)
    assert not q.values.requires_grad and q.codes.dtype == torch.int64


# --- properties --------------------------------------------------------------------------


def _half_step_bound(x, q):
    """s/2, plus the float32 rounding of the scale (a few float32 eps of the range)."""
    x = np.asarray(x, dtype=np.float64)
    span = max(x.max(), 0.0) - min(x.min(), 0.0)
    return q.scale / 2 + 4 * np.finfo(np.float32).eps * span


@given(arrays(np.float64, st.integers(1, 60), elements=finite), st.integers(1, 16))
def test_error_bound_and_code_range(x, bits):
    q = quantize_uniform(x, bits)
    assert q.codes.min() >= 0 and q.codes.max() <= 2**bits - 1
    # max_error is the largest actual error, so it bounds every input's error ...
    assert q.max_error == np.abs(q.values - x).max()
    # ... and it is half a step, up to the float32 rounding of the scale.
    assert q.max_error <= _half_step_bound(x, q)
    # Zero is a level, and the values are exactly the levels of the codes.
    np.testing.assert_allclose(q.values, (q.codes - q.zero_point) * q.scale, rtol=1e-12)
    assert len(np.unique(q.codes)) <= 2**bits


def test_max_error_is_the_actual_error_beyond_half_a_step():
    # Found by hypothesis: the float32 scale 148/1023 rounds down, the zero point
    # -(-511.5) rounds to 512, and 74 is clipped to level 511 s = 73.9277: its
    # error is larger than s/2, which max_error used to report.
    x = np.array([-74.0, 74.0])
    q = quantize_uniform(x, 10)
    assert (q.zero_point, q.codes.tolist()) == (512, [0, 1023])
    error = np.abs(q.values - x)
    assert error[1] > q.scale / 2
    assert q.max_error == error.max() == error[1]
    assert math.isclose(q.max_error, 0.07233823835849762, rel_tol=1e-12)
    # A float32 tensor: the error of the float32 values it returns.
    qt = quantize_uniform(torch.tensor(x, dtype=torch.float32), 10)
    assert qt.max_error == float((qt.values.double() - torch.tensor(x)).abs().max())
    assert qt.max_error > qt.scale / 2


@given(arrays(np.float64, st.integers(1, 60), elements=finite), st.integers(1, 12))
def test_quantization_preserves_order(x, bits):
    q = quantize_uniform(x, bits)
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(q.codes[order]) >= 0)
    assert np.all(np.diff(q.values[order]) >= 0)


@given(arrays(np.float64, st.integers(2, 60), elements=finite))
def test_more_bits_never_increase_the_step_or_its_bound(x):
    # The actual worst error need not fall with every bit (the levels of b and b + 1 bits
    # are not nested), but the step does, and the error stays within half a step.
    results = [quantize_uniform(x, b) for b in range(1, 12)]
    assert all(q.max_error <= _half_step_bound(x, q) for q in results)
    steps = [q.scale for q in results]
    assert all(a >= b for a, b in zip(steps, steps[1:]))


# --- code entropy ---------------------------------------------------------------------------


@given(arrays(np.int64, st.integers(1, 200), elements=st.integers(0, 15)))
def test_code_entropy_against_scipy(codes):
    _, counts = np.unique(codes, return_counts=True)
    expected = stats.entropy(counts, base=2)
    assert math.isclose(code_entropy(codes), expected, abs_tol=1e-12)
    assert code_entropy(codes) <= math.log2(len(counts)) + 1e-12 <= 4 + 1e-12
    assert math.isclose(code_entropy(torch.as_tensor(codes), base=math.e),
                        stats.entropy(counts), abs_tol=1e-12)


def test_code_entropy_of_gaussian_weights_is_below_the_bits():
    x = torch.randn(10_000, generator=torch.Generator().manual_seed(0))
    for bits in (2, 4, 8):
        q = quantize_uniform(x, bits)
        assert code_entropy(q.codes) < bits   # bell shape: the middle levels dominate


# --- models ---------------------------------------------------------------------------------


def test_quantize_model_replaces_weights_only():
    torch.manual_seed(0)
    net = MLP(6, 3, hidden=(10,))
    before = {k: p.detach().clone() for k, p in net.named_parameters()}
    qnet, q = quantize_model(net, 3)
    assert sorted(q) == ["layers.0.weight", "layers.1.weight"]
    for name, p in net.named_parameters():   # the original is untouched
        torch.testing.assert_close(p, before[name], rtol=0, atol=0)
    qparams = dict(qnet.named_parameters())
    for name, res in q.items():
        torch.testing.assert_close(qparams[name], quantize_uniform(before[name], 3).values)
        assert len(torch.unique(qparams[name])) <= 8
    torch.testing.assert_close(qparams["layers.0.bias"], before["layers.0.bias"], rtol=0, atol=0)
    _, q_all = quantize_model(net, 3, include_bias=True)
    assert len(q_all) == 4


def test_model_code_entropy_is_the_size_weighted_mean():
    torch.manual_seed(0)
    _, q = quantize_model(MLP(20, 5, hidden=(30,)), 4)
    sizes = {k: r.codes.numel() for k, r in q.items()}
    expected = sum(sizes[k] * code_entropy(r.codes) for k, r in q.items()) / sum(sizes.values())
    assert math.isclose(model_code_entropy(q), expected)
    assert model_code_entropy(q) <= 4


@pytest.mark.parametrize("bits", [1, 2, 3, 5, 8])
def test_model_huffman_length_is_the_encoded_size(bits):
    torch.manual_seed(bits)
    _, q = quantize_model(MLP(12, 5, hidden=(20,)), bits)
    total_bits, n = 0, 0
    for res in q.values():
        codes = res.codes.flatten().tolist()
        symbols, p = coding.empirical_distribution(codes)
        total_bits += len(coding.encode(codes, coding.huffman_code(p, symbols)))
        n += len(codes)
    assert math.isclose(model_huffman_length(q), total_bits / n)
    h = model_code_entropy(q)
    assert h - 1e-9 <= model_huffman_length(q) < h + 1


def test_high_bits_keep_the_function():
    torch.manual_seed(0)
    net = MLP(8, 4, hidden=(16,)).eval()
    x = torch.randn(32, 8)
    qnet, _ = quantize_model(net, 16)
    torch.testing.assert_close(qnet(x), net(x), rtol=1e-3, atol=1e-3)


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: quantize_uniform([1.0, 2.0], 0), ValueError, "bits"),
        (lambda: quantize_uniform([1.0, 2.0], 2.0), TypeError, "bits"),
        (lambda: quantize_uniform([1.0, np.nan], 4), ValueError, "NaN|finite"),
        (lambda: quantize_uniform([], 4), ValueError, "empty"),
        (lambda: code_entropy([0.5, 1.0]), TypeError, "integers"),
        (lambda: code_entropy([]), ValueError, "empty"),
        (lambda: quantize_model("net", 4), TypeError, "nn.Module"),
        (lambda: quantize_model(torch.nn.ReLU(), 4), ValueError, "no parameters"),
        (lambda: model_code_entropy({}), TypeError, "quantize_model"),
        (lambda: model_huffman_length({"w": 1}), TypeError, "quantize_model"),
    ],
)
def test_bad_input_is_explained(call, error, match):
    with pytest.raises(error, match=match):
        call()
