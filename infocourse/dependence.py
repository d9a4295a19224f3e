"""Shared information between two variables, from their joint table."""

from __future__ import annotations

from . import _validation as v
from ._backend import nats_to, ops_for


def mutual_information(p_xy, *, base=2):
    r"""Mutual information of X (rows) and Y (columns) from their joint table.

    .. math::
        I(X; Y) = \sum_{x, y} p(x, y) \log_b \frac{p(x, y)}{p(x)\, p(y)}
                = D_{KL}\big(p_{XY} \,\|\, p_X \otimes p_Y\big)
                = H(X) + H(Y) - H(X, Y)

    The marginals are computed from ``p_xy`` itself, so they always match it.

    Parameters
    ----------
    p_xy : array_like or torch.Tensor
        2-D joint probabilities (rows X, columns Y) summing to 1.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    numpy scalar or 0-d torch.Tensor
        Non-negative up to rounding (about 1e-16); zero iff X and Y are
        independent.

    Examples
    --------
    >>> from infocourse import mutual_information
    >>> print(mutual_information([[0.5, 0.0], [0.0, 0.5]]))   # Y = X, one fair bit
    1.0
    >>> print(mutual_information([[0.25, 0.25], [0.25, 0.25]]))
    0.0

    References
    ----------
    Cover and Thomas (2006), eq. (2.28).
    """
    base = v.check_base(base)
    p_xy = v.joint_table(p_xy, "p_xy")
    ops = ops_for(p_xy)
    p_x = ops.sum(p_xy, axis=1, keepdims=True)
    p_y = ops.sum(p_xy, axis=0, keepdims=True)
    # I = sum_x p(x) KL(p(y|x) || p(y)). Dividing by p(x) first, rather than
    # by the product p(x)p(y), avoids underflow of that product to 0 for tiny
    # probabilities (which would give inf). Rows with p(x) = 0 are all zero.
    p_y_given_x = p_xy / ops.where(p_x > 0, p_x, 1.0)
    return ops.finish(nats_to(ops.sum(p_x * ops.rel_entr(p_y_given_x, p_y)), base))


def pointwise_mutual_information(p_xy, *, base=2):
    r"""Pointwise mutual information of every cell of a joint table.

    .. math:: \operatorname{pmi}(x; y) = \log_b \frac{p(x, y)}{p(x)\, p(y)}

    Positive where the pair occurs more often than under independence,
    negative where less often, ``-inf`` where ``p(x, y) = 0`` and NaN in a
    row or column with zero marginal (the pair is undefined there). Its
    ``p(x, y)``-weighted average is :func:`mutual_information`.

    Parameters
    ----------
    p_xy : array_like or torch.Tensor
        2-D joint probabilities (rows X, columns Y) summing to 1.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    numpy array or torch.Tensor, same shape as ``p_xy``

    Examples
    --------
    >>> from infocourse import pointwise_mutual_information
    >>> print(pointwise_mutual_information([[0.5, 0.0], [0.25, 0.25]]).round(3))
    [[ 0.415   -inf]
     [-0.585  1.   ]]

    References
    ----------
    R. M. Fano, *Transmission of Information*, MIT Press (1961); K. W. Church
    and P. Hanks, "Word association norms, mutual information, and
    lexicography", Computational Linguistics 16 (1990).
    """
    base = v.check_base(base)
    p_xy = v.joint_table(p_xy, "p_xy")
    ops = ops_for(p_xy)
    log_p_x = ops.log(ops.sum(p_xy, axis=1, keepdims=True))
    log_p_y = ops.log(ops.sum(p_xy, axis=0, keepdims=True))
    # Subtracting logs (not dividing by p(x)p(y)) avoids underflow of the product.
    return ops.finish(nats_to(ops.log(p_xy) - log_p_x - log_p_y, base))
