"""Figures for estimating information from samples (chapter 5)."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
from matplotlib.ticker import NullFormatter
import numpy as np

from .. import gaussian


def _unit(base):
    return "bits" if base == 2 else "nats" if base == math.e else f"base-{base:g} units"


def gaussian_densities(variances, *, base=2, ax=None):
    """Densities of N(0, var) for several variances, labelled with their differential entropy.

    Parameters
    ----------
    variances : sequence of float
        Variances (> 0) to draw.
    base : float, default 2
        Unit of the entropies in the legend.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = gaussian_densities([0.01, 1.0])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['σ = 0.1: h = -1.275 bits', 'σ = 1: h = 2.047 bits']
    >>> plt.close(ax.figure)
    """
    variances = np.asarray(variances, dtype=float)
    h = np.atleast_1d(gaussian.entropy(variances, base=base))
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.6))
    sd_max = float(np.sqrt(variances.max()))
    grid = np.linspace(-3.5 * sd_max, 3.5 * sd_max, 801)
    for var, hv in zip(variances, h):
        sd = math.sqrt(var)
        dens = np.exp(-0.5 * grid**2 / var) / math.sqrt(2 * math.pi * var)
        ax.plot(grid, dens, label=f"σ = {sd:.3g}: h = {hv:.3f} {_unit(base)}")
    ax.axhline(1.0, color="0.5", lw=0.8, ls=":")
    ax.set_xlabel("x")
    ax.set_ylabel("density p(x)")
    ax.set_ylim(0, None)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def estimate_bands(x, estimates, *, truth=None, xlabel="sample size n", base=2,
                   logx=True, quantiles=(0.1, 0.9), ax=None):
    """Mean and a quantile band of repeated estimates against a parameter, with the truth.

    Parameters
    ----------
    x : sequence of float
        The parameter values (sample sizes, bin counts, ...), length ``m``.
    estimates : dict of str to array_like
        For each estimator, an array of shape ``(m, repetitions)``: one row
        of estimates (over seeds) per value of ``x``.
    truth : float, optional
        Drawn as a dashed horizontal line.
    xlabel : str
        Label of the x axis.
    base : float, default 2
        Unit of the estimates (for the y label).
    logx : bool, default True
        Logarithmic x axis.
    quantiles : (float, float), default (0.1, 0.9)
        The band covers these quantiles of the estimates at each ``x``.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = estimate_bands([10, 100], {"A": [[1.0, 2.0, 3.0], [1.5, 2.0, 2.5]]}, truth=2.0)
    >>> ax.get_lines()[0].get_ydata().tolist()   # the means
    [2.0, 2.0]
    >>> plt.close(ax.figure)
    """
    x = np.asarray(x, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for i, (label, est) in enumerate(estimates.items()):
        est = np.asarray(est, dtype=float)
        if est.ndim != 2 or est.shape[0] != x.size:
            raise ValueError(
                f"estimates[{label!r}] must have shape ({x.size}, repetitions), one row per "
                f"x value, got shape {est.shape}."
            )
        lo, hi = np.quantile(est, quantiles, axis=1)
        color = f"C{i}"
        ax.plot(x, est.mean(axis=1), "o-", color=color, ms=4,
                label=f"{label} (mean, {quantiles[0]:.0%}-{quantiles[1]:.0%} band)")
        ax.fill_between(x, lo, hi, color=color, alpha=0.2, lw=0)
    if truth is not None:
        ax.axhline(truth, color="k", ls="--", lw=1.2, label=f"truth = {truth:.3f} {_unit(base)}")
    if logx:
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xticks(x, [f"{v:g}" for v in x])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"estimate [{_unit(base)}]")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return ax


def permutation_null(result, *, title=None, base=2, ax=None):
    """Histogram of a permutation test's null distribution, with the observed estimate.

    Parameters
    ----------
    result : infocourse.estimate.PermutationTestResult
        What :func:`infocourse.estimate.permutation_test` returned.
    title : str, optional
        Prefix of the title; the p-value is appended.
    base : float, default 2
        Unit of the estimates.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from infocourse.estimate import PermutationTestResult
    >>> res = PermutationTestResult(0.5, np.array([0.1, 0.2, 0.6]), 0.5)
    >>> permutation_null(res, title="demo").get_title()
    'demo\\nobserved 0.500 bits, p = 0.500'
    >>> plt.close("all")
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.4))
    null = np.asarray(result.null_distribution)
    ax.hist(null, bins=30, color="0.6", label=f"shuffled pairs ({null.size})")
    ax.axvline(result.statistic, color="C3", lw=2, label="observed pairing")
    head = f"{title}\n" if title else ""
    ax.set_title(f"{head}observed {result.statistic:.3f} {_unit(base)}, p = {result.pvalue:.3f}")
    ax.set_xlabel(f"MI estimate [{_unit(base)}]")
    ax.set_ylabel("count")
    ax.legend(fontsize=8)
    return ax
