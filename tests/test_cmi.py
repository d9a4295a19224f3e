"""infocourse.conditional_mutual_information against references built from the definition.

The references use scipy.stats.entropy (for both entropies and KL divergences)
and explicit loops over the conditioning variable, never infocourse.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given as hyp_given
from hypothesis import strategies as st
from scipy.stats import entropy as sp_entropy

import infocourse as ic
from infocourse import markov

CMI = ic.conditional_mutual_information


def _as_xyz(p, given):
    """The table with axes (X, Y, Z), Z the conditioned-on axis."""
    others = [a for a in range(3) if a != given]
    return np.transpose(p, (*others, given))


def brute_force(p, given, base=2):
    """sum_z p(z) D(p(x, y | z) || p(x | z) p(y | z)), one z at a time."""
    q = _as_xyz(np.asarray(p, float), given)
    total = 0.0
    for z in range(q.shape[2]):
        p_z = q[:, :, z].sum()
        if p_z == 0:
            continue
        cond = q[:, :, z] / p_z
        prod = np.outer(cond.sum(1), cond.sum(0))
        total += p_z * sp_entropy(cond.ravel(), prod.ravel(), base=base)
    return total


def by_entropies(p, given, base=2):
    """H(X, Z) + H(Y, Z) - H(Z) - H(X, Y, Z) = H(X | Z) - H(X | Y, Z)."""
    q = _as_xyz(np.asarray(p, float), given)

    def h(t):
        return sp_entropy(np.ravel(t), base=base)

    return h(q.sum(1)) + h(q.sum(0)) - h(q.sum((0, 1))) - h(q)


def xor_table():
    p = np.zeros((2, 2, 2))  # axes (X, Y, Z), Z = X xor Y
    for x in (0, 1):
        for y in (0, 1):
            p[x, y, x ^ y] = 0.25
    return p


@st.composite
def tables(draw):
    shape = tuple(draw(st.integers(1, 4)) for _ in range(3))
    seed = draw(st.integers(0, 2**32 - 1))
    conc = draw(st.sampled_from([0.05, 0.3, 1.0, 5.0]))
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.full(int(np.prod(shape)), conc)).reshape(shape)
    return p


# --- worked examples -----------------------------------------------------------


def test_xor_zero_then_one_bit():
    p = xor_table()
    assert ic.mutual_information(p.sum(2)) == pytest.approx(0.0, abs=1e-15)
    assert CMI(p, given=2) == pytest.approx(1.0, abs=1e-15)
    assert CMI(p, given=2, base=math.e) == pytest.approx(math.log(2), abs=1e-15)
    # every pair of the three is independent, and every pair given the third
    # shares one bit: the table is symmetric in its axes
    for g in range(3):
        assert CMI(p, given=g) == pytest.approx(1.0, abs=1e-15)


def test_markov_chain_given_middle_is_zero_but_not_given_the_end():
    bsc = markov.binary_symmetric_channel(0.1)
    p = markov.markov_chain_joint([0.3, 0.7], bsc, markov.binary_symmetric_channel(0.2))
    assert abs(CMI(p, given=1)) < 1e-15
    assert CMI(p, given=2) > 0.1
    assert CMI(p, given=2) == pytest.approx(brute_force(p, 2), abs=1e-12)


def test_the_misuse_the_explicit_axis_prevents():
    # A fixed random table that is not a chain: conditioning on the middle
    # axis and on the last give different numbers, each matching its reference.
    p = np.random.default_rng(11).dirichlet(np.ones(8)).reshape(2, 2, 2)
    i_xy_given_z = CMI(p, given=2)
    i_xz_given_y = CMI(p, given=1)
    assert abs(i_xy_given_z - i_xz_given_y) > 1e-3
    assert i_xy_given_z == pytest.approx(brute_force(p, 2), abs=1e-12)
    assert i_xz_given_y == pytest.approx(brute_force(p, 1), abs=1e-12)
    assert markov.conditional_mutual_information(p) == pytest.approx(i_xz_given_y, abs=1e-15)


# --- properties on random tables -----------------------------------------------


@hyp_given(tables(), st.integers(0, 2))
def test_matches_the_definition_and_the_entropy_form(p, g):
    value = CMI(p, given=g)
    assert value == pytest.approx(brute_force(p, g), abs=1e-10)
    assert value == pytest.approx(by_entropies(p, g), abs=1e-10)
    assert value >= -1e-12
    assert CMI(p, given=g, base=math.e) == pytest.approx(
        brute_force(p, g, base=math.e), abs=1e-10
    )


@hyp_given(tables(), st.integers(0, 2))
def test_symmetric_in_the_two_unconditioned_axes(p, g):
    x_axis, y_axis = (a for a in range(3) if a != g)
    swapped = np.swapaxes(p, x_axis, y_axis)
    assert CMI(swapped, given=g) == pytest.approx(CMI(p, given=g), abs=1e-12)


@hyp_given(tables())
def test_chain_rule_for_mutual_information(p):
    # I(X; Y, Z) = I(X; Z) + I(X; Y | Z), axes (X, Y, Z)
    i_x_yz = ic.mutual_information(p.reshape(p.shape[0], -1))
    i_xz = ic.mutual_information(p.sum(1))
    assert i_x_yz == pytest.approx(i_xz + CMI(p, given=2), abs=1e-10)
    # and the other order: I(X; Y) + I(X; Z | Y)
    assert i_x_yz == pytest.approx(ic.mutual_information(p.sum(2)) + CMI(p, given=1), abs=1e-10)


@hyp_given(tables())
def test_zero_for_conditionally_independent_tables(p):
    # p(z) p(x | z) p(y | z) built from the table's own conditionals
    p_xz, p_yz = p.sum(1), p.sum(0)
    p_z = p.sum((0, 1))
    safe = np.where(p_z > 0, p_z, 1.0)
    ci = p_xz[:, None, :] * p_yz[None, :, :] / safe
    assert abs(CMI(ci, given=2)) < 1e-12


def test_wrapper_is_the_middle_axis():
    p = np.random.default_rng(2).dirichlet(np.ones(24)).reshape(2, 3, 4)
    assert markov.conditional_mutual_information(p) == CMI(p, given=1)
    assert markov.conditional_mutual_information(p, base=math.e) == CMI(
        p, given=1, base=math.e
    )


def test_torch_in_torch_out_with_gradients():
    logits = torch.zeros(2, 3, 2, dtype=torch.float64, requires_grad=True)
    bias = torch.tensor(np.random.default_rng(0).normal(size=(2, 3, 2)))
    p = torch.softmax((logits + bias).reshape(-1), 0).reshape(2, 3, 2)
    value = CMI(p, given=0)
    assert isinstance(value, torch.Tensor) and value.dtype == torch.float64
    value.backward()
    assert torch.isfinite(logits.grad).all()
    assert value.item() == pytest.approx(brute_force(p.detach().numpy(), 0), abs=1e-12)


# --- bad input fails loudly ----------------------------------------------------


def test_given_is_required_and_named():
    p = xor_table()
    with pytest.raises(TypeError, match="given"):
        CMI(p)
    with pytest.raises(TypeError, match="given must not be None"):
        CMI(p, given=None)
    with pytest.raises(TypeError, match="given must be an int"):
        CMI(p, given=True)
    with pytest.raises(TypeError, match="given must be an int"):
        CMI(p, given=2.0)
    with pytest.raises(TypeError, match="given must be an int"):
        CMI(p, given="z")
    for bad in (3, -1):
        with pytest.raises(ValueError, match="given must be 0, 1 or 2"):
            CMI(p, given=bad)
    with pytest.raises(TypeError):
        CMI(p, 2)  # keyword only


def test_table_is_checked():
    with pytest.raises(ValueError, match="p must be a 3-D joint table"):
        CMI(np.full((2, 2), 0.25), given=1)
    with pytest.raises(ValueError, match="p must be a 3-D joint table"):
        CMI(np.full((2, 2, 2, 1), 0.125), given=1)
    with pytest.raises(ValueError, match="normalize"):
        CMI(np.full((2, 2, 2), 0.25), given=1)
    with pytest.raises(ValueError, match="negative"):
        CMI(np.array([[[0.5, -0.25], [0.25, 0.5]]]), given=0)
    with pytest.raises(ValueError, match="NaN"):
        CMI(np.full((2, 2, 2), np.nan), given=0)
    with pytest.raises(ValueError, match="empty|no outcomes"):
        CMI(np.zeros((0, 2, 2)), given=0)
    mask = np.zeros((2, 2, 2), dtype=bool)
    mask[0, 0, 0] = True  # sums to 1, but it is a mask
    for bad in (mask, mask.tolist(), torch.as_tensor(mask)):
        with pytest.raises(TypeError, match="boolean"):
            CMI(bad, given=0)
    with pytest.raises(TypeError, match="real numbers"):
        CMI(np.full((2, 2, 2), "a"), given=0)
    with pytest.raises(ValueError, match="base"):
        CMI(xor_table(), given=2, base=1)
