"""Figures for single distributions: bar charts and the binary entropy curve."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..uncertainty import binary_entropy, entropy


def bar_distributions(distributions, names, *, base=2, figsize=None):
    """Bar charts of several distributions side by side, titled with their entropy.

    Parameters
    ----------
    distributions : sequence of array_like
        Probability vectors (each is validated by :func:`infocourse.entropy`).
    names : sequence of str
        One title per distribution.
    base : float, default 2
        Unit of the entropy in the titles (2: bits).
    figsize : tuple, optional
        Defaults to 4 inches per panel by 3.2.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = bar_distributions([[0.5, 0.5]], ["fair coin"])
    >>> fig.axes[0].get_title()
    'fair coin\\nH = 1.000 bits'
    >>> plt.close(fig)
    """
    if len(distributions) != len(names):
        raise ValueError(
            f"names must give one title per distribution: got {len(names)} names "
            f"for {len(distributions)} distributions."
        )
    unit = "bits" if base == 2 else "nats" if base == np.e else f"base-{base:g} units"
    n = len(distributions)
    fig, axes = plt.subplots(1, n, figsize=figsize or (4 * n, 3.2), sharey=True, squeeze=False)
    for ax, p, name in zip(axes[0], distributions, names):
        h = entropy(p, base=base)
        ax.bar(np.arange(len(p)), p, color="C0", alpha=0.8)
        ax.set_title(f"{name}\nH = {h:.3f} {unit}")
        ax.set_xlabel("outcome")
        ax.set_xticks(np.arange(len(p)))
        ax.set_ylim(0, 1.05)
        ax.grid(axis="y", alpha=0.3)
    axes[0][0].set_ylabel("probability")
    fig.tight_layout()
    return fig


def binary_entropy_curve(*, marks=(0.11, 0.5), ax=None):
    """Plot h(p) in bits for p in [0, 1], marking a few points.

    Parameters
    ----------
    marks : sequence of float, default (0.11, 0.5)
        Probabilities to mark with their entropy.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = binary_entropy_curve()
    >>> ax.get_ylabel()
    'h(p) [bits]'
    >>> plt.close(ax.figure)
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.5))
    p = np.linspace(0, 1, 501)
    ax.plot(p, binary_entropy(p), color="C0")
    for m in marks:
        h = binary_entropy(m)
        ax.plot([m], [h], "o", color="C3")
        ax.annotate(f"h({m:g}) = {h:.2f}", (m, h), textcoords="offset points", xytext=(6, -14))
    ax.set_xlabel("p = P(heads)")
    ax.set_ylabel("h(p) [bits]")
    ax.set_ylim(0, 1.08)
    ax.grid(alpha=0.3)
    return ax
