"""Jackknife confidence intervals (estimate.mutual_information_ci, entropy_ci):
coverage measured on tasks with a known truth, shrinking with n, validation."""

import math

import numpy as np
import pytest

from infocourse import estimate
from infocourse.estimate import tasks

SEEDS = range(40)


def _coverage(draw, ci):
    hits = []
    for s in SEEDS:
        sample, truth = draw(s)
        interval = ci(*sample, s)
        hits.append(interval.low <= truth <= interval.high)
    return np.mean(hits)


def _gaussian(n, mi, transform=None):
    def draw(s):
        t = tasks.gaussian_task(n, mi, transform=transform, seed=s)
        return (t.x, t.y), t.mi
    return draw


@pytest.mark.parametrize("transform, rank", [(None, None), ("sinh", "rank")])
def test_ksg_interval_covers_the_gaussian_truth_at_about_95_percent(transform, rank):
    # 40 replicates: a binomial standard error of 3.4 points at 95%; the jackknife
    # is slightly conservative (Efron-Stein), so the margin is below only.
    cov = _coverage(
        _gaussian(300, 0.5, transform),
        lambda x, y, s: estimate.mutual_information_ci(
            x, y, method="ksg", transform=rank, n_resamples=10, seed=s),
    )
    assert cov >= 0.85


def test_ksg_interval_fails_to_cover_when_the_estimator_is_biased():
    # sinh(3x) without the rank transform: KSG is biased by many standard errors,
    # and the interval (which measures spread only) says nothing about that.
    cov = _coverage(
        _gaussian(300, 1.0, "sinh"),
        lambda x, y, s: estimate.mutual_information_ci(x, y, method="ksg",
                                                       n_resamples=10, seed=s),
    )
    assert cov <= 0.5


def test_ksg_jackknife_standard_error_matches_the_spread_across_seeds():
    est, se = [], []
    for s in SEEDS:
        t = tasks.gaussian_task(300, 1.0, seed=s)
        ci = estimate.mutual_information_ci(t.x, t.y, method="ksg", n_resamples=10, seed=s)
        est.append(ci.estimate)
        se.append(ci.se)
    ratio = np.mean(se) / np.std(est, ddof=1)
    assert 0.8 < ratio < 1.6


def test_miller_madow_interval_covers_the_channel_truth():
    def draw(s):
        t = tasks.symmetric_channel_task(500, 4, 0.2, seed=s)
        return (t.x, t.y), t.mi

    cov = _coverage(draw, lambda x, y, s: estimate.mutual_information_ci(
        x, y, method="miller-madow", n_resamples=10, seed=s))
    assert cov >= 0.85


def test_kl_entropy_interval_covers_the_gaussian_entropy():
    truth = 0.5 * math.log2(2 * math.pi * math.e)

    def draw(s):
        return (np.random.default_rng(s).standard_normal(300),), truth

    cov = _coverage(draw, lambda z, s: estimate.entropy_ci(z, method="kl", n_resamples=10,
                                                           seed=s))
    assert cov >= 0.85


@pytest.mark.parametrize("method", ["ksg", "histogram"])
def test_intervals_shrink_with_n(method):
    widths = {}
    for n in (200, 1600):
        w = []
        for s in range(8):
            t = tasks.gaussian_task(n, 0.5, seed=s)
            ci = estimate.mutual_information_ci(t.x, t.y, method=method, n_resamples=10,
                                                seed=s)
            w.append(ci.high - ci.low)
        widths[n] = np.mean(w)
    # se ~ 1/sqrt(n): the width ratio should be near sqrt(1/8) = 0.35.
    assert widths[1600] < 0.6 * widths[200]


def test_fields_and_determinism():
    t = tasks.gaussian_task(200, 1.0, dim_x=2, dim_y=2, seed=0)
    a = estimate.mutual_information_ci(t.x, t.y, method="ksg", level=0.9, k=5, seed=1)
    b = estimate.mutual_information_ci(t.x, t.y, method="ksg", level=0.9, k=5, seed=1)
    assert a == b
    assert a.estimate == estimate.mutual_information(t.x, t.y, method="ksg", k=5)
    assert a.low < a.estimate < a.high and a.level == 0.9 and a.n_resamples == 20
    assert a.high - a.estimate == pytest.approx(a.estimate - a.low)
    wider = estimate.mutual_information_ci(t.x, t.y, method="ksg", level=0.99, k=5, seed=1)
    assert wider.high - wider.low > a.high - a.low
    labels = estimate.mutual_information_ci(["a", "b"] * 30, [0, 1] * 30,
                                            method="plugin", seed=0)
    assert labels.estimate == 1.0 and labels.se == pytest.approx(0.0, abs=1e-12)


def test_delete_one_jackknife_when_groups_equal_n():
    z = np.random.default_rng(0).standard_normal(50)
    ci = estimate.entropy_ci(z, method="kl", n_resamples=50)
    assert ci.n_resamples == 50 and ci.se > 0


def test_jitter_is_seeded_through_seed():
    x = np.round(np.random.default_rng(0).standard_normal(200), 1)
    a = estimate.mutual_information_ci(x, x, method="ksg", jitter=1e-3, seed=3)
    b = estimate.mutual_information_ci(x, x, method="ksg", jitter=1e-3, seed=3)
    assert a == b


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        ({"method": "nope"}, ValueError, "method"),
        ({"method": "ksg", "level": 1.0}, ValueError, "level"),
        ({"method": "ksg", "level": 0}, ValueError, "level"),
        ({"method": "ksg", "n_resamples": 1}, ValueError, "n_resamples"),
        ({"method": "ksg", "n_resamples": 500}, ValueError, "n_resamples"),
        ({"method": "ksg", "n_resamples": 2.5}, TypeError, "n_resamples"),
        ({"method": "ksg", "seed": "x"}, TypeError, "seed"),
        ({"method": "ksg", "bins": 4}, TypeError, "bins"),
    ],
)
def test_bad_input_fails_loudly(kwargs, err, match):
    t = tasks.gaussian_task(100, 1.0, seed=0)
    with pytest.raises(err, match=match):
        estimate.mutual_information_ci(t.x, t.y, **kwargs)


def test_bad_samples_fail_loudly():
    with pytest.raises(ValueError, match="same number"):
        estimate.mutual_information_ci(np.zeros(10), np.zeros(11), method="ksg")
    with pytest.raises(TypeError, match="samples"):
        estimate.entropy_ci(3.0, method="kl")
    with pytest.raises(ValueError, match="NaN"):
        estimate.entropy_ci(np.array([0.0, np.nan] * 20), method="kl")
