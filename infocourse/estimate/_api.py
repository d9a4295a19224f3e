"""The public estimators: one entry point per quantity, the method chosen by name."""

from __future__ import annotations

import math  # noqa: F401  (math.e in the doctests)

from . import _registry
from ._registry import ENTROPY_METHODS, KL_METHODS, MI_METHODS, TRANSFORMS  # noqa: F401


def mutual_information(x, y, *, method, base=2, bins=None, k=None, jitter=None, seed=None,
                       transform=None):
    r"""Estimate the mutual information I(X; Y) from paired samples.

    .. math:: I(X; Y) = H(X) + H(Y) - H(X, Y)

    Notes
    -----
    ``"plugin"``
        Discrete labels of any hashable type (ints, strings, tuples; a 2-D
        array's rows are tuple labels). The MI of the empirical joint
        distribution. Biased, to first order by
        :math:`(m_{xy} - m_x - m_y + 1)/(2n)` nats with :math:`m` the numbers
        of values of positive probability: upward for independent variables
        with :math:`K_x`, :math:`K_y` values (:math:`(K_x - 1)(K_y - 1)/(2n)`),
        downward for near-deterministic ones (:math:`-(K - 1)/(2n)` for
        :math:`Y = X` on :math:`K` values).
    ``"miller-madow"``
        Plug-in plus :math:`(m_x + m_y - m_{xy} - 1)/(2n)` nats, with
        :math:`m` the numbers of observed values (Miller 1955): removes the
        first-order bias of the three entropies.
    ``"histogram"``
        1-D continuous samples binned with ``bins`` (default 10 per variable),
        then the plug-in MI of the bin table. Depends strongly on ``bins``.
    ``"ksg"``
        Kraskov-Stögbauer-Grassberger estimator (algorithm 1) with ``k``
        neighbours (default 3); ``x`` and ``y`` may be ``(n,)`` or ``(n, d)``.
        Counts neighbours with the strict inequality of the paper. The
        estimate is **not** clipped at 0: for independent variables it is
        often negative, as an unbiased estimate of 0 must sometimes be
        (clipping would bias it upward). Duplicated samples are handled
        deterministically (a zero neighbour distance gives empty open balls),
        but heavy ties (rounded or discrete data) bias the estimate; pass
        ``jitter`` to break them. The max-norm compares the coordinates of
        ``x`` and ``y`` directly, so the estimate depends on their units and
        on the shapes of their marginals: standardise them, or pass
        ``transform="rank"``. It also needs a number of samples that grows
        exponentially with the true MI (Gao, Ver Steeg & Galstyan 2015): at
        a few bits or more, in particular in many dimensions, it falls far
        below the truth, and no transform of the marginals fixes that.
    ``"mixed"``
        ``x`` discrete labels (any hashable type), ``y`` continuous samples
        ``(n,)`` or ``(n, d)``: the nearest-neighbour estimator of Ross
        (2014), the one of ``sklearn.feature_selection.mutual_info_classif``
        (see :mod:`infocourse.estimate.mixed`), with ``k`` neighbours
        (default 3). Unlike scikit-learn it is not clipped at 0 and adds no
        noise; samples whose label occurs once are left out. Repeated
        values of ``y`` (rounded data) put neighbours at distance 0 and
        bias it upward: pass ``jitter``, the tie-breaking noise that
        scikit-learn always adds. ``jitter`` and ``transform`` apply to ``y``.

    ``transform="rank"`` (``"histogram"`` and ``"ksg"``)
        Before estimating, replace each coordinate of ``x`` and of ``y`` by
        the normal score of its rank, :math:`\Phi^{-1}(r_i / (n + 1))`
        (ties keep their average rank), the copula or rank transform. The
        true MI is unchanged (it is invariant to an invertible map of each
        coordinate), and the estimate becomes exactly invariant to any
        strictly increasing map of any coordinate. Use it when marginals are
        skewed, heavy-tailed, in arbitrary units or of unknown shape; on
        Gaussian data it costs almost nothing. ``jitter``, if given, is added
        first, in data units.

    Parameters
    ----------
    x, y : array_like or torch.Tensor
        Paired samples, the same number of rows ``n`` (one row per sample).
    method : {"plugin", "miller-madow", "histogram", "ksg", "mixed"}
        The estimator (keyword, required: there is no universally right one).
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.
    bins : int, str, array or pair, optional
        ``"histogram"`` only. A bin count, a numpy rule name (``"fd"``,
        ``"sturges"``, ...), an array of edges, or a list/tuple of two such
        specs (one for x, one for y). Counts and rules use
        ``np.histogram_bin_edges``; explicit edges must cover every sample.
    k : int, optional
        ``"ksg"`` only: number of neighbours, ``1 <= k < n`` (default 3).
    jitter : float, optional
        ``"ksg"`` only: standard deviation (data units) of Gaussian noise
        added to every coordinate to break ties; off by default.
    seed : int or numpy.random.Generator, optional
        Seed of the ``jitter`` noise.
    transform : {None, "rank"}, default None
        ``"histogram"`` and ``"ksg"`` only: ``"rank"`` maps every coordinate
        to normal scores of its ranks first (see Notes). With ``"histogram"``
        and explicit edges, the edges apply to the normal scores.

    Returns
    -------
    float
        The estimate in units of ``base``.

    Raises
    ------
    ValueError
        Unknown ``method`` or ``transform``; ``x`` and ``y`` of different
        lengths; NaN/inf in continuous samples or float labels; continuous
        samples above 1e150 in magnitude (distances would overflow); too few
        samples for ``k``; bad ``bins`` or samples outside explicit edges;
        bad ``base``.
    TypeError
        Non-numeric samples for a continuous method; non-integer ``k``; an
        option that does not apply to ``method``.

    Examples
    --------
    >>> from infocourse import estimate, gaussian
    >>> estimate.mutual_information(["a", "a", "b", "b"], [0, 0, 1, 1], method="plugin")
    1.0
    >>> x, y = gaussian.sample_correlated(0.7, 2000, seed=0)
    >>> print(f"{estimate.mutual_information(x, y, method='ksg'):.2f}")
    0.48
    >>> print(f"{float(gaussian.mutual_information_from_correlation(0.7)):.2f}")  # truth
    0.49

    A strictly increasing map of x leaves the true MI unchanged, but not the
    KSG estimate; after the rank transform both give the same value:

    >>> import numpy as np
    >>> x, y = gaussian.sample_correlated(0.9, 1000, seed=0)
    >>> print(f"{float(gaussian.mutual_information_from_correlation(0.9)):.3f}")  # truth
    1.198
    >>> for xs in (x, np.sinh(3 * x)):
    ...     raw = estimate.mutual_information(xs, y, method="ksg")
    ...     rank = estimate.mutual_information(xs, y, method="ksg", transform="rank")
    ...     print(f"raw {raw:.3f}, rank {rank:.3f}")
    raw 1.184, rank 1.177
    raw 0.830, rank 1.177

    References
    ----------
    A. Kraskov, H. Stögbauer and P. Grassberger, "Estimating mutual
    information", Phys. Rev. E 69, 066138 (2004); G. A. Miller, "Note on the
    bias of information estimates" (1955); L. Paninski, "Estimation of entropy
    and mutual information", Neural Computation 15 (2003); S. Gao, G. Ver
    Steeg and A. Galstyan, "Efficient estimation of mutual information for
    strongly dependent variables", AISTATS, PMLR 38 (2015), 277-286.
    """
    return _registry.estimate("mi", (x, y), method=method, base=base, bins=bins, k=k,
                              jitter=jitter, seed=seed, transform=transform)


