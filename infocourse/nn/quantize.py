r"""Uniform quantization of weights, and the entropy of the quantized codes.

Storing a weight with ``b`` bits means choosing one of :math:`2^b` levels.
The scheme here is PyTorch's per-tensor affine quantization (the one of
``torch.ao.quantization.MinMaxObserver`` with ``torch.fake_quantize_per_tensor_affine``):
the levels are :math:`(k - z)\,s` for integer codes :math:`k = 0, \dots, 2^b - 1`,
with a scale :math:`s` spanning the weights' range and an integer zero point
:math:`z` so that 0 is a level exactly.

A fixed-length code spends ``b`` bits on every weight; an entropy coder
(e.g. Huffman, :mod:`infocourse.coding`) needs only about the empirical
entropy of the codes, which is smaller when some levels are much more common
than others, as they are for bell-shaped weight distributions (Han et al.
2016, "deep compression").
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .. import _validation as v
from .._backend import is_tensor
from ..coding import expected_code_length, huffman_code_lengths
from ..tables import normalize
from ..uncertainty import entropy

__all__ = [
    "UniformQuantization",
    "code_entropy",
    "model_code_entropy",
    "model_huffman_length",
    "quantize_model",
    "quantize_uniform",
]

_EPS = float(np.finfo(np.float32).eps)   # torch's MinMaxObserver floor on the scale


@dataclass(frozen=True)
class UniformQuantization:
    """The result of :func:`quantize_uniform`.

    Attributes
    ----------
    values : numpy.ndarray or torch.Tensor
        The de-quantized weights :math:`(k - z)\\,s`, same shape, dtype and
        kind as the input (what the quantized model computes with).
    codes : numpy.ndarray or torch.Tensor
        Integer codes :math:`k` in ``[0, 2**bits - 1]`` (int64): what is stored.
    scale : float
        Step :math:`s` between neighbouring levels.
    zero_point : int
        The code :math:`z` of the value 0.
    bits : int
    max_error : float
        The largest rounding error :math:`\\max_i |\\hat x_i - x_i|` of these
        inputs, computed in float64 from the actual values: a true bound for
        every input. It is at most about :math:`s/2`: at a clipped end of the
        range it can exceed :math:`s/2` by the float32 rounding of the scale
        (see the second example of :func:`quantize_uniform`).
    """

    values: object
    codes: object
    scale: float
    zero_point: int
    bits: int
    max_error: float

    @property
    def levels(self) -> int:
        """Number of representable values, ``2**bits``."""
        return 2 ** self.bits


def quantize_uniform(x, bits):
    r"""Quantize an array to ``2**bits`` equally spaced levels (per-tensor affine).

    .. math::
        s = \frac{\max(x_{\max}, 0) - \min(x_{\min}, 0)}{2^b - 1}, \qquad
        z = \operatorname{round}\!\Big(\frac{-\min(x_{\min}, 0)}{s}\Big), \\
        k = \operatorname{clip}\big(\operatorname{round}(x / s) + z,\; 0,\; 2^b - 1\big),
        \qquad \hat x = (k - z)\, s .

    Every input is within about :math:`s/2` of its level (the largest error of
    these inputs is :attr:`UniformQuantization.max_error`), 0 is represented
    exactly, and the values equal
    ``torch.fake_quantize_per_tensor_affine`` with the scale and zero point of
    ``torch.ao.quantization.MinMaxObserver`` (``quant_min=0``,
    ``quant_max=2**bits - 1``). Rounding is half to even, as in torch.

    Parameters
    ----------
    x : array_like or torch.Tensor
        Finite real values (e.g. one layer's weight matrix). A tensor is
        detached: quantization is not differentiable.
    bits : int
        Bits per value, 1 to 32.

    Returns
    -------
    UniformQuantization
        ``values`` of the same kind, dtype, shape and device as ``x``.

    Examples
    --------
    >>> from infocourse.nn import quantize_uniform
    >>> q = quantize_uniform([-1.0, -0.2, 0.0, 0.45, 2.0], bits=2)
    >>> print(q.codes, q.values, q.scale, q.zero_point, q.max_error)
    [0 1 1 1 3] [-1.  0.  0.  0.  2.] 1.0 1 0.45

    The scale is a float32 number, so the levels need not reach the ends of the
    range exactly; 74 is clipped to the top level, a little more than half a step
    away:

    >>> q = quantize_uniform([-74.0, 74.0], bits=10)
    >>> print(f"{q.max_error:.7f} > s/2 = {q.scale / 2:.7f}")
    0.0723382 > s/2 = 0.0723363

    References
    ----------
    B. Jacob et al., "Quantization and Training of Neural Networks for
    Efficient Integer-Arithmetic-Only Inference", CVPR 2018, section 2.1;
    PyTorch documentation, ``torch.ao.quantization.MinMaxObserver``.
    """
    bits = v.check_int(bits, "bits", minimum=1, maximum=32)
    arr = v.as_array(x, "x")
    squeeze = arr.ndim == 0
    if squeeze:
        arr = arr.reshape(1)
    if math.prod(arr.shape) == 0:
        raise ValueError("x is empty; pass at least one value to quantize.")
    v.check_finite(arr, "x")
    qmax = 2**bits - 1
    lo = min(float(arr.min()), 0.0)
    hi = max(float(arr.max()), 0.0)
    # The scale and zero point in float32, as torch's observer computes them.
    scale = float(np.float32(max(np.float32(hi) - np.float32(lo), 0) / np.float32(qmax)))
    scale = max(scale, _EPS)
    zero_point = int(min(max(0 - round(np.float32(lo) / np.float32(scale)), 0), qmax))
    if is_tensor(arr):
        t = arr.detach()
        codes = torch.clamp(torch.round(t * (1.0 / scale)) + zero_point, 0, qmax).to(torch.int64)
        values = ((codes - zero_point).to(t.dtype) * scale).to(t.dtype)
        max_error = float((values.double() - t.double()).abs().max())
    else:
        codes = np.clip(np.round(arr * (1.0 / scale)) + zero_point, 0, qmax).astype(np.int64)
        values = ((codes - zero_point) * scale).astype(arr.dtype)
        max_error = float(np.abs(values.astype(np.float64) - arr.astype(np.float64)).max())
    if squeeze:
        codes, values = codes.reshape(()), values.reshape(())
    return UniformQuantization(values, codes, scale, zero_point, bits, max_error)


def code_entropy(codes, *, base=2):
    r"""Empirical entropy of integer codes: the bits per value of an ideal entropy coder.

    .. math:: \hat H = -\sum_k \hat p_k \log_b \hat p_k, \qquad \hat p_k = n_k / N

    with :math:`n_k` the number of values with code :math:`k`. It is at most
    :math:`\log_2(\text{number of distinct codes}) \le` ``bits``; a Huffman
    code of the codes needs between :math:`\hat H` and :math:`\hat H + 1`
    bits per value (plus its code book).

    Parameters
    ----------
    codes : array_like or torch.Tensor
        Integer codes, any shape (flattened).
    base : float, default 2

    Returns
    -------
    float

    Examples
    --------
    >>> from infocourse.nn import code_entropy
    >>> code_entropy([0, 0, 1, 3])
    1.5

    References
    ----------
    Cover and Thomas (2006), chapter 5; S. Han, H. Mao and W. J. Dally,
    "Deep Compression", ICLR 2016, section 4.
    """
    base = v.check_base(base)
    arr = v.to_numpy(codes)
    if arr.size == 0:
        raise ValueError("codes is empty; pass at least one code.")
    if arr.dtype.kind not in "iub":
        raise TypeError(
            f"codes must hold integers (the quantization codes), got dtype {arr.dtype}; "
            f"use quantize_uniform(x, bits).codes."
        )
    _, counts = np.unique(arr.ravel(), return_counts=True)
    return float(entropy(normalize(counts), base=base))


def _quantized_names(model, include_bias):
    return [name for name, p in model.named_parameters() if include_bias or p.ndim >= 2]


def quantize_model(model, bits, *, include_bias=False):
    r"""A copy of ``model`` whose weights are quantized with :func:`quantize_uniform`.

    Each weight tensor (every parameter with two or more dimensions, and the
    biases too with ``include_bias=True``) gets its own scale and zero point
    (per-tensor quantization) and is replaced by its de-quantized values; the
    original model is left unchanged.

    Parameters
    ----------
    model : torch.nn.Module
    bits : int
        Bits per weight, 1 to 32.
    include_bias : bool, default False
        Biases are few and usually kept in full precision.

    Returns
    -------
    quantized_model : torch.nn.Module
        A deep copy, in the same training/eval mode and on the same device.
    quantized : dict of str to UniformQuantization
        One entry per quantized parameter name (codes, scale, zero point).

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import MLP, quantize_model
    >>> _ = torch.manual_seed(0)
    >>> net = MLP(4, 3, hidden=(8,))
    >>> qnet, q = quantize_model(net, bits=2)
    >>> sorted(q), len(torch.unique(qnet.layers[0].weight)) <= 4
    (['layers.0.weight', 'layers.1.weight'], True)

    References
    ----------
    Han, Mao and Dally (2016); Jacob et al. (2018).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}.")
    bits = v.check_int(bits, "bits", minimum=1, maximum=32)
    if not isinstance(include_bias, bool):
        raise TypeError(f"include_bias must be True or False, got {include_bias!r}.")
    names = _quantized_names(model, include_bias)
    if not names:
        raise ValueError(
            "model has no parameters to quantize (no weight matrices); pass "
            "include_bias=True to quantize 1-D parameters too."
        )
    qmodel = copy.deepcopy(model)
    params = dict(qmodel.named_parameters())
    quantized = {}
    with torch.no_grad():
        for name in names:
            q = quantize_uniform(params[name], bits)
            params[name].copy_(q.values)
            quantized[name] = q
    return qmodel, quantized


