r"""Variational lower bounds on mutual information, as PyTorch losses.

Every bound here comes from one template. For any *critic* :math:`f(x, y)`
the function :math:`q(y \mid x) = p(y)\, e^{f(x, y)} / Z(x)`, with
:math:`Z(x) = \mathbb E_{p(y)}[e^{f(x, y)}]`, is a conditional density, and
because a KL divergence is non-negative

.. math::
    I(X; Y) = \mathbb E_{p(x, y)}\Big[\log \frac{p(y \mid x)}{p(y)}\Big]
    \;\ge\; \mathbb E_{p(x, y)}[f(x, y)] - \mathbb E_{p(x)}[\log Z(x)],

with equality when :math:`f(x, y) = \log \frac{p(y \mid x)}{p(y)} + c(x)`.
Bounding :math:`\log Z` further gives Donsker–Varadhan (Jensen's
inequality), TUBA and NWJ (:math:`\log z \le z / a + \log a - 1`), InfoNCE
(a batch of :math:`K` samples as the baseline) and the interpolated
:math:`\alpha`-bound of Poole et al. (2019). Barber and Agakov's bound is the
same argument with a normalised decoder :math:`q(x \mid y)` in place of the
critic.

The score matrix follows :mod:`infocourse.nn.contrastive`: a batch of
:math:`K` positive pairs :math:`(x_i, y_i) \sim p(x, y)` gives
:math:`S_{ij} = f(x_i, y_j)`, the positives on the diagonal and the
:math:`K(K - 1)` off-diagonal entries as samples of
:math:`p(x)\,p(y)`. The losses are the negated bounds in nats, with
``reduction=`` over the :math:`K` pairs (each pair's term averages to the
batch's bound), computed with ``logsumexp`` so that large scores do not
overflow. The ``*_bound`` functions return the batch's bound in units of
``base`` (bits by default), as :func:`~infocourse.nn.info_nce_bound` does.

References
----------
.. [1] D. Barber and F. Agakov, "The IM Algorithm: A Variational Approach to
   Information Maximization", NeurIPS 2003.
.. [2] M. I. Belghazi et al., "Mutual Information Neural Estimation", ICML
   2018.
.. [3] X. Nguyen, M. J. Wainwright and M. I. Jordan, "Estimating Divergence
   Functionals and the Likelihood Ratio by Convex Risk Minimization", IEEE
   Trans. Inf. Theory 56 (2010).
.. [4] B. Poole, S. Ozair, A. van den Oord, A. Alemi and G. Tucker, "On
   Variational Bounds of Mutual Information", ICML 2019.
.. [5] J. Song and S. Ermon, "Understanding the Limitations of Variational
   Mutual Information Estimators", ICLR 2020.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .. import _validation as v
from .._backend import nats_to

__all__ = [
    "MINELoss",
    "QuadraticCritic",
    "barber_agakov_bound",
    "barber_agakov_loss",
    "donsker_varadhan_bound",
    "donsker_varadhan_loss",
    "interpolated_bound",
    "interpolated_loss",
    "nwj_bound",
    "nwj_loss",
    "train_bound",
]

REDUCTIONS = ("mean", "sum", "none")
_REDUCTION_HINT = "'mean' averages over the pairs, 'sum' adds them, 'none' returns one per pair."


# --- private validators ------------------------------------------------------------


def _check_scores(scores, min_pairs=2):
    """The score matrix of every bound here: square, finite, ``K >= min_pairs``."""
    return v.check_scores(scores, "scores", min_pairs=min_pairs)


def _check_reduction(reduction):
    return v.check_choice(reduction, "reduction", REDUCTIONS, _REDUCTION_HINT)


def _reduce(per_pair, reduction):
    if reduction == "mean":
        return per_pair.mean()
    if reduction == "sum":
        return per_pair.sum()
    return per_pair


def _check_per_pair(x, name, k, like):
    """A floating tensor of shape (k,) of ``like``'s dtype and device, finite."""
    v.check_float_tensor(x, name, ndim=1, like=like, like_name="scores")
    if x.shape[0] != k:
        raise ValueError(f"{name} must have one entry per pair, shape ({k},), got {tuple(x.shape)}.")
    return x


