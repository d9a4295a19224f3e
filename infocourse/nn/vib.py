r"""The deep variational information bottleneck (Alemi et al. 2017).

A stochastic encoder :math:`q(z \mid x) = \mathcal N(\mu(x), \operatorname{diag}
\sigma^2(x))` and a classifier :math:`q(y \mid z)` are trained on

.. math::
    \mathcal L = \mathbb E_{x, y}\Big[\mathbb E_{q(z \mid x)}\big[-\log q(y \mid z)\big]
      + \beta\, D_{KL}\big(q(z \mid x) \,\Vert\, r(z)\big)\Big],
    \qquad r(z) = \mathcal N(0, I),

whose two terms bound the two informations of the bottleneck (in nats):
:math:`I(Z; X) \le \mathbb E\, D_{KL}(q(z \mid x) \Vert r(z))` and
:math:`I(Z; Y) \ge H(Y) - \mathbb E[-\log q(y \mid z)]`.

* :class:`VIB`: the encoder and the classifier.
* :func:`vib_loss`: the objective as a dict of terms, ready for
  :func:`infocourse.nn.fit`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .. import _validation as v
from .losses import gaussian_kl

__all__ = ["VIB", "vib_loss"]


class VIB(nn.Module):
    r"""Stochastic encoder and classifier of the variational information bottleneck.

    ``x -> hidden (ReLU) -> (mu, logvar)`` of a ``latent``-dimensional Gaussian
    code, then a linear layer from the code to ``n_classes`` logits.

    Parameters
    ----------
    in_features, n_classes : int
    latent : int, default 2
        Dimension of :math:`z`.
    hidden : int, default 64
        Width of the encoder's hidden layer.

    See Also
    --------
    vib_loss : the training objective.
    infocourse.nn.VAE : the same encoder with a decoder of the input.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import VIB
    >>> _ = torch.manual_seed(0)
    >>> model = VIB(64, 10, latent=2)
    >>> logits, mu, logvar = model(torch.zeros(5, 64))
    >>> tuple(logits.shape), tuple(mu.shape), tuple(logvar.shape)
    ((5, 10), (5, 2), (5, 2))

    References
    ----------
    1. A. A. Alemi, I. Fischer, J. V. Dillon and K. Murphy, "Deep Variational
       Information Bottleneck", ICLR 2017.
    """

    def __init__(self, in_features, n_classes, *, latent=2, hidden=64):
        super().__init__()
        self.in_features = v.check_positive_int(in_features, "in_features")
        self.n_classes = v.check_positive_int(n_classes, "n_classes")
        self.latent = v.check_positive_int(latent, "latent")
        hidden = v.check_positive_int(hidden, "hidden")
        self.encoder = nn.Sequential(nn.Linear(self.in_features, hidden), nn.ReLU())
        self.to_mu = nn.Linear(hidden, self.latent)
        self.to_logvar = nn.Linear(hidden, self.latent)
        self.classifier = nn.Linear(self.latent, self.n_classes)

    def encode(self, x):
        """Mean and log-variance of :math:`q(z \\mid x)`, each ``(batch, latent)``."""
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(
                f"x must have shape (batch, {self.in_features}), got shape "
                f"{tuple(x.shape)}."
            )
        h = self.encoder(x.to(self.to_mu.weight.dtype))
        return self.to_mu(h), self.to_logvar(h)

    def forward(self, x, *, sample=None):
        """``(logits, mu, logvar)``; the code is sampled in training mode and is
        the mean in eval mode, unless ``sample`` says otherwise."""
        mu, logvar = self.encode(x)
        sample = self.training if sample is None else sample
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu) if sample else mu
        return self.classifier(z), mu, logvar


def vib_loss(model, x, y, *, beta):
    r"""The VIB objective of one batch: cross-entropy plus :math:`\beta` times the rate.

    .. math::
        \mathcal L = \underbrace{\tfrac1B \textstyle\sum_i -\log q(y_i \mid z_i)}_{\text{ce}}
        + \beta\, \underbrace{\tfrac1B \textstyle\sum_i D_{KL}\big(q(z \mid x_i)
        \,\Vert\, \mathcal N(0, I)\big)}_{\text{kl}},

    with one reparameterised :math:`z_i \sim q(z \mid x_i)` per example when
    the model is in training mode (the mean in eval mode). Both terms are in
    nats; ``kl`` bounds :math:`I(Z; X)` from above and :math:`H(Y) -`
    ``ce`` bounds :math:`I(Z; Y)` from below.

    Parameters
    ----------
    model : VIB
    x : torch.Tensor
        Inputs, ``(batch, in_features)``.
    y : torch.Tensor
        Class indices, ``(batch,)``, dtype ``torch.long``.
    beta : float
        :math:`\beta \ge 0`.

    Returns
    -------
    dict
        ``{"loss", "ce", "kl"}``, scalar tensors.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import VIB, vib_loss
    >>> _ = torch.manual_seed(0)
    >>> model = VIB(4, 3, latent=2).eval()
    >>> x, y = torch.randn(8, 4), torch.randint(0, 3, (8,))
    >>> terms = vib_loss(model, x, y, beta=0.1)
    >>> bool(torch.isclose(terms["loss"], terms["ce"] + 0.1 * terms["kl"]))
    True

    References
    ----------
    1. A. A. Alemi, I. Fischer, J. V. Dillon and K. Murphy, "Deep Variational
       Information Bottleneck", ICLR 2017, eq. (7).
    """
    if not isinstance(model, VIB):
        raise TypeError(f"model must be an infocourse.nn.VIB, got {type(model).__name__}.")
    beta = v.check_real(beta, "beta", low=0)
    logits, mu, logvar = model(x)
    v.check_class_labels(y, "y", shape=logits.shape[:1], n_classes=logits.shape[1],
                         rows_of="logits", like=logits)
    ce = F.cross_entropy(logits, y)
    kl = gaussian_kl(mu, logvar)
    return {"loss": ce + beta * kl, "ce": ce, "kl": kl}