def model_code_entropy(quantized, *, base=2):
    r"""Bits per weight an entropy coder needs for a quantized model.

    Each tensor is coded with its own code book, so the rate is the
    size-weighted mean of the per-tensor code entropies:

    .. math:: \bar H = \frac{\sum_t N_t \hat H_t}{\sum_t N_t}

    Parameters
    ----------
    quantized : dict of str to UniformQuantization
        As returned by :func:`quantize_model`.
    base : float, default 2

    Returns
    -------
    float
        At most the fixed ``bits`` per weight.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import MLP, model_code_entropy, quantize_model
    >>> _ = torch.manual_seed(0)
    >>> _, q = quantize_model(MLP(16, 4, hidden=(32,)), bits=4)
    >>> 0 < model_code_entropy(q) <= 4
    True

    References
    ----------
    Han, Mao and Dally (2016), section 4.
    """
    base = v.check_base(base)
    _check_quantized(quantized)
    sizes = [int(np.prod(q.codes.shape)) for q in quantized.values()]
    rates = [code_entropy(q.codes, base=base) for q in quantized.values()]
    return float(np.dot(sizes, rates) / sum(sizes))


def _check_quantized(quantized):
    if not isinstance(quantized, dict) or not quantized or not all(
        isinstance(q, UniformQuantization) for q in quantized.values()
    ):
        raise TypeError(
            "quantized must be a non-empty dict of UniformQuantization results, "
            "e.g. the second value returned by quantize_model(model, bits)."
        )


