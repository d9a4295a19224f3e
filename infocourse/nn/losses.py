"""Information-theoretic training losses, with PyTorch's conventions.

Logits in (never probabilities), a ``reduction=`` argument, and numerically
stable log-probabilities from ``log_softmax`` (a ``logsumexp`` inside), so
very large or very negative logits never give ``inf`` or ``nan``. All
values are in **nats** (natural logarithms), like every torch loss.

Reductions
----------
Each loss is first computed per example: a cross-entropy or a KL divergence
is *summed* over the classes (or latent dimensions) of that example, as the
definition requires. ``reduction`` then says what to do across the batch:
``"none"`` (one value per example), ``"sum"``, or ``"mean"`` /
``"batchmean"`` (synonyms here: the average over examples, which is the
quantity a KL estimate needs). This differs on purpose from
``F.kl_div(reduction="mean")``, which averages over *elements* and so divides
the KL by the number of classes as well.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .. import _validation as v

__all__ = [
    "categorical_nll",
    "distillation_loss",
    "gaussian_kl",
    "gaussian_kl_monte_carlo",
    "label_smoothing_cross_entropy",
    "smoothed_targets",
]

REDUCTIONS = ("mean", "batchmean", "sum", "none")
_REDUCTION_HINT = (
    "'mean' and 'batchmean' both average the per-example losses over the batch; "
    "'sum' adds them; 'none' returns one value per example."
)


def _reduce(per_example, reduction):
    if reduction in ("mean", "batchmean"):
        return per_example.mean()
    if reduction == "sum":
        return per_example.sum()
    return per_example


def _check_logits(logits, name, like=None, like_name=None):
    v.check_float_tensor(logits, name, what="logits", ndim=2, like=like, like_name=like_name)
    if logits.shape[1] < 2:
        raise ValueError(
            f"{name} must have at least 2 columns (one logit per class), got shape "
            f"{tuple(logits.shape)}. For a single yes/no logit use "
            f"F.binary_cross_entropy_with_logits."
        )


def smoothed_targets(labels, n_classes, smoothing, *, dtype=None):
    r"""The label-smoothed target distributions for integer labels.

    .. math:: t_k = (1 - \varepsilon)\,[k = y] + \varepsilon / K

    (Szegedy et al. 2016): the true class keeps :math:`1 - \varepsilon +
    \varepsilon/K`, every other class gets :math:`\varepsilon/K`. Each row is a
    probability distribution over the :math:`K` classes.

    Parameters
    ----------
    labels : torch.Tensor
        Integer class indices, shape ``(n,)``.
    n_classes : int
        :math:`K \ge 2`.
    smoothing : float
        :math:`\varepsilon` in [0, 1).
    dtype : torch.dtype, optional
        Default ``torch.get_default_dtype()``.

    Returns
    -------
    torch.Tensor
        Shape ``(n, n_classes)``, on the device of ``labels``.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import smoothed_targets
    >>> print(smoothed_targets(torch.tensor([0, 2]), 3, 0.3))
    tensor([[0.8000, 0.1000, 0.1000],
            [0.1000, 0.1000, 0.8000]])

    References
    ----------
    C. Szegedy, V. Vanhoucke, S. Ioffe, J. Shlens and Z. Wojna, "Rethinking
    the Inception Architecture for Computer Vision", CVPR 2016, section 7.
    """
    n_classes = v.check_int(n_classes, "n_classes", minimum=2)
    smoothing = v.check_real(smoothing, "smoothing", low=0, high=1, high_open=True)
    dtype = v.check_float_dtype(dtype)
    labels = torch.as_tensor(labels)
    if labels.ndim != 1:
        raise ValueError(
            f"labels must be a 1-D tensor of class indices, got shape {tuple(labels.shape)}."
        )
    v.check_class_labels(labels, "labels", shape=labels.shape, n_classes=n_classes,
                         rows_of="the targets")
    one_hot = F.one_hot(labels.long(), n_classes).to(dtype or torch.get_default_dtype())
    return (1.0 - smoothing) * one_hot + smoothing / n_classes


def label_smoothing_cross_entropy(logits, labels, *, smoothing=0.1, reduction="mean"):
    r"""Cross-entropy from logits to label-smoothed targets, in nats.

    .. math::
        \ell(z, y) = -\sum_{k=1}^{K} t_k \log \operatorname{softmax}(z)_k
                   = (1 - \varepsilon)\,(-\log q_y) + \varepsilon \cdot
                     \frac1K \sum_k (-\log q_k)

    with the smoothed target :math:`t` of :func:`smoothed_targets`. Since
    :math:`H(t, q) = H(t) + D_{KL}(t \,\|\, q)` and :math:`H(t)` does not
    depend on the model, minimising it is minimising the KL to the smoothed
    target; the loss never reaches 0 but :math:`H(t)`. Same value as
    ``F.cross_entropy(logits, labels, label_smoothing=smoothing)``.

    Parameters
    ----------
    logits : torch.Tensor
        Unnormalised scores, shape ``(n, K)``, finite.
    labels : torch.Tensor
        Integer class indices in ``[0, K)``, shape ``(n,)``.
    smoothing : float, default 0.1
        :math:`\varepsilon` in [0, 1); 0 gives the ordinary cross-entropy.
    reduction : {"mean", "batchmean", "sum", "none"}, default "mean"
        See the module docstring.

    Returns
    -------
    torch.Tensor
        Scalar, or shape ``(n,)`` for ``reduction="none"``; differentiable.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import label_smoothing_cross_entropy
    >>> logits = torch.tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 3.0]])
    >>> labels = torch.tensor([0, 2])
    >>> print(label_smoothing_cross_entropy(logits, labels, smoothing=0.0))
    tensor(0.1672)
    >>> print(label_smoothing_cross_entropy(logits, labels, smoothing=0.2))
    tensor(0.5006)

    References
    ----------
    Szegedy et al. (2016), section 7; R. Müller, S. Kornblith and G. Hinton,
    "When Does Label Smoothing Help?", NeurIPS 2019.
    """
    _check_logits(logits, "logits")
    v.check_class_labels(labels, "labels", shape=logits.shape[:1],
                         n_classes=logits.shape[1], rows_of="logits", like=logits)
    smoothing = v.check_real(smoothing, "smoothing", low=0, high=1, high_open=True,
                             hint="Use 0 for no smoothing; 0.1 is common.")
    v.check_choice(reduction, "reduction", REDUCTIONS, _REDUCTION_HINT)
    log_q = F.log_softmax(logits, dim=1)
    nll = -log_q.gather(1, labels.long().unsqueeze(1)).squeeze(1)
    uniform = -log_q.mean(dim=1)
    return _reduce((1.0 - smoothing) * nll + smoothing * uniform, reduction)


def distillation_loss(student_logits, teacher_logits, labels=None, *, temperature=4.0,
                      alpha=1.0, reduction="batchmean"):
    r"""Knowledge-distillation loss: temperature-scaled KL from teacher to student.

    .. math::
        \mathcal L = \alpha\, T^2\, D_{KL}\!\big(\operatorname{softmax}(z_t/T)
        \,\big\|\, \operatorname{softmax}(z_s/T)\big)
        + (1 - \alpha)\, \big(-\log \operatorname{softmax}(z_s)_y\big)

    in nats per example (Hinton et al. 2015). The :math:`T^2` factor keeps
    the soft term's gradients on the same scale as the hard-label term's
    when the temperature changes (the gradient of the KL part scales as
    :math:`1/T^2`). As :math:`T \to \infty` the soft term tends to matching
    the centred logits (Hinton et al. 2015, section 2.1):

    .. math::
        T^2 D_{KL} \to \frac{1}{2K} \sum_{k=1}^{K}
        \big((z_{s,k} - \bar z_s) - (z_{t,k} - \bar z_t)\big)^2 ,

    with :math:`\bar z` the mean logit of a row: a very high temperature
    still transmits everything about the teacher's logits except their
    mean, and weights the very negative logits as much as the large ones.
    Gradients flow to both logits; compute the teacher's
    logits under ``torch.no_grad()`` (or ``.detach()`` them) to train only
    the student.

    Parameters
    ----------
    student_logits, teacher_logits : torch.Tensor
        Shape ``(n, K)``, finite, on one device.
    labels : torch.Tensor, optional
        Integer class indices ``(n,)``; required when ``alpha < 1``.
    temperature : float, default 4.0
        :math:`T > 0`; larger values soften both distributions.
    alpha : float, default 1.0
        Weight of the soft (teacher) term in [0, 1]; ``1 - alpha`` weights
        the ordinary cross-entropy with the hard labels (at temperature 1).
    reduction : {"batchmean", "mean", "sum", "none"}, default "batchmean"
        See the module docstring.

    Returns
    -------
    torch.Tensor
        Scalar, or ``(n,)`` for ``reduction="none"``.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import distillation_loss
    >>> s = torch.tensor([[1.0, 0.0, -1.0]]); t = torch.tensor([[3.0, 0.0, -3.0]])
    >>> print(distillation_loss(s, t, temperature=1.0))
    tensor(0.2526)
    >>> print(distillation_loss(t, t, temperature=2.0))     # student = teacher
    tensor(0.)
    >>> s64, t64 = s.double(), t.double()
    >>> gap = (s64 - s64.mean()) - (t64 - t64.mean())
    >>> print(f"{(gap**2).sum().item() / (2 * 3):.4f}")     # the T -> infinity limit
    1.3333
    >>> print(f"{distillation_loss(s64, t64, temperature=1000.0).item():.4f}")
    1.3333

    References
    ----------
    G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a Neural
    Network", NIPS Deep Learning Workshop (2015), arXiv:1503.02531.
    """
    _check_logits(student_logits, "student_logits")
    _check_logits(teacher_logits, "teacher_logits", student_logits, "student_logits")
    v.check_same_shape(student_logits, teacher_logits, ("student_logits", "teacher_logits"))
    temperature = v.check_real(temperature, "temperature", low=0, low_open=True,
                               hint="T = 1 is the plain softmax; Hinton et al. use 2-20.")
    alpha = v.check_real(alpha, "alpha", low=0, high=1)
    v.check_choice(reduction, "reduction", REDUCTIONS, _REDUCTION_HINT)
    if alpha < 1 and labels is None:
        raise ValueError(
            f"labels are required when alpha < 1 (alpha={alpha:g} gives the hard-label "
            f"cross-entropy a weight of {1 - alpha:g}); pass labels=..., or alpha=1.0 "
            f"for the soft term alone."
        )
    if labels is not None:
        v.check_class_labels(labels, "labels", shape=student_logits.shape[:1],
                             n_classes=student_logits.shape[1], rows_of="student_logits",
                             like=student_logits)
    log_s = F.log_softmax(student_logits / temperature, dim=1)
    log_t = F.log_softmax(teacher_logits / temperature, dim=1)
    # sum_k p_t (log p_t - log p_s); p_t = exp(log_t) is never 0 for finite logits.
    kl = (log_t.exp() * (log_t - log_s)).sum(dim=1)
    loss = alpha * temperature**2 * kl
    if labels is not None and alpha < 1:
        hard = F.cross_entropy(student_logits, labels.long(), reduction="none")
        loss = loss + (1.0 - alpha) * hard
    return _reduce(loss, reduction)


def categorical_nll(logits, targets, *, reduction="batchmean"):
    r"""Negative log-likelihood of discrete pixels (or any discrete features), in nats.

    .. math::
        \ell(x) = -\log p(x) = -\sum_{i=1}^{d} \log \operatorname{softmax}(a_i)_{x_i},
        \qquad x_i \in \{0, \dots, L - 1\},

    summed over the :math:`d` features of each example, with :math:`a_i \in
    \mathbb R^L` the logits of feature :math:`i`: one categorical distribution
    over :math:`L` levels per feature, independent given the logits. Unlike a
    Bernoulli cross-entropy applied to grey levels, this is a normalised
    likelihood: :math:`\sum_{x \in \{0..L-1\}^d} e^{-\ell(x)} = 1`,
    so an ELBO built on it bounds a log-probability (in nats per example). It
    is ``F.cross_entropy`` over the last axis, summed over features; with
    :math:`L = 2` it is the Bernoulli likelihood of binary data.

    Parameters
    ----------
    logits : torch.Tensor
        Shape ``(n, d, L)``: for example ``j`` and feature ``i``, one logit per
        level; finite, :math:`L \ge 2`.
    targets : torch.Tensor
        Integer levels in ``[0, L)``, shape ``(n, d)`` (dtype ``torch.long``;
        convert integer-valued floats with ``.long()``).
    reduction : {"batchmean", "mean", "sum", "none"}, default "batchmean"
        See the module docstring; ``"none"`` returns one value per example.

    Returns
    -------
    torch.Tensor
        Scalar, or shape ``(n,)`` for ``reduction="none"``; differentiable.

    See Also
    --------
    infocourse.nn.VAE : its decoder returns logits of this shape.
    torch.nn.functional.cross_entropy : the same loss per feature.

    Examples
    --------
    Uniform logits give every image the probability :math:`L^{-d}`:

    >>> import math, torch
    >>> from infocourse.nn import categorical_nll
    >>> x = torch.tensor([[0, 16, 3]])
    >>> print(f"{categorical_nll(torch.zeros(1, 3, 17), x).item():.4f}")
    8.4996
    >>> print(f"{3 * math.log(17):.4f}")
    8.4996

    References
    ----------
    A. van den Oord, N. Kalchbrenner and K. Kavukcuoglu, "Pixel Recurrent
    Neural Networks", ICML 2016 (a 256-way softmax over each pixel's values).
    """
    v.check_float_tensor(logits, "logits", what="logits", ndim=3)
    n, d, levels = logits.shape
    if levels < 2:
        raise ValueError(
            f"logits must have at least 2 levels on the last axis, got shape "
            f"{tuple(logits.shape)}; the layout is (examples, features, levels)."
        )
    v.check_class_labels(targets, "targets", shape=(n, d), n_classes=levels,
                         rows_of="logits", like=logits, what="levels",
                         each="level")
    v.check_choice(reduction, "reduction", REDUCTIONS, _REDUCTION_HINT)
    log_p = F.log_softmax(logits, dim=-1)
    per_feature = -log_p.gather(-1, targets.long().unsqueeze(-1)).squeeze(-1)
    return _reduce(per_feature.sum(dim=1), reduction)


def _gaussian_args(mu, logvar, mu_prior, logvar_prior):
    v.check_float_tensor(mu, "mu", what="means", min_ndim=1)
    v.check_float_tensor(logvar, "logvar", what="log-variances", like=mu, like_name="mu")
    v.check_same_shape(mu, logvar, ("mu", "logvar"))
    zeros = torch.zeros((), dtype=mu.dtype, device=mu.device)
    if mu_prior is None:
        mu_prior = zeros
    if logvar_prior is None:
        logvar_prior = zeros
    for name, t in (("mu_prior", mu_prior), ("logvar_prior", logvar_prior)):
        v.check_float_tensor(t, name, what="parameters", like=mu, like_name="mu")
        try:
            shape = torch.broadcast_shapes(t.shape, mu.shape)
        except RuntimeError:
            shape = None
        if shape != mu.shape:
            raise ValueError(
                f"{name} (shape {tuple(t.shape)}) must broadcast to the shape of mu "
                f"{tuple(mu.shape)}, e.g. one value per latent dimension."
            )
    return mu_prior, logvar_prior


def gaussian_kl(mu, logvar, mu_prior=None, logvar_prior=None, *, reduction="batchmean"):
    r"""KL divergence between diagonal Gaussians, in nats, from their parameters.

    .. math::
        D_{KL}\big(\mathcal N(\mu, \operatorname{diag}\sigma^2) \,\big\|\,
        \mathcal N(m, \operatorname{diag} s^2)\big)
        = \frac12 \sum_{j=1}^{d} \Big[\log\frac{s_j^2}{\sigma_j^2}
          + \frac{\sigma_j^2 + (\mu_j - m_j)^2}{s_j^2} - 1\Big]

    With the default standard-normal prior (:math:`m = 0, s = 1`) this is the
    VAE's regulariser :math:`\frac12 \sum_j (\mu_j^2 + \sigma_j^2 - \log
    \sigma_j^2 - 1)` (Kingma and Welling 2014, appendix B). The last axis
    holds the latent dimensions and is summed; leading axes are examples.

    Parameters
    ----------
    mu, logvar : torch.Tensor
        Mean and log-variance :math:`\log \sigma^2` of the first Gaussian,
        same shape ``(..., d)``.
    mu_prior, logvar_prior : torch.Tensor, optional
        Parameters of the second Gaussian, broadcastable to ``mu``'s shape;
        default 0 (a standard normal).
    reduction : {"batchmean", "mean", "sum", "none"}, default "batchmean"
        See the module docstring; ``"none"`` returns shape ``mu.shape[:-1]``.

    Returns
    -------
    torch.Tensor

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import gaussian_kl
    >>> mu = torch.tensor([[0.0, 0.0], [1.0, 0.0]]); logvar = torch.zeros(2, 2)
    >>> print(gaussian_kl(mu, logvar, reduction="none"))   # (1/2) * |mu|^2
    tensor([0.0000, 0.5000])

    References
    ----------
    D. P. Kingma and M. Welling, "Auto-Encoding Variational Bayes", ICLR 2014,
    appendix B. Cover and Thomas (2006), eq. (8.76) for the Gaussian entropy.
    """
    mu_prior, logvar_prior = _gaussian_args(mu, logvar, mu_prior, logvar_prior)
    v.check_choice(reduction, "reduction", REDUCTIONS, _REDUCTION_HINT)
    diff2 = (mu - mu_prior) ** 2
    per_dim = 0.5 * (logvar_prior - logvar + (logvar.exp() + diff2) * torch.exp(-logvar_prior)
                     - 1.0)
    return _reduce(per_dim.sum(dim=-1), reduction)


def gaussian_kl_monte_carlo(mu, logvar, mu_prior=None, logvar_prior=None, *, n_samples,
                            generator=None, return_samples=False):
    r"""Monte-Carlo estimate of :func:`gaussian_kl`, the way a VAE could estimate it.

    .. math::
        \widehat{D}_{KL} = \frac1S \sum_{s=1}^{S} \big[\log q(z_s) - \log p(z_s)\big],
        \qquad z_s = \mu + \sigma \odot \varepsilon_s,\ \varepsilon_s \sim \mathcal N(0, I)

    Unbiased, with standard error shrinking as :math:`1/\sqrt S`; the closed
    form has no such noise, which is why VAEs use it when it exists.

    Parameters
    ----------
    mu, logvar, mu_prior, logvar_prior : torch.Tensor
        As in :func:`gaussian_kl`.
    n_samples : int
        :math:`S \ge 1`.
    generator : torch.Generator, optional
        For reproducible samples.
    return_samples : bool, default False
        Also return the individual log-ratios, shape ``(S, *mu.shape[:-1])``
        (e.g. to plot the running mean).

    Returns
    -------
    torch.Tensor, or (torch.Tensor, torch.Tensor)
        The estimate, shape ``mu.shape[:-1]`` (nats); and the samples if asked.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import gaussian_kl, gaussian_kl_monte_carlo
    >>> mu, logvar = torch.tensor([1.0, -0.5]), torch.tensor([0.5, -1.0])
    >>> g = torch.Generator().manual_seed(0)
    >>> mc = gaussian_kl_monte_carlo(mu, logvar, n_samples=100_000, generator=g)
    >>> print(f"{float(gaussian_kl(mu, logvar)):.4f}")
    0.8833
    >>> abs(float(mc) - 0.8833) < 0.01      # standard error about 0.003
    True

    References
    ----------
    Kingma and Welling (2014), section 2.3 (the generic SGVB estimator).
    """
    mu_prior, logvar_prior = _gaussian_args(mu, logvar, mu_prior, logvar_prior)
    n_samples = v.check_int(n_samples, "n_samples", minimum=1)
    v.check_generator(generator)
    eps = torch.randn((n_samples, *mu.shape), dtype=mu.dtype, device=mu.device,
                      generator=generator)
    z = mu + torch.exp(0.5 * logvar) * eps

    def log_normal(x, m, lv):
        return -0.5 * (math.log(2 * math.pi) + lv + (x - m) ** 2 * torch.exp(-lv))

    log_ratio = (log_normal(z, mu, logvar) - log_normal(z, mu_prior, logvar_prior)).sum(-1)
    estimate = log_ratio.mean(dim=0)
    return (estimate, log_ratio) if return_samples else estimate
