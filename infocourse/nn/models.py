"""Small torch modules the deep-learning chapters train on 2 CPU cores.

* :class:`MLP`: a fully connected classifier that returns logits (and, on
  request, its hidden activations, e.g. for information-plane estimates).
* :class:`VAE`: a variational auto-encoder with a diagonal-Gaussian encoder
  and a categorical decoder over each pixel's grey levels (0..16 for the
  8x8 digits).
* :func:`count_parameters`: the size of a model, e.g. a teacher and its student.
"""

from __future__ import annotations

import numbers

import torch
from torch import nn

from .. import _validation as v

__all__ = ["MLP", "VAE", "count_parameters"]

_ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU, "sigmoid": nn.Sigmoid}



def _hidden_sizes(hidden):
    if isinstance(hidden, numbers.Integral) and not isinstance(hidden, bool):
        hidden = (hidden,)
    try:
        sizes = tuple(hidden)
    except TypeError:
        raise TypeError(
            f"hidden must be an int or a sequence of ints (one width per hidden "
            f"layer), got {hidden!r}."
        ) from None
    return tuple(v.check_int(h, "each hidden width", minimum=1) for h in sizes)


def _activation(name):
    return _ACTIVATIONS[v.check_choice(name, "activation", sorted(_ACTIVATIONS))]


class MLP(nn.Module):
    r"""Fully connected network that maps features to class logits.

    ``in_features -> hidden[0] -> ... -> hidden[-1] -> out_features``, with
    ``activation`` (and optional dropout) after every hidden layer and no
    softmax at the end: pair it with a loss that takes logits
    (``F.cross_entropy``, :func:`infocourse.nn.label_smoothing_cross_entropy`).

    Parameters
    ----------
    in_features, out_features : int
    hidden : int or sequence of int, default (64,)
        Width of each hidden layer; ``()`` gives multinomial logistic regression.
    activation : {"relu", "tanh", "gelu", "sigmoid"}, default "relu"
    dropout : float, default 0.0
        Dropout probability after each hidden activation, in [0, 1).

    Attributes
    ----------
    layers : torch.nn.ModuleList
        The ``nn.Linear`` layers, in order (the last one gives the logits).

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import MLP
    >>> _ = torch.manual_seed(0)
    >>> net = MLP(64, 10, hidden=(32, 16))
    >>> logits, hidden = net(torch.zeros(5, 64), return_hidden=True)
    >>> tuple(logits.shape), [tuple(h.shape) for h in hidden]
    ((5, 10), [(5, 32), (5, 16)])

    References
    ----------
    I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, MIT Press
    (2016), chapter 6.
    """

    def __init__(self, in_features, out_features, hidden=(64,), *, activation="relu",
                 dropout=0.0):
        super().__init__()
        in_features = v.check_int(in_features, "in_features", minimum=1)
        out_features = v.check_int(out_features, "out_features", minimum=1)
        sizes = _hidden_sizes(hidden)
        act = _activation(activation)
        dropout = v.check_real(dropout, "dropout", low=0, high=1, high_open=True,
                               hint="It is the probability of zeroing a hidden unit.")
        widths = (in_features, *sizes, out_features)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:]))
        self.act = act()
        self.drop = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.in_features, self.out_features, self.hidden = in_features, out_features, sizes

    def forward(self, x, *, return_hidden=False):
        """Logits of shape ``(batch, out_features)``; with ``return_hidden=True``
        also the list of hidden activations (after the non-linearity)."""
        hidden = []
        for layer in self.layers[:-1]:
            x = self.act(layer(x))
            hidden.append(x)
            x = self.drop(x)
        logits = self.layers[-1](x)
        return (logits, hidden) if return_hidden else logits


