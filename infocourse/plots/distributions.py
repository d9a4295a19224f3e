"""Figures for pairs of variables and pairs of distributions.

Information diagrams and chain-rule bars for a joint table, annotated
heatmaps of tables, true-versus-predicted bars with their cross-entropy and
KL, Gaussian fits to a mixture, estimates against sample size, and a scatter
plot next to its joint histogram. Every number drawn is computed here by
:mod:`infocourse`, so a figure cannot disagree with the library.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from .. import _validation as v
from ..dependence import mutual_information
from ..divergences import cross_entropy, kl_divergence
from ..uncertainty import conditional_entropy, entropy, joint_entropy

__all__ = [
    "information_diagram",
    "chain_rule_bars",
    "table_heatmap",
    "compare_predictions",
    "gaussian_fits",
    "estimates_vs_n",
    "scatter_and_joint_histogram",
]

# One colour per region of the information diagram, used by every figure.
_COLORS = {"h_x_given_y": "C0", "mi": "C4", "h_y_given_x": "C1"}


def _unit(base):
    if base == 2:
        return "bits"
    if base == math.e:
        return "nats"
    return f"base-{base:g} units"


def _two_names(names):
    if len(names) != 2 or not all(isinstance(n, str) for n in names):
        raise ValueError(f"names must be two strings (row variable, column variable), got {names!r}.")
    return names


def _parts(p_xy, base):
    """H(X|Y), I(X;Y), H(Y|X), H(X), H(Y), H(X,Y) of a 2-D table, as floats."""
    p = v.joint_table(p_xy, "p_xy")
    p = p.detach().cpu().double().numpy() if hasattr(p, "detach") else np.asarray(p, float)
    return {
        "h_x_given_y": float(conditional_entropy(p, given=1, base=base)),
        "mi": float(mutual_information(p, base=base)),
        "h_y_given_x": float(conditional_entropy(p, given=0, base=base)),
        "h_x": float(entropy(p.sum(1), base=base)),
        "h_y": float(entropy(p.sum(0), base=base)),
        "h_xy": float(joint_entropy(p, base=base)),
    }


def information_diagram(p_xy, *, names=("X", "Y"), base=2, ax=None):
    r"""Draw the information diagram of a 2-D joint table as aligned bars.

    Three bars on a common scale: :math:`H(X)` (split into
    :math:`H(X \mid Y)` and :math:`I(X; Y)`), :math:`H(Y)` (split into
    :math:`I(X; Y)` and :math:`H(Y \mid X)`) and :math:`H(X, Y)` (all three
    regions). The overlap of the first two bars is the mutual information;
    both chain rules can be read off the picture.

    Parameters
    ----------
    p_xy : array_like or torch.Tensor
        2-D joint probabilities (rows X, columns Y) summing to 1.
    names : (str, str), default ("X", "Y")
        Names of the row and column variables.
    base : float, default 2
        Logarithm base (2: bits).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = information_diagram([[0.1, 0.5], [0.1, 0.3]])
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['H(X, Y)', 'H(Y)', 'H(X)']
    >>> plt.close(ax.figure)

    References
    ----------
    MacKay (2003), figure 8.1; Cover and Thomas (2006), figure 2.2.
    """
    x, y = _two_names(names)
    base = v.check_base(base)
    d = _parts(p_xy, base)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 2.8))
    a, b, c = d["h_x_given_y"], d["mi"], d["h_y_given_x"]
    rows = [  # (row, [(start, width, region, label)])
        (2, [(0, a, "h_x_given_y", f"H({x}|{y})"), (a, b, "mi", f"I({x};{y})")]),
        (1, [(a, b, "mi", f"I({x};{y})"), (a + b, c, "h_y_given_x", f"H({y}|{x})")]),
        (0, [(0, a, "h_x_given_y", f"H({x}|{y})"), (a, b, "mi", f"I({x};{y})"),
             (a + b, c, "h_y_given_x", f"H({y}|{x})")]),
    ]
    total = a + b + c
    for row, segments in rows:
        for start, width, region, label in segments:
            ax.barh(row, width, left=start, height=0.6, color=_COLORS[region], alpha=0.8,
                    edgecolor="white")
            if width > 0.08 * max(total, 1e-12):
                ax.text(start + width / 2, row, f"{label}\n{width:.3f}", ha="center",
                        va="center", fontsize=8.5, color="white")
    ax.set_yticks([0, 1, 2], [f"H({x}, {y})", f"H({y})", f"H({x})"])
    for row, value in ((2, d["h_x"]), (1, d["h_y"]), (0, d["h_xy"])):
        ax.text(total * 1.01 + 1e-9, row, f"{value:.3f}", va="center", fontsize=9)
    ax.set_xlim(0, total * 1.12 + 1e-9)
    ax.set_xlabel(f"[{_unit(base)}]")
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def chain_rule_bars(p_xy, *, names=("X", "Y"), base=2, ax=None):
    r"""Stacked bars showing both chain rules of a 2-D joint table.

    .. math:: H(X) + H(Y \mid X) = H(X, Y) = H(Y) + H(X \mid Y)

    Parameters
    ----------
    p_xy : array_like or torch.Tensor
        2-D joint probabilities (rows X, columns Y) summing to 1.
    names : (str, str), default ("X", "Y")
        Names of the row and column variables.
    base : float, default 2
        Logarithm base (2: bits).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = chain_rule_bars([[0.25, 0.25], [0.0, 0.5]])
    >>> [round(float(r.get_height()), 3) for r in ax.patches][:2]    # H(X), H(Y|X)
    [1.0, 0.5]
    >>> plt.close(ax.figure)

    References
    ----------
    Cover and Thomas (2006), theorem 2.2.1.
    """
    x, y = _two_names(names)
    base = v.check_base(base)
    d = _parts(p_xy, base)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.6))
    bars = [
        (f"H({x}) + H({y}|{x})", [(d["h_x"], "C2", f"H({x})"), (d["h_y_given_x"], _COLORS["h_y_given_x"], f"H({y}|{x})")]),
        (f"H({x}, {y})", [(d["h_xy"], "C7", f"H({x}, {y})")]),
        (f"H({y}) + H({x}|{y})", [(d["h_y"], "C3", f"H({y})"), (d["h_x_given_y"], _COLORS["h_x_given_y"], f"H({x}|{y})")]),
    ]
    for i, (_, segments) in enumerate(bars):
        bottom = 0.0
        for height, color, label in segments:
            ax.bar(i, height, bottom=bottom, width=0.6, color=color, alpha=0.8, edgecolor="white")
            ax.text(i, bottom + height / 2, f"{label}\n{height:.3f}", ha="center", va="center",
                    fontsize=8.5, color="white")
            bottom += height
    ax.axhline(d["h_xy"], color="k", ls="--", lw=1)
    ax.set_xticks(range(3), [b[0] for b in bars], fontsize=9)
    ax.set_ylabel(f"[{_unit(base)}]")
    ax.set_ylim(0, d["h_xy"] * 1.1 + 1e-9)
    return ax


def table_heatmap(table, *, ax=None, fmt="{:.2f}", row_name="X", col_name="Y", diverging=False,
                  title=None):
    """Show a 2-D table (joint probabilities, PMI, a channel) with its values written in.

    Rows are drawn top to bottom, as the table is printed. Non-finite cells
    (e.g. ``-inf`` PMI of an impossible pair) are left blank and labelled.

    Parameters
    ----------
    table : array_like or torch.Tensor, 2-D
        Finite values or +-inf/NaN.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.
    fmt : str, default "{:.2f}"
        Format of the numbers written in the cells.
    row_name, col_name : str
        Axis labels.
    diverging : bool, default False
        Colour signed values (e.g. PMI) red where positive and blue where
        negative, symmetric around 0, instead of a sequential blue scale.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = table_heatmap([[0.1, 0.5], [0.1, 0.3]])
    >>> [t.get_text() for t in ax.texts]
    ['0.10', '0.50', '0.10', '0.30']
    >>> plt.close(ax.figure)

    References
    ----------
    Cover and Thomas (2006), section 2.2 (joint tables).
    """
    t = v.as_array(table, "table")
    t = t.detach().cpu().double().numpy() if hasattr(t, "detach") else np.asarray(t, float)
    if t.ndim != 2 or t.size == 0:
        raise ValueError(f"table must be a non-empty 2-D array, got shape {t.shape}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.9 * t.shape[1] + 1.6, 0.75 * t.shape[0] + 1.0))
    finite = np.isfinite(t)
    shown = np.where(finite, t, np.nan)
    big = float(np.nanmax(np.abs(shown))) if finite.any() else 1.0
    big = big if big > 0 else 1.0
    if diverging:
        im = ax.imshow(shown, cmap="RdBu_r", vmin=-big, vmax=big)  # positive red, negative blue
    else:
        im = ax.imshow(shown, cmap="Blues", vmin=min(0.0, float(np.nanmin(shown)) if finite.any() else 0.0))
    for (i, j), val in np.ndenumerate(t):
        if np.isfinite(val):
            level = float(im.norm(val))
            dark = abs(level - 0.5) > 0.3 if diverging else level > 0.6
            ax.text(j, i, fmt.format(val), ha="center", va="center", color="white" if dark else "black")
        else:
            ax.text(j, i, str(val), ha="center", va="center", color="C3")
    ax.set_xticks(range(t.shape[1]))
    ax.set_yticks(range(t.shape[0]))
    ax.set_xlabel(col_name)
    ax.set_ylabel(row_name)
    if title:
        ax.set_title(title)
    return ax


def compare_predictions(p, predictions, names, *, base=2, figsize=None):
    """Grouped bars of a true distribution against each prediction, titled with CE and KL.

    One panel per prediction ``q``: bars of ``p`` and ``q`` side by side for
    every outcome; the title gives :math:`H(p, q)` and
    :math:`D_{KL}(p \\| q)`, computed with :func:`infocourse.cross_entropy` and
    :func:`infocourse.kl_divergence`.

    Parameters
    ----------
    p : array_like
        The true distribution.
    predictions : sequence of array_like
        Predicted distributions over the same outcomes.
    names : sequence of str
        One title per prediction.
    base : float, default 2
        Unit of CE and KL (2: bits).
    figsize : tuple, optional
        Defaults to 4.2 inches per panel by 3.6.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = compare_predictions([0.5, 0.5], [[0.5, 0.5]], ["perfect"])
    >>> fig.axes[0].get_title()
    'perfect\\nCE = 1.000 bits, KL = 0.000 bits'
    >>> plt.close(fig)

    References
    ----------
    Cover and Thomas (2006), section 5.4.
    """
    if len(predictions) != len(names):
        raise ValueError(
            f"names must give one title per prediction: got {len(names)} names for "
            f"{len(predictions)} predictions."
        )
    base = v.check_base(base)
    unit = _unit(base)
    n = len(predictions)
    fig, axes = plt.subplots(1, n, figsize=figsize or (4.2 * n, 3.6), sharey=True, squeeze=False)
    for ax, q, name in zip(axes[0], predictions, names):
        ce = float(cross_entropy(p, q, base=base))
        kl = float(kl_divergence(p, q, base=base))
        pa, qa = np.asarray(p, float), np.asarray(q, float)
        x = np.arange(len(pa))
        ax.bar(x - 0.18, pa, 0.36, label="true p", color="C0", alpha=0.8)
        ax.bar(x + 0.18, qa, 0.36, label="predicted q", color="C1", alpha=0.8)
        ax.set_title(f"{name}\nCE = {ce:.3f} {unit}, KL = {kl:.3f} {unit}")
        ax.set_xticks(x)
        ax.set_xlabel("outcome")
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
    axes[0][0].set_ylabel("probability")
    axes[0][0].legend()
    fig.tight_layout()
    return fig


def gaussian_fits(weights, means, variances, fits, *, labels=None, x=None, ax=None):
    """Plot a 1-D Gaussian mixture and Gaussians fitted to it.

    Parameters
    ----------
    weights, means, variances : array_like, shape (K,)
        The mixture (see :mod:`infocourse.mixtures`).
    fits : sequence of infocourse.mixtures.GaussianFit
        The fitted Gaussians.
    labels : sequence of str, optional
        One legend entry per fit; by default the divergence, mean, std and KL.
    x : array_like, optional
        Points to plot at; 800 points over the mixture's range by default.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from infocourse.mixtures import fit_gaussian
    >>> mix = ([0.5, 0.5], [-2.0, 2.0], [0.5, 0.5])
    >>> ax = gaussian_fits(*mix, [fit_gaussian(*mix)])
    >>> len(ax.lines)
    2
    >>> plt.close(ax.figure)

    References
    ----------
    Bishop (2006), figure 10.3; Minka (2005).
    """
    from ..mixtures import default_grid, mixture_pdf

    if labels is not None and len(labels) != len(fits):
        raise ValueError(f"labels must give one entry per fit: got {len(labels)} for {len(fits)} fits.")
    if x is None:
        x = default_grid(weights, means, variances, n=800, width=4.0)
    x = np.asarray(x, float)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    p = mixture_pdf(x, weights, means, variances)
    ax.fill_between(x, p, color="0.8", label="p (mixture)")
    ax.plot(x, p, color="0.4", lw=1)
    styles = ["-", "--", ":", "-."]
    for i, fit in enumerate(fits):
        q = np.exp(-0.5 * (x - fit.mean) ** 2 / fit.variance) / math.sqrt(2 * math.pi * fit.variance)
        direction = "KL(p||q)" if fit.divergence == "forward" else "KL(q||p)"
        label = labels[i] if labels is not None else (
            f"{fit.divergence}: min {direction} = {fit.kl:.3f} {_unit(fit.base)}\n"
            f"  q = N({fit.mean:.2f}, {fit.std:.2f}²)"
        )
        ax.plot(x, q, styles[i % len(styles)], color=f"C{i}", lw=2, label=label)
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.legend(fontsize=8.5, loc="upper left")
    ax.set_ylim(0, None)
    return ax


def estimates_vs_n(ns, estimates, truth, *, ax=None, label="estimate", unit="bits"):
    """Sample-based estimates against the sample size, with the true value.

    Each column of ``estimates`` (one per seed) is drawn as faint points; the
    mean over seeds as a line with a band of one standard deviation.

    Parameters
    ----------
    ns : array_like, shape (m,)
        Sample sizes (drawn on a log axis).
    estimates : array_like, shape (m, seeds)
        Estimates for each sample size and seed.
    truth : float
        The value the estimates should converge to.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.
    label : str, default "estimate"
        Legend entry of the mean.
    unit : str, default "bits"
        Unit for the y label.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = estimates_vs_n([10, 100], [[1.0, 2.0], [1.4, 1.6]], truth=1.5)
    >>> ax.get_xscale()
    'log'
    >>> plt.close(ax.figure)

    References
    ----------
    Q. Wang, S. R. Kulkarni and S. Verdú, "Divergence estimation for
    multidimensional densities via k-nearest-neighbor distances", IEEE
    Transactions on Information Theory 55 (2009).
    """
    ns = np.asarray(ns, float)
    est = np.asarray(estimates, float)
    if est.ndim == 1:
        est = est[:, None]
    if ns.ndim != 1 or est.shape[0] != ns.shape[0]:
        raise ValueError(
            f"estimates must have one row per sample size: ns has shape {ns.shape}, "
            f"estimates {est.shape}."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.6))
    jitter = np.exp(np.linspace(-0.06, 0.06, est.shape[1]))
    for j in range(est.shape[1]):
        ax.plot(ns * jitter[j], est[:, j], ".", color="C0", alpha=0.25, ms=3)
    mean, sd = est.mean(1), est.std(1)
    ax.fill_between(ns, mean - sd, mean + sd, color="C0", alpha=0.2)
    ax.plot(ns, mean, "o-", color="C0", label=f"{label} (mean ± sd)")
    ax.axhline(truth, color="C3", ls="--", label=f"truth = {truth:.3f} {unit}")
    ax.set_xscale("log")
    ax.set_xlabel("sample size n")
    ax.set_ylabel(f"[{unit}]")
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def scatter_and_joint_histogram(x, y, x_edges, y_edges, *, names=("X", "Y"), figsize=(12, 3.8)):
    """A scatter plot, its joint histogram (as probabilities) and both marginals.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Paired samples.
    x_edges, y_edges : array_like
        Bin edges, as passed to :func:`numpy.histogram2d`.
    names : (str, str), default ("X", "Y")
        Variable names.
    figsize : tuple, default (12, 3.8)

    Returns
    -------
    matplotlib.figure.Figure
        Three panels: scatter with the bin grid, joint probabilities
        (X horizontal, Y vertical), marginal probabilities.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(size=(2, 200))
    >>> fig = scatter_and_joint_histogram(x, y, np.linspace(-3, 3, 7), np.linspace(-3, 3, 7))
    >>> len(fig.axes)     # three panels and a colour bar
    4
    >>> plt.close(fig)

    References
    ----------
    Cover and Thomas (2006), section 8.3 (quantisation of continuous variables).
    """
    xn, yn = _two_names(names)
    x, y = np.asarray(x, float), np.asarray(y, float)
    x_edges, y_edges = np.asarray(x_edges, float), np.asarray(y_edges, float)
    counts, _, _ = np.histogram2d(x, y, bins=[x_edges, y_edges])
    joint = counts / counts.sum()
    fig, axes = plt.subplots(1, 3, figsize=figsize)
    ax = axes[0]
    ax.scatter(x, y, s=6, alpha=0.5)
    for e in x_edges:
        ax.axvline(e, color="0.7", lw=0.6)
    for e in y_edges:
        ax.axhline(e, color="0.7", lw=0.6)
    ax.set_xlabel(xn)
    ax.set_ylabel(yn)
    ax.set_title(f"{len(x)} samples and the bin grid")
    ax = axes[1]
    mesh = ax.pcolormesh(x_edges, y_edges, joint.T, cmap="viridis")
    fig.colorbar(mesh, ax=ax, label="probability")
    ax.set_xlabel(f"{xn} ({len(x_edges) - 1} bins)")
    ax.set_ylabel(f"{yn} ({len(y_edges) - 1} bins)")
    ax.set_title("joint histogram p(x, y)")
    ax = axes[2]
    ax.stairs(joint.sum(1), np.arange(len(x_edges)), label=f"p({xn.lower()})", lw=2)
    ax.stairs(joint.sum(0), np.arange(len(y_edges)), label=f"p({yn.lower()})", lw=2, ls="--")
    ax.set_xlabel("bin index")
    ax.set_ylabel("probability")
    ax.set_title("marginals")
    ax.legend()
    fig.tight_layout()
    return fig