def model_huffman_length(quantized):
    r"""Bits per weight of Huffman-coding each quantized tensor's codes.

    One Huffman code per tensor, built from that tensor's code frequencies
    (:func:`infocourse.coding.huffman_code_lengths`); the result is the
    size-weighted mean of the per-tensor expected lengths, and lies in
    :math:`[\bar H, \bar H + 1)` with :math:`\bar H` from
    :func:`model_code_entropy`. The code books (a length per used code) are
    not counted.

    Parameters
    ----------
    quantized : dict of str to UniformQuantization
        As returned by :func:`quantize_model`.

    Returns
    -------
    float
        Bits per weight.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import MLP, model_code_entropy, model_huffman_length, quantize_model
    >>> _ = torch.manual_seed(0)
    >>> _, q = quantize_model(MLP(16, 4, hidden=(32,)), bits=4)
    >>> model_code_entropy(q) <= model_huffman_length(q) < model_code_entropy(q) + 1
    True

    References
    ----------
    Huffman (1952); Han, Mao and Dally (2016), section 4.
    """
    _check_quantized(quantized)
    total, count = 0.0, 0
    for q in quantized.values():
        codes = v.to_numpy(q.codes)
        _, counts = np.unique(codes.ravel(), return_counts=True)
        p = counts / counts.sum()
        total += expected_code_length(p, huffman_code_lengths(p)) * counts.sum()
        count += int(counts.sum())
    return float(total / count)
