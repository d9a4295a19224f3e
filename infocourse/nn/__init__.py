"""Deep-learning side of the course: torch losses, small models, a training loop.

Everything here takes and returns torch tensors, follows PyTorch's loss
conventions (logits in, ``reduction=``) and runs on any device (CPU or CUDA).
Importing this subpackage imports torch; ``import infocourse`` alone does not.
It needs torch and tqdm, which ``pip install "infocourse[nn]"`` installs (the
``notebooks`` extra includes them); without them the import raises an
ImportError that says so.

* :mod:`infocourse.nn.losses`: :func:`label_smoothing_cross_entropy`,
  :func:`smoothed_targets`, :func:`distillation_loss`, :func:`gaussian_kl`,
  :func:`gaussian_kl_monte_carlo`, :func:`categorical_nll` (all in nats).
* :mod:`infocourse.nn.calibration`: :func:`reliability_bins`,
  :func:`expected_calibration_error`.
* :mod:`infocourse.nn.contrastive`: :func:`info_nce_loss`,
  :class:`InfoNCELoss`, :func:`info_nce_bound`, :func:`info_nce_ceiling`,
  :class:`SeparableCritic`, :class:`ConcatCritic`, :class:`GaussianOptimalCritic`,
  :func:`correlated_gaussians`.
* :mod:`infocourse.nn.bounds`: :func:`barber_agakov_loss`,
  :func:`donsker_varadhan_loss`, :class:`MINELoss`, :func:`nwj_loss`,
  :func:`interpolated_loss` and their ``*_bound`` forms (variational lower
  bounds on mutual information), :class:`QuadraticCritic`, :func:`train_bound`.
* :mod:`infocourse.nn.information_plane`: :func:`binned_layer_information`.
* :mod:`infocourse.nn.models`: :class:`MLP`, :class:`VAE`, :func:`count_parameters`.
* :mod:`infocourse.nn.quantize`: :func:`quantize_uniform`,
  :func:`quantize_model`, :func:`code_entropy`, :func:`model_code_entropy`,
  :func:`model_huffman_length`.
* :mod:`infocourse.nn.vib`: :class:`VIB`, :func:`vib_loss` (the variational
  information bottleneck).
* :mod:`infocourse.nn.training`: :func:`seed_everything`,
  :func:`default_device`, :func:`fit`, :func:`evaluate`,
  :func:`predict_logits`, :func:`accuracy`.
"""

try:
    import torch  # noqa: F401
    import tqdm  # noqa: F401
except ModuleNotFoundError as exc:  # tested in a venv without them: tests/install
    if exc.name not in ("torch", "tqdm"):
        raise
    raise ImportError(
        f"infocourse.nn needs torch and tqdm, and {exc.name} is not installed. Install "
        'the deep-learning extra: pip install "infocourse[nn]" (or '
        '"infocourse[notebooks]" for everything the book\'s notebooks use).'
    ) from exc

from .bounds import (
    MINELoss,
    QuadraticCritic,
    barber_agakov_bound,
    barber_agakov_loss,
    donsker_varadhan_bound,
    donsker_varadhan_loss,
    interpolated_bound,
    interpolated_loss,
    nwj_bound,
    nwj_loss,
    train_bound,
)
from .calibration import ReliabilityBins, expected_calibration_error, reliability_bins
from .losses import (
    categorical_nll,
    distillation_loss,
    gaussian_kl,
    gaussian_kl_monte_carlo,
    label_smoothing_cross_entropy,
    smoothed_targets,
)
from .contrastive import (
    ConcatCritic,
    GaussianOptimalCritic,
    InfoNCELoss,
    SeparableCritic,
    correlated_gaussians,
    info_nce_bound,
    info_nce_ceiling,
    info_nce_loss,
)
from .information_plane import binned_layer_information
from .models import MLP, VAE, count_parameters
from .quantize import (
    UniformQuantization,
    code_entropy,
    model_code_entropy,
    model_huffman_length,
    quantize_model,
    quantize_uniform,
)
from .vib import VIB, vib_loss
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
    "label_smoothing_cross_entropy",
    "smoothed_targets",
    "distillation_loss",
    "gaussian_kl",
    "gaussian_kl_monte_carlo",
    "categorical_nll",
    "reliability_bins",
    "expected_calibration_error",
    "ReliabilityBins",
    "info_nce_loss",
    "InfoNCELoss",
    "info_nce_bound",
    "info_nce_ceiling",
    "SeparableCritic",
    "ConcatCritic",
    "GaussianOptimalCritic",
    "correlated_gaussians",
    "binned_layer_information",
    "MLP",
    "VAE",
    "count_parameters",
    "quantize_uniform",
    "quantize_model",
    "code_entropy",
    "model_code_entropy",
    "model_huffman_length",
    "UniformQuantization",
    "History",
    "accuracy",
    "default_device",
    "evaluate",
    "fit",
    "predict_logits",
    "seed_everything",
    "barber_agakov_loss",
    "barber_agakov_bound",
    "donsker_varadhan_loss",
    "donsker_varadhan_bound",
    "MINELoss",
    "nwj_loss",
    "train_bound",
    "nwj_bound",
    "interpolated_loss",
    "interpolated_bound",
    "QuadraticCritic",
    "VIB",
    "vib_loss",
]