def entropy(samples, *, method, base=2, bins=None, k=None, jitter=None, seed=None):
    r"""Estimate entropy (discrete) or differential entropy (continuous) from samples.

    Notes
    -----
    ``"plugin"``
        Discrete labels of any hashable type: the entropy of the empirical
        distribution, :math:`-\sum_x \hat p(x) \log \hat p(x)`. Biased low.
    ``"miller-madow"``
        Plug-in plus :math:`(\hat m - 1)/(2n)` nats, :math:`\hat m` the number
        of distinct observed labels (Miller 1955).
    ``"histogram"``
        Differential entropy of 1-D continuous samples from a histogram with
        ``bins`` (default ``"fd"``): :math:`\hat H(\hat p) + \sum_i \hat p_i \log w_i`
        for bin probabilities :math:`\hat p_i` and widths :math:`w_i`.
        Constant samples give ``-inf`` (a point mass has no density) unless
        ``bins`` are explicit edges; a single sample raises ValueError.
    ``"kl"``
        Kozachenko-Leonenko k-nearest-neighbour estimate of differential
        entropy (Euclidean distances, default ``k=3``), samples ``(n,)`` or
        ``(n, d)``. Exact duplicates make a distance 0 and raise an error;
        pass ``jitter`` to break ties.

    Parameters
    ----------
    samples : array_like or torch.Tensor
        One row per sample.
    method : {"plugin", "miller-madow", "histogram", "kl"}
        The estimator (keyword, required).
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.
    bins : int, str or array, optional
        ``"histogram"`` only: a bin count, a numpy rule name or edges.
    k : int, optional
        ``"kl"`` only: neighbours, ``1 <= k < n`` (default 3).
    jitter, seed : optional
        ``"kl"`` only: noise scale (data units) and its seed, off by default.

    Returns
    -------
    float
        The estimate in units of ``base``. Differential entropy can be negative.

    Examples
    --------
    >>> from infocourse import estimate
    >>> estimate.entropy(["x", "y", "x", "y"], method="plugin")
    1.0
    >>> estimate.entropy(["x", "y", "x", "y"], method="miller-madow", base=math.e) > math.log(2)
    True
    >>> import numpy as np
    >>> z = np.random.default_rng(0).standard_normal(5000)
    >>> print(f"{estimate.entropy(z, method='kl'):.2f}")   # truth: ½ log2(2πe) = 2.05
    2.07

    References
    ----------
    L. F. Kozachenko and N. N. Leonenko, "Sample estimate of the entropy of a
    random vector", Problems of Information Transmission 23 (1987);
    G. A. Miller (1955); L. Paninski (2003).
    """
    return _registry.estimate("entropy", (samples,), method=method, base=base, bins=bins,
                              k=k, jitter=jitter, seed=seed)


