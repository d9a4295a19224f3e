r"""Conditional mutual information :math:`I(X; Y \mid Z)` of a three-variable table.

The conditioned-on variable is named explicitly (``given=``), so a table with
axes in any order gives the quantity the caller means. numpy in gives numpy
out, torch in gives torch out (as in the core measures).
"""

from __future__ import annotations

import numbers

from . import _validation as v
from ._backend import nats_to, ops_for

__all__ = ["conditional_mutual_information"]


def _given_axis(given):
    """Check ``given``: the axis (0, 1 or 2) of the conditioned-on variable."""
    if given is None:
        raise TypeError(
            "given must not be None: pass the axis (0, 1 or 2) of the variable to "
            "condition on, e.g. given=2 for I(X; Y | Z) on a table with axes (X, Y, Z)."
        )
    if isinstance(given, bool) or not isinstance(given, numbers.Integral):
        raise TypeError(
            f"given must be an int axis index (0, 1 or 2), got "
            f"{type(given).__name__} {given!r}."
        )
    given = int(given)
    if given not in (0, 1, 2):
        raise ValueError(
            f"given must be 0, 1 or 2 (the axis of the conditioned-on variable in "
            f"the 3-D table), got {given}. Negative axes are not accepted: name the "
            f"axis explicitly."
        )
    return given


def _cmi_middle(p, base):
    """I(A; C | B) of a checked 3-D table with axes (A, B, C), in units of ``base``."""
    ops = ops_for(p)
    p_ab = ops.sum(p, axis=2, keepdims=True)
    p_bc = ops.sum(p, axis=0, keepdims=True)
    p_b = ops.sum(p_ab, axis=0, keepdims=True)
    # For each b: KL of p(a, c | b) to p(a | b) p(c | b), weighted by p(b).
    # Dividing by p(b) only where it is positive; slices with p(b) = 0 are zero.
    safe_b = ops.where(p_b > 0, p_b, 1.0)
    prod = p_ab * p_bc / safe_b
    return ops.finish(nats_to(ops.sum(ops.rel_entr(p, prod)), base))


def _cmi(p, given, base):
    """Core of :func:`conditional_mutual_information` on a checked table."""
    x_axis, y_axis = (a for a in range(3) if a != given)
    order = (x_axis, given, y_axis)
    p = ops_for(p).permute(p, order)
    return _cmi_middle(p, base)


def conditional_mutual_information(p, *, given, base=2):
    r"""Conditional mutual information :math:`I(X; Y \mid Z)` of a 3-D joint table.

    ``given`` is the axis of the conditioned-on variable :math:`Z`; the other
    two axes are :math:`X` and :math:`Y`, in their order in the table. So on a
    table with axes (X, Y, Z), ``given=2`` gives :math:`I(X; Y \mid Z)` (the
    quantity dit and NPEET write ``I(X;Y|Z)``), and ``given=1`` gives
    :math:`I(X; Z \mid Y)`.

    .. math::
        I(X; Y \mid Z) = H(X \mid Z) - H(X \mid Y, Z)
        = \sum_z p(z)\, D_{KL}\big(p(x, y \mid z) \,\big\|\,
          p(x \mid z)\, p(y \mid z)\big)
        = \sum_{x, y, z} p(x, y, z)
          \log_b \frac{p(x, y, z)\, p(z)}{p(x, z)\, p(y, z)}

    It is symmetric in X and Y, never negative, and zero if and only if X and
    Y are conditionally independent given Z. It can be larger or smaller than
    :math:`I(X; Y)`.

    Parameters
    ----------
    p : array_like or torch.Tensor, shape (n0, n1, n2)
        Joint probabilities of three variables, summing to 1.
    given : int
        Required keyword: the axis (0, 1 or 2) of the variable conditioned on.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    numpy scalar or 0-d torch.Tensor
        :math:`I(X; Y \mid Z)` in units of ``base``; non-negative up to
        rounding.

    Raises
    ------
    TypeError
        If ``given`` is missing, not an int, or a bool.
    ValueError
        If ``given`` is not 0, 1 or 2, or ``p`` is not a 3-D table of
        probabilities summing to 1.

    See Also
    --------
    infocourse.mutual_information : :math:`I(X; Y)` of a 2-D table.
    infocourse.conditional_entropy : :math:`H(Y \mid X)` of a 2-D table.
    infocourse.markov.conditional_mutual_information : the same quantity
        conditioned on the middle axis of a Markov chain's table.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*,
       2nd ed., Wiley, 2006, eq. (2.60) and theorem 2.5.2.
    .. [2] D. J. C. MacKay, *Information Theory, Inference, and Learning
       Algorithms*, Cambridge University Press, 2003, chapter 8.

    Examples
    --------
    X and Y independent fair bits and Z = X xor Y: they share nothing, until
    Z is known.

    >>> import numpy as np
    >>> import infocourse as ic
    >>> p = np.zeros((2, 2, 2))                       # axes (X, Y, Z)
    >>> for x in (0, 1):
    ...     for y in (0, 1):
    ...         p[x, y, x ^ y] = 0.25
    >>> print(ic.mutual_information(p.sum(axis=2)))   # I(X; Y)
    0.0
    >>> print(ic.conditional_mutual_information(p, given=2))  # I(X; Y | Z)
    1.0

    In nats, and with the conditioned-on variable on another axis:

    >>> import math
    >>> print(round(float(ic.conditional_mutual_information(
    ...     p.transpose(2, 0, 1), given=0, base=math.e)), 6))   # ln 2
    0.693147
    """
    given = _given_axis(given)
    base = v.check_base(base)
    p = v.as_array(p, "p")
    if p.ndim != 3:
        raise ValueError(
            f"p must be a 3-D joint table with one axis per variable, got shape "
            f"{tuple(p.shape)}. For two variables use infocourse.mutual_information; "
            f"for more, sum the other axes out first."
        )
    p = v.joint_table(p, "p", ndim=3)
    return _cmi(p, given, base)
