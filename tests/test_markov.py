"""Channels and Markov chains: closed forms, the data-processing inequality, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import infocourse as ic
from infocourse import markov


def _h2(e):
    """Binary entropy in bits, from scipy (an independent reference)."""
    return float(stats.entropy([e, 1 - e], base=2))


# --- closed forms -------------------------------------------------------------


@pytest.mark.parametrize("eps", [0.0, 0.05, 0.11, 0.3, 0.5, 0.9, 1.0])
def test_bsc_capacity_with_uniform_input(eps):
    p_xy = markov.joint_from_channel([0.5, 0.5], markov.binary_symmetric_channel(eps))
    assert ic.mutual_information(p_xy) == pytest.approx(1 - _h2(eps), abs=1e-12)


@pytest.mark.parametrize("a,b", [(0.1, 0.2), (0.0, 0.3), (0.5, 0.1), (0.9, 0.9)])
def test_composed_bscs_are_a_bsc(a, b):
    w = markov.compose_channels(
        markov.binary_symmetric_channel(a), markov.binary_symmetric_channel(b)
    )
    expected = markov.binary_symmetric_channel(a * (1 - b) + b * (1 - a))
    np.testing.assert_allclose(w, expected, atol=1e-15)


def test_symmetric_channel_entries_and_mi():
    n, e = 4, 0.3
    w = markov.symmetric_channel(n, e)
    assert np.allclose(np.diag(w), 1 - e) and np.allclose(w[~np.eye(n, dtype=bool)], e / (n - 1))
    # Uniform input: I = log2 n - H(row) (Cover & Thomas, theorem 7.2.1).
    p_xy = markov.joint_from_channel(np.full(n, 1 / n), w)
    assert ic.mutual_information(p_xy) == pytest.approx(
        math.log2(n) - stats.entropy(w[0], base=2), abs=1e-12
    )


def test_output_distribution_matches_matrix_product():
    w = markov.random_channel(3, 5, seed=1)
    p = np.array([0.2, 0.5, 0.3])
    np.testing.assert_allclose(markov.output_distribution(p, w), p @ w, atol=1e-15)


def test_random_channel_is_seeded_and_stochastic():
    a = markov.random_channel(4, 3, seed=7)
    b = markov.random_channel(4, 3, seed=7)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a.sum(axis=1), 1.0, atol=1e-12)
    assert (a >= 0).all()


def test_markov_chain_joint_entries_and_pairs():
    p = np.array([0.6, 0.4])
    w1 = markov.random_channel(2, 3, seed=0)
    w2 = markov.random_channel(3, 2, seed=1)
    joint = markov.markov_chain_joint(p, w1, w2)
    for x in range(2):
        for y in range(3):
            for z in range(2):
                assert joint[x, y, z] == pytest.approx(p[x] * w1[x, y] * w2[y, z], abs=1e-15)
    np.testing.assert_allclose(markov.pair_table(joint, 0, 1), markov.joint_from_channel(p, w1))
    np.testing.assert_allclose(
        markov.pair_table(joint, 0, 2), markov.joint_from_channel(p, markov.compose_channels(w1, w2))
    )
    np.testing.assert_allclose(markov.pair_table(joint, 2, 0), markov.pair_table(joint, 0, 2).T)


def test_conditional_mi_against_entropies():
    rng = np.random.default_rng(3)
    p = rng.dirichlet(np.ones(24)).reshape(2, 3, 4)   # not a Markov chain
    h = ic.joint_entropy
    expected = h(p.sum(2)) + h(p.sum(0)) - ic.entropy(p.sum((0, 2))) - h(p)
    assert markov.conditional_mutual_information(p) == pytest.approx(expected, abs=1e-12)
    assert expected > 0.01


def test_conditional_mi_zero_on_a_markov_chain():
    joint = markov.markov_chain_joint(
        [0.3, 0.7], markov.random_channel(2, 3, seed=4), markov.random_channel(3, 3, seed=5)
    )
    assert abs(markov.conditional_mutual_information(joint)) < 1e-12


def test_torch_in_torch_out_with_gradients():
    p = torch.tensor([0.5, 0.5], dtype=torch.float64)
    logits = torch.zeros(2, 2, dtype=torch.float64, requires_grad=True)
    w = torch.softmax(logits + torch.tensor([[2.0, 0.0], [0.0, 2.0]], dtype=torch.float64), dim=1)
    joint = markov.markov_chain_joint(p, w, w)
    assert isinstance(joint, torch.Tensor) and joint.dtype == torch.float64
    mi = ic.mutual_information(markov.pair_table(joint, 0, 2))
    mi.backward()
    assert torch.isfinite(logits.grad).all()
    ref = ic.mutual_information(markov.pair_table(markov.markov_chain_joint(p.numpy(), w.detach().numpy(), w.detach().numpy()), 0, 2))
    assert mi.item() == pytest.approx(ref, abs=1e-12)


# --- the data-processing inequality on random chains ---------------------------


@st.composite
def chains(draw):
    nx, ny, nz = (draw(st.integers(1, 5)) for _ in range(3))
    seed = draw(st.integers(0, 2**32 - 1))
    conc = draw(st.sampled_from([0.1, 0.5, 1.0, 5.0]))
    rng = np.random.default_rng(seed)
    p_x = rng.dirichlet(np.full(nx, conc))
    w1 = markov.random_channel(nx, ny, seed=rng, concentration=conc)
    w2 = markov.random_channel(ny, nz, seed=rng, concentration=conc)
    return p_x, w1, w2


@given(chains())
def test_data_processing_inequality(chain):
    joint = markov.markov_chain_joint(*chain)
    i_xy = ic.mutual_information(markov.pair_table(joint, 0, 1))
    i_yz = ic.mutual_information(markov.pair_table(joint, 1, 2))
    i_xz = ic.mutual_information(markov.pair_table(joint, 0, 2))
    assert i_xz <= min(i_xy, i_yz) + 1e-12
    # The gap is exactly the conditional MI I(X; Y | Z) (chain rule of MI).
    p_xzy = np.transpose(joint, (0, 2, 1))
    assert i_xy - i_xz == pytest.approx(markov.conditional_mutual_information(p_xzy), abs=1e-10)
    assert abs(markov.conditional_mutual_information(joint)) < 1e-10


@given(chains())
def test_chain_rule_of_entropy_on_chain_tables(chain):
    joint = markov.markov_chain_joint(*chain)
    p_xy = markov.pair_table(joint, 0, 1)
    h_x = ic.entropy(p_xy.sum(1))
    assert ic.joint_entropy(p_xy) == pytest.approx(h_x + ic.conditional_entropy(p_xy, given=0), abs=1e-10)


# --- bad input ------------------------------------------------------------------


def test_rows_must_sum_to_one():
    with pytest.raises(ValueError, match=r"channel must sum to 1 along axis -1.*index \(1,\)"):
        markov.joint_from_channel([0.5, 0.5], [[0.9, 0.1], [0.5, 0.4]])


def test_channel_must_be_2d():
    with pytest.raises(ValueError, match="2-D row-stochastic"):
        markov.joint_from_channel([1.0], [1.0])


def test_sizes_must_match():
    with pytest.raises(ValueError, match="2 rows .* p_x has 3 outcomes"):
        markov.joint_from_channel([0.2, 0.3, 0.5], markov.binary_symmetric_channel(0.1))
    with pytest.raises(ValueError, match=r"channels\[1\] has 3 inputs"):
        markov.compose_channels(markov.binary_symmetric_channel(0.1), markov.symmetric_channel(3, 0.1))
    with pytest.raises(ValueError, match=r"channels\[1\] has 3 inputs"):
        markov.markov_chain_joint([0.5, 0.5], markov.binary_symmetric_channel(0.1), markov.symmetric_channel(3, 0.1))


def test_bad_parameters():
    with pytest.raises(ValueError, match=r"flip_prob must be a probability in \[0, 1\], got 1.5"):
        markov.binary_symmetric_channel(1.5)
    with pytest.raises(TypeError, match="flip_prob"):
        markov.binary_symmetric_channel("0.1")
    with pytest.raises(ValueError, match="n must be an integer"):
        markov.symmetric_channel(1, 0.1)
    with pytest.raises(ValueError, match="concentration"):
        markov.random_channel(2, 2, seed=0, concentration=0.0)
    with pytest.raises(TypeError, match="seed"):
        markov.random_channel(2, 2, seed=0.5)  # one seed rule (check_seed): a float is refused
    with pytest.raises(ValueError, match="at least one channel"):
        markov.compose_channels()
    with pytest.raises(ValueError, match="two different axes"):
        markov.pair_table(np.full((2, 2), 0.25), 1, 1)
    with pytest.raises(ValueError, match="p_xyz must be a 3-D joint table"):
        markov.conditional_mutual_information(np.full((2, 2), 0.25))
    with pytest.raises(ValueError, match="p_x must sum to 1"):
        markov.joint_from_channel([0.5, 0.6], markov.binary_symmetric_channel(0.1))