def _off_diagonal(scores):
    """The K(K-1) off-diagonal entries, row by row: shape (K, K - 1)."""
    k = scores.shape[0]
    mask = ~torch.eye(k, dtype=torch.bool, device=scores.device)
    return scores[mask].reshape(k, k - 1)


def _log_mean_exp_off_diagonal(scores):
    """log of the mean of exp over the off-diagonal entries (a 0-d tensor)."""
    off = _off_diagonal(scores)
    return torch.logsumexp(off.reshape(-1), 0) - math.log(off.numel())


# --- Barber-Agakov -----------------------------------------------------------------


def barber_agakov_loss(log_likelihood, entropy, *, reduction="mean"):
    r"""Negated Barber–Agakov bound: :math:`-(H(X) + \log q(x_i \mid y_i))`, in nats.

    For any normalised decoder :math:`q(x \mid y)`,

    .. math::
        I(X; Y) = H(X) - H(X \mid Y)
        \;\ge\; H(X) + \mathbb E_{p(x, y)}[\log q(x \mid y)],

    because :math:`-\mathbb E[\log q(x \mid y)] = H(X \mid Y) +
    \mathbb E_{p(y)}\, D_{KL}(p(x \mid y) \,\Vert\, q(x \mid y))`. The bound
    is tight when :math:`q` is the true posterior. Minimising the loss is
    maximum-likelihood training of the decoder; :math:`H(X)` is a constant
    that must be known (it is for a data distribution one chose, rarely for
    real data, which is the bound's practical limit).

    Parameters
    ----------
    log_likelihood : torch.Tensor
        Shape ``(n,)``: :math:`\log q(x_i \mid y_i)` in nats for ``n`` pairs
        drawn from :math:`p(x, y)` (a log *density* for continuous
        :math:`X`).
    entropy : float
        :math:`H(X)` in nats (the differential entropy for continuous
        :math:`X`).
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    torch.Tensor
        Scalar, or shape ``(n,)`` for ``reduction="none"``; differentiable.

    See Also
    --------
    barber_agakov_bound : the bound itself, in bits by default.

    Examples
    --------
    With the true posterior the bound is :math:`I(X; Y)` in expectation; for
    one Gaussian coordinate with correlation :math:`\rho = 0.8` that is
    :math:`-\tfrac12 \log(1 - \rho^2) = 0.511` nats:

    >>> import math, torch
    >>> from infocourse.nn import barber_agakov_loss
    >>> g = torch.Generator().manual_seed(0)
    >>> rho, n = 0.8, 200_000
    >>> y = torch.randn(n, generator=g, dtype=torch.float64)
    >>> x = rho * y + math.sqrt(1 - rho**2) * torch.randn(n, generator=g, dtype=torch.float64)
    >>> posterior = torch.distributions.Normal(rho * y, math.sqrt(1 - rho**2))
    >>> h_x = 0.5 * math.log(2 * math.pi * math.e)
    >>> print(round(-float(barber_agakov_loss(posterior.log_prob(x), h_x)), 2))
    0.51

    References
    ----------
    Barber and Agakov (2003); Poole et al. (2019), section 2.1.
    """
    v.check_float_tensor(log_likelihood, "log_likelihood", what="log-likelihoods", ndim=1)
    entropy = v.check_real(entropy, "entropy",
                           hint="Pass H(X) in nats as a Python float.")
    reduction = _check_reduction(reduction)
    return _reduce(-(entropy + log_likelihood), reduction)


