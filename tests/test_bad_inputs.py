"""The fuzz classes of issue 16, over the public functions of the measures.

Each bad input must raise the documented exception type (ValueError or
TypeError, never AttributeError, IndexError, OverflowError or RuntimeError)
with a message that names the argument that is wrong.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

import infocourse as ic
from infocourse import gaussian, markov, mixtures

GOOD = np.array([0.25, 0.75])
JOINT = np.array([[0.25, 0.25], [0.25, 0.25]])
JOINT3 = np.full((2, 2, 2), 0.125)


def cases(bad, bad_table, bad_joint3=None):
    """(id, thunk, argument name) for each public function given one bad argument."""
    bad_joint3 = bad_table[None].repeat(2, 0) / 2 if bad_joint3 is None else bad_joint3
    out = [
        ("self_information", lambda: ic.self_information(bad), "p"),
        ("binary_entropy", lambda: ic.binary_entropy(bad), "p"),
        ("entropy", lambda: ic.entropy(bad), "p"),
        ("normalize", lambda: ic.normalize(bad), "weights"),
        ("fano_bound", lambda: ic.fano_bound(bad, 3), "error"),
        ("output_distribution[p_x]",
         lambda: markov.output_distribution(bad, [[1.0, 0.0], [0.0, 1.0]]), "p_x"),
        ("gaussian.entropy", lambda: gaussian.entropy(bad), "cov_or_var"),
        ("mixture_moments[weights]",
         lambda: mixtures.mixture_moments(bad, [0.0, 1.0], [1.0, 1.0]), "weights"),
    ]
    for name in ("cross_entropy", "kl_divergence", "js_divergence", "total_variation"):
        f = getattr(ic, name)
        out.append((f"{name}[p]", lambda f=f: f(bad, GOOD), "p"))
        out.append((f"{name}[q]", lambda f=f: f(GOOD, bad), "q"))
    for name in ("joint_entropy", "conditional_entropy", "mutual_information",
                 "pointwise_mutual_information", "marginals"):
        f = getattr(ic, name)
        out.append((name, lambda f=f: f(bad_table), "p_xy"))
    out.append(("conditional_mutual_information",
                lambda: ic.conditional_mutual_information(bad_joint3, given=2), "p"))
    return out


def check(thunk, exc, arg, *fragments):
    with pytest.raises(exc) as info:
        thunk()
    assert type(info.value) is exc, f"{type(info.value).__name__}: {info.value}"
    message = str(info.value)
    assert re.search(rf"\b{re.escape(arg)}\b", message), f"does not name {arg!r}: {message}"
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in: {message}"


def _ids(cs):
    return [c[0] for c in cs]


BOOL = cases(np.array([True, False]), np.array([[True, False], [False, False]]),
             np.ones((2, 2, 2), dtype=bool))
MASKED = cases(np.ma.masked_array([0.25, 0.75], mask=[False, True]),
               np.ma.masked_array(JOINT, mask=[[0, 1], [0, 0]]),
               np.ma.masked_array(JOINT3, mask=np.eye(2, dtype=bool)[None].repeat(2, 0)))
OBJECT = cases(np.array([0.25, "x"], dtype=object), np.array([[0.5, None], [0.25, 0.25]]),
               np.full((2, 2, 2), None, dtype=object))
COMPLEX = cases(np.array([0.25 + 0j, 0.75]), JOINT.astype(complex), JOINT3.astype(complex))
NAN = cases(np.array([0.5, np.nan]), np.array([[0.5, np.nan], [0.25, 0.25]]))


@pytest.mark.parametrize("name, thunk, arg", BOOL, ids=_ids(BOOL))
def test_bool_arrays_refused(name, thunk, arg):
    check(thunk, TypeError, arg, "boolean")


@pytest.mark.parametrize("name, thunk, arg", MASKED, ids=_ids(MASKED))
def test_masked_arrays_refused(name, thunk, arg):
    check(thunk, TypeError, arg, "masked")


@pytest.mark.parametrize("name, thunk, arg", OBJECT, ids=_ids(OBJECT))
def test_object_arrays_refused(name, thunk, arg):
    check(thunk, TypeError, arg, "real numbers")


@pytest.mark.parametrize("name, thunk, arg", COMPLEX, ids=_ids(COMPLEX))
def test_complex_arrays_refused(name, thunk, arg):
    check(thunk, TypeError, arg, "real numbers")


@pytest.mark.parametrize("name, thunk, arg", NAN, ids=_ids(NAN))
def test_nan_refused(name, thunk, arg):
    check(thunk, ValueError, arg, "NaN")


def test_bool_tensors_refused():
    check(lambda: ic.entropy(torch.tensor([True, False])), TypeError, "p", "boolean")


# --- normalisation tolerance ---------------------------------------------------


@pytest.mark.parametrize("dtype, n", [(np.float16, 70_000), (np.float32, 10**6),
                                      (np.float64, 10**7)])
@pytest.mark.parametrize("total", [1.05, 1.01])
def test_tolerance_never_accepts_a_sum_of_1_01(dtype, n, total):
    p = np.full(n, total / n).astype(dtype)
    assert abs(p.astype(np.float64).sum() - total) < 2e-3  # the sum really is ~total
    check(lambda: ic.entropy(p), ValueError, "p", "must sum to 1")


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_tolerance_accepts_rounding_of_the_dtype(dtype):
    w = np.random.default_rng(0).random(70_000)
    p = (w / w.sum()).astype(dtype)  # each entry rounded to the dtype
    assert np.isfinite(ic.entropy(p))


def test_tolerance_is_capped():
    assert ic._validation.tolerance(np.finfo(np.float16).eps, 10**9) <= 0.005


# --- shapes, empties, bases, seeds, parameters ------------------------------------


@pytest.mark.parametrize("name", ["cross_entropy", "kl_divergence", "js_divergence",
                                  "total_variation"])
def test_shape_mismatch(name):
    check(lambda: getattr(ic, name)(GOOD, [0.2, 0.3, 0.5]), ValueError, "q", "same shape")


@pytest.mark.parametrize("f, arg", [(ic.entropy, "p"), (ic.normalize, "weights"),
                                    (ic.self_information, "p")])
def test_empty(f, arg):
    check(lambda: f([]), ValueError, arg, "empty")


@pytest.mark.parametrize("base, exc", [(1, ValueError), (0, ValueError), (-2, ValueError),
                                       (math.inf, ValueError), (True, TypeError),
                                       ("2", TypeError), (None, TypeError)])
def test_bad_base(base, exc):
    for f in (lambda: ic.entropy(GOOD, base=base), lambda: ic.kl_divergence(GOOD, GOOD, base=base),
              lambda: ic.mutual_information(JOINT, base=base),
              lambda: gaussian.entropy(1.0, base=base)):
        check(f, exc, "base")


@pytest.mark.parametrize("seed, exc", [(-1, ValueError), (True, TypeError), (1.0, TypeError),
                                       ("0", TypeError),
                                       (np.random.RandomState(0), TypeError)])
def test_bad_seed_one_rule(seed, exc):
    check(lambda: gaussian.sample_correlated(0.5, 10, seed=seed), exc, "seed", "Generator")
    check(lambda: markov.random_channel(2, 2, seed=seed), exc, "seed", "Generator")
    check(lambda: ic._validation.check_seed(seed), exc, "seed", "Generator")


def test_good_seeds():
    rng = np.random.default_rng(3)
    assert ic._validation.check_seed(rng) is rng
    a = gaussian.sample_correlated(0.5, 5, seed=np.int64(7))[0]
    b = gaussian.sample_correlated(0.5, 5, seed=7)[0]
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("value, exc", [(0, ValueError), (-3, ValueError), (2.0, TypeError),
                                        (True, TypeError)])
def test_positive_int(value, exc):
    check(lambda: ic._validation.check_positive_int(value, "n"), exc, "n")
    check(lambda: gaussian.sample_correlated(0.5, value, seed=0), exc, "n")


@pytest.mark.parametrize("given, exc", [(0.0, TypeError), (2, ValueError), (True, TypeError),
                                        ("0", TypeError)])
def test_conditional_entropy_given(given, exc):
    check(lambda: ic.conditional_entropy(JOINT, given=given), exc, "given", "0 (condition")


# --- numpy and torch in one call: the message names each argument as it is --------


def test_torch_p_numpy_q_names_both_correctly():
    with pytest.raises(TypeError) as info:
        ic.kl_divergence(torch.tensor([0.5, 0.5]), np.array([0.5, 0.5]))
    assert "q is a numpy array but p is a torch tensor" in str(info.value)
    with pytest.raises(TypeError) as info:
        ic.kl_divergence(np.array([0.5, 0.5]), torch.tensor([0.5, 0.5]))
    assert "p is a numpy array but q is a torch tensor" in str(info.value)


def test_tensor_pairs_must_agree_in_dtype():
    p = torch.tensor([0.5, 0.5], dtype=torch.float32)
    q = torch.tensor([0.25, 0.75], dtype=torch.float64)
    check(lambda: ic.kl_divergence(p, q), TypeError, "q", "dtype")


def test_tensor_pairs_must_agree_in_device():
    p = torch.tensor([0.5, 0.5])
    q = torch.tensor([0.25, 0.75], device="meta")
    check(lambda: ic.kl_divergence(p, q), ValueError, "q", "device")


# --- precision of the KL term (scipy gh-20710) -------------------------------------


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_kl_at_subnormal_p_matches_mpmath(backend):
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 50
    x = np.array([3e-320, 1e-310, 4.9e-324, 2.2e-308])
    y = np.array([1e-300, 7e-3, 1e-200, 1e-10])
    ref = [float(mpmath.mpf(a) * (mpmath.log(mpmath.mpf(a)) - mpmath.log(mpmath.mpf(b))))
           for a, b in zip(x, y)]
    ops = ic._backend.TorchOps if backend == "torch" else ic._backend.NumpyOps
    xs, ys = (torch.from_numpy(x), torch.from_numpy(y)) if backend == "torch" else (x, y)
    got = ic._backend.to_numpy(ops.rel_entr(xs, ys))
    np.testing.assert_allclose(got, ref, rtol=1e-12)


def test_kl_terms_edge_values_and_gradient():
    x = torch.tensor([0.0, 0.0, 0.5, 0.5], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0.0, 0.5, 0.0, 0.5], dtype=torch.float64)
    t = ic._backend.TorchOps.rel_entr(x, y)
    assert t.tolist() == [0.0, 0.0, math.inf, 0.0]
    t[[0, 1, 3]].sum().backward()
    assert torch.isfinite(x.grad).all()
