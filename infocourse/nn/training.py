"""A small, seeded training loop with a progress bar, and reproducibility helpers.

The book's notebooks must print the same numbers on every run, so
:func:`seed_everything` seeds every generator and asks torch for
deterministic kernels, and :func:`fit` shuffles with its own seeded
generator. The progress bar goes to stderr (``tqdm``); its last line is
replaced by ``PROGRESS`` in the notebook checks (``tests/nbval_sanitize.cfg``).
"""

from __future__ import annotations

import numbers
import os
import random
import sys
from dataclasses import dataclass, field

import numpy as np
import torch
from tqdm import tqdm

from .. import _validation as v

__all__ = [
    "History",
    "accuracy",
    "default_device",
    "evaluate",
    "fit",
    "predict_logits",
    "seed_everything",
]


def seed_everything(seed):
    """Seed Python, numpy and torch (CPU and CUDA) and make torch deterministic.

    Calls ``random.seed``, ``np.random.seed``, ``torch.manual_seed`` (which
    also seeds every CUDA device) and ``torch.use_deterministic_algorithms(True)``,
    and turns off cuDNN auto-tuning. Bitwise equality is promised only on
    the same machine with the same thread count: print results with modest
    precision.

    Parameters
    ----------
    seed : int
        A non-negative integer.

    Returns
    -------
    torch.Generator
        A CPU generator seeded with ``seed``, for code that wants its own stream.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import seed_everything
    >>> _ = seed_everything(0); a = torch.rand(2)
    >>> _ = seed_everything(0); b = torch.rand(2)
    >>> bool(torch.equal(a, b))
    True

    References
    ----------
    PyTorch documentation, "Reproducibility",
    https://pytorch.org/docs/stable/notes/randomness.html
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be a non-negative int, got {seed!r}.")
    seed = int(seed)
    # Needed by cuBLAS for deterministic matrix products on CUDA >= 10.2.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.benchmark = False
    return torch.Generator().manual_seed(seed)


def default_device():
    """``torch.device("cuda")`` when a GPU is available, else ``torch.device("cpu")``.

    Examples
    --------
    >>> from infocourse.nn import default_device
    >>> default_device().type in ("cpu", "cuda")
    True
    """
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@dataclass
class History:
    """Per-epoch means of every term the loss function returned.

    Attributes
    ----------
    train : dict of str to list of float
        Mean over the epoch's mini-batches (weighted by batch size), recorded
        while the parameters were changing.
    test : dict of str to list of float
        Evaluated after each epoch on the held-out data (empty without it).
    """

    train: dict = field(default_factory=dict)
    test: dict = field(default_factory=dict)

    @property
    def epochs(self):
        """Number of completed epochs."""
        return len(next(iter(self.train.values()), []))

    def _add(self, split, values):
        target = self.train if split == "train" else self.test
        for key, value in values.items():
            target.setdefault(key, []).append(value)


def _terms(out):
    """Normalise a loss function's output to a dict with a "loss" tensor."""
    if isinstance(out, torch.Tensor):
        out = {"loss": out}
    if not isinstance(out, dict) or "loss" not in out:
        raise TypeError(
            "loss_fn must return a scalar tensor or a dict with a 'loss' tensor "
            f"(other entries are logged), got {type(out).__name__}."
        )
    if not isinstance(out["loss"], torch.Tensor) or out["loss"].numel() != 1:
        raise ValueError(
            "loss_fn's 'loss' must be a scalar tensor (the batch mean); use "
            "reduction='mean' or 'batchmean'."
        )
    return out


def _check_data(data, name):
    if isinstance(data, torch.Tensor):
        data = (data,)
    if not isinstance(data, (tuple, list)) or not data or not all(
        isinstance(t, torch.Tensor) for t in data
    ):
        raise TypeError(f"{name} must be a tensor or a tuple of tensors such as (x, y).")
    n = data[0].shape[0]
    if any(t.shape[0] != n for t in data):
        raise ValueError(
            f"the tensors in {name} must have the same first dimension (one row per "
            f"example), got {[tuple(t.shape) for t in data]}."
        )
    if n == 0:
        raise ValueError(f"{name} is empty; pass at least one example.")
    return tuple(data), n



