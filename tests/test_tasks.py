"""The ground-truth lab (infocourse.estimate.tasks): truths against closed forms and
numerical integration, shapes, validation."""

import itertools
import math

import numpy as np
import pytest
from scipy import integrate, stats

from infocourse import gaussian, mutual_information
from infocourse.estimate import tasks


@pytest.mark.parametrize("dims", [(1, 1), (3, 3), (2, 5), (4, 1)])
@pytest.mark.parametrize("mi", [0.0, 0.5, 3.0])
def test_gaussian_truth_matches_sample_covariance_closed_form(dims, mi):
    dx, dy = dims
    task = tasks.gaussian_task(200_000, mi, dim_x=dx, dim_y=dy, seed=1)
    assert task.x.shape == (200_000, dx) and task.y.shape == (200_000, dy)
    assert task.mi == mi
    cov = np.cov(np.hstack([task.x, task.y]), rowvar=False)
    from_samples = float(gaussian.mutual_information_from_covariance(cov, dx))
    assert from_samples == pytest.approx(mi, abs=0.02)


def test_gaussian_truth_in_nats():
    task = tasks.gaussian_task(50_000, 1.0, dim_x=2, dim_y=2, base=math.e, seed=0)
    cov = np.cov(np.hstack([task.x, task.y]), rowvar=False)
    est = float(gaussian.mutual_information_from_covariance(cov, 2, base=math.e))
    assert est == pytest.approx(1.0, abs=0.03)


@pytest.mark.parametrize("transform", tasks.TRANSFORMS)
def test_transforms_are_strictly_increasing_maps_of_the_gaussian(transform):
    plain = tasks.gaussian_task(2000, 1.0, dim_x=2, dim_y=2, seed=3)
    warped = tasks.gaussian_task(2000, 1.0, dim_x=2, dim_y=2, seed=3, transform=transform)
    assert warped.mi == plain.mi
    for a, b in ((plain.x, warped.x), (plain.y, warped.y)):
        for j in range(a.shape[1]):  # same order in every coordinate: a monotone map
            np.testing.assert_array_equal(np.argsort(a[:, j]), np.argsort(b[:, j]))
        assert not np.allclose(a, b)


def _t_logpdf(z, scale, df):
    if z.shape[1] == 1:
        return stats.t(df, scale=math.sqrt(scale[0, 0])).logpdf(z[:, 0])
    return stats.multivariate_t(np.zeros(z.shape[1]), scale, df=df).logpdf(z)


@pytest.mark.parametrize(
    "df, rho, dx, dy", [(1, 0.0, 1, 1), (3, 0.5, 1, 1), (4, 0.3, 2, 1), (10, 0.8, 2, 2)]
)
def test_student_t_truth_against_monte_carlo_of_the_exact_densities(df, rho, dx, dy):
    # I = E log p(x, y) / (p(x) p(y)) with scipy's densities; 5 standard errors.
    task = tasks.student_t_task(100_000, df, rho=rho, dim_x=dx, dim_y=dy, base=math.e,
                                seed=11)
    d, m = dx + dy, min(dx, dy)
    scale = np.eye(d)
    for j in range(m):
        scale[j, dx + j] = scale[dx + j, j] = rho
    joint = _t_logpdf(np.hstack([task.x, task.y]), scale, df)
    ratio = joint - _t_logpdf(task.x, scale[:dx, :dx], df) - _t_logpdf(
        task.y, scale[dx:, dx:], df)
    se = ratio.std() / math.sqrt(ratio.size)
    assert abs(ratio.mean() - task.mi) < 5 * se


def test_student_t_correction_by_numerical_integration():
    # Bivariate Cauchy (df = 1, rho = 0): p(x, y) = (1 + x^2 + y^2)^(-3/2) / (2 pi),
    # marginals 1 / (pi (1 + x^2)). Integrate p log p/(p_x p_y) over the plane in
    # polar coordinates, with r = tan(u) mapping [0, pi/2) onto [0, inf).
    def integrand(phi, u):
        r = math.tan(u)
        x, y = r * math.cos(phi), r * math.sin(phi)
        lj = -1.5 * math.log1p(r * r) - math.log(2 * math.pi)
        lx = -math.log(math.pi) - math.log1p(x * x)
        ly = -math.log(math.pi) - math.log1p(y * y)
        return math.exp(lj) * (lj - lx - ly) * r / math.cos(u) ** 2

    # The integrand is symmetric under phi -> -phi, pi - phi: integrate a quarter.
    value, _ = integrate.dblquad(integrand, 0, math.pi / 2, 0, math.pi / 2,
                                 epsabs=1e-9, epsrel=1e-9)
    assert tasks.student_t_correction(1, 1, 1, base=math.e) == pytest.approx(4 * value,
                                                                             abs=1e-6)


def test_student_t_correction_vanishes_in_the_gaussian_limit_and_is_positive():
    values = [tasks.student_t_correction(df, 2, 3) for df in (0.5, 1, 3, 30, 300)]
    assert all(a > b > 0 for a, b in itertools.pairwise(values))
    assert tasks.student_t_correction(1e4, 2, 3) < 1e-6


@pytest.mark.parametrize("k, eps", [(2, 0.0), (2, 0.11), (4, 0.1), (10, 0.5), (3, 1.0)])
def test_symmetric_channel_truth_against_the_table(k, eps):
    channel = np.full((k, k), eps / (k - 1))
    np.fill_diagonal(channel, 1 - eps)
    table = channel / k
    task = tasks.symmetric_channel_task(20_000, k, eps, seed=5)
    assert task.mi == pytest.approx(float(mutual_information(table)), abs=1e-12)
    empirical = np.zeros((k, k))
    np.add.at(empirical, (task.x, task.y), 1)
    assert float(mutual_information(empirical / empirical.sum())) == pytest.approx(
        task.mi, abs=0.02)


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda: tasks.gaussian_task(0, 1.0), ValueError, "n"),
        (lambda: tasks.gaussian_task(10, -1.0), ValueError, "mi"),
        (lambda: tasks.gaussian_task(10, 1.0, dim_x=0), ValueError, "dim_x"),
        (lambda: tasks.gaussian_task(10, 1.0, transform="log"), ValueError, "transform"),
        (lambda: tasks.gaussian_task(10, 1.0, seed=-1), ValueError, "seed"),
        (lambda: tasks.gaussian_task(10, 1.0, seed="a"), TypeError, "seed"),
        (lambda: tasks.gaussian_task(10, True), TypeError, "mi"),
        (lambda: tasks.student_t_task(10, 0), ValueError, "df"),
        (lambda: tasks.student_t_task(10, 3, rho=1.0), ValueError, "rho"),
        (lambda: tasks.symmetric_channel_task(10, 1, 0.1), ValueError, "n_symbols"),
        (lambda: tasks.symmetric_channel_task(10, 3, 1.5), ValueError, "error_prob"),
        (lambda: tasks.gaussian_task(10, 1.0, base=1), ValueError, "base"),
    ],
)
def test_bad_input_fails_loudly(call, err, match):
    with pytest.raises(err, match=match):
        call()