class VAE(nn.Module):
    r"""Variational auto-encoder with a Gaussian encoder and a categorical decoder.

    Encoder :math:`q_\phi(z \mid x) = \mathcal N(\mu_\phi(x), \operatorname{diag}
    \sigma^2_\phi(x))`, prior :math:`p(z) = \mathcal N(0, I)`, and decoder

    .. math::
        p_\theta(x \mid z) = \prod_{i=1}^{d}
        \operatorname{softmax}\big(a_i(z)\big)_{x_i},
        \qquad x_i \in \{0, 1, \dots, L - 1\},

    one categorical distribution over the :math:`L` grey levels of each of the
    :math:`d` pixels, with logits :math:`a_i(z) \in \mathbb R^L`. This is a
    normalised likelihood on the discrete images, so the ELBO is a lower bound
    on :math:`\log p_\theta(x)`, the log-probability of an image in nats.
    scikit-learn's digits take the integer values 0..16, so ``levels=17``
    models them exactly (``load_digits_split(scale="none")``); ``levels=2``
    is the Bernoulli decoder of binary images. (A Bernoulli cross-entropy on
    grey levels in [0, 1] is *not* a normalised likelihood.)

    The negative ELBO per example is
    :func:`infocourse.nn.categorical_nll` ``(logits, x.long())`` plus
    :func:`infocourse.nn.gaussian_kl` ``(mu, logvar)``.

    Parameters
    ----------
    in_features : int, default 64
        :math:`d`, the number of pixels.
    latent : int, default 2
        Dimension of :math:`z`.
    hidden : int, default 128
        Width of the single hidden layer of the encoder and of the decoder.
    levels : int, default 17
        :math:`L \ge 2`, the number of grey levels; inputs take the values
        ``0, ..., levels - 1``, and the encoder sees them divided by
        ``levels - 1`` (intensities in [0, 1]).

    See Also
    --------
    infocourse.nn.categorical_nll : the reconstruction term.
    infocourse.nn.gaussian_kl : the KL term.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import VAE, categorical_nll
    >>> _ = torch.manual_seed(0)
    >>> vae = VAE(64, latent=2, levels=17)
    >>> x = torch.randint(0, 17, (3, 64))
    >>> logits, mu, logvar = vae(x)
    >>> tuple(logits.shape), tuple(mu.shape), tuple(logvar.shape)
    ((3, 64, 17), (3, 2), (3, 2))
    >>> tuple(categorical_nll(logits, x, reduction="none").shape)
    (3,)

    References
    ----------
    D. P. Kingma and M. Welling, "Auto-Encoding Variational Bayes", ICLR 2014.
    D. J. Rezende, S. Mohamed and D. Wierstra, "Stochastic Backpropagation and
    Approximate Inference in Deep Generative Models", ICML 2014.
    """

    def __init__(self, in_features=64, *, latent=2, hidden=128, levels=17):
        super().__init__()
        self.in_features = v.check_int(in_features, "in_features", minimum=1)
        self.latent = v.check_int(latent, "latent", minimum=1)
        hidden = v.check_int(hidden, "hidden", minimum=1)
        self.levels = v.check_int(levels, "levels", minimum=1)
        if self.levels < 2:
            raise ValueError(
                f"levels must be at least 2 (2 for binary pixels, 17 for the digits' "
                f"grey levels 0..16), got {levels!r}."
            )
        self.encoder = nn.Sequential(nn.Linear(self.in_features, hidden), nn.ReLU())
        self.to_mu = nn.Linear(hidden, self.latent)
        self.to_logvar = nn.Linear(hidden, self.latent)
        self.decoder = nn.Sequential(
            nn.Linear(self.latent, hidden), nn.ReLU(),
            nn.Linear(hidden, self.in_features * self.levels),
        )

    def encode(self, x):
        """Mean and log-variance of :math:`q(z \\mid x)`, each ``(batch, latent)``.

        ``x`` holds grey levels ``0 .. levels - 1``, shape ``(batch, in_features)``.
        """
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(
                f"x must have shape (batch, {self.in_features}), one grey level per "
                f"pixel, got shape {tuple(x.shape)}."
            )
        scale = self.to_mu.weight.new_tensor(1.0 / (self.levels - 1))
        h = self.encoder(x.to(scale.dtype) * scale)
        return self.to_mu(h), self.to_logvar(h)

    def decode(self, z):
        """Logits of every pixel's grey level, ``(batch, in_features, levels)``."""
        return self.decoder(z).unflatten(-1, (self.in_features, self.levels))

    def mean_image(self, logits):
        r"""Expected grey level of each pixel, :math:`\sum_k k\,p_k`, divided by
        ``levels - 1``: intensities in [0, 1], shape ``(batch, in_features)``."""
        grid = torch.arange(self.levels, dtype=logits.dtype, device=logits.device)
        return torch.softmax(logits, dim=-1) @ grid / (self.levels - 1)

    @staticmethod
    def reparameterize(mu, logvar, generator=None):
        r""":math:`z = \mu + \sigma \odot \varepsilon`, :math:`\varepsilon \sim
        \mathcal N(0, I)`, differentiable in ``mu`` and ``logvar``."""
        eps = torch.randn(mu.shape, dtype=mu.dtype, device=mu.device, generator=generator)
        return mu + torch.exp(0.5 * logvar) * eps

    def forward(self, x, *, sample=None):
        """``(logits, mu, logvar)``. The code is sampled in training mode and is
        the mean in eval mode, unless ``sample`` says otherwise."""
        mu, logvar = self.encode(x)
        sample = self.training if sample is None else sample
        z = self.reparameterize(mu, logvar) if sample else mu
        return self.decode(z), mu, logvar


def count_parameters(model, *, matrices_only=False):
    """Number of scalar parameters of a torch module.

    Parameters
    ----------
    model : torch.nn.Module
    matrices_only : bool, default False
        Count only parameters with two or more dimensions (the weight
        matrices of linear layers), leaving out biases.

    Returns
    -------
    int

    Examples
    --------
    >>> from infocourse.nn import MLP, count_parameters
    >>> net = MLP(64, 10, hidden=(8,))
    >>> count_parameters(net), count_parameters(net, matrices_only=True)   # 64*8 + 8 + 8*10 + 10
    (610, 592)

    References
    ----------
    PyTorch documentation, ``torch.nn.Module.parameters``.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}.")
    if not isinstance(matrices_only, bool):
        raise TypeError(f"matrices_only must be True or False, got {matrices_only!r}.")
    return sum(p.numel() for p in model.parameters() if not matrices_only or p.ndim >= 2)
