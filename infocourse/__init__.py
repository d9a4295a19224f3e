"""infocourse: the helper library of *Information Theory for Deep Learning*.

Discrete measures (numpy arrays, Python sequences or torch tensors in; the
same kind out). Sample-based estimators, closed forms for Gaussians, torch
losses and plotting helpers live in submodules.

All logarithms default to base 2 (bits); pass ``base=math.e`` for nats.
"""

from .conditional import conditional_mutual_information
from .dependence import mutual_information, pointwise_mutual_information
from .divergences import cross_entropy, js_divergence, kl_divergence, total_variation
from .fano import fano_bound, fano_error_lower_bound
from .rate_distortion import (
    RateDistortionPoint,
    blahut_arimoto,
    gaussian_distortion_rate,
    gaussian_rate_distortion,
)
from .tables import marginals, normalize
from .uncertainty import (
    binary_entropy,
    conditional_entropy,
    entropy,
    joint_entropy,
    self_information,
)

__version__ = "0.1.0"

__all__ = [
    "binary_entropy",
    "blahut_arimoto",
    "conditional_entropy",
    "conditional_mutual_information",
    "cross_entropy",
    "entropy",
    "fano_bound",
    "fano_error_lower_bound",
    "gaussian_distortion_rate",
    "gaussian_rate_distortion",
    "joint_entropy",
    "js_divergence",
    "kl_divergence",
    "marginals",
    "mutual_information",
    "normalize",
    "pointwise_mutual_information",
    "RateDistortionPoint",
    "self_information",
    "total_variation",
]
