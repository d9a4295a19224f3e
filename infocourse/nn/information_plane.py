r"""Binned information-plane coordinates of a network layer (chapter 8).

Shwartz-Ziv and Tishby (2017) placed each hidden layer :math:`T` of a network
at :math:`(I(X; T), I(T; Y))`, estimated by binning the activations. Chapter 8
reproduces their estimate and shows why it measures how activations cluster at
the chosen resolution rather than information: for a deterministic layer and
:math:`X` uniform over :math:`n` distinct inputs, :math:`I(X; T) = H(T) \le
\log n`, reached as soon as every input has its own pattern of bins, and then
the plug-in :math:`I(T; Y)` is the plug-in :math:`H(Y)`, whatever the layer
computes (Goldfeld and Polyanskiy, 2020). For a continuous :math:`X` and any
deterministic layer whose output has a non-atomic distribution, the true
:math:`I(X; T)` is infinite (Amjad and Geiger, 2019).
"""

from __future__ import annotations

import numpy as np

from .. import _validation as v
from .. import estimate
from ..estimate import _checks as c
from ..estimate.histogram import codes_for

__all__ = ["binned_layer_information"]


def binned_layer_information(activations, labels, *, bins, value_range=None, base=2):
    r"""Binned estimates of :math:`I(X; T)` and :math:`I(T; Y)` for one layer.

    Every unit's activation is cut into ``bins`` equal-width bins, and each
    input's row of bin labels is one value of :math:`T`. The bins span
    ``value_range`` if it is given (the same edges for every snapshot of a
    training run, as in Saxe et al. 2018: :math:`[-1, 1]` for tanh), and
    otherwise the layer's own range in this call
    (:func:`infocourse.estimate.discretize`), which moves the edges as the
    activations grow or shrink. With :math:`X` uniform over the inputs and a
    deterministic layer, :math:`T` is a function of :math:`X`, so

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
    value_range : (float, float), optional
        Fixed ``(low, high)`` for the bin edges,
        ``numpy.linspace(low, high, bins + 1)``; every activation must lie
        in it (a value on ``high`` falls in the last bin). Default: the
        minimum and maximum of ``activations``.
    base : float, default 2
        Logarithm base: 2 gives bits.

    Returns
    -------
    (float, float)
        :math:`(I(X; T), I(T; Y))` in units of ``base``; the first is at most
        :math:`\log n`, the second at most the plug-in :math:`H(Y)`.

    Raises
    ------
    ValueError
        If ``value_range`` is not an increasing pair of finite numbers, or
        an activation lies outside it.

    See Also
    --------
    infocourse.estimate.discretize : The binning used without ``value_range``.

    Examples
    --------
    >>> import numpy as np
    >>> from infocourse.nn import binned_layer_information
    >>> h = np.array([[0.0, 0.1], [0.2, 0.9], [0.8, 1.0], [1.0, 0.95]])
    >>> binned_layer_information(h, [0, 0, 1, 1], bins=2)   # patterns 00, 01, 11, 11
    (1.5, 1.0)

    Fixed edges on :math:`[-1, 1]` put all four rows in one pattern:

    >>> binned_layer_information(h, [0, 0, 1, 1], bins=2, value_range=(-1, 1))
    (0.0, 0.0)

    References
    ----------
    .. [1] R. Shwartz-Ziv and N. Tishby, "Opening the Black Box of Deep
       Neural Networks via Information", arXiv:1703.00810 (2017).
    .. [2] A. M. Saxe et al., "On the Information Bottleneck Theory of Deep
       Learning", ICLR 2018.
    .. [3] R. A. Amjad and B. C. Geiger, "Learning Representations for Neural
       Network-Based Classification Using the Information Bottleneck
       Principle", IEEE TPAMI 42, 2225-2239 (2020), arXiv:1802.09766.
    .. [4] Z. Goldfeld and Y. Polyanskiy, "The Information Bottleneck Problem
       and Its Applications in Machine Learning", IEEE JSAIT 1 (2020).
    """
    activations = v.to_numpy(activations)
    n = c.continuous(activations, "activations").shape[0]
    c.same_length(n, c._label_array(labels, "labels").shape[0], ("activations", "labels"))
    if value_range is None:
        codes = estimate.discretize(activations, bins, name="activations")
    else:
        bins = v.check_int(bins, "bins", minimum=1)
        low, high = _check_range(value_range)
        shape = np.shape(activations)
        flat = c.continuous(activations, "activations").reshape(-1)
        edges = np.linspace(low, high, bins + 1)
        codes, _ = codes_for(flat, edges, "activations", name="value_range")
        codes = codes.reshape(shape)
    i_xt = estimate.entropy(codes, method="plugin", base=base)
    i_ty = estimate.mutual_information(codes, labels, method="plugin", base=base)
    return float(i_xt), float(i_ty)


def _check_range(value_range):
    """``value_range`` as two floats ``low < high``."""
    try:
        low, high = value_range
    except (TypeError, ValueError):
        raise TypeError(
            f"value_range must be a pair (low, high), got {value_range!r}."
        ) from None
    low = v.check_real(low, "value_range[0]")
    high = v.check_real(high, "value_range[1]")
    if not low < high:
        raise ValueError(
            f"value_range must satisfy low < high, got ({low!r}, {high!r}); "
            f"for tanh use (-1, 1)."
        )
    return low, high
