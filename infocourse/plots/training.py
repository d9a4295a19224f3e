"""Figures for training runs: loss curves, reliability diagrams, reconstructions."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["loss_curves", "reliability_diagram", "reconstructions_grid"]


def _axes(ax, figsize):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    return ax.figure, ax


def loss_curves(history, keys=("loss",), *, ax=None, labels=None, ylabel="nats per example",
                title=None, logy=False):
    """Plot per-epoch training (solid) and test (dashed) curves from a ``History``.

    Parameters
    ----------
    history : infocourse.nn.History
        From :func:`infocourse.nn.fit`.
    keys : sequence of str, default ("loss",)
        Which logged terms to draw (each key gets one colour).
    ax : matplotlib.axes.Axes, optional
    labels : sequence of str, optional
        Legend names for ``keys`` (default: the keys).
    ylabel, title : str, optional
    logy : bool, default False
        Logarithmic y axis.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from infocourse.nn import History
    >>> h = History(train={"loss": [2.0, 1.0, 0.5]}, test={"loss": [2.1, 1.3, 1.0]})
    >>> fig = loss_curves(h)
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['loss (train)', 'loss (test)']
    >>> plt.close(fig)
    """
    labels = list(keys) if labels is None else list(labels)
    if len(labels) != len(keys):
        raise ValueError(f"labels must name each of the {len(keys)} keys, got {len(labels)}.")
    fig, ax = _axes(ax, (5.5, 3.5))
    for i, (key, label) in enumerate(zip(keys, labels)):
        if key not in history.train:
            raise ValueError(
                f"key {key!r} was not logged; the history has {sorted(history.train)}."
            )
        epochs = np.arange(1, len(history.train[key]) + 1)
        ax.plot(epochs, history.train[key], color=f"C{i}", label=f"{label} (train)")
        if key in history.test:
            ax.plot(epochs, history.test[key], color=f"C{i}", ls="--", label=f"{label} (test)")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def reliability_diagram(bins, *, ax=None, title=None, show_counts=True):
    """Reliability diagram: accuracy per confidence bin against the diagonal.

    Bars show each non-empty bin's accuracy; red outlines mark the gap to the
    bin's mean confidence; the dashed diagonal is perfect calibration. The
    legend reports the expected calibration error.

    Parameters
    ----------
    bins : infocourse.nn.ReliabilityBins
        From :func:`infocourse.nn.reliability_bins`.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    show_counts : bool, default True
        Write the number of predictions above each bar.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from infocourse.nn import reliability_bins
    >>> b = reliability_bins([[0.9, 0.1], [0.6, 0.4]], [0, 1], n_bins=5)
    >>> fig = reliability_diagram(b)
    >>> fig.axes[0].get_xlabel()
    'confidence (top probability)'
    >>> plt.close(fig)
    """
    fig, ax = _axes(ax, (4.2, 4.2))
    full = bins.counts > 0
    left = bins.edges[:-1][full]
    width = np.diff(bins.edges)[full]
    acc, conf = bins.accuracy[full], bins.confidence[full]
    ax.bar(left, acc, width=width, align="edge", color="C0", alpha=0.8,
           edgecolor="white", label="accuracy")
    ax.bar(left, conf - acc, bottom=acc, width=width, align="edge", fill=False,
           edgecolor="C3", hatch="//", lw=0.8, label="gap to confidence")
    ax.plot([0, 1], [0, 1], "k--", lw=1, label="perfect calibration")
    if show_counts:
        for x, w, a, n in zip(left, width, np.maximum(acc, conf), bins.counts[full]):
            ax.text(x + w / 2, min(a, 1.0) + 0.01, str(int(n)), ha="center", va="bottom",
                    fontsize=7, color="0.3")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.08)
    ax.set_xlabel("confidence (top probability)")
    ax.set_ylabel("accuracy")
    ax.set_title(title if title else f"ECE = {bins.ece:.3f}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=7,
              frameon=False)
    ax.set_aspect("equal")
    return fig


def reconstructions_grid(originals, reconstructions, *, image_shape=(8, 8), n=10,
                         row_labels=("input", "reconstruction"), title=None):
    """Two rows of images: inputs on top, their reconstructions below.

    Parameters
    ----------
    originals, reconstructions : array_like or torch.Tensor
        Shape ``(m, prod(image_shape))``, values in [0, 1] (the first ``n``
        rows are drawn).
    image_shape : tuple of int, default (8, 8)
    n : int, default 10
    row_labels : pair of str
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = reconstructions_grid(np.zeros((3, 64)), np.ones((3, 64)), n=3)
    >>> len(fig.axes)
    6
    >>> plt.close(fig)
    """
    def host(x):
        x = x.detach().cpu().numpy() if hasattr(x, "detach") else np.asarray(x)
        return x.reshape(-1, *image_shape)

    rows = [host(originals), host(reconstructions)]
    n = min(n, len(rows[0]), len(rows[1]))
    if n < 1:
        raise ValueError("originals and reconstructions must each hold at least one image.")
    fig, axes = plt.subplots(2, n, figsize=(0.9 * n, 2.1), squeeze=False)
    for r, (images, label) in enumerate(zip(rows, row_labels)):
        for c in range(n):
            ax = axes[r][c]
            ax.imshow(images[c], cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[r][0].set_ylabel(label, fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
