"""Reference values for the discrete measures: scipy, closed forms, numpy and torch."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy import special, stats

import infocourse as ic

RNG = np.random.default_rng(0)
P_BATCH = RNG.dirichlet(np.ones(7), size=5)  # 5 distributions over 7 outcomes
Q_BATCH = RNG.dirichlet(np.ones(7), size=5)
JOINT = RNG.dirichlet(np.ones(12)).reshape(3, 4)
BASES = [2, math.e, 10, 3.5]
DTYPES = [np.float64, np.float32]
TOL = {np.float64: 1e-12, np.float32: 1e-5}


def as_kind(x, kind, dtype):
    x = np.asarray(x, dtype=dtype)
    return torch.from_numpy(x.copy()) if kind == "torch" else x


def to_numpy(x):
    return x.detach().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)


@pytest.fixture(params=["numpy", "torch"])
def kind(request):
    return request.param


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("base", BASES)
def test_entropy_matches_scipy_batched(kind, dtype, base):
    p = as_kind(P_BATCH, kind, dtype)
    got = ic.entropy(p, base=base)
    expected = stats.entropy(P_BATCH, base=base, axis=-1)
    np.testing.assert_allclose(to_numpy(got), expected, rtol=TOL[dtype], atol=TOL[dtype])


@pytest.mark.parametrize("axis", [0, 1, -1, -2])
def test_entropy_axis_matches_scipy(kind, axis):
    p = P_BATCH.T if axis in (0, -2) else P_BATCH
    got = ic.entropy(as_kind(p, kind, np.float64), axis=axis)
    np.testing.assert_allclose(to_numpy(got), stats.entropy(p, base=2, axis=axis), rtol=1e-12)


@pytest.mark.parametrize(
    "p, expected",
    [
        ([0.25] * 4, 2.0),  # log2 4
        ([1.0, 0.0, 0.0], 0.0),  # point mass
        ([0.5, 0.5], 1.0),  # a fair coin
        ([0.5, 0.25, 0.125, 0.125], 1.75),  # dyadic: sum p log 1/p
        ([0.1, 0.5, 0.1, 0.3], 1.6854752972273344),  # D2L's example, by hand
    ],
)
def test_entropy_closed_forms(kind, p, expected):
    got = ic.entropy(as_kind(p, kind, np.float64))
    assert float(got) == pytest.approx(expected, abs=1e-15)


def test_entropy_of_point_mass_is_positive_zero(kind):
    h = float(ic.entropy(as_kind([1.0, 0.0, 0.0, 0.0], kind, np.float64)))
    assert h == 0.0 and math.copysign(1.0, h) == 1.0  # no "-0.000"


def test_self_information_values(kind):
    p = as_kind([1 / 64, 0.5, 1.0, 0.0], kind, np.float64)
    np.testing.assert_array_equal(to_numpy(ic.self_information(p)), [6.0, 1.0, 0.0, np.inf])
    nats = ic.self_information(as_kind([0.5], kind, np.float64), base=math.e)
    np.testing.assert_allclose(to_numpy(nats), [math.log(2)], rtol=1e-15)


def test_self_information_scalar_is_exact():
    assert ic.self_information(1 / 64) == 6.0
    assert str(ic.self_information(1 / 64)) == "6.0"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("base", BASES)
def test_kl_matches_scipy(kind, dtype, base):
    got = ic.kl_divergence(as_kind(P_BATCH, kind, dtype), as_kind(Q_BATCH, kind, dtype), base=base)
    expected = stats.entropy(P_BATCH, Q_BATCH, base=base, axis=-1)
    np.testing.assert_allclose(to_numpy(got), expected, rtol=TOL[dtype] * 10, atol=TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_matches_scipy_special(kind, dtype):
    got = ic.cross_entropy(as_kind(P_BATCH, kind, dtype), as_kind(Q_BATCH, kind, dtype), base=math.e)
    expected = -special.xlogy(P_BATCH, Q_BATCH).sum(-1)
    np.testing.assert_allclose(to_numpy(got), expected, rtol=TOL[dtype])


def test_js_matches_scipy(kind):
    from scipy.spatial.distance import jensenshannon

    got = ic.js_divergence(as_kind(P_BATCH, kind, np.float64), as_kind(Q_BATCH, kind, np.float64))
    expected = jensenshannon(P_BATCH, Q_BATCH, base=2, axis=-1) ** 2
    np.testing.assert_allclose(to_numpy(got), expected, rtol=1e-10)


def test_infinite_divergence_where_q_rules_out_an_outcome(kind):
    p, q = as_kind([0.5, 0.5], kind, np.float64), as_kind([1.0, 0.0], kind, np.float64)
    assert float(ic.kl_divergence(p, q)) == math.inf
    assert float(ic.cross_entropy(p, q)) == math.inf
    assert float(ic.kl_divergence(q, p)) == pytest.approx(1.0)  # the other way is finite
    assert float(ic.js_divergence(p, q)) < 1.0


def test_joint_and_conditional_entropy_by_hand(kind):
    p_xy = as_kind([[0.5, 0.0], [0.25, 0.25]], kind, np.float64)
    assert float(ic.joint_entropy(p_xy)) == pytest.approx(1.5)
    # H(Y|X) = P(X=0)·0 + P(X=1)·1 bit;  H(X|Y) = 0.75·H(2/3, 1/3) + 0.25·0.
    assert float(ic.conditional_entropy(p_xy, given=0)) == pytest.approx(0.5)
    assert float(ic.conditional_entropy(p_xy, given=1)) == pytest.approx(
        0.75 * stats.entropy([2 / 3, 1 / 3], base=2)
    )


def test_joint_entropy_of_three_variables():
    p = RNG.dirichlet(np.ones(24)).reshape(2, 3, 4)
    assert ic.joint_entropy(p) == pytest.approx(stats.entropy(p.ravel(), base=2))


def test_mutual_information_by_hand(kind):
    # Y = X for a fair bit: 1 bit; the D2L table's true MI via the definition.
    assert float(ic.mutual_information(as_kind([[0.5, 0], [0, 0.5]], kind, np.float64))) == 1.0
    p = np.array([[0.1, 0.5], [0.1, 0.3]])
    px, py = p.sum(1), p.sum(0)
    expected = sum(
        p[i, j] * math.log2(p[i, j] / (px[i] * py[j])) for i in range(2) for j in range(2)
    )
    assert float(ic.mutual_information(as_kind(p, kind, np.float64))) == pytest.approx(expected, abs=1e-15)


def test_mutual_information_tiny_probabilities_do_not_underflow():
    # Found by hypothesis: p(x)p(y) = 1e-576 underflows to 0, which gave inf.
    tiny = 1.9e-288
    p_xy = np.array([[1.0, tiny], [tiny, tiny]])
    assert ic.mutual_information(p_xy) == pytest.approx(0.0, abs=1e-280)
    assert np.isfinite(ic.pointwise_mutual_information(p_xy)).all()


def test_pointwise_mutual_information_averages_to_mi():
    pmi = ic.pointwise_mutual_information(JOINT)
    assert np.sum(JOINT * pmi) == pytest.approx(ic.mutual_information(JOINT), abs=1e-14)


def test_d2l_printed_values():
    assert repr(ic.entropy(torch.tensor([0.1, 0.5, 0.1, 0.3]))) == "tensor(1.6855)"
    assert repr(ic.joint_entropy(torch.tensor([[0.1, 0.5], [0.1, 0.3]]))) == "tensor(1.6855)"


def test_tutorial_printed_values():
    values = [ic.entropy(p) for p in ([0.25] * 4, [0.8, 0.1, 0.05, 0.05], [1.0, 0, 0, 0])]
    assert [f"{h:.3f}" for h in values] == ["2.000", "1.022", "0.000"]


class TestKinds:
    """numpy in gives numpy out; torch in gives torch out with dtype and device kept."""

    def test_numpy_in_numpy_out(self):
        h = ic.entropy(np.array([0.5, 0.5]))
        assert isinstance(h, np.floating)
        assert isinstance(ic.entropy(P_BATCH), np.ndarray)

    def test_sequences_accepted(self):
        assert ic.entropy([0.5, 0.5]) == 1.0
        assert ic.kl_divergence((0.5, 0.5), [0.5, 0.5]) == 0.0

    @pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
    def test_torch_dtype_kept(self, dtype):
        p = torch.tensor([0.2, 0.8], dtype=dtype)
        for value in (ic.entropy(p), ic.kl_divergence(p, p.flip(0)), ic.cross_entropy(p, p),
                      ic.js_divergence(p, p), ic.self_information(p)):
            assert isinstance(value, torch.Tensor) and value.dtype == dtype

    def test_list_with_tensor_becomes_tensor(self):
        out = ic.kl_divergence(torch.tensor([0.5, 0.5], dtype=torch.float64), [0.25, 0.75])
        assert isinstance(out, torch.Tensor) and out.dtype == torch.float64

    def test_integer_tensors_are_promoted(self):
        assert float(ic.entropy(torch.tensor([0, 1]))) == 0.0

    @pytest.mark.skipif(not torch.cuda.is_available(), reason="no GPU on this machine")
    def test_cuda_tensor_stays_on_device(self):
        p = torch.tensor([0.5, 0.5], device="cuda")
        assert ic.entropy(p).device.type == "cuda"


class TestGradients:
    """Autograd through the measures: finite at zeros, and equal to finite differences."""

    def test_finite_gradients_with_zero_probabilities(self):
        p = torch.tensor([0.5, 0.5, 0.0], dtype=torch.float64, requires_grad=True)
        q = torch.tensor([0.2, 0.3, 0.5], dtype=torch.float64, requires_grad=True)
        for f in (lambda: ic.entropy(p), lambda: ic.kl_divergence(p, q),
                  lambda: ic.cross_entropy(p, q), lambda: ic.js_divergence(p, q),
                  lambda: ic.js_divergence(q, p)):
            p.grad = q.grad = None
            f().backward()
            for g in (p.grad, q.grad):
                assert g is None or torch.isfinite(g).all(), g
        joint = torch.tensor([[0.5, 0.0], [0.0, 0.5]], dtype=torch.float64, requires_grad=True)
        for f in (ic.joint_entropy, ic.conditional_entropy, ic.mutual_information):
            joint.grad = None
            f(joint).backward()
            assert torch.isfinite(joint.grad).all()

    def test_cross_entropy_gradient_at_zero_is_exact(self):
        # d/dp_i of -sum p log2 q = -log2 q_i, also where p_i = 0.
        p = torch.tensor([0.5, 0.5, 0.0], dtype=torch.float64, requires_grad=True)
        q = torch.tensor([0.25, 0.25, 0.5], dtype=torch.float64)
        ic.cross_entropy(p, q).backward()
        torch.testing.assert_close(p.grad, -torch.log2(q))

    @pytest.mark.parametrize("name", ["entropy", "kl", "cross", "js", "mi", "cond", "self"])
    def test_gradients_equal_finite_differences(self, name):
        rng = torch.Generator().manual_seed(1)
        x = torch.rand(6, generator=rng, dtype=torch.float64) + 0.1
        q = torch.softmax(torch.rand(6, generator=rng, dtype=torch.float64), 0)

        # Parametrise by unconstrained weights so the input stays a distribution.
        fns = {
            "entropy": lambda w: ic.entropy(w / w.sum()),
            "kl": lambda w: ic.kl_divergence(w / w.sum(), q) + ic.kl_divergence(q, w / w.sum()),
            "cross": lambda w: ic.cross_entropy(q, w / w.sum()),
            "js": lambda w: ic.js_divergence(w / w.sum(), q),
            "mi": lambda w: ic.mutual_information((w / w.sum()).reshape(2, 3)),
            "cond": lambda w: ic.conditional_entropy((w / w.sum()).reshape(2, 3), given=1),
            "self": lambda w: ic.self_information(w / w.sum()).sum(),
        }
        assert torch.autograd.gradcheck(fns[name], (x.requires_grad_(),))


def test_binary_entropy_matches_two_outcome_entropy(kind):
    p = np.linspace(0, 1, 11)
    got = ic.binary_entropy(as_kind(p, kind, np.float64))
    expected = [stats.entropy([x, 1 - x], base=2) for x in p]
    np.testing.assert_allclose(to_numpy(got), expected, atol=1e-15)
