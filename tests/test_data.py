"""infocourse.data: the digits split is seeded, stratified, scaled without leakage."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits

from infocourse.data import DigitsSplit, load_digits_split

RAW = load_digits()


def test_shapes_dtypes_and_sizes():
    d = load_digits_split()
    assert isinstance(d, DigitsSplit)
    assert d.x_train.shape == (1347, 64) and d.x_test.shape == (450, 64)
    assert d.y_train.dtype == torch.long and d.x_train.dtype == torch.get_default_dtype()
    assert d.n_features == 64 and d.n_classes == 10 and d.image_shape == (8, 8)
    assert len(d.y_train) + len(d.y_test) == len(RAW.target)


def test_split_is_stratified():
    d = load_digits_split(test_size=0.3)
    full = np.bincount(RAW.target) / len(RAW.target)
    for y in (d.y_train, d.y_test):
        frac = np.bincount(y.numpy(), minlength=10) / len(y)
        assert np.abs(frac - full).max() < 0.01


def test_same_seed_same_split_other_seed_other_split():
    a, b, c = load_digits_split(seed=3), load_digits_split(seed=3), load_digits_split(seed=4)
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_test, b.y_test)
    assert not torch.equal(a.y_train, c.y_train)


def test_standard_scaling_uses_training_statistics_only():
    d = load_digits_split(scale="standard")
    x = d.x_train.double()
    np.testing.assert_allclose(x.mean(0).numpy(), 0.0, atol=1e-6)
    sd = x.std(0, unbiased=False).numpy()
    constant = d.std == 1.0
    np.testing.assert_allclose(sd[~constant], 1.0, atol=1e-5)
    # the test set is transformed with the training mean/std, so it is not exactly standard
    assert float(d.x_test.double().mean(0).abs().max()) > 1e-3


def test_unscale_recovers_the_raw_pixels():
    raw_rows = {tuple(r): t for r, t in zip(RAW.data.astype(int), RAW.target)}
    for scale in ("standard", "unit", "none"):
        d = load_digits_split(scale=scale, dtype=torch.float64)
        pixels = d.unscale(d.x_test).numpy()
        np.testing.assert_allclose(pixels, np.round(pixels), atol=1e-9)
        rows = [tuple(r) for r in np.round(pixels).astype(int)]
        # every test image is a real digit with the right label
        assert all(raw_rows[r] == int(t) for r, t in zip(rows, d.y_test))


def test_unit_scale_is_in_unit_interval():
    d = load_digits_split(scale="unit")
    assert float(d.x_train.min()) == 0.0 and float(d.x_train.max()) == 1.0
    assert float(d.x_test.max()) <= 1.0


def test_n_train_subsample_is_stratified_and_a_subset():
    full = load_digits_split(seed=1, scale="none")
    small = load_digits_split(seed=1, scale="none", n_train=200)
    assert small.x_train.shape == (200, 64)
    assert torch.equal(small.x_test, full.x_test)
    assert np.bincount(small.y_train.numpy(), minlength=10).min() >= 19
    full_rows = {tuple(r) for r in full.x_train.numpy().astype(int)}
    assert all(tuple(r) in full_rows for r in small.x_train.numpy().astype(int))


def test_device_and_dtype():
    d = load_digits_split(device="cpu", dtype=torch.float64)
    assert d.x_train.dtype == torch.float64 and d.x_train.device.type == "cpu"
    assert d.to("cpu").y_test.device.type == "cpu"


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"test_size": 0.0}, ValueError, "test_size"),
        ({"test_size": 1.5}, ValueError, "test_size"),
        ({"scale": "minmax"}, ValueError, "scale"),
        ({"seed": -1}, TypeError, "seed"),
        ({"dtype": torch.long}, TypeError, "dtype"),
        ({"n_train": 5}, ValueError, "n_train"),
        ({"n_train": 10_000}, ValueError, "n_train"),
    ],
)
def test_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        load_digits_split(**kwargs)
