"""Estimating information measures from samples (``infocourse.estimate``).

* :func:`mutual_information` - ``"plugin"``, ``"miller-madow"`` (discrete
  labels), ``"histogram"``, ``"ksg"`` (continuous samples), the last two
  optionally after the rank (copula) transform, ``transform="rank"``;
* :func:`conditional_mutual_information` - ``"plugin"``, ``"miller-madow"``
  (labels), ``"ksg"`` (Frenzel-Pompe, continuous samples);
* :func:`entropy` - ``"plugin"``, ``"miller-madow"``, ``"histogram"``,
  ``"kl"`` (Kozachenko-Leonenko);
* :func:`mutual_information_ci`, :func:`entropy_ci` - estimates with
  jackknife confidence intervals;
* :func:`kl_divergence` - the kNN estimator of Wang, Kulkarni & Verdú (2009);
* :func:`permutation_test` - is an MI estimate distinguishable from 0?
* :func:`discretize` - continuous values to bin labels for the discrete ones;
* :mod:`~infocourse.estimate.tasks` - samplers with a known true MI.

Every estimate is returned in units of ``base`` (bits by default) and is
never clipped. The plug-in estimates use the core measures of
:mod:`infocourse` on the empirical distribution. Nothing allocates O(n^2)
memory: counts use ``np.bincount`` on integer codes, neighbours a KD-tree.
"""

from ._api import ENTROPY_METHODS, MI_METHODS, entropy, kl_divergence, mutual_information
from .histogram import discretize
from .permutation import PermutationTestResult, permutation_test
from . import tasks
from .conditional import CMI_METHODS, conditional_mutual_information
from .intervals import EstimateInterval, entropy_ci, mutual_information_ci

__all__ = [
    "mutual_information",
    "entropy",
    "kl_divergence",
    "permutation_test",
    "discretize",
    "PermutationTestResult",
    "MI_METHODS",
    "ENTROPY_METHODS",
    "tasks",
    "mutual_information_ci",
    "entropy_ci",
    "EstimateInterval",
    "conditional_mutual_information",
    "CMI_METHODS",
]
