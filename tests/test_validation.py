"""Bad input fails loudly: every public measure, every rule, a message naming the argument."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

import infocourse as ic

GOOD = [0.25, 0.75]
JOINT = [[0.25, 0.25], [0.25, 0.25]]

# name -> (call with the bad value substituted for one argument, argument name)
ONE_DIST = {
    "entropy": lambda p, **kw: ic.entropy(p, **kw),
}
TWO_DISTS = {
    "cross_entropy": ic.cross_entropy,
    "kl_divergence": ic.kl_divergence,
    "js_divergence": ic.js_divergence,
}
TABLES = {
    "joint_entropy": ic.joint_entropy,
    "conditional_entropy": ic.conditional_entropy,
    "mutual_information": ic.mutual_information,
    "pointwise_mutual_information": ic.pointwise_mutual_information,
    "marginals": ic.marginals,
}


def calls_with(bad, *, table_bad=None):
    """(id, thunk, argument name) for every public function given one bad argument."""
    table_bad = bad if table_bad is None else table_bad
    cases = [("self_information", lambda: ic.self_information(bad), "p"),
             ("binary_entropy", lambda: ic.binary_entropy(bad), "p")]
    cases += [(n, (lambda f=f: f(bad)), "p") for n, f in ONE_DIST.items()]
    for n, f in TWO_DISTS.items():
        cases.append((f"{n}[p]", lambda f=f: f(bad, GOOD), "p"))
        cases.append((f"{n}[q]", lambda f=f: f(GOOD, bad), "q"))
    cases += [(n, (lambda f=f: f(table_bad)), "p_xy") for n, f in TABLES.items()]
    return cases


def check(thunk, exc, arg, *fragments):
    with pytest.raises(exc) as info:
        thunk()
    message = str(info.value)
    assert re.search(rf"\b{re.escape(arg)}\b", message), f"message does not name {arg!r}: {message}"
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in: {message}"


def _ids(cases):
    return [c[0] for c in cases]


NAN = calls_with([0.5, float("nan")], table_bad=[[0.5, float("nan")], [0.25, 0.25]])


@pytest.mark.parametrize("name, thunk, arg", NAN, ids=_ids(NAN))
def test_nan_rejected(name, thunk, arg):
    check(thunk, ValueError, arg, "NaN")


INF = calls_with([0.5, float("inf")], table_bad=[[0.5, float("inf")], [0.25, 0.25]])


@pytest.mark.parametrize("name, thunk, arg", INF, ids=_ids(INF))
def test_inf_rejected(name, thunk, arg):
    check(thunk, ValueError, arg, "infinite")


NEG = calls_with([1.5, -0.5], table_bad=[[0.75, -0.25], [0.25, 0.25]])


@pytest.mark.parametrize("name, thunk, arg", NEG, ids=_ids(NEG))
def test_negative_rejected(name, thunk, arg):
    check(thunk, ValueError, arg, "negative", "-0.5" if "p_xy" != arg else "-0.25")


EMPTY = calls_with([], table_bad=np.zeros((0, 2)))


@pytest.mark.parametrize("name, thunk, arg", EMPTY, ids=_ids(EMPTY))
def test_empty_rejected(name, thunk, arg):
    check(thunk, ValueError, arg, "empty")


# Sums: every distribution argument (not self_information, which takes event probabilities).
SUMS = [c for c in calls_with([0.5, 0.4], table_bad=[[0.1, 0.5], [0.2, 0.3]])
        if c[0] not in ("self_information", "binary_entropy")]


@pytest.mark.parametrize("name, thunk, arg", SUMS, ids=_ids(SUMS))
def test_unnormalised_rejected_with_the_sum_and_the_fix(name, thunk, arg):
    check(thunk, ValueError, arg, "sum to 1", "infocourse.normalize")
    with pytest.raises(ValueError, match=r"sums to (0\.9|1\.1)\b"):
        thunk()


def test_event_probabilities_above_one_rejected():
    check(lambda: ic.self_information([0.5, 1.5]), ValueError, "p", "1.5")
    check(lambda: ic.binary_entropy(1.5), ValueError, "p", "1.5")


@pytest.mark.parametrize("f", list(TWO_DISTS.values()), ids=list(TWO_DISTS))
def test_shape_mismatch_rejected(f):
    check(lambda: f([0.5, 0.5], [0.25, 0.25, 0.5]), ValueError, "q", "(2,)", "(3,)")


@pytest.mark.parametrize("f", list(TWO_DISTS.values()), ids=list(TWO_DISTS))
def test_numpy_and_torch_mixed_rejected(f):
    check(lambda: f(np.array(GOOD), torch.tensor(GOOD)), TypeError, "p", "torch")
    check(lambda: f(torch.tensor(GOOD), np.array(GOOD)), TypeError, "q", "numpy")


ALL_WITH_BASE = [
    ("self_information", lambda b: ic.self_information(0.5, base=b)),
    ("entropy", lambda b: ic.entropy(GOOD, base=b)),
    ("binary_entropy", lambda b: ic.binary_entropy(0.5, base=b)),
    ("joint_entropy", lambda b: ic.joint_entropy(JOINT, base=b)),
    ("conditional_entropy", lambda b: ic.conditional_entropy(JOINT, base=b)),
    ("cross_entropy", lambda b: ic.cross_entropy(GOOD, GOOD, base=b)),
    ("kl_divergence", lambda b: ic.kl_divergence(GOOD, GOOD, base=b)),
    ("js_divergence", lambda b: ic.js_divergence(GOOD, GOOD, base=b)),
    ("mutual_information", lambda b: ic.mutual_information(JOINT, base=b)),
    ("pointwise_mutual_information", lambda b: ic.pointwise_mutual_information(JOINT, base=b)),
]


@pytest.mark.parametrize("name, f", ALL_WITH_BASE, ids=[n for n, _ in ALL_WITH_BASE])
@pytest.mark.parametrize("base", [1, 0, -2, math.inf, math.nan])
def test_bad_base_value(name, f, base):
    check(lambda: f(base), ValueError, "base", "!= 1")


@pytest.mark.parametrize("name, f", ALL_WITH_BASE, ids=[n for n, _ in ALL_WITH_BASE])
@pytest.mark.parametrize("base", ["2", None, True, 2j])
def test_bad_base_type(name, f, base):
    check(lambda: f(base), TypeError, "base")


@pytest.mark.parametrize("bad", ["abc", [["a", "b"]], [1 + 2j, 0], {"p": 1}, [[0.5], [0.25, 0.25]]])
def test_non_numeric_input_is_a_type_error(bad):
    check(lambda: ic.entropy(bad), TypeError, "p")


def test_axis_out_of_range_and_wrong_type():
    check(lambda: ic.entropy(JOINT, axis=2), ValueError, "axis", "[-2, 1]")
    check(lambda: ic.kl_divergence(GOOD, GOOD, axis=1.0), TypeError, "axis")


def test_batched_sum_error_points_at_the_bad_row():
    p = np.array([[0.5, 0.5], [0.5, 0.4], [1.0, 0.0]])
    check(lambda: ic.entropy(p), ValueError, "p", "index (1,)", "0.9")


def test_scalar_distribution_rejected():
    check(lambda: ic.entropy(1.0), ValueError, "p", "scalar")


def test_tables_must_be_2d():
    for f in (ic.conditional_entropy, ic.mutual_information, ic.marginals):
        check(lambda f=f: f([0.25, 0.75]), ValueError, "p_xy", "2-D")


def test_conditional_entropy_given_must_be_an_axis():
    check(lambda: ic.conditional_entropy(JOINT, given=2), ValueError, "given")


def test_normalize_is_the_explicit_opt_in():
    np.testing.assert_allclose(ic.normalize([2, 1, 1]), [0.5, 0.25, 0.25])
    np.testing.assert_allclose(ic.normalize([[1, 1], [2, 2]], axis=None), [[1 / 6, 1 / 6], [1 / 3, 1 / 3]])
    check(lambda: ic.normalize([0, 0]), ValueError, "weights", "sum to 0")
    check(lambda: ic.normalize([1, -1]), ValueError, "weights", "negative")
    t = ic.normalize(torch.tensor([1.0, 3.0]))
    assert isinstance(t, torch.Tensor) and torch.allclose(t, torch.tensor([0.25, 0.75]))


def test_tolerance_accepts_rounding_but_not_real_errors():
    ic.entropy([0.1] * 10)  # sums to 0.9999999999999999
    ic.entropy(torch.tensor([0.1, 0.5, 0.1, 0.3]))  # float32 rounding
    with pytest.raises(ValueError):
        ic.entropy([0.5, 0.5 + 1e-6])


def test_tensor_device_mismatch_message():
    # Both on CPU: nothing to report; the check exists for GPU tensors.
    ic.kl_divergence(torch.tensor(GOOD), torch.tensor(GOOD))