def barber_agakov_bound(log_likelihood, entropy, *, base=2):
    r"""The Barber–Agakov lower bound :math:`H(X) + \overline{\log q(x \mid y)}`.

    Parameters
    ----------
    log_likelihood : torch.Tensor
        Shape ``(n,)``, :math:`\log q(x_i \mid y_i)` in nats.
    entropy : float
        :math:`H(X)` in nats.
    base : float, default 2
        Logarithm base of the result: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    torch.Tensor
        Scalar, differentiable.

    See Also
    --------
    barber_agakov_loss : the negated bound in nats, with ``reduction=``.

    Examples
    --------
    A decoder that ignores :math:`y` and is the marginal itself gives 0:

    >>> import math, torch
    >>> from infocourse.nn import barber_agakov_bound
    >>> x = torch.randn(100_000, generator=torch.Generator().manual_seed(1),
    ...                 dtype=torch.float64)
    >>> log_q = torch.distributions.Normal(0.0, 1.0).log_prob(x)
    >>> print(abs(round(float(barber_agakov_bound(log_q, 0.5 * math.log(2 * math.pi * math.e))), 2)))
    0.0

    References
    ----------
    Barber and Agakov (2003).
    """
    base = v.check_base(base)
    return nats_to(-barber_agakov_loss(log_likelihood, entropy), base)


# --- Donsker-Varadhan and MINE -----------------------------------------------------


def donsker_varadhan_loss(scores, *, reduction="mean"):
    r"""Negated Donsker–Varadhan bound of a score matrix, in nats.

    .. math::
        \hat I_{\text{DV}} = \frac1K \sum_{i} S_{ii}
            - \log \frac{1}{K(K-1)} \sum_{i \ne j} e^{S_{ij}},

    the batch version of :math:`I(X; Y) \ge \mathbb E_p[f] - \log
    \mathbb E_{p(x)p(y)}[e^{f}]`, which is the template with Jensen's
    inequality :math:`\mathbb E_x \log Z(x) \le \log \mathbb E_x Z(x)`.
    The population bound is tight at :math:`f = \log \frac{p(y\mid
    x)}{p(y)} + c` for any constant :math:`c`. The batch value is *not* a
    lower bound in expectation: the logarithm of a sample mean is biased
    (downwards, so the estimate is biased upwards), and its gradient is
    biased too, which is what :class:`MINELoss` corrects.

    With ``reduction="none"`` pair :math:`i` contributes
    :math:`S_{ii} - \log \frac{1}{K(K-1)}\sum_{k \ne l} e^{S_{kl}}` (the
    second term is shared by the batch), so that ``"mean"`` is the batch's
    bound.

    Parameters
    ----------
    scores : torch.Tensor
        Shape ``(K, K)`` with :math:`K \ge 2`, :math:`S_{ij} = f(x_i, y_j)`,
        positives on the diagonal; finite, any floating dtype and device.
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    torch.Tensor
        Scalar, or shape ``(K,)``; differentiable.

    See Also
    --------
    donsker_varadhan_bound, MINELoss, nwj_loss

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import donsker_varadhan_loss
    >>> print(float(donsker_varadhan_loss(torch.zeros(4, 4))))   # a constant critic
    0.0
    >>> s = torch.tensor([[2.0, 0.0], [0.0, 2.0]])
    >>> print(round(-float(donsker_varadhan_loss(s)), 4))         # 2 - log 1
    2.0

    References
    ----------
    M. D. Donsker and S. R. S. Varadhan, "Asymptotic evaluation of
    certain Markov process expectations for large time IV", Comm. Pure
    Appl. Math. 36 (1983); Belghazi et al. (2018); Poole et al. (2019),
    section 2.2.
    """
    _check_scores(scores)
    reduction = _check_reduction(reduction)
    per_pair = -(torch.diagonal(scores) - _log_mean_exp_off_diagonal(scores))
    return _reduce(per_pair, reduction)


def donsker_varadhan_bound(scores, *, base=2):
    r"""The Donsker–Varadhan estimate :math:`\hat I_{\text{DV}}` of one batch.

    Parameters
    ----------
    scores : torch.Tensor
        ``(K, K)`` critic scores, positives on the diagonal, :math:`K \ge 2`.
    base : float, default 2

    Returns
    -------
    torch.Tensor
        Scalar, differentiable.

    See Also
    --------
    donsker_varadhan_loss : the definition; why one batch is biased.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import donsker_varadhan_bound
    >>> print(round(float(donsker_varadhan_bound(torch.eye(3) * 2)), 4))   # 2 nats in bits
    2.8854

    References
    ----------
    Belghazi et al. (2018), eq. (10).
    """
    base = v.check_base(base)
    return nats_to(-donsker_varadhan_loss(scores), base)