@torch.no_grad()
def evaluate(model, loss_fn, data, *, batch_size=1024, device=None):
    """Mean of every term of ``loss_fn`` over ``data``, in eval mode, no gradients.

    Parameters
    ----------
    model : torch.nn.Module
    loss_fn : callable
        ``loss_fn(model, *batch)`` returning a scalar tensor (the batch mean)
        or a dict of scalar terms that includes ``"loss"``.
    data : tensor or tuple of tensors
        Examples along the first dimension, e.g. ``(x, y)``.
    batch_size : int, default 1024
    device : torch.device, optional
        Default: the device of the model's first parameter.

    Returns
    -------
    dict of str to float
        Each term averaged over examples (batch means weighted by batch size).

    Examples
    --------
    >>> import torch
    >>> import torch.nn.functional as F
    >>> from infocourse.nn import MLP, evaluate
    >>> net = MLP(4, 3, hidden=())
    >>> with torch.no_grad():
    ...     _ = net.layers[0].weight.zero_(); _ = net.layers[0].bias.zero_()
    >>> x, y = torch.randn(6, 4), torch.tensor([0, 1, 2, 0, 1, 2])
    >>> round(evaluate(net, lambda m, x, y: F.cross_entropy(m(x), y), (x, y))["loss"], 4)
    1.0986

    References
    ----------
    Goodfellow, Bengio and Courville, *Deep Learning* (2016), section 5.3.
    """
    data, n = _check_data(data, "data")
    batch_size = v.check_int(batch_size, "batch_size", minimum=1)
    device = _model_device(model) if device is None else torch.device(device)
    was_training = model.training
    model.eval()
    sums = {}
    try:
        for start in range(0, n, batch_size):
            batch = tuple(t[start:start + batch_size].to(device) for t in data)
            terms = _terms(loss_fn(model, *batch))
            k = batch[0].shape[0]
            for key, value in terms.items():
                sums[key] = sums.get(key, 0.0) + float(value) * k
    finally:
        model.train(was_training)
    return {key: total / n for key, total in sums.items()}


def _model_device(model):
    param = next(model.parameters(), None)
    return param.device if param is not None else torch.device("cpu")


def _optimizer(optimizer, params, lr, weight_decay):
    if callable(optimizer):
        return optimizer(params)
    if optimizer == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    if optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=weight_decay)
    raise ValueError(
        f"optimizer must be 'adam', 'sgd' or a callable params -> torch.optim.Optimizer, "
        f"got {optimizer!r}."
    )


