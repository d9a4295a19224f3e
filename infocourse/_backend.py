"""The one array layer: every operation the measures need, for numpy and torch.

Every measure is written once against this interface (``ops = ops_for(x)``),
so numpy in gives numpy out and torch in gives torch out (dtype, device and
autograd kept). No module outside this one branches on the array type.

torch is never imported here for numpy input: a tensor can only exist if
torch is already loaded, so :func:`is_tensor` looks in ``sys.modules``, and the
torch operations import it lazily.

Speed paths (e.g. the chunked entropy of long numpy vectors) are not here;
they live in :mod:`infocourse._fast`, behind one seam, with this module as
their plain reference.
"""

from __future__ import annotations

import math
import sys

import numpy as np
from scipy import linalg as sla
from scipy import special


def is_tensor(x) -> bool:
    """True when ``x`` is a torch tensor (without importing torch)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(x, torch.Tensor)


def to_numpy(x, dtype=None):
    """A numpy array of ``x`` (a tensor is detached and copied to the host).

    The one conversion from tensors to numpy: gradients are dropped, so use it
    only where the result leaves the autograd graph (checks, numerical code).

    Examples
    --------
    >>> print(to_numpy([0.5, 0.5]))
    [0.5 0.5]
    """
    if is_tensor(x):
        x = x.detach().cpu()
        if str(x.dtype) == "torch.bfloat16":  # numpy has no bfloat16
            x = x.float()
        x = x.numpy()
    return np.asarray(x, dtype=dtype)


def _kl_terms(xp, x, y):
    """``x log(x / y)`` with 0 log(0/y) = 0 and x log(x/0) = inf (x > 0).

    The quotient is used where it is a normal float (then ``x / y`` is
    correctly rounded and exact cases such as ``log(0.5 / 0.25)`` stay
    exact); where it would underflow or overflow (``x`` subnormal, ``y``
    tiny) the term is ``x (log x - log y)``, which keeps full relative
    accuracy (scipy's ``rel_entr`` has the same guard, cf. scipy gh-20710).
    ``xp`` is numpy or torch (the same names). The logarithms only ever see
    safe values where a term is 0 or inf, so the gradient stays finite where
    x = 0 or y = 0.
    """
    pos = x > 0
    infinite = pos & (y == 0)
    finite = pos & ~infinite
    one = xp.ones_like(x)
    safe_x, safe_y = xp.where(pos, x, one), xp.where(finite, y, one)
    ratio = safe_x / safe_y
    info = xp.finfo(ratio.dtype)
    normal = (ratio >= info.tiny) & (ratio <= info.max)
    direct = x * xp.log(xp.where(normal, ratio, xp.ones_like(ratio)))
    split = x * (xp.log(safe_x) - xp.log(safe_y))
    term = xp.where(normal, direct, split)
    term = xp.where(finite, term, xp.zeros_like(term))
    return xp.where(infinite, xp.full_like(term, math.inf), term)


class NumpyOps:
    """numpy/scipy implementations; 0·log 0 = 0 through scipy's special functions."""

    name = "numpy"

    @staticmethod
    def xlogy(x, y):
        return special.xlogy(x, y)

    @staticmethod
    def rel_entr(x, y):
        x, y = np.broadcast_arrays(np.asarray(x, dtype=float) if np.ndim(x) == 0 else x,
                                   np.asarray(y, dtype=float) if np.ndim(y) == 0 else y)
        with np.errstate(over="ignore"):  # an overflowing x / y takes the other branch
            return _kl_terms(np, x, y)

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
    def log1p(x):
        with np.errstate(divide="ignore"):
            return np.log1p(x)

    @staticmethod
    def permute(x, order):
        return np.transpose(x, order)

    @staticmethod
    def cholesky(a):
        return np.linalg.cholesky(a)

    @staticmethod
    def logdet_from_cholesky(chol):
        return 2 * np.log(np.diagonal(chol, axis1=-2, axis2=-1)).sum(-1)

    @staticmethod
    def solve_lower(chol, b):
        """Solve ``chol @ x = b`` for lower-triangular ``chol``."""
        return sla.solve_triangular(chol, b, lower=True)

    @staticmethod
    def numel(x):
        return x.size

    @staticmethod
    def sum64(x, axis=None):
        """Sums as a float64 numpy array (for checks), whatever the dtype of ``x``."""
        return np.asarray(np.sum(x, axis=axis, dtype=np.float64))

    @staticmethod
    def all_finite(x):
        return bool(np.isfinite(x).all())

    @staticmethod
    def min(x):
        return float(np.min(x))

    @staticmethod
    def max(x):
        return float(np.max(x))

    @staticmethod
    def eps(x):
        return float(np.finfo(x.dtype).eps)

    @staticmethod
    def finish(x):
        # Adding +0.0 turns an IEEE negative zero (-(1·log 1)) into 0.0, and
        # 0-d arrays into numpy scalars.
        out = np.asarray(x) + 0.0
        return out[()] if out.ndim == 0 else out


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

        # The logs only see safe values where x = 0, so the gradient there is
        # finite (d/dx = log x - log y + 1 is only taken where x > 0).
        x, y = torch.broadcast_tensors(x, y)
        return _kl_terms(torch, x, y)

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
    def log1p(x):
        import torch

        return torch.log1p(x)

    @staticmethod
    def permute(x, order):
        return x.permute(order)

    @staticmethod
    def cholesky(a):
        import torch

        return torch.linalg.cholesky(a)

    @staticmethod
    def logdet_from_cholesky(chol):
        import torch

        return 2 * torch.log(torch.diagonal(chol, dim1=-2, dim2=-1)).sum(-1)

    @staticmethod
    def solve_lower(chol, b):
        import torch

        return torch.linalg.solve_triangular(chol, b, upper=False)

    @staticmethod
    def numel(x):
        return x.numel()

    @staticmethod
    def sum64(x, axis=None):
        import torch

        d = x.detach()
        s = d.sum(dtype=torch.float64) if axis is None else d.sum(dim=axis, dtype=torch.float64)
        return s.cpu().numpy()

    @staticmethod
    def all_finite(x):
        import torch

        return bool(torch.isfinite(x.detach()).all())

    @staticmethod
    def min(x):
        return float(x.detach().min())

    @staticmethod
    def max(x):
        return float(x.detach().max())

    @staticmethod
    def eps(x):
        import torch

        return float(torch.finfo(x.dtype).eps)

    @staticmethod
    def finish(x):
        return x + 0.0


def ops_for(x):
    """The operations matching the array type of ``x``."""
    return TorchOps if is_tensor(x) else NumpyOps


def first_tensor(*xs):
    """The first torch tensor among ``xs``, or None (the ``like`` of a conversion)."""
    return next((x for x in xs if is_tensor(x)), None)


def kind(x) -> str:
    """'a torch tensor', 'a numpy array' or 'a Python sequence', for messages."""
    if is_tensor(x):
        return "a torch tensor"
    if isinstance(x, np.ndarray):
        return "a numpy array"
    return "a Python sequence"


def nats_to(value, base):
    """Convert a quantity in nats to units of ``base`` (bits for base 2)."""
    if base == math.e:
        return value
    return value / math.log(base)