def kl_divergence(x, y, *, method="knn", k=1, base=2):
    r"""Estimate :math:`D_{KL}(P \,\|\, Q)` from samples ``x ~ P`` and ``y ~ Q``.

    The k-nearest-neighbour estimator of Wang, Kulkarni and Verdú (2009):

    .. math::
        \hat D = \frac{d}{n} \sum_{i=1}^n \log \frac{\nu_k(i)}{\rho_k(i)}
                 + \log \frac{m}{n - 1},

    with :math:`\rho_k(i)` the distance from :math:`x_i` to its k-th nearest
    other x and :math:`\nu_k(i)` to its k-th nearest y (Euclidean). It is
    consistent (converges to the true divergence as n and m grow) for
    continuous P and Q; a finite-sample estimate can be negative (not
    clipped). This is how to compare two *sample sets*: treating the samples
    themselves as probability vectors is meaningless.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        Samples from P, ``n > k``.
    y : array_like, shape (m,) or (m, d)
        Samples from Q, ``m >= k``, same ``d``. ``n`` and ``m`` may differ.
    method : {"knn"}
        The estimator.
    k : int, default 1
        Neighbours.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Too few samples for ``k``; ``x`` with duplicated points or points
        that coincide with ``y``; constant ``y`` (Q a point mass: the
        divergence is infinite); NaN/inf, or values above 1e150 in
        magnitude (distances would overflow); bad ``base``.

    Examples
    --------
    >>> import numpy as np
    >>> from infocourse import estimate, gaussian
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(0.0, 1.0, 20_000)
    >>> y = rng.normal(1.0, 2.0, 20_000)
    >>> print(f"{estimate.kl_divergence(x, y, base=math.e):.2f}")
    0.42
    >>> print(f"{float(gaussian.kl_divergence(0, 1, 1, 4, base=math.e)):.2f}")  # truth
    0.44

    References
    ----------
    Q. Wang, S. R. Kulkarni and S. Verdú, "Divergence estimation for
    multidimensional densities via k-nearest-neighbor distances", IEEE Trans.
    Information Theory 55 (2009), 2392-2405.
    """
    return _registry.estimate("kl", (x, y), method=method, base=base, k=k)