class MINELoss(nn.Module):
    r"""The Donsker–Varadhan loss with MINE's moving-average gradient.

    The gradient of :math:`\log \mathbb E_q[e^{f}]` is
    :math:`\mathbb E_q[e^{f}\nabla f] / \mathbb E_q[e^{f}]`. In one batch
    both expectations become sample means, and the ratio of two sample means
    is a biased estimate of the ratio. MINE (Belghazi et al. 2018, section
    3.2) keeps the numerator from the batch and replaces the denominator by an
    exponential moving average :math:`\bar m` of the batch means
    :math:`\hat m = \frac{1}{K(K-1)}\sum_{i \ne j} e^{S_{ij}}`, updated on
    every call in training mode as
    :math:`\bar m \leftarrow (1 - \text{momentum})\,\bar m +
    \text{momentum}\cdot \hat m` (kept as a logarithm, so it cannot
    overflow). The returned *value* is still the negated DV bound of the
    batch (:func:`donsker_varadhan_loss`); only its gradient changes, to

    .. math::
        -\frac1K \sum_i \nabla S_{ii} + \frac{\nabla \hat m}{\bar m}.

    With ``momentum=1`` this is the plain DV gradient.

    Parameters
    ----------
    momentum : float, default 0.01
        Weight of the newest batch in the average, in :math:`(0, 1]`.
    reduction : {"mean", "sum", "none"}, default "mean"
        As in :func:`donsker_varadhan_loss`.

    Attributes
    ----------
    log_moving_average : torch.Tensor
        A buffer holding :math:`\log \bar m` (NaN until the first training
        call, which sets it to the batch's :math:`\log \hat m`).

    See Also
    --------
    donsker_varadhan_loss : the value, and why the batch estimate is biased.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import MINELoss
    >>> loss_fn = MINELoss(momentum=0.5)
    >>> s = torch.zeros(3, 3)
    >>> print(float(loss_fn(s)))                    # the DV value of a constant critic
    0.0
    >>> print(round(float(loss_fn.log_moving_average), 4))
    0.0
    >>> _ = loss_fn(torch.full((3, 3), 2.0))        # m-hat = e^2; average (1 + e^2) / 2
    >>> print(round(float(loss_fn.log_moving_average), 4), round(math.log((1 + math.e**2) / 2), 4))
    1.4338 1.4338

    References
    ----------
    Belghazi et al. (2018), section 3.2 and algorithm 1.
    """

    def __init__(self, *, momentum=0.01, reduction="mean"):
        super().__init__()
        self.momentum = v.check_real(momentum, "momentum", low=0, high=1, low_open=True,
                                     hint="MINE uses a small weight such as 0.01.")
        self.reduction = _check_reduction(reduction)
        self.register_buffer("log_moving_average", torch.tensor(float("nan")))

    def forward(self, scores):
        """The negated DV bound of one ``(K, K)`` score matrix, with MINE's gradient."""
        _check_scores(scores)
        log_m = _log_mean_exp_off_diagonal(scores)
        avg = self.log_moving_average
        if avg.device != scores.device or avg.dtype != scores.dtype:
            avg = avg.to(device=scores.device, dtype=scores.dtype)
        log_batch = log_m.detach()
        if self.training:
            if torch.isnan(avg) or self.momentum == 1.0:
                avg = log_batch.clone()
            else:
                avg = torch.logaddexp(avg + math.log1p(-self.momentum),
                                      log_batch + math.log(self.momentum))
            self.log_moving_average = avg
        elif torch.isnan(avg):
            avg = log_batch
        # value: log m-hat; gradient: grad(m-hat) / m-bar = (m-hat / m-bar) grad(log m-hat)
        weight = torch.exp(log_batch - avg)
        marginal = log_batch + weight * (log_m - log_batch)
        per_pair = -(torch.diagonal(scores) - marginal)
        return _reduce(per_pair, self.reduction)

    def extra_repr(self):
        return f"momentum={self.momentum:g}, reduction={self.reduction!r}"


