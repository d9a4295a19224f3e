"""Input checks shared by every public function of ``infocourse``.

One package decides what a valid argument is, so every function fails the
same way, with a message that names the argument, says what was found and how
to fix it. It is split by concern:

* ``arrays``: conversion of array arguments (numpy, torch, sequences);
  bool, masked, object, string and complex arrays are refused; shapes, axes,
  dtype and device agreement of pairs.
* ``distributions``: probability vectors and joint tables (the sum
  tolerance scales with the dtype's precision and is capped at 0.005).
* ``parameters``: ``base``, integers, reals, choices, Gaussian parameters.
* ``samples`` and ``labels``: observations for the estimators.
* ``seeds``: the one seed rule, ``check_seed``.
* ``losses``: score tensors and class labels of the torch losses.

Validation only checks; speed paths (``infocourse._fast``) are unknown here.
Every name is re-exported from this package (``from infocourse import
_validation as v; v.check_base(...)``).
"""

from .arrays import (
    as_array,
    as_numpy_array,
    check_axis,
    check_finite,
    check_same_shape,
    check_vector,
)
from .distributions import (
    TOLERANCE_CAP,
    check_distribution,
    check_nonnegative,
    distribution,
    distribution_pair,
    joint_table,
    tolerance,
)
from .labels import as_labels
from .losses import (
    check_class_labels,
    check_finite_result,
    check_finite_tensor,
    check_float_dtype,
    check_float_tensor,
    check_generator,
    check_pair,
    check_same_kind,
    check_scores,
    to_numpy,
)
from .parameters import (
    check_base,
    check_choice,
    check_correlation,
    check_covariance,
    check_int,
    check_positive_int,
    check_real,
    check_variance,
)
from .samples import as_samples
from .seeds import check_seed

__all__ = [
    "check_class_labels",
    "check_finite_result",
    "check_finite_tensor",
    "check_float_dtype",
    "check_float_tensor",
    "check_generator",
    "check_pair",
    "check_same_kind",
    "check_scores",
    "to_numpy",
    "TOLERANCE_CAP",
    "as_array",
    "as_labels",
    "as_numpy_array",
    "as_samples",
    "check_axis",
    "check_base",
    "check_choice",
    "check_correlation",
    "check_covariance",
    "check_distribution",
    "check_finite",
    "check_int",
    "check_nonnegative",
    "check_positive_int",
    "check_real",
    "check_same_shape",
    "check_seed",
    "check_variance",
    "check_vector",
    "distribution",
    "distribution_pair",
    "joint_table",
    "tolerance",
]
