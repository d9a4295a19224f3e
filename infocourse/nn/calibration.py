"""Calibration of a classifier's probabilities: reliability bins and the ECE.

A classifier is calibrated when, among the predictions it makes with
confidence about 0.8, about 80 % are right. Group predictions by confidence
(the top probability) into bins, equal-width or equal-mass, and compare each
bin's accuracy with its mean confidence (a reliability diagram, DeGroot and
Fienberg 1983; Niculescu-Mizil and Caruana 2005); the expected calibration
error (ECE) is the weighted average gap (Naeini et al. 2015; Guo et al. 2017).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validation as v

__all__ = ["ReliabilityBins", "expected_calibration_error", "reliability_bins"]


@dataclass(frozen=True)
class ReliabilityBins:
    """Per-bin statistics of a reliability diagram (numpy arrays of length ``n_bins``).

    Attributes
    ----------
    edges : numpy.ndarray
        ``n_bins + 1`` non-decreasing bin edges on [0, 1]; bin ``b`` is
        ``(edges[b], edges[b+1]]`` (the first bin also holds confidence 0).
    counts : numpy.ndarray
        Number of predictions in each bin.
    confidence : numpy.ndarray
        Mean top probability in each bin (NaN for an empty bin).
    accuracy : numpy.ndarray
        Fraction of correct top-1 predictions in each bin (NaN if empty).
    """

    edges: np.ndarray
    counts: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray

    @property
    def ece(self) -> float:
        """Expected calibration error: ``sum_b (n_b / n) |accuracy_b - confidence_b|``."""
        full = self.counts > 0
        weights = self.counts[full] / self.counts.sum()
        return float(np.sum(weights * np.abs(self.accuracy[full] - self.confidence[full])))


STRATEGIES = ("uniform", "quantile")


def reliability_bins(probs, labels, *, n_bins=15, strategy="uniform"):
    r"""Bin predictions by confidence and compare accuracy with confidence per bin.

    For predictions :math:`\hat p_i = \max_k p_{ik}` and
    :math:`\hat y_i = \arg\max_k p_{ik}`, bin :math:`B_b` collects those with
    :math:`\hat p_i \in (e_b, e_{b+1}]`, and

    .. math::
        \operatorname{acc}(B_b) = \frac{1}{|B_b|} \sum_{i \in B_b} [\hat y_i = y_i],
        \qquad
        \operatorname{conf}(B_b) = \frac{1}{|B_b|} \sum_{i \in B_b} \hat p_i .

    Parameters
    ----------
    probs : array_like or torch.Tensor
        Predicted class probabilities, shape ``(n, K)``, rows summing to 1
        (apply ``softmax`` to logits first).
    labels : array_like or torch.Tensor
        True class indices, shape ``(n,)``.
    n_bins : int, default 15
        :math:`M`, the number of bins.
    strategy : {"uniform", "quantile"}, default "uniform"
        ``"uniform"``: equal-width bins, :math:`e_b = b / M`. ``"quantile"``:
        equal-mass bins, the edges :math:`e_1, \dots, e_{M-1}` are the
        :math:`b / M` quantiles of the confidences (``numpy.quantile``), so
        each bin holds about :math:`n / M` predictions (ties can merge bins,
        leaving some empty). Equal-width bins on a confident model put
        almost every prediction in the last bin and a handful in each of
        the others.

    Returns
    -------
    ReliabilityBins

    Examples
    --------
    >>> from infocourse.nn import reliability_bins
    >>> probs = [[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.3, 0.7]]
    >>> b = reliability_bins(probs, [0, 1, 0, 1], n_bins=5)
    >>> b.counts.tolist(), b.accuracy[-1].item(), round(b.ece, 3)
    ([0, 0, 1, 1, 2], 0.5, 0.375)
    >>> probs = [[0.9, 0.1], [0.8, 0.2], [0.6, 0.4], [0.3, 0.7]]
    >>> equal_mass = reliability_bins(probs, [0, 1, 0, 1], n_bins=2, strategy="quantile")
    >>> equal_mass.edges.tolist(), equal_mass.counts.tolist()
    ([0.0, 0.75, 1.0], [2, 2])

    References
    ----------
    M. H. DeGroot and S. E. Fienberg, "The Comparison and Evaluation of
    Forecasters", Journal of the Royal Statistical Society D 32 (1983).
    A. Niculescu-Mizil and R. Caruana, "Predicting Good Probabilities with
    Supervised Learning", ICML 2005. C. Guo, G. Pleiss, Y. Sun and
    K. Q. Weinberger, "On Calibration of Modern Neural Networks", ICML 2017,
    section 2.
    """
    p, _ = v.distribution(probs, "probs", axis=-1)
    if p.ndim != 2:
        raise ValueError(
            f"probs must be 2-D (one row of class probabilities per example), got "
            f"shape {tuple(p.shape)}."
        )
    y = v.check_class_labels(labels, "labels", shape=p.shape[:1], n_classes=p.shape[1],
                             rows_of="probs", like=p, tensor=False)
    n_bins = v.check_int(n_bins, "n_bins", minimum=1)
    v.check_choice(strategy, "strategy", STRATEGIES,
                   "'uniform' for equal-width bins, 'quantile' for equal-mass bins.")
    p, y = v.to_numpy(p).astype(np.float64), v.to_numpy(y).astype(np.int64)

    conf = p.max(axis=1)
    correct = (p.argmax(axis=1) == y).astype(np.float64)
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    else:
        edges = np.quantile(conf, np.linspace(0.0, 1.0, n_bins + 1))
        edges[0], edges[-1] = 0.0, 1.0
    # searchsorted(side="left") - 1 puts conf in (edges[b], edges[b+1]], robust
    # to rounding in edges (0.3 lands in (0.2, 0.3], not (0.3, 0.4]).
    idx = np.clip(np.searchsorted(edges, conf, side="left") - 1, 0, n_bins - 1)
    counts = np.bincount(idx, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(idx, weights=conf, minlength=n_bins) / counts
        acc = np.bincount(idx, weights=correct, minlength=n_bins) / counts
    return ReliabilityBins(edges, counts, mean_conf, acc)


def expected_calibration_error(probs, labels, *, n_bins=15, strategy="uniform"):
    r"""Expected calibration error of predicted probabilities (a float in [0, 1]).

    .. math::
        \operatorname{ECE} = \sum_{b=1}^{M} \frac{|B_b|}{n}
        \big|\operatorname{acc}(B_b) - \operatorname{conf}(B_b)\big|

    with the bins of :func:`reliability_bins`. It depends on ``n_bins`` and
    ``strategy``, so compare models with the same values. On a finite sample
    it is biased upwards: even a perfectly calibrated model scores above 0,
    because each bin's accuracy is a noisy average (a bin of :math:`m`
    predictions with confidence :math:`c` has standard error
    :math:`\sqrt{c(1 - c)/m}`); equal-mass bins keep every bin large.

    Parameters
    ----------
    probs : array_like or torch.Tensor
        Predicted probabilities ``(n, K)``.
    labels : array_like or torch.Tensor
        True class indices ``(n,)``.
    n_bins : int, default 15
    strategy : {"uniform", "quantile"}, default "uniform"
        Equal-width or equal-mass bins; see :func:`reliability_bins`.

    Returns
    -------
    float

    Examples
    --------
    >>> from infocourse.nn import expected_calibration_error
    >>> round(expected_calibration_error([[0.8, 0.2]] * 5, [0, 0, 0, 0, 1]), 3)
    0.0
    >>> round(expected_calibration_error([[0.99, 0.01]] * 2, [0, 1]), 3)
    0.49

    References
    ----------
    M. P. Naeini, G. F. Cooper and M. Hauskrecht, "Obtaining Well Calibrated
    Probabilities Using Bayesian Binning", AAAI 2015; Guo et al. (2017), eq. (3).
    """
    return reliability_bins(probs, labels, n_bins=n_bins, strategy=strategy).ece
