"""Small torch modules the deep-learning chapters train on 2 CPU cores.

* :class:`MLP`: a fully connected classifier that returns logits (and, on
  request, its hidden activations, e.g. for information-plane estimates).
* :class:`VAE`: a variational auto-encoder with a diagonal-Gaussian encoder
  and a Bernoulli decoder, for 8x8 digits scaled to [0, 1].
* :func:`count_parameters`: the size of a model, e.g. a teacher and its student.
"""

from __future__ import annotations

import numbers

import torch
from torch import nn

__all__ = ["MLP", "VAE", "count_parameters"]

_ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU, "sigmoid": nn.Sigmoid}


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}.")
    return int(value)


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
    return tuple(_positive_int(h, "each hidden width") for h in sizes)


def _activation(name):
    if name not in _ACTIVATIONS:
        raise ValueError(
            f"activation must be one of {sorted(_ACTIVATIONS)}, got {name!r}."
        )
    return _ACTIVATIONS[name]


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
        in_features = _positive_int(in_features, "in_features")
        out_features = _positive_int(out_features, "out_features")
        sizes = _hidden_sizes(hidden)
        act = _activation(activation)
        if isinstance(dropout, bool) or not isinstance(dropout, numbers.Real) or not (
            0 <= dropout < 1
        ):
            raise ValueError(f"dropout must be a probability in [0, 1), got {dropout!r}.")
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
    r"""Variational auto-encoder with a Gaussian encoder and Bernoulli decoder.

    Encoder :math:`q_\phi(z \mid x) = \mathcal N(\mu_\phi(x), \operatorname{diag}
    \sigma^2_\phi(x))`, prior :math:`p(z) = \mathcal N(0, I)`, decoder
    :math:`p_\theta(x \mid z) = \prod_i \operatorname{Bernoulli}(x_i;
    \operatorname{sigmoid}(\ell_i(z)))` with logits :math:`\ell(z)`. Inputs
    are pixel intensities in [0, 1] (``load_digits_split(scale="unit")``).

    The negative ELBO per example is
    ``F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / n``
    plus :func:`infocourse.nn.gaussian_kl` ``(mu, logvar)``.

    Parameters
    ----------
    in_features : int, default 64
    latent : int, default 2
        Dimension of :math:`z`.
    hidden : int, default 128
        Width of the single hidden layer of the encoder and of the decoder.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import VAE
    >>> _ = torch.manual_seed(0)
    >>> vae = VAE(64, latent=2)
    >>> logits, mu, logvar = vae(torch.rand(3, 64))
    >>> tuple(logits.shape), tuple(mu.shape), tuple(logvar.shape)
    ((3, 64), (3, 2), (3, 2))

    References
    ----------
    D. P. Kingma and M. Welling, "Auto-Encoding Variational Bayes", ICLR 2014.
    """

    def __init__(self, in_features=64, *, latent=2, hidden=128):
        super().__init__()
        self.in_features = _positive_int(in_features, "in_features")
        self.latent = _positive_int(latent, "latent")
        hidden = _positive_int(hidden, "hidden")
        self.encoder = nn.Sequential(nn.Linear(self.in_features, hidden), nn.ReLU())
        self.to_mu = nn.Linear(hidden, self.latent)
        self.to_logvar = nn.Linear(hidden, self.latent)
        self.decoder = nn.Sequential(
            nn.Linear(self.latent, hidden), nn.ReLU(), nn.Linear(hidden, self.in_features)
        )

    def encode(self, x):
        """Mean and log-variance of :math:`q(z \\mid x)`, each ``(batch, latent)``."""
        h = self.encoder(x)
        return self.to_mu(h), self.to_logvar(h)

    def decode(self, z):
        """Bernoulli logits of the pixels, ``(batch, in_features)``."""
        return self.decoder(z)

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
