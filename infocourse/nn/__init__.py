"""Deep-learning side of the course: torch losses, small models, a training loop.

Everything here takes and returns torch tensors, follows PyTorch's loss
conventions (logits in, ``reduction=``) and runs on any device (CPU or CUDA).
Importing this subpackage imports torch; ``import infocourse`` alone does not.

* :mod:`infocourse.nn.models`: :class:`MLP`, :class:`VAE`.
* :mod:`infocourse.nn.training`: :func:`seed_everything`,
  :func:`default_device`, :func:`fit`, :func:`evaluate`,
  :func:`predict_logits`, :func:`accuracy`.
"""

from .models import MLP, VAE
from .training import (
    History,
    accuracy,
    default_device,
    evaluate,
    fit,
    predict_logits,
    seed_everything,
)

__all__ = [
    "MLP",
    "VAE",
    "History",
    "accuracy",
    "default_device",
    "evaluate",
    "fit",
    "predict_logits",
    "seed_everything",
]