def fit(model, loss_fn, train, *, epochs, batch_size=64, lr=1e-3, weight_decay=0.0,
        optimizer="adam", test=None, seed=0, device=None, progress=True, desc=None):
    r"""Train ``model`` by mini-batch gradient descent on ``loss_fn``; log every term.

    Each epoch shuffles ``train`` with a generator seeded from ``seed``, takes
    one optimiser step per mini-batch on ``loss_fn(model, *batch)["loss"]``
    and records the epoch mean of every returned term; with ``test`` it then
    evaluates the model on it (:func:`evaluate`). A ``tqdm`` bar on stderr
    shows the epochs and the current loss.

    Parameters
    ----------
    model : torch.nn.Module
        Moved to ``device``; trained in place.
    loss_fn : callable
        ``loss_fn(model, *batch)`` returning the batch-mean loss as a scalar
        tensor, or a dict of scalar terms including ``"loss"`` (the others,
        e.g. ``"kl"``, are logged only).
    train : tensor or tuple of tensors
        Training examples along the first dimension, e.g. ``(x, y)``.
    epochs : int
    batch_size : int, default 64
    lr : float, default 1e-3
    weight_decay : float, default 0.0
    optimizer : {"adam", "sgd"} or callable, default "adam"
        ``"sgd"`` uses momentum 0.9; a callable receives the parameters.
    test : tensor or tuple of tensors, optional
        Held-out data evaluated after every epoch.
    seed : int or None, default 0
        Seeds the shuffling and, at the start, torch's global generator
        (dropout masks, VAE samples). ``None`` leaves the global generator
        alone and shuffles with a generator drawn from it.
    device : str or torch.device, optional
        Default: :func:`default_device`. Batches are moved there one by one.
    progress : bool, default True
        Show the progress bar.
    desc : str, optional
        Label of the progress bar.

    Returns
    -------
    History

    Examples
    --------
    >>> import torch
    >>> import torch.nn.functional as F
    >>> from infocourse.nn import MLP, fit, seed_everything
    >>> _ = seed_everything(0)
    >>> x = torch.randn(64, 2); y = (x[:, 0] > 0).long()
    >>> net = MLP(2, 2, hidden=8)
    >>> loss = lambda m, x, y: F.cross_entropy(m(x), y)
    >>> h = fit(net, loss, (x, y), epochs=20, lr=0.05, progress=False, device="cpu")
    >>> h.epochs, h.train["loss"][-1] < h.train["loss"][0]
    (20, True)

    References
    ----------
    D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization",
    ICLR 2015.
    """
    train, n = _check_data(train, "train")
    if test is not None:
        test, _ = _check_data(test, "test")
    epochs = v.check_int(epochs, "epochs", minimum=1)
    batch_size = v.check_int(batch_size, "batch_size", minimum=1)
    lr = v.check_real(lr, "lr", low=0, low_open=True, hint="It is the learning rate.")
    device = default_device() if device is None else torch.device(device)
    if seed is None:
        seed = int(torch.randint(0, 2**62, (1,)).item())
    elif isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be a non-negative int or None, got {seed!r}.")
    else:
        torch.manual_seed(int(seed))
    shuffler = torch.Generator().manual_seed(int(seed))

    model.to(device)
    opt = _optimizer(optimizer, model.parameters(), lr, weight_decay)
    history = History()
    bar = tqdm(range(epochs), desc=desc, disable=not progress, file=sys.stderr,
               ncols=80, leave=True)
    for _ in bar:
        model.train()
        sums = {}
        order = torch.randperm(n, generator=shuffler)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            batch = tuple(t[idx].to(device) for t in train)
            terms = _terms(loss_fn(model, *batch))
            opt.zero_grad(set_to_none=True)
            terms["loss"].backward()
            opt.step()
            k = idx.numel()
            for key, value in terms.items():
                sums[key] = sums.get(key, 0.0) + float(value.detach()) * k
        history._add("train", {key: total / n for key, total in sums.items()})
        if test is not None:
            history._add("test", evaluate(model, loss_fn, test, device=device))
        bar.set_postfix(loss=f"{history.train['loss'][-1]:.4f}", refresh=False)
    bar.close()
    model.eval()
    return history


@torch.no_grad()
def predict_logits(model, x, *, batch_size=1024, device=None):
    """The model's outputs on ``x`` in eval mode, without gradients, on ``x``'s device.

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import MLP, predict_logits
    >>> tuple(predict_logits(MLP(3, 2), torch.zeros(5, 3)).shape)
    (5, 2)
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch tensor, got {type(x).__name__}.")
    batch_size = v.check_int(batch_size, "batch_size", minimum=1)
    device = _model_device(model) if device is None else torch.device(device)
    was_training = model.training
    model.eval()
    try:
        outs = [model(x[s:s + batch_size].to(device)).to(x.device)
                for s in range(0, x.shape[0], batch_size)]
    finally:
        model.train(was_training)
    return torch.cat(outs)


def accuracy(logits, labels):
    """Fraction of rows whose arg-max logit equals the label (a Python float).

    Parameters
    ----------
    logits : torch.Tensor
        Shape ``(n, K)``, finite (probabilities work too: same arg-max).
    labels : torch.Tensor
        Integer class indices in ``[0, K)``, shape ``(n,)``, on the device of
        ``logits``.

    Returns
    -------
    float
        In [0, 1].

    Examples
    --------
    >>> import torch
    >>> from infocourse.nn import accuracy
    >>> accuracy(torch.tensor([[2.0, 1.0], [0.0, 3.0]]), torch.tensor([0, 0]))
    0.5
    """
    v.check_float_tensor(logits, "logits", what="logits", ndim=2)
    v.check_class_labels(labels, "labels", shape=logits.shape[:1],
                         n_classes=logits.shape[1], rows_of="logits", like=logits)
    return float((logits.argmax(dim=1) == labels).double().mean())