# --- NWJ -------------------------------------------------------------------------


def nwj_loss(scores, *, reduction="mean"):
    r"""Negated NWJ bound (Nguyen, Wainwright and Jordan; MINE-f) of a score matrix, in nats.

    .. math::
        \hat I_{\text{NWJ}} = \frac1K \sum_i \Big[ S_{ii}
            - \frac{1}{K - 1} \sum_{j \ne i} e^{S_{ij} - 1} \Big],

    the batch version of :math:`I(X; Y) \ge \mathbb E_p[f] - e^{-1}
    \mathbb E_{p(x)p(y)}[e^{f}]`: the template with
    :math:`\log Z \le Z / e` (the tangent of the logarithm at :math:`e`).
    Both expectations are plain sample means, so the batch value is an
    unbiased estimate of the population bound and a lower bound on
    :math:`I(X; Y)` in expectation. It is tight at
    :math:`f = 1 + \log \frac{p(y \mid x)}{p(y)}`, where its variance grows
    exponentially with :math:`I(X; Y)` (Song and Ermon 2020). With
    ``reduction="none"`` pair :math:`i` contributes the bracket.

    Parameters
    ----------
    scores : torch.Tensor
        Shape ``(K, K)``, :math:`K \ge 2`, positives on the diagonal.
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    torch.Tensor
        Scalar, or shape ``(K,)``; differentiable.

    See Also
    --------
    nwj_bound, donsker_varadhan_loss, interpolated_loss

    Examples
    --------
    A constant critic :math:`f = 1` gives :math:`1 - 1 = 0`:

    >>> import torch
    >>> from infocourse.nn import nwj_loss
    >>> print(float(nwj_loss(torch.ones(5, 5))))
    0.0

    References
    ----------
    Nguyen, Wainwright and Jordan (2010); Poole et al. (2019),
    section 2.2, eq. (6).
    """
    _check_scores(scores)
    reduction = _check_reduction(reduction)
    off = _off_diagonal(scores) - 1.0
    k = scores.shape[0]
    log_marginal = torch.logsumexp(off, dim=1) - math.log(k - 1)
    per_pair = -(torch.diagonal(scores) - torch.exp(log_marginal))
    return _reduce(per_pair, reduction)


def nwj_bound(scores, *, base=2):
    r"""The NWJ lower bound :math:`\hat I_{\text{NWJ}}` of one batch.

    Parameters
    ----------
    scores : torch.Tensor
        ``(K, K)`` critic scores, positives on the diagonal, :math:`K \ge 2`.
    base : float, default 2

    Returns
    -------
    torch.Tensor
        Scalar, differentiable.

    See Also
    --------
    nwj_loss : the definition.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import nwj_bound
    >>> s = 1 + 2 * torch.eye(4)               # positives 3, negatives 1: 3 - e^0
    >>> print(round(float(nwj_bound(s, base=math.e)), 4))
    2.0

    References
    ----------
    Nguyen, Wainwright and Jordan (2010).
    """
    base = v.check_base(base)
    return nats_to(-nwj_loss(scores), base)


# --- the interpolated bound of Poole et al. ----------------------------------------


def _log_leave_one_out_mean(t):
    r"""``out[i, j] = log mean_{k != j} exp(t[i, k])``, exactly, from cumulative logsumexps."""
    k = t.shape[1]
    pad = torch.full((t.shape[0], 1), -math.inf, dtype=t.dtype, device=t.device)
    prefix = torch.cat([pad, torch.logcumsumexp(t, dim=1)[:, :-1]], dim=1)
    suffix = torch.cat(
        [torch.logcumsumexp(t.flip(1), dim=1).flip(1)[:, 1:], pad], dim=1
    )
    return torch.logaddexp(prefix, suffix) - math.log(k - 1)


