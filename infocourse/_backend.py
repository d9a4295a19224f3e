"""Array back ends: the few operations the measures need, for numpy and torch.

Every measure is written once against this small interface, so numpy in gives
numpy out and torch in gives torch out (dtype, device and autograd kept).
torch is imported lazily: a tensor can only exist if torch is already loaded.
"""

from __future__ import annotations

import math
import sys

import numpy as np
from scipy import special


def is_tensor(x) -> bool:
    """True when ``x`` is a torch tensor (without importing torch)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(x, torch.Tensor)


class NumpyOps:
    """numpy/scipy implementations; 0·log 0 = 0 through scipy's special functions."""

    name = "numpy"

    @staticmethod
    def xlogy(x, y):
        return special.xlogy(x, y)

    @staticmethod
    def rel_entr(x, y):
        return special.rel_entr(x, y)

    @staticmethod
    def sum(x, axis=None, keepdims=False):
        return np.sum(x, axis=axis, keepdims=keepdims)

    @staticmethod
    def where(cond, x, y):
        return np.where(cond, x, y)

    # log 0 = -inf is the intended value (an impossible event), not a warning.
    @staticmethod
    def log(x):
        with np.errstate(divide="ignore"):
            return np.log(x)

    @staticmethod
    def log2(x):
        with np.errstate(divide="ignore"):
            return np.log2(x)

    @staticmethod
    def finish(x):
        # Adding +0.0 turns an IEEE negative zero (-(1·log 1)) into 0.0, and
        # 0-d arrays into numpy scalars.
        out = x + 0.0
        return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out


class TorchOps:
    """torch implementations whose gradients stay finite where p = 0."""

    name = "torch"

    @staticmethod
    def xlogy(x, y):
        import torch

        # torch.xlogy(0, 0) is 0, but its gradient with respect to y is 0/0.
        # Feeding y = 1 where x = y = 0 keeps the value (0) and makes both
        # gradients 0 there (the convention for 0·log 0); elsewhere the
        # gradients are exact, e.g. d/dx x·log y = log y at x = 0 < y.
        both_zero = (x == 0) & (y == 0)
        return torch.xlogy(x, torch.where(both_zero, torch.ones_like(y), y))

    @staticmethod
    def rel_entr(x, y):
        import torch

        # x·log(x/y), with the division guarded where x = 0 (same reason).
        safe_y = torch.where(x > 0, y, torch.ones_like(y))
        return TorchOps.xlogy(x, x / safe_y)

    @staticmethod
    def sum(x, axis=None, keepdims=False):
        import torch

        if axis is None:
            return torch.sum(x)
        return torch.sum(x, dim=axis, keepdim=keepdims)

    @staticmethod
    def where(cond, x, y):
        import torch

        return torch.where(cond, x, y)

    @staticmethod
    def log(x):
        import torch

        return torch.log(x)

    @staticmethod
    def log2(x):
        import torch

        return torch.log2(x)

    @staticmethod
    def finish(x):
        return x + 0.0


def ops_for(x):
    """The operations matching the array type of ``x``."""
    return TorchOps if is_tensor(x) else NumpyOps


def nats_to(value, base):
    """Convert a quantity in nats to units of ``base`` (bits for base 2)."""
    if base == math.e:
        return value
    return value / math.log(base)
