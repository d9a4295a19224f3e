"""The estimator registry: one dispatch, and the permutation test prepares once."""

import numpy as np
import pytest

from infocourse import estimate
from infocourse.estimate import _registry, histogram


def test_public_method_lists_are_the_registry():
    assert estimate.MI_METHODS == tuple(_registry.REGISTRY["mi"])
    assert estimate.ENTROPY_METHODS == tuple(_registry.REGISTRY["entropy"])
    assert estimate.CMI_METHODS == tuple(_registry.REGISTRY["cmi"])
    assert "mixed" in estimate.MI_METHODS


@pytest.mark.parametrize("method, kw", [("histogram", {"bins": 6}), ("plugin", {}),
                                        ("ksg", {"k": 2}), ("mixed", {})])
def test_permutation_test_prepares_once(monkeypatch, method, kw):
    calls = []
    entry = _registry.REGISTRY["mi"][method]

    def counting(*args, **options):
        calls.append(1)
        return entry.prepare(*args, **options)

    monkeypatch.setitem(_registry.REGISTRY["mi"], method,
                        _registry.Method(counting, entry.evaluate, entry.options,
                                         entry.permutable))
    rng = np.random.default_rng(0)
    x = rng.integers(0, 3, 120) if method in ("plugin", "mixed") else rng.normal(size=120)
    y = rng.normal(size=120) if method != "plugin" else rng.integers(0, 3, 120)
    res = estimate.permutation_test(x, y, method=method, n_permutations=9, seed=1, **kw)
    assert len(calls) == 1
    assert res.null_distribution.shape == (9,)


def test_histogram_permutations_do_not_rebin(monkeypatch):
    calls = []
    real = histogram.edges_for
    monkeypatch.setattr(histogram, "edges_for", lambda *a, **k: calls.append(1) or real(*a, **k))
    rng = np.random.default_rng(2)
    estimate.permutation_test(rng.normal(size=80), rng.normal(size=80), method="histogram",
                              n_permutations=25, seed=0)
    assert len(calls) == 2  # one set of edges for x, one for y


def test_mixed_jitter_in_permutation_test_is_drawn_once_from_the_seed():
    rng = np.random.default_rng(3)
    c, x = rng.integers(0, 2, 100), np.round(rng.normal(size=100), 1)
    a = estimate.permutation_test(c, x, method="mixed", jitter=1e-3, n_permutations=5, seed=4)
    b = estimate.permutation_test(c, x, method="mixed", jitter=1e-3, n_permutations=5, seed=4)
    np.testing.assert_array_equal(a.null_distribution, b.null_distribution)


def test_unknown_permutation_option_is_named():
    with pytest.raises(TypeError, match="bandwidth: not an option of permutation_test"):
        estimate.permutation_test([0, 1], [0, 1], method="plugin", bandwidth=2)


def test_evaluate_refuses_a_permutation_where_there_is_no_pairing():
    entry = _registry.REGISTRY["entropy"]["plugin"]
    prepared = entry.prepare([0, 1, 1])
    with pytest.raises(TypeError, match="no pairing to permute"):
        entry.evaluate(prepared, np.arange(3))
