r"""Binned information-plane coordinates of a network layer (chapter 8).

Shwartz-Ziv and Tishby (2017) placed each hidden layer :math:`T` of a network
at :math:`(I(X; T), I(T; Y))`, estimated by binning the activations. Chapter 8
reproduces their estimate and shows why it measures how activations cluster at
the chosen resolution rather than information: for a deterministic layer and
:math:`X` uniform over :math:`n` distinct inputs, :math:`I(X; T) = H(T) \le
\log n`, reached as soon as every input has its own pattern of bins, and then
the plug-in :math:`I(T; Y)` is the plug-in :math:`H(Y)`, whatever the layer
computes (Goldfeld and Polyanskiy, 2020).
"""

from __future__ import annotations

from .. import estimate
from .._backend import is_tensor

__all__ = ["binned_layer_information"]


def binned_layer_information(activations, labels, *, bins, base=2):
    r"""Binned estimates of :math:`I(X; T)` and :math:`I(T; Y)` for one layer.

    Every unit's activation is cut into ``bins`` equal-width bins over the
    layer's range (:func:`infocourse.estimate.discretize`), and each input's
    row of bin labels is one value of :math:`T`. With :math:`X` uniform over
    the inputs and a deterministic layer, :math:`T` is a function of
    :math:`X`, so

    .. math:: I(X; T) = H(T), \qquad I(T; Y) = H(T) + H(Y) - H(T, Y),

    both as plug-in estimates over the inputs.

    Parameters
    ----------
    activations : array_like or torch.Tensor
        The layer's activations, shape ``(n, units)`` (or ``(n,)`` for one
        unit), one row per input; tensors are detached and moved to the CPU.
    labels : array_like or torch.Tensor
        The ``n`` class labels :math:`Y`.
    bins : int
        Bins per unit.
    base : float, default 2
        Logarithm base: 2 gives bits.

    Returns
    -------
    (float, float)
        :math:`(I(X; T), I(T; Y))` in units of ``base``; the first is at most
        :math:`\log n`, the second at most the plug-in :math:`H(Y)`.

    Examples
    --------
    >>> import numpy as np
    >>> from infocourse.nn import binned_layer_information
    >>> h = np.array([[0.0, 0.1], [0.2, 0.9], [0.8, 1.0], [1.0, 0.95]])
    >>> binned_layer_information(h, [0, 0, 1, 1], bins=2)   # patterns 00, 01, 11, 11
    (1.5, 1.0)

    References
    ----------
    R. Shwartz-Ziv and N. Tishby, "Opening the Black Box of Deep Neural
    Networks via Information", arXiv:1703.00810 (2017). Z. Goldfeld and
    Y. Polyanskiy, "The Information Bottleneck Problem and Its Applications
    in Machine Learning", IEEE JSAIT 1 (2020).
    """
    if is_tensor(activations):
        activations = activations.detach().cpu()
    codes = estimate.discretize(activations, bins, name="activations")
    i_xt = estimate.entropy(codes, method="plugin", base=base)
    i_ty = estimate.mutual_information(codes, labels, method="plugin", base=base)
    return float(i_xt), float(i_ty)
