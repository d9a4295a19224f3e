r"""Histogram (binned) estimates for continuous samples.

Samples are binned with numpy's conventions (``np.histogram_bin_edges`` for a
bin count or a rule such as ``"fd"``; half-open bins ``[e_i, e_{i+1})``, the
last one closed), then the plug-in estimate is applied to the bin labels.

* Mutual information: the plug-in MI of the joint bin table (core
  :func:`infocourse.mutual_information`). It is not the MI of the continuous
  variables: it depends on the bins (coarse bins lose information, many bins
  with few samples each invent it).
* Differential entropy: with bin probabilities :math:`\hat p_i` and widths
  :math:`w_i`, the density is :math:`\hat p_i / w_i` in bin ``i``, so

  .. math:: \hat h = -\sum_i \hat p_i \log \frac{\hat p_i}{w_i}
                   = \hat H(\hat p) + \sum_i \hat p_i \log w_i.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .. import _validation as v
from ..uncertainty import entropy as _core_entropy
from . import _checks as c

BIN_RULES = ("auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt")
DISCRETIZE_STRATEGIES = ("uniform", "quantile")


def discretize(values, bins, *, strategy="uniform", name="values"):
    r"""Bin continuous values into integer labels ``0 .. bins - 1``.

    One set of edges serves the whole array: for a layer's activations of
    shape ``(n, units)`` all units share the layer's range, as in binned
    information-plane estimates; for one set of bins per feature, call it
    once per column. The labels feed the discrete estimators
    (``method="plugin"`` or ``"miller-madow"``), where a 2-D array's rows
    are tuple-valued labels.

    ``"uniform"``
        ``bins`` equal-width bins from the minimum to the maximum of
        ``values`` (numpy's histogram edges; the maximum falls in the last bin).
    ``"quantile"``
        Edges at the ``1/bins, 2/bins, ...`` quantiles, so that every bin
        holds about the same number of values (ties can leave a bin empty).

    Parameters
    ----------
    values : array_like or torch.Tensor
        Finite real values, shape ``(n,)`` or ``(n, d)``.
    bins : int
        Number of bins, at least 1.
    strategy : {"uniform", "quantile"}, default "uniform"
    name : str, default "values"
        What error messages call ``values`` (as scikit-learn's ``input_name``).

    Returns
    -------
    numpy.ndarray
        ``int64`` labels with the shape of ``values``.

    Examples
    --------
    >>> from infocourse.estimate import discretize
    >>> discretize([0.0, 0.1, 0.5, 0.9, 1.0], 2)
    array([0, 0, 1, 1, 1])
    >>> discretize([1.0, 2.0, 3.0, 10.0], 2, strategy="quantile")
    array([0, 0, 1, 1])

    References
    ----------
    R. Shwartz-Ziv and N. Tishby, "Opening the Black Box of Deep Neural
    Networks via Information", arXiv:1703.00810 (2017), section 3.
    """
    v.check_choice(strategy, "strategy", DISCRETIZE_STRATEGIES)
    bins = v.check_int(bins, "bins", minimum=1)
    shape = np.shape(c._to_numpy(values))
    flat = c.continuous(values, name).reshape(-1)
    if strategy == "uniform":
        codes, _ = codes_for(flat, np.histogram_bin_edges(flat, bins=bins), name)
    else:
        codes = np.digitize(flat, np.quantile(flat, np.linspace(0, 1, bins + 1)[1:-1]))
    return codes.astype(np.int64, copy=False).reshape(shape)


def _is_spec(b):
    """An int, a rule name or a sequence/array of edges (one variable's bins)."""
    return isinstance(b, (numbers.Integral, str, np.ndarray, list, tuple))


def split_bins(bins):
    """Per-variable bin specs ``(bins_x, bins_y)`` from the ``bins`` argument.

    A list or tuple of exactly two specs (each an int, a rule name or edges)
    gives one per variable; anything else (an int, a rule, a numpy array or a
    longer list of edges) is shared by both.
    """
    if isinstance(bins, (list, tuple)) and len(bins) == 2:
        a, b = bins
        scalar_pair = all(isinstance(s, numbers.Real) and not isinstance(s, numbers.Integral)
                          for s in (a, b))
        if scalar_pair:
            raise ValueError(
                f"bins={bins!r} is ambiguous: a list of two numbers means one bin count "
                f"per variable, but these are not integers. For shared edges pass a numpy "
                f"array, e.g. bins=np.array({list(bins)!r})."
            )
        if _is_spec(a) and _is_spec(b) and not isinstance(a, bool) and not isinstance(b, bool):
            return a, b
    return bins, bins


def edges_for(values, spec, name="bins"):
    """Bin edges for 1-D ``values`` from a count, a numpy rule name or explicit edges."""
    if isinstance(spec, bool):
        raise TypeError(f"{name} must be an int, a rule name or an array of edges, got {spec!r}.")
    if isinstance(spec, numbers.Integral):
        count = v.check_int(spec, name, minimum=1)
        return np.histogram_bin_edges(values, bins=count)
    if isinstance(spec, str):
        v.check_choice(spec, name, BIN_RULES,
                       hint="Or pass a bin count or an array of edges.")
        return np.histogram_bin_edges(values, bins=spec)
    try:
        edges = np.asarray(spec, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be an int (number of bins), one of {BIN_RULES} or a 1-D array "
            f"of increasing edges, got {type(spec).__name__} {spec!r}."
        ) from None
    if edges.ndim != 1 or edges.size < 2:
        raise ValueError(
            f"{name} as edges must be a 1-D array of at least 2 increasing values, got "
            f"shape {edges.shape}."
        )
    if not np.isfinite(edges).all() or not (np.diff(edges) > 0).all():
        raise ValueError(
            f"{name} edges must be finite and strictly increasing, got {edges!r}."
        )
    return edges


def codes_for(values, edges, var, name="bins"):
    """Bin index ``0..len(edges)-2`` of each value (numpy's convention)."""
    outside = (values < edges[0]) | (values > edges[-1])
    if outside.any():
        raise ValueError(
            f"{int(outside.sum())} sample(s) of {var} lie outside the edges in {name} "
            f"([{edges[0]:.6g}, {edges[-1]:.6g}]; {var} spans [{values.min():.6g}, "
            f"{values.max():.6g}]). Widen the edges: dropping samples silently, as "
            f"np.histogram does, would bias the estimate."
        )
    nb = edges.size - 1
    codes = np.searchsorted(edges, values, side="right") - 1
    np.minimum(codes, nb - 1, out=codes)  # a value on the last edge is in the last bin
    return codes.astype(np.int64, copy=False), nb


def entropy(values, bins):
    """Histogram estimate of differential entropy in nats of 1-D samples.

    Degenerate samples: fewer than 2 raise ValueError; constant samples with
    data-derived edges (a count or a rule) give ``-inf``, the differential
    entropy of a point mass (numpy would invent a bin of width 1 around it
    and report 0). Explicit edges are taken as given.
    """
    if values.shape[0] < 2:
        raise ValueError(
            f"samples holds {values.shape[0]} sample; method='histogram' needs at "
            f"least 2 to estimate a density. Pass more samples."
        )
    data_edges = isinstance(bins, (numbers.Integral, str)) and not isinstance(bins, bool)
    if data_edges and values.min() == values.max():
        return -math.inf
    edges = edges_for(values, bins)
    codes, nb = codes_for(values, edges, "samples")
    p = np.bincount(codes, minlength=nb) / values.shape[0]
    widths = np.diff(edges)
    return float(_core_entropy(p, base=math.e)) + float(np.dot(p, np.log(widths)))
