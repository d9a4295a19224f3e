r"""Contrastive estimation of mutual information: InfoNCE, its bound and critics.

A *critic* :math:`f(x, y)` scores how well ``y`` goes with ``x``. Given a
batch of :math:`K` positive pairs :math:`(x_i, y_i) \sim p(x, y)`, the
score matrix :math:`S_{ij} = f(x_i, y_j)` has the positives on its diagonal
and uses the other :math:`y_j` as negatives. The InfoNCE loss is the
cross-entropy of picking the right column in each row,

.. math::
    \mathcal L_{\text{NCE}} = \frac1K \sum_{i=1}^K
        -\log \frac{e^{S_{ii}}}{\sum_{j=1}^K e^{S_{ij}}},

and :math:`\log K - \mathcal L_{\text{NCE}}` is, in expectation, a lower
bound on :math:`I(X; Y)` that can never exceed :math:`\log K` (van den Oord
et al. 2018; Poole et al. 2019).

Conventions follow PyTorch: scores (logits) in, never probabilities;
``reduction=``; values in nats unless a ``base`` is given; stable through
``F.cross_entropy`` (a ``logsumexp`` inside).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .. import _validation as v
from .._backend import nats_to
from .models import MLP

__all__ = [
    "ConcatCritic",
    "GaussianOptimalCritic",
    "InfoNCELoss",
    "SeparableCritic",
    "correlated_gaussians",
    "info_nce_bound",
    "info_nce_ceiling",
    "info_nce_loss",
]

REDUCTIONS = ("mean", "sum", "none")


_OVERFLOW_HINT = (
    "the scores of a row span more than the dtype can hold, so the loss "
    "(max_j S_ij - S_ii, up to log K) is not representable. Compute in float64, "
    "or divide the scores by a temperature."
)


def info_nce_loss(scores, *, reduction="mean", symmetric=False):
    r"""InfoNCE loss of a critic's score matrix, in nats.

    Row :math:`i` is a :math:`K`-way classification whose correct class is
    column :math:`i`:

    .. math::
        \ell_i = -S_{ii} + \log \sum_{j=1}^K e^{S_{ij}},

    exactly ``F.cross_entropy(scores, torch.arange(K))``. With
    ``symmetric=True`` each example also classifies its column,
    :math:`\tfrac12(\ell_i^{\text{row}} + \ell_i^{\text{col}})` (the CLIP
    loss, Radford et al. 2021).

    Parameters
    ----------
    scores : torch.Tensor
        Shape ``(K, K)``, :math:`S_{ij} = f(x_i, y_j)`, positive pairs on the
        diagonal; any floating dtype and device.
    reduction : {"mean", "sum", "none"}, default "mean"
        Over the :math:`K` rows, as in ``torch.nn.CrossEntropyLoss``.
    symmetric : bool, default False

    Returns
    -------
    torch.Tensor
        Scalar, or shape ``(K,)`` for ``reduction="none"``; differentiable.
        Between 0 and :math:`\infty`; a critic that ignores its input gives
        :math:`\log K`.

    Raises
    ------
    ValueError
        If ``scores`` holds NaN or infinity, or if the loss of finite scores
        does not fit in their dtype (a row spanning more than the largest
        float, e.g. :math:`\pm 3 \times 10^{38}` in float32): it is never
        returned as ``inf``.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import info_nce_loss
    >>> print(round(float(info_nce_loss(torch.zeros(4, 4))), 4))  # log 4: no information
    1.3863
    >>> print(round(float(info_nce_loss(10 * torch.eye(4))), 4))  # confident and right
    0.0001

    References
    ----------
    A. van den Oord, Y. Li and O. Vinyals, "Representation Learning with
    Contrastive Predictive Coding", arXiv:1807.03748 (2018), eq. (4).
    """
    v.check_scores(scores)
    v.check_choice(reduction, "reduction", REDUCTIONS,
                   "'mean' averages over the rows, 'sum' adds them, 'none' returns one per row.")
    if not isinstance(symmetric, bool):
        raise TypeError(f"symmetric must be True or False, got {symmetric!r}.")
    targets = torch.arange(scores.shape[0], device=scores.device)
    per_row = F.cross_entropy(scores, targets, reduction="none")
    if symmetric:
        per_row = 0.5 * (per_row + F.cross_entropy(scores.T, targets, reduction="none"))
    if reduction == "mean":
        per_row = per_row.mean()
    elif reduction == "sum":
        per_row = per_row.sum()
    return v.check_finite_result(per_row, "info_nce_loss", _OVERFLOW_HINT)


class InfoNCELoss(nn.Module):
    """Module form of :func:`info_nce_loss`, like ``torch.nn.CrossEntropyLoss``.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}, default "mean"
    symmetric : bool, default False

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import InfoNCELoss
    >>> print(round(float(InfoNCELoss()(torch.zeros(8, 8))), 4))
    2.0794

    References
    ----------
    van den Oord, Li and Vinyals (2018).
    """

    def __init__(self, *, reduction="mean", symmetric=False):
        super().__init__()
        self.reduction = v.check_choice(reduction, "reduction", REDUCTIONS)
        self.symmetric = symmetric

    def forward(self, scores):
        """The loss of one ``(K, K)`` score matrix."""
        return info_nce_loss(scores, reduction=self.reduction, symmetric=self.symmetric)

    def extra_repr(self):
        return f"reduction={self.reduction!r}, symmetric={self.symmetric}"


def info_nce_bound(scores, *, base=2):
    r"""The InfoNCE lower bound on :math:`I(X; Y)` from one batch of scores.

    .. math::
        \hat I_{\text{NCE}} = \log K - \mathcal L_{\text{NCE}}
        = \frac1K \sum_{i=1}^K \log
          \frac{e^{S_{ii}}}{\frac1K \sum_{j=1}^K e^{S_{ij}}}
        \;\le\; \log K.

    Its expectation over batches is at most :math:`I(X; Y)` for every
    critic (Poole et al. 2019, eq. (12)); a single batch is a noisy
    estimate, so average it over several batches.

    Parameters
    ----------
    scores : torch.Tensor
        ``(K, K)`` critic scores, positives on the diagonal.
    base : float, default 2
        Logarithm base of the result: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    torch.Tensor
        Scalar, differentiable (maximise it to train the critic).

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import info_nce_bound
    >>> print(round(float(info_nce_bound(torch.zeros(16, 16))), 4))     # useless critic
    0.0
    >>> print(round(float(info_nce_bound(50 * torch.eye(16))), 4))      # the ceiling log2 16
    4.0

    References
    ----------
    B. Poole, S. Ozair, A. van den Oord, A. Alemi and G. Tucker, "On
    Variational Bounds of Mutual Information", ICML 2019, section 2.3.
    """
    base = v.check_base(base)
    nats = math.log(v.check_scores(scores).shape[0]) - info_nce_loss(scores)
    return v.check_finite_result(nats_to(nats, base), "info_nce_bound", _OVERFLOW_HINT)


def info_nce_ceiling(batch_size, *, base=2):
    r"""The largest value the InfoNCE bound can take with ``batch_size`` pairs: :math:`\log K`.

    Each row's log-ratio :math:`\log \frac{e^{S_{ii}}}{\frac1K\sum_j e^{S_{ij}}}`
    is at most :math:`\log K`, however good the critic; so InfoNCE cannot
    certify more than :math:`\log K` of mutual information, and estimating a
    large MI needs exponentially large batches.

    Parameters
    ----------
    batch_size : int
        :math:`K \ge 1`.
    base : float, default 2

    Returns
    -------
    float

    Examples
    --------
    >>> from infocourse.nn import info_nce_ceiling
    >>> info_nce_ceiling(256)
    8.0
    >>> print(round(info_nce_ceiling(256, base=math.e), 4))
    5.5452

    References
    ----------
    Poole et al. (2019), section 2.3; D. McAllester and K. Stratos, "Formal
    Limitations on the Measurement of Mutual Information", AISTATS 2020.
    """
    base = v.check_base(base)
    k = v.check_int(batch_size, "batch_size", minimum=1)
    return math.log2(k) if base == 2 else nats_to(math.log(k), base)


class SeparableCritic(nn.Module):
    r"""Separable critic :math:`f(x, y) = g(x)^\top h(y) / \tau`.

    Two small MLPs embed ``x`` and ``y``; all :math:`K^2` scores of a batch
    are one matrix product, which is why contrastive learning uses this form.

    Parameters
    ----------
    dim_x, dim_y : int
        Input dimensions.
    hidden : int, default 64
        Width of the single hidden layer of each embedding network.
    embed : int, default 32
        Embedding dimension.
    activation : str, default "relu"
        See :class:`infocourse.nn.MLP`.
    temperature : float, default 1.0
        :math:`\tau > 0`.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import SeparableCritic
    >>> _ = torch.manual_seed(0)
    >>> critic = SeparableCritic(3, 2)
    >>> tuple(critic(torch.randn(5, 3), torch.randn(5, 2)).shape)
    (5, 5)

    References
    ----------
    Poole et al. (2019), section 5 ("separable critic").
    """

    def __init__(self, dim_x, dim_y, *, hidden=64, embed=32, activation="relu",
                 temperature=1.0):
        super().__init__()
        self.g = MLP(dim_x, embed, hidden=(hidden,), activation=activation)
        self.h = MLP(dim_y, embed, hidden=(hidden,), activation=activation)
        self.temperature = v.check_real(temperature, "temperature", low=0, low_open=True)

    def forward(self, x, y):
        """Scores ``(K, K)``: entry ``[i, j]`` is :math:`f(x_i, y_j)`."""
        v.check_pair(x, y)
        return self.g(x) @ self.h(y).T / self.temperature


class ConcatCritic(nn.Module):
    r"""Joint critic :math:`f(x, y) = \mathrm{MLP}([x; y])` on the concatenation.

    More flexible than :class:`SeparableCritic` but costs :math:`K^2` network
    evaluations per batch of :math:`K` pairs.

    Parameters
    ----------
    dim_x, dim_y : int
    hidden : int or sequence of int, default (64,)
        Hidden widths of the MLP.
    activation : str, default "relu"

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import ConcatCritic
    >>> _ = torch.manual_seed(0)
    >>> critic = ConcatCritic(3, 2)
    >>> tuple(critic(torch.randn(5, 3), torch.randn(5, 2)).shape)
    (5, 5)

    References
    ----------
    Poole et al. (2019), section 5 ("concat critic").
    """

    def __init__(self, dim_x, dim_y, *, hidden=(64,), activation="relu"):
        super().__init__()
        self.net = MLP(dim_x + dim_y, 1, hidden=hidden, activation=activation)

    def forward(self, x, y):
        """Scores ``(K, K)``: entry ``[i, j]`` is :math:`f(x_i, y_j)`."""
        v.check_pair(x, y)
        k = x.shape[0]
        pairs = torch.cat(
            [x.unsqueeze(1).expand(k, k, x.shape[1]), y.unsqueeze(0).expand(k, k, y.shape[1])],
            dim=2,
        )
        return self.net(pairs).squeeze(-1)


class GaussianOptimalCritic(nn.Module):
    r"""The optimal critic for :func:`correlated_gaussians`: the pointwise MI.

    .. math::
        f^*(x, y) = \log \frac{p(y \mid x)}{p(y)}
        = \sum_{k=1}^d \Big[ -\frac{(y_k - \rho x_k)^2}{2(1 - \rho^2)}
          - \tfrac12 \log(1 - \rho^2) + \frac{y_k^2}{2} \Big]

    InfoNCE is maximised by :math:`f^*(x, y) + c(x)` for any function
    :math:`c` of ``x`` alone (Poole et al. 2019): adding :math:`c(x_i)` to
    row :math:`i` of the score matrix leaves that row's softmax unchanged,
    whereas adding a function :math:`g(y_j)` shifts column :math:`j` and
    changes every row's softmax, so it lowers the bound. The mean of
    :math:`f^*` over positive pairs is :math:`I(X; Y)` in nats, but the
    InfoNCE bound with :math:`f^*` stays below :math:`I(X; Y)` at every
    finite :math:`K` and is tight only as :math:`K \to \infty`. With this
    critic the bound shows what the batch size alone allows, with no
    training error. It has no parameters.

    Parameters
    ----------
    rho : float
        The per-coordinate correlation, :math:`|\rho| < 1`.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import GaussianOptimalCritic
    >>> critic = GaussianOptimalCritic(0.0)           # independent: no information
    >>> print(critic(torch.randn(3, 2), torch.randn(3, 2)).abs().max().item())
    0.0

    A function of ``x`` added to the scores changes nothing; one of ``y``
    does:

    >>> from infocourse.nn import correlated_gaussians, info_nce_bound
    >>> g = torch.Generator().manual_seed(0)
    >>> x, y, rho = correlated_gaussians(256, 5, 4.0, generator=g, dtype=torch.float64)
    >>> s = GaussianOptimalCritic(rho)(x, y)
    >>> bound = float(info_nce_bound(s))
    >>> shift_x = float(info_nce_bound(s + 3 * (x**2).sum(1)[:, None]))
    >>> shift_y = float(info_nce_bound(s + 3 * (y**2).sum(1)[None, :]))
    >>> abs(shift_x - bound) < 1e-9, shift_y < 0 < bound < 4
    (True, True)

    References
    ----------
    Poole et al. (2019), section 2.3 and section 5.
    """

    def __init__(self, rho):
        super().__init__()
        rho = v.check_real(rho, "rho", low=-1, high=1, low_open=True, high_open=True)
        self.rho = rho

    def forward(self, x, y):
        """Scores ``(K, K)``: entry ``[i, j]`` is :math:`f^*(x_i, y_j)` in nats."""
        v.check_pair(x, y)
        if x.shape[1] != y.shape[1]:
            raise ValueError(
                f"x and y must have the same dimension (coordinate k of y is correlated "
                f"with coordinate k of x), got {x.shape[1]} and {y.shape[1]}."
            )
        var = 1.0 - self.rho**2
        diff = y.unsqueeze(0) - self.rho * x.unsqueeze(1)          # (K, K, d)
        cond = -0.5 * (diff**2).sum(-1) / var - 0.5 * x.shape[1] * math.log(var)
        return cond + 0.5 * (y**2).sum(-1).unsqueeze(0)

    def extra_repr(self):
        return f"rho={self.rho:g}"


def correlated_gaussians(n, dim, mutual_information, *, base=2, generator=None,
                         device=None, dtype=None):
    r"""Paired samples of two ``dim``-dimensional Gaussians with a chosen MI.

    Coordinate by coordinate, :math:`x_k = z_k` and
    :math:`y_k = \rho z_k + \sqrt{1 - \rho^2}\, \varepsilon_k` with
    independent standard normals, so that

    .. math::
        I(X; Y) = -\frac{d}{2} \log (1 - \rho^2)
        \quad\Longleftrightarrow\quad
        \rho = \sqrt{1 - e^{-2 I / d}} \quad (I \text{ in nats}).

    This is the benchmark of Poole et al. (2019): the true MI is known, so a
    bound can be compared with it.

    Parameters
    ----------
    n : int
        Number of pairs.
    dim : int
        :math:`d`, the dimension of each of X and Y.
    mutual_information : float
        The target :math:`I(X; Y) \ge 0`, in units of ``base``.
    base : float, default 2
    generator : torch.Generator, optional
        For reproducible draws (on the device of the samples).
    device : str or torch.device, optional
    dtype : torch.dtype, optional

    Returns
    -------
    x, y : torch.Tensor
        Each of shape ``(n, dim)``.
    rho : float
        The per-coordinate correlation.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import correlated_gaussians
    >>> x, y, rho = correlated_gaussians(4, 5, 2.0, generator=torch.Generator().manual_seed(0))
    >>> tuple(x.shape), round(rho, 4)
    ((4, 5), 0.6524)

    References
    ----------
    Poole et al. (2019), section 5; Cover and Thomas (2006), section 8.5.
    """
    base = v.check_base(base)
    n = v.check_int(n, "n", minimum=1)
    dim = v.check_int(dim, "dim", minimum=1)
    mi = v.check_real(mutual_information, "mutual_information", low=0)
    dtype = v.check_float_dtype(dtype)
    v.check_generator(generator)
    nats = mi * math.log(base)
    rho = math.sqrt(-math.expm1(-2.0 * nats / dim))
    if rho >= 1.0:
        raise ValueError(
            f"mutual_information={mi} is too large for dim={dim} in float64 (the "
            f"correlation rounds to 1); use a larger dim."
        )
    kwargs = {"generator": generator, "device": device, "dtype": dtype}
    z = torch.randn(n, dim, **kwargs)
    noise = torch.randn(n, dim, **kwargs)
    return z, rho * z + math.sqrt(1.0 - rho**2) * noise, rho
