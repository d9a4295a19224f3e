r"""Discrete channels and Markov chains :math:`X_0 \to X_1 \to \dots \to X_k`.

A **channel** from an alphabet of size ``m`` to one of size ``n`` is a
row-stochastic ``(m, n)`` matrix :math:`W` with :math:`W[x, y] = p(y \mid x)`:
every row is a probability distribution. Feeding an input distribution
:math:`p(x)` through it gives the joint table :math:`p(x, y) = p(x) W[x, y]`;
passing the output through a second channel makes a Markov chain
:math:`X \to Y \to Z`, in which :math:`Z` depends on :math:`X` only through
:math:`Y`. These are the objects of the data-processing inequality,
:math:`I(X; Z) \le I(X; Y)`.

numpy in gives numpy out, torch in gives torch out (as in the core measures).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from . import _validation as v
from ._backend import first_tensor, ops_for
from .conditional import _cmi

__all__ = [
    "binary_symmetric_channel",
    "compose_channels",
    "conditional_mutual_information",
    "joint_from_channel",
    "markov_chain_joint",
    "output_distribution",
    "pair_table",
    "random_channel",
    "symmetric_channel",
]


def _channel(channel, name="channel", like=None):
    """Convert and check a row-stochastic matrix (each row sums to 1)."""
    w = v.as_array(channel, name, like=like)
    if w.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D row-stochastic matrix (rows: inputs, columns: "
            f"outputs, entry [x, y] = p(y | x)), got shape {tuple(w.shape)}."
        )
    v.check_distribution(w, name, 1, shown_axis=-1)
    return w


def _probability(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a probability (a number in [0, 1]), got {value!r}.")
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}.")
    return value


def binary_symmetric_channel(flip_prob):
    r"""The binary symmetric channel: flips its input bit with probability ``flip_prob``.

    .. math:: W = \begin{pmatrix} 1 - \varepsilon & \varepsilon \\ \varepsilon & 1 - \varepsilon \end{pmatrix}

    With a uniform input its mutual information is :math:`1 - h(\varepsilon)`
    bits (the capacity of the channel).

    Parameters
    ----------
    flip_prob : float
        The crossover probability :math:`\varepsilon \in [0, 1]`.

    Returns
    -------
    numpy.ndarray, shape (2, 2)

    Examples
    --------
    >>> from infocourse.markov import binary_symmetric_channel
    >>> print(binary_symmetric_channel(0.1))
    [[0.9 0.1]
     [0.1 0.9]]

    References
    ----------
    Cover and Thomas (2006), section 7.1.4.
    """
    e = _probability(flip_prob, "flip_prob")
    return np.array([[1.0 - e, e], [e, 1.0 - e]])


def symmetric_channel(n, error_prob):
    r"""An ``n``-ary symmetric channel: keeps the symbol with probability ``1 - error_prob``.

    Otherwise it outputs one of the other ``n - 1`` symbols, uniformly:

    .. math:: W[x, y] = (1 - \varepsilon)\,[x = y] + \frac{\varepsilon}{n - 1}\,[x \ne y]

    Parameters
    ----------
    n : int
        Alphabet size (>= 2).
    error_prob : float
        Probability :math:`\varepsilon \in [0, 1]` that the symbol is changed.

    Returns
    -------
    numpy.ndarray, shape (n, n)

    Examples
    --------
    >>> from infocourse.markov import symmetric_channel
    >>> print(symmetric_channel(3, 0.3))
    [[0.7  0.15 0.15]
     [0.15 0.7  0.15]
     [0.15 0.15 0.7 ]]

    References
    ----------
    Cover and Thomas (2006), section 7.2.
    """
    n = v.check_int(n, "n", minimum=2)
    e = _probability(error_prob, "error_prob")
    w = np.full((n, n), e / (n - 1))
    np.fill_diagonal(w, 1.0 - e)
    return w


def random_channel(n_in, n_out, *, seed, concentration=1.0):
    r"""A random channel: each row drawn from a Dirichlet distribution.

    Parameters
    ----------
    n_in, n_out : int
        Input and output alphabet sizes (>= 1).
    seed : int >= 0, numpy.random.Generator or None
        Seed (or generator) for reproducibility; required, so that ``None``
        (fresh entropy) is a deliberate choice.
    concentration : float, default 1.0
        Dirichlet parameter (> 0): 1 draws rows uniformly from the simplex,
        small values give nearly deterministic rows, large values nearly
        uniform rows (a very noisy channel).

    Returns
    -------
    numpy.ndarray, shape (n_in, n_out)
        Row-stochastic.

    Examples
    --------
    >>> from infocourse.markov import random_channel
    >>> w = random_channel(3, 4, seed=0)
    >>> w.shape, bool(np.allclose(w.sum(axis=1), 1.0))
    ((3, 4), True)

    References
    ----------
    Cover and Thomas (2006), section 7.1.
    """
    n_in = v.check_positive_int(n_in, "n_in")
    n_out = v.check_positive_int(n_out, "n_out")
    if isinstance(concentration, bool) or not isinstance(concentration, numbers.Real) or not (
        math.isfinite(concentration) and concentration > 0
    ):
        raise ValueError(f"concentration must be a finite number > 0, got {concentration!r}.")
    rng = v.check_seed(seed)
    return rng.dirichlet(np.full(n_out, float(concentration)), size=n_in)


def output_distribution(p_x, channel):
    r"""Distribution of the output of a channel fed with ``p_x``.

    .. math:: p(y) = \sum_x p(x)\, W[x, y]

    Parameters
    ----------
    p_x : array_like or torch.Tensor, shape (m,)
        Input distribution.
    channel : array_like or torch.Tensor, shape (m, n)
        Row-stochastic matrix.

    Returns
    -------
    numpy array or torch.Tensor, shape (n,)

    Examples
    --------
    >>> from infocourse.markov import binary_symmetric_channel, output_distribution
    >>> print(output_distribution([0.8, 0.2], binary_symmetric_channel(0.25)))
    [0.65 0.35]

    References
    ----------
    Cover and Thomas (2006), section 7.1.
    """
    return joint_from_channel(p_x, channel).sum(0)


def joint_from_channel(p_x, channel):
    r"""Joint table of a channel's input and output.

    .. math:: p(x, y) = p(x)\, W[x, y]

    Parameters
    ----------
    p_x : array_like or torch.Tensor, shape (m,)
        Input distribution (sums to 1).
    channel : array_like or torch.Tensor, shape (m, n)
        Row-stochastic matrix, ``channel[x, y] = p(y | x)``.

    Returns
    -------
    numpy array or torch.Tensor, shape (m, n)
        Rows X, columns Y; sums to 1. Pass it to
        :func:`infocourse.mutual_information`.

    Raises
    ------
    ValueError
        If ``p_x`` is not a distribution, a row of ``channel`` does not sum to
        1, or the sizes do not match.

    Examples
    --------
    >>> import infocourse as ic
    >>> from infocourse.markov import binary_symmetric_channel, joint_from_channel
    >>> p_xy = joint_from_channel([0.5, 0.5], binary_symmetric_channel(0.11))
    >>> print(round(float(ic.mutual_information(p_xy)), 3))     # 1 - h(0.11)
    0.5

    References
    ----------
    Cover and Thomas (2006), section 7.1.
    """
    p, _ = v.distribution(p_x, "p_x", like=first_tensor(channel), like_name="channel")
    if p.ndim != 1:
        raise ValueError(f"p_x must be a 1-D distribution, got shape {tuple(p.shape)}.")
    w = _channel(channel, like=first_tensor(p))
    if w.shape[0] != p.shape[0]:
        raise ValueError(
            f"channel has {w.shape[0]} rows (inputs) but p_x has {p.shape[0]} outcomes; "
            f"the channel needs one row per input symbol."
        )
    v.check_same_shape(p, w[:, 0], ("p_x", "channel's first column"))
    return p[:, None] * w


def compose_channels(*channels):
    r"""The channel obtained by applying channels one after another.

    .. math:: (W_1 W_2)[x, z] = \sum_y W_1[x, y]\, W_2[y, z]

    Parameters
    ----------
    *channels : array_like or torch.Tensor
        Row-stochastic matrices with matching sizes (output of one = input of
        the next).

    Returns
    -------
    numpy array or torch.Tensor
        Row-stochastic, shape (inputs of the first, outputs of the last).

    Examples
    --------
    >>> from infocourse.markov import binary_symmetric_channel, compose_channels
    >>> w = compose_channels(binary_symmetric_channel(0.1), binary_symmetric_channel(0.2))
    >>> print(w.round(2))      # flips with 0.1*0.8 + 0.9*0.2 = 0.26
    [[0.74 0.26]
     [0.26 0.74]]

    References
    ----------
    Cover and Thomas (2006), section 2.8.
    """
    if not channels:
        raise ValueError("compose_channels needs at least one channel.")
    like = first_tensor(*channels)
    mats = [_channel(c, f"channels[{i}]", like=like) for i, c in enumerate(channels)]
    out = mats[0]
    for i, w in enumerate(mats[1:], start=1):
        if w.shape[0] != out.shape[1]:
            raise ValueError(
                f"channels[{i}] has {w.shape[0]} inputs but the channel before it has "
                f"{out.shape[1]} outputs; the sizes must chain."
            )
        out = out @ w
    return out


def markov_chain_joint(p_x, *channels):
    r"""Full joint table of a Markov chain :math:`X_0 \to X_1 \to \dots \to X_k`.

    .. math:: p(x_0, x_1, \dots, x_k) = p(x_0)\, W_1[x_0, x_1] \cdots W_k[x_{k-1}, x_k]

    Parameters
    ----------
    p_x : array_like or torch.Tensor, shape (m,)
        Distribution of the first variable.
    *channels : array_like or torch.Tensor
        Row-stochastic matrices; ``channels[i]`` maps variable ``i`` to ``i + 1``.

    Returns
    -------
    numpy array or torch.Tensor
        ``k + 1`` axes, one per variable, summing to 1. Use :func:`pair_table`
        for the joint table of any two of them.

    Examples
    --------
    >>> from infocourse.markov import binary_symmetric_channel, markov_chain_joint
    >>> bsc = binary_symmetric_channel(0.1)
    >>> p_xyz = markov_chain_joint([0.5, 0.5], bsc, bsc)
    >>> p_xyz.shape, round(float(p_xyz[0, 0, 0]), 3)     # 0.5 * 0.9 * 0.9
    ((2, 2, 2), 0.405)

    References
    ----------
    Cover and Thomas (2006), section 2.8.
    """
    if not channels:
        raise ValueError("markov_chain_joint needs at least one channel.")
    joint = joint_from_channel(p_x, channels[0])
    like = first_tensor(joint)
    for i, c in enumerate(channels[1:], start=1):
        w = _channel(c, f"channels[{i}]", like=like)
        if w.shape[0] != joint.shape[-1]:
            raise ValueError(
                f"channels[{i}] has {w.shape[0]} inputs but the variable before it has "
                f"{joint.shape[-1]} values; the sizes must chain."
            )
        joint = joint[..., None] * w.reshape((1,) * (joint.ndim - 1) + tuple(w.shape))
    return joint


def pair_table(p_joint, i, j):
    r"""Joint table of two variables of a multi-variable joint table.

    .. math:: p(x_i, x_j) = \sum_{\text{other variables}} p(x_0, \dots, x_k)

    Parameters
    ----------
    p_joint : array_like or torch.Tensor
        Joint probabilities with one axis per variable, summing to 1.
    i, j : int
        The two axes to keep (different); the result has rows ``x_i`` and
        columns ``x_j``.

    Returns
    -------
    numpy array or torch.Tensor, 2-D

    Examples
    --------
    >>> from infocourse.markov import binary_symmetric_channel, markov_chain_joint, pair_table
    >>> bsc = binary_symmetric_channel(0.1)
    >>> print(pair_table(markov_chain_joint([0.5, 0.5], bsc, bsc), 0, 2).round(2))
    [[0.41 0.09]
     [0.09 0.41]]

    References
    ----------
    Cover and Thomas (2006), section 2.2.
    """
    p = v.joint_table(p_joint, "p_joint", ndim=None)
    if p.ndim < 2:
        raise ValueError(f"p_joint must have at least 2 axes, got shape {tuple(p.shape)}.")
    i = v.check_axis(p, i, "p_joint")
    j = v.check_axis(p, j, "p_joint")
    if i == j:
        raise ValueError(f"i and j must be two different axes, got both = {i}.")
    others = tuple(a for a in range(p.ndim) if a not in (i, j))
    ops = ops_for(p)
    table = ops.sum(p, axis=others) if others else p
    return table if i < j else table.T


def conditional_mutual_information(p_xyz, *, base=2):
    r"""Conditional mutual information :math:`I(X; Z \mid Y)` of a chain's table (axes X, Y, Z).

    A thin wrapper: ``conditional_mutual_information(p_xyz)`` here is
    ``infocourse.conditional_mutual_information(p_xyz, given=1)``. It
    conditions on the **middle** axis, as in a chain :math:`X \to Y \to Z`,
    where it is zero if and only if X and Z are conditionally independent
    given Y, i.e. if the three form a Markov chain.

    .. math::
        I(X; Z \mid Y) = \sum_{x, y, z} p(x, y, z)
        \log_b \frac{p(x, y, z)\, p(y)}{p(x, y)\, p(y, z)}
        = H(X, Y) + H(Y, Z) - H(Y) - H(X, Y, Z)

    .. warning::
       The middle axis is the conditioned-on one. dit and NPEET write
       ``I(X;Y|Z)`` for a table with axes (X, Y, Z), which conditions on the
       **last** axis: for that quantity call
       :func:`infocourse.conditional_mutual_information` with ``given=2``
       (a literal port of such code to this function gives a different number).

    Parameters
    ----------
    p_xyz : array_like or torch.Tensor, shape (nx, ny, nz)
        Joint probabilities summing to 1, axes in chain order (X, Y, Z).
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    numpy scalar or 0-d torch.Tensor
        :math:`I(X; Z \mid Y)`; non-negative up to rounding.

    See Also
    --------
    infocourse.conditional_mutual_information : any axis conditioned on, by name.
    markov_chain_joint : the table of a chain, in the axis order expected here.

    Examples
    --------
    >>> import infocourse as ic
    >>> from infocourse.markov import binary_symmetric_channel, markov_chain_joint
    >>> from infocourse.markov import conditional_mutual_information
    >>> bsc = binary_symmetric_channel(0.1)
    >>> p_xyz = markov_chain_joint([0.5, 0.5], bsc, bsc)
    >>> print(round(float(conditional_mutual_information(p_xyz)), 12))
    0.0
    >>> print(round(float(ic.conditional_mutual_information(p_xyz, given=1)), 12))
    0.0

    References
    ----------
    Cover and Thomas (2006), eq. (2.60) and theorem 2.8.1.
    """
    base = v.check_base(base)
    p = v.joint_table(p_xyz, "p_xyz", ndim=3)
    return _cmi(p, 1, base)
