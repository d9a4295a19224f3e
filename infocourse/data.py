"""Data that ships inside installed packages, ready for the deep-learning chapters.

Nothing here downloads anything: the digits come with scikit-learn
(``sklearn.datasets.load_digits``, 1797 images of 8x8 pixels, values 0-16).
Splits are stratified and seeded, so every run of a notebook sees the same
training and test sets.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

__all__ = ["DigitsSplit", "load_digits_split"]

_SCALES = ("standard", "unit", "none")


@dataclass(frozen=True)
class DigitsSplit:
    """A train/test split of the digits, as torch tensors.

    Attributes
    ----------
    x_train, x_test : torch.Tensor
        Float features, shape ``(n, 64)`` (pixels in row-major order).
    y_train, y_test : torch.Tensor
        Integer class labels 0-9 (``torch.long``), shape ``(n,)``.
    scale : str
        How the pixels were scaled (see :func:`load_digits_split`).
    mean, std : numpy.ndarray
        Per-pixel statistics used for ``scale="standard"`` (fitted on the
        training set only); zeros and ones for the other scalings.
    image_shape : tuple of int
        ``(8, 8)``: reshape a row with ``x.reshape(-1, *image_shape)``.
    n_classes : int
        10.
    """

    x_train: object
    y_train: object
    x_test: object
    y_test: object
    scale: str
    mean: np.ndarray
    std: np.ndarray
    image_shape: tuple = (8, 8)
    n_classes: int = 10

    @property
    def n_features(self) -> int:
        """Number of input features (64)."""
        return int(self.x_train.shape[1])

    def to(self, device):
        """The same split with every tensor moved to ``device``."""
        return DigitsSplit(
            self.x_train.to(device), self.y_train.to(device),
            self.x_test.to(device), self.y_test.to(device),
            self.scale, self.mean, self.std, self.image_shape, self.n_classes,
        )

    def unscale(self, x):
        """Map scaled features back to raw pixel values in [0, 16]."""
        import torch

        mean = torch.as_tensor(self.mean, dtype=x.dtype, device=x.device)
        std = torch.as_tensor(self.std, dtype=x.dtype, device=x.device)
        if self.scale == "unit":
            return x * 16.0
        return x * std + mean


def load_digits_split(*, test_size=0.25, scale="standard", seed=0, device=None,
                      dtype=None, n_train=None):
    r"""The scikit-learn digits, split into train and test sets, as tensors.

    The split is stratified by class and seeded (``random_state=seed``).
    Scaling is fitted on the training set only, so nothing about the test
    set leaks into training:

    * ``"standard"``: :math:`x' = (x - \mu_{\text{train}}) / \sigma_{\text{train}}`
      per pixel (pixels that are constant in the training set keep
      :math:`\sigma = 1`), the usual input for a classifier;
    * ``"unit"``: :math:`x' = x / 16`, pixel intensities in [0, 1], e.g.
      for plotting;
    * ``"none"``: raw values 0-16, the 17 grey levels that a categorical
      decoder models exactly (:class:`infocourse.nn.VAE`).

    Parameters
    ----------
    test_size : float, default 0.25
        Fraction of the 1797 images kept for testing, in (0, 1).
    scale : {"standard", "unit", "none"}, default "standard"
    seed : int, default 0
        Seed of the split (and of the subsample if ``n_train`` is given).
    device : str or torch.device, optional
        Where to put the tensors (default: CPU).
    dtype : torch.dtype, optional
        Float dtype of the features (default: ``torch.get_default_dtype()``).
    n_train : int, optional
        Keep only this many training images (a stratified, seeded
        subsample), e.g. to show over-fitting or to make distillation matter.

    Returns
    -------
    DigitsSplit

    Examples
    --------
    >>> from infocourse.data import load_digits_split
    >>> d = load_digits_split(seed=0)
    >>> tuple(d.x_train.shape), tuple(d.x_test.shape), d.y_train.dtype
    ((1347, 64), (450, 64), torch.int64)
    >>> u = load_digits_split(scale="unit")
    >>> float(u.x_train.min()), float(u.x_train.max())
    (0.0, 1.0)

    References
    ----------
    E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits",
    UCI Machine Learning Repository (1998); shipped with scikit-learn as
    ``sklearn.datasets.load_digits``.
    """
    import torch
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real) or not (
        0 < test_size < 1
    ):
        raise ValueError(
            f"test_size must be a fraction strictly between 0 and 1, got {test_size!r}; "
            f"e.g. test_size=0.25 keeps a quarter of the images for testing."
        )
    if scale not in _SCALES:
        raise ValueError(
            f"scale must be one of {_SCALES}, got {scale!r}: 'standard' for a "
            f"classifier, 'unit' for pixels in [0, 1], 'none' for the grey levels "
            f"0-16 (a VAE's input)."
        )
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be a non-negative int, got {seed!r}.")
    dtype = torch.get_default_dtype() if dtype is None else dtype
    if not (isinstance(dtype, torch.dtype) and dtype.is_floating_point):
        raise TypeError(f"dtype must be a floating torch.dtype such as torch.float32, got {dtype!r}.")

    digits = load_digits()
    x, y = digits.data.astype(np.float64), digits.target.astype(np.int64)
    x_tr, x_te, y_tr, y_te = train_test_split(
        x, y, test_size=test_size, random_state=seed, stratify=y
    )
    if n_train is not None:
        if isinstance(n_train, bool) or not isinstance(n_train, numbers.Integral) or not (
            10 <= n_train <= len(y_tr)
        ):
            raise ValueError(
                f"n_train must be an int between 10 (one image per class) and "
                f"{len(y_tr)} (the whole training set), got {n_train!r}."
            )
        if n_train < len(y_tr):
            x_tr, _, y_tr, _ = train_test_split(
                x_tr, y_tr, train_size=int(n_train), random_state=seed, stratify=y_tr
            )

    mean = np.zeros(x.shape[1])
    std = np.ones(x.shape[1])
    if scale == "standard":
        mean = x_tr.mean(axis=0)
        sd = x_tr.std(axis=0)
        std = np.where(sd > 0, sd, 1.0)
        x_tr, x_te = (x_tr - mean) / std, (x_te - mean) / std
    elif scale == "unit":
        x_tr, x_te = x_tr / 16.0, x_te / 16.0

    def t(a, kind):
        return torch.as_tensor(a, dtype=kind, device=device)

    return DigitsSplit(
        t(x_tr, dtype), t(y_tr, torch.long), t(x_te, dtype), t(y_te, torch.long),
        scale, mean, std,
    )