def interpolated_loss(scores, log_baseline, alpha, *, reduction="mean"):
    r"""Negated interpolated :math:`\alpha`-bound of Poole et al. (2019), in nats.

    The template with the baseline :math:`\alpha\, m(y) + (1 - \alpha)\,
    a(y)`, where :math:`m(y) = \frac1{K'}\sum_k e^{f(x_k, y)}` is a batch
    mean as in InfoNCE and :math:`a(y) > 0` any baseline, bounded as in TUBA:

    .. math::
        I(X; Y) \ge 1 + \mathbb E\Big[\log \frac{e^{f(x_1, y)}}{\alpha\,
            m(y) + (1-\alpha)\, a(y)}\Big]_{y \sim p(y \mid x_1)}
          - \mathbb E\Big[\frac{e^{f(x_1, y)}}{\alpha\, m(y) + (1-\alpha)\,
            a(y)}\Big]_{y \sim p(y)}.

    :math:`\alpha = 0` is TUBA with baseline :math:`a` (NWJ when
    :math:`a = e` throughout); :math:`\alpha = 1` uses only the batch, like
    InfoNCE. For :math:`\alpha > 0` every joint term is at most
    :math:`\log(K' / \alpha)`, so the bound trades the variance of NWJ
    against the :math:`\log K` ceiling of InfoNCE. As in Poole et al.'s
    code, for pair :math:`i` the batch mean over the :math:`x` leaves one
    sample out: the positive term of :math:`y_i` uses the :math:`K' = K - 1`
    samples :math:`x_k, k \ne j` (which contain :math:`x_i`) and is averaged
    over :math:`j \ne i`; the negative term scores :math:`(x_j, y_i)` against
    the mean over :math:`x_k, k \ne i`, which contains :math:`x_j` but not
    :math:`y_i`'s partner, so that :math:`y_i` is independent of it. Pair
    :math:`i` contributes :math:`1 +` (its mean positive term) :math:`-` (its
    mean negative term), and ``"mean"`` is the batch's bound.

    Parameters
    ----------
    scores : torch.Tensor
        Shape ``(K, K)`` with :math:`K \ge 3`, :math:`S_{ij} = f(x_i, y_j)`,
        positives on the diagonal.
    log_baseline : torch.Tensor or float
        :math:`\log a(y_i)`, shape ``(K,)`` (one per pair, for its
        :math:`y_i`), or a float for a constant baseline.
    alpha : float
        In :math:`[0, 1]`.
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    torch.Tensor
        Scalar, or shape ``(K,)``; differentiable.

    See Also
    --------
    interpolated_bound, nwj_loss, infocourse.nn.info_nce_loss

    Examples
    --------
    A constant critic gives 0 whatever :math:`\alpha`, when the baseline
    matches it:

    >>> import torch
    >>> from infocourse.nn import interpolated_loss
    >>> s = torch.full((5, 5), 0.5)
    >>> print([round(float(interpolated_loss(s, 0.5, a)), 6) for a in (0.0, 0.3, 1.0)])
    [0.0, 0.0, 0.0]

    References
    ----------
    Poole et al. (2019), section 2.5, eq. (11), and their code
    (github.com/google-research/google-research, vbmi).
    """
    _check_scores(scores, min_pairs=3)  # each baseline leaves one of K samples out
    alpha = v.check_real(alpha, "alpha", low=0, high=1)
    reduction = _check_reduction(reduction)
    k = scores.shape[0]
    if isinstance(log_baseline, numbers.Real) and not isinstance(log_baseline, bool):
        log_a = torch.full((k,), v.check_real(log_baseline, "log_baseline"),
                           dtype=scores.dtype, device=scores.device)
    else:   # a tensor, one value per pair
        log_a = _check_per_pair(log_baseline, "log_baseline", k, scores)
    t = scores.T                                     # t[i, j] = f(x_j, y_i): row i is y_i
    loo = _log_leave_one_out_mean(t)                 # log m_{-j}(y_i)
    if alpha == 1.0:
        log_base = loo
    elif alpha == 0.0:
        log_base = log_a[:, None].expand(k, k)
    else:
        log_base = torch.logaddexp(math.log(alpha) + loo,
                                   math.log1p(-alpha) + log_a[:, None])
    eye = torch.eye(k, dtype=torch.bool, device=scores.device)
    joint = torch.diagonal(t)[:, None] - log_base    # [i, j]: f(x_i, y_i) - log base_{-j}(y_i)
    joint_term = joint.masked_fill(eye, 0.0).sum(1) / (k - 1)
    marg = t - torch.diagonal(log_base)[:, None]     # [i, j]: f(x_j, y_i) - log base_{-i}(y_i)
    marg = marg.masked_fill(eye, -math.inf)
    marg_term = torch.exp(torch.logsumexp(marg, dim=1) - math.log(k - 1))
    per_pair = -(1.0 + joint_term - marg_term)
    return _reduce(per_pair, reduction)


def interpolated_bound(scores, log_baseline, alpha, *, base=2):
    r"""The interpolated :math:`\alpha`-bound of one batch.

    Parameters
    ----------
    scores : torch.Tensor
        ``(K, K)`` critic scores, :math:`K \ge 3`.
    log_baseline : torch.Tensor or float
        :math:`\log a(y_i)`, shape ``(K,)``, or a float.
    alpha : float
        In :math:`[0, 1]`.
    base : float, default 2

    Returns
    -------
    torch.Tensor
        Scalar, differentiable.

    See Also
    --------
    interpolated_loss : the definition.

    Examples
    --------
    With :math:`\alpha > 0` the bound can exceed InfoNCE's ceiling
    :math:`\log_2 K` (4 bits for 16 pairs): a critic that is sure of every
    positive reaches :math:`\log_2((K - 1)/\alpha)`:

    >>> import torch
    >>> from infocourse.nn import interpolated_bound
    >>> s = 30 * torch.eye(16, dtype=torch.float64)
    >>> print(round(float(interpolated_bound(s, 0.0, 0.01)), 2), round(math.log2(15 / 0.01), 2))
    10.55 10.55

    References
    ----------
    Poole et al. (2019), section 2.5.
    """
    base = v.check_base(base)
    return nats_to(-interpolated_loss(scores, log_baseline, alpha), base)


# --- a critic that can be exact on Gaussians ---------------------------------------


class QuadraticCritic(nn.Module):
    r"""Bilinear critic with quadratic terms on each side.

    .. math::
        f(x, y) = x^\top W y + \sum_k (a_k x_k + b_k x_k^2)
            + \sum_l (c_l y_l + d_l y_l^2) + e .

    The family contains the pointwise mutual information of
    :func:`~infocourse.nn.correlated_gaussians`,

    .. math::
        \log \frac{p(y \mid x)}{p(y)} = \sum_k \Big[\frac{\rho\, x_k y_k}
          {1 - \rho^2} - \frac{\rho^2 (x_k^2 + y_k^2)}{2(1 - \rho^2)}\Big]
          - \frac d2 \log(1 - \rho^2),

    plus any constant, so it contains the optimal critic of every bound in
    :mod:`infocourse.nn.bounds` on that benchmark. What a trained critic of
    this family shows is then the behaviour of the bound and of its
    optimisation, not the approximation error of a network. All :math:`K^2`
    scores of a batch are one matrix product. Every parameter starts at zero
    (the critic that knows nothing).

    Parameters
    ----------
    dim_x, dim_y : int
        Input dimensions.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import QuadraticCritic
    >>> critic = QuadraticCritic(3, 2)
    >>> tuple(critic.weight.shape), float(critic(torch.randn(4, 3), torch.randn(4, 2)).detach().abs().max())
    ((3, 2), 0.0)
    >>> sum(p.numel() for p in critic.parameters())     # 3*2 + 2*3 + 2*2 + 1
    17

    References
    ----------
    Poole et al. (2019), section 5, for the benchmark; the separable
    and concatenated MLP critics of :mod:`infocourse.nn.contrastive` are
    the general-purpose alternatives.
    """

    def __init__(self, dim_x, dim_y):
        super().__init__()
        dim_x = v.check_int(dim_x, "dim_x", minimum=1)
        dim_y = v.check_int(dim_y, "dim_y", minimum=1)
        self.weight = nn.Parameter(torch.zeros(dim_x, dim_y))
        self.x_terms = nn.Parameter(torch.zeros(2, dim_x))   # a, b
        self.y_terms = nn.Parameter(torch.zeros(2, dim_y))   # c, d
        self.bias = nn.Parameter(torch.zeros(()))

    def forward(self, x, y):
        """Scores ``(K, K)``: entry ``[i, j]`` is :math:`f(x_i, y_j)`."""
        v.check_pair(x, y)
        if (x.shape[1], y.shape[1]) != tuple(self.weight.shape):
            raise ValueError(
                f"x and y must have {self.weight.shape[0]} and {self.weight.shape[1]} "
                f"columns, got {x.shape[1]} and {y.shape[1]}."
            )
        side_x = x @ self.x_terms[0] + x**2 @ self.x_terms[1]
        side_y = y @ self.y_terms[0] + y**2 @ self.y_terms[1]
        return x @ self.weight @ y.T + side_x[:, None] + side_y[None, :] + self.bias


# --- training -----------------------------------------------------------------------


def train_bound(batch_loss, optimizer, steps):
    r"""Tighten a bound by gradient steps, one fresh batch per step.

    Each step calls ``batch_loss()``, which draws a batch and returns the
    negated bound in nats (one of this module's losses, or
    ``info_nce_loss(s) - log K``), then takes one step of ``optimizer``:

    .. math::
        \theta \leftarrow \theta - \eta\, \nabla_\theta\, \mathcal L(\theta),
        \qquad \hat I_t = -\mathcal L_t / \ln 2 .

    Parameters
    ----------
    batch_loss : callable
        Called with no argument; returns a scalar tensor that requires grad.
        Draw the batch inside it, from a seeded ``torch.Generator``.
    optimizer : torch.optim.Optimizer
        Over the critic's (or decoder's) parameters. Pass the same optimizer
        to successive calls to continue one run (e.g. as the truth changes).
    steps : int
        Number of steps, ``>= 1``.

    Returns
    -------
    numpy.ndarray
        Shape ``(steps,)``: the bound in bits at each step, evaluated on that
        step's batch before its update.

    Raises
    ------
    ValueError
        If ``batch_loss`` returns a loss that is not a finite scalar.

    See Also
    --------
    nwj_loss, donsker_varadhan_loss, MINELoss, interpolated_loss,
    infocourse.nn.info_nce_loss

    Examples
    --------
    >>> import math, torch
    >>> from infocourse.nn import QuadraticCritic, nwj_loss, train_bound
    >>> from infocourse.nn import correlated_gaussians
    >>> _ = torch.manual_seed(0)
    >>> gen = torch.Generator().manual_seed(0)
    >>> critic = QuadraticCritic(2, 2).double()
    >>> opt = torch.optim.Adam(critic.parameters(), lr=0.05)
    >>> def loss():
    ...     x, y, _ = correlated_gaussians(128, 2, 1.0, generator=gen, dtype=torch.float64)
    ...     return nwj_loss(critic(x, y))
    >>> bits = train_bound(loss, opt, 200)
    >>> bits.shape, bool(bits[-50:].mean() > 0.5)   # truth: 1 bit
    ((200,), True)
    """
    if not callable(batch_loss):
        raise TypeError(
            f"batch_loss must be a function of no argument that returns the loss, "
            f"got {type(batch_loss).__name__}."
        )
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"optimizer must be a torch.optim.Optimizer over the critic's parameters, "
            f"got {type(optimizer).__name__}."
        )
    steps = v.check_int(steps, "steps", minimum=1)
    estimates = np.empty(steps)
    for step in range(steps):
        loss = batch_loss()
        if not (isinstance(loss, torch.Tensor) and loss.dim() == 0):
            raise ValueError(
                f"batch_loss must return a scalar tensor (use reduction='mean'), got "
                f"{type(loss).__name__} of shape {tuple(getattr(loss, 'shape', ()))}."
            )
        if not torch.isfinite(loss):
            raise ValueError(
                f"batch_loss returned {loss.item()} at step {step}: lower the learning "
                f"rate or check the critic's scores."
            )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        estimates[step] = -loss.item() / math.log(2)
    return estimates
