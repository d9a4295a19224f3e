"""One registry of estimators: every public estimate dispatches through it.

Each method is a :class:`Method` with two steps:

* ``prepare(*samples, **options)`` validates the samples and options and
  does the work that does not depend on the pairing: conversion to arrays,
  jitter, rank transform, binning, label codes. It returns a namespace with
  at least ``n``, the number of samples.
* ``evaluate(prepared, permutation=None)`` computes the estimate in nats,
  with the rows of the second sample re-paired by ``permutation`` if given
  (only for the mutual-information methods, ``permutable=True``).

:func:`estimate` does what is common to all: checks ``base`` and
``method``, refuses options the method does not use, and converts nats to
``base`` once. :func:`~infocourse.estimate.permutation_test` prepares once
and evaluates ``B`` times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace

import numpy as np

from .. import _validation as v
from .._backend import nats_to
from .._fast import codes as _fast
from . import _checks as c
from . import copula, discrete, histogram, knn_divergence, knn_entropy, ksg, mixed

TRANSFORMS = ("rank",)
_DEFAULT_K = 3


@dataclass(frozen=True)
class Method:
    """An estimator: its options, ``prepare`` and ``evaluate`` (see the module)."""

    prepare: Callable
    evaluate: Callable
    options: tuple[str, ...] = ()
    permutable: bool = False


def _rank(arrays, transform):
    return tuple(copula.normal_scores(a) for a in arrays) if transform == "rank" else arrays


# --- mutual information -------------------------------------------------------------------


def _labels_prepare(x, y, *, miller_madow):
    # Non-negative integer labels (class indices): counted in one sweep.
    table = _fast.pair_table(x, y)
    p = SimpleNamespace(x=x, y=y, table=table, codes=None, mm=miller_madow)
    if table is None:
        p.codes = _label_codes(x, y)
    p.n = x.shape[0] if table is not None else p.codes[0].size
    return p


def _label_codes(x, y):
    cx, kx = c.factorize(x, "x")
    cy, ky = c.factorize(y, "y")
    c.same_length(cx.size, cy.size)
    return cx, kx, cy, ky


def _labels_evaluate(p, permutation=None):
    if permutation is None and p.table is not None:
        return discrete.mutual_information_from_table(p.table, miller_madow=p.mm)
    if p.codes is None:
        p.codes = _label_codes(p.x, p.y)
    cx, kx, cy, ky = p.codes
    if permutation is not None:
        cy = cy[permutation]
    return discrete.mutual_information_from_codes(cx, kx, cy, ky, miller_madow=p.mm)


def _histogram_prepare(x, y, *, bins, transform):
    xs, ys = c.continuous(x, "x"), c.continuous(y, "y")
    c.same_length(xs.shape[0], ys.shape[0])
    xs, ys = _rank((xs, ys), transform)
    xs, ys = c.one_dimensional(xs, "x", "histogram"), c.one_dimensional(ys, "y", "histogram")
    bx, by = histogram.split_bins(10 if bins is None else bins)
    cx, kx = histogram.codes_for(xs, histogram.edges_for(xs, bx), "x")
    cy, ky = histogram.codes_for(ys, histogram.edges_for(ys, by), "y")
    return SimpleNamespace(n=cx.size, codes=(cx, kx, cy, ky))


def _histogram_evaluate(p, permutation=None):
    cx, kx, cy, ky = p.codes
    if permutation is not None:
        cy = cy[permutation]
    return discrete.mutual_information_from_codes(cx, kx, cy, ky)


def _ksg_prepare(x, y, *, k, jitter, seed, transform):
    xs, ys = c.continuous(x, "x"), c.continuous(y, "y")
    c.same_length(xs.shape[0], ys.shape[0])
    k = c.neighbours(_DEFAULT_K if k is None else k, xs.shape[0], "x and y")
    xs, ys = _rank(c.jittered_all((xs, ys), ("x", "y"), jitter, seed), transform)
    return SimpleNamespace(n=xs.shape[0], x=xs, y=ys, k=k)


def _ksg_evaluate(p, permutation=None):
    return ksg.mutual_information(p.x, p.y if permutation is None else p.y[permutation], p.k)


def _mixed_prepare(x, y, *, k, jitter, seed, transform):
    cx, _ = c.factorize(x, "x")
    ys = c.continuous(y, "y")
    c.same_length(cx.size, ys.shape[0])
    k = c.neighbours(_DEFAULT_K if k is None else k, ys.shape[0], "x and y")
    (ys,) = _rank(c.jittered_all((ys,), ("y",), jitter, seed), transform)
    codes = np.unique(cx, return_inverse=True)[1].reshape(-1)
    return SimpleNamespace(n=ys.shape[0], codes=codes, y=ys, k=k)


def _mixed_evaluate(p, permutation=None):
    return mixed.mutual_information(p.codes, p.y if permutation is None else p.y[permutation],
                                    p.k)


# --- entropy, divergence, conditional MI ------------------------------------------------


def _no_permutation(evaluate):
    def wrapped(p, permutation=None):
        if permutation is not None:
            raise TypeError("this estimate has no pairing to permute; pass permutation=None.")
        return evaluate(p)
    return wrapped


def _h_labels_prepare(samples, *, miller_madow):
    codes, kc = c.factorize(samples, "samples")
    return SimpleNamespace(n=codes.size, codes=codes, k=kc, mm=miller_madow)


def _h_histogram_prepare(samples, *, bins):
    s = c.one_dimensional(c.continuous(samples, "samples"), "samples", "histogram")
    return SimpleNamespace(n=s.shape[0], s=s, bins="fd" if bins is None else bins)


def _h_kl_prepare(samples, *, k, jitter, seed):
    s = c.continuous(samples, "samples")
    k = c.neighbours(_DEFAULT_K if k is None else k, s.shape[0], "samples")
    (s,) = c.jittered_all((s,), ("samples",), jitter, seed)
    return SimpleNamespace(n=s.shape[0], s=s, k=k)


def _kl_prepare(x, y, *, k):
    xs, ys = c.continuous(x, "x"), c.continuous(y, "y")
    if xs.shape[1] != ys.shape[1]:
        raise ValueError(
            f"x and y must have the same dimension d (columns), got {xs.shape[1]} and "
            f"{ys.shape[1]}."
        )
    k = c.neighbours(k, xs.shape[0], "x")
    c.neighbours(k, ys.shape[0], "y", need=k)
    if ys.shape[0] > 1 and (ys == ys[0]).all():
        raise ValueError(
            f"y is constant (all {ys.shape[0]} samples equal): Q is a point mass with no "
            f"density, so D(P || Q) is infinite and the kNN estimate meaningless. Pass "
            f"samples of a continuous Q."
        )
    return SimpleNamespace(n=xs.shape[0], x=xs, y=ys, k=k)


def _cmi_labels_prepare(x, y, z, *, miller_madow):
    return SimpleNamespace(n=None, xyz=(x, y, z), mm=miller_madow)


def _cmi_labels_evaluate(p):
    from .conditional import _plugin

    return _plugin(*p.xyz, p.mm)


def _cmi_ksg_prepare(x, y, z, *, k, jitter, seed, transform):
    xs, ys, zs = c.continuous(x, "x"), c.continuous(y, "y"), c.continuous(z, "z")
    c.same_length(xs.shape[0], ys.shape[0])
    c.same_length(xs.shape[0], zs.shape[0], ("x", "z"))
    k = c.neighbours(_DEFAULT_K if k is None else k, xs.shape[0], "x, y and z")
    arrays = _rank(c.jittered_all((xs, ys, zs), ("x", "y", "z"), jitter, seed), transform)
    return SimpleNamespace(n=xs.shape[0], xyz=arrays, k=k)


def _cmi_ksg_evaluate(p):
    from .conditional import _frenzel_pompe

    return _frenzel_pompe(*p.xyz, p.k)


_RANDOM = ("k", "jitter", "seed", "transform")

REGISTRY = {
    "mi": {
        "plugin": Method(partial(_labels_prepare, miller_madow=False), _labels_evaluate,
                         permutable=True),
        "miller-madow": Method(partial(_labels_prepare, miller_madow=True), _labels_evaluate,
                               permutable=True),
        "histogram": Method(_histogram_prepare, _histogram_evaluate, ("bins", "transform"),
                            True),
        "ksg": Method(_ksg_prepare, _ksg_evaluate, _RANDOM, True),
        "mixed": Method(_mixed_prepare, _mixed_evaluate, _RANDOM, True),
    },
    "entropy": {
        "plugin": Method(partial(_h_labels_prepare, miller_madow=False), _no_permutation(
            lambda p: discrete.entropy_from_codes(p.codes, p.k, miller_madow=p.mm))),
        "miller-madow": Method(partial(_h_labels_prepare, miller_madow=True), _no_permutation(
            lambda p: discrete.entropy_from_codes(p.codes, p.k, miller_madow=p.mm))),
        "histogram": Method(_h_histogram_prepare,
                            _no_permutation(lambda p: histogram.entropy(p.s, p.bins)),
                            ("bins",)),
        "kl": Method(_h_kl_prepare, _no_permutation(lambda p: knn_entropy.entropy(p.s, p.k)),
                     ("k", "jitter", "seed")),
    },
    "kl": {
        "knn": Method(_kl_prepare,
                      _no_permutation(lambda p: knn_divergence.kl_divergence(p.x, p.y, p.k)),
                      ("k",)),
    },
    "cmi": {
        "plugin": Method(partial(_cmi_labels_prepare, miller_madow=False),
                         _no_permutation(_cmi_labels_evaluate)),
        "miller-madow": Method(partial(_cmi_labels_prepare, miller_madow=True),
                               _no_permutation(_cmi_labels_evaluate)),
        "ksg": Method(_cmi_ksg_prepare, _no_permutation(_cmi_ksg_evaluate), _RANDOM),
    },
}

MI_METHODS = tuple(REGISTRY["mi"])
ENTROPY_METHODS = tuple(REGISTRY["entropy"])
KL_METHODS = tuple(REGISTRY["kl"])
CMI_METHODS = tuple(REGISTRY["cmi"])


def lookup(quantity, method, options):
    """The :class:`Method` for ``method`` and the options it uses, in its order.

    ``options`` maps every option of the public function to its value (None
    when not given); one that is given but not used by ``method`` raises.
    """
    v.check_choice(method, "method", tuple(REGISTRY[quantity]))
    if options.get("transform") is not None:
        v.check_choice(options["transform"], "transform", TRANSFORMS,
                       hint="Pass transform=None to estimate from the samples as given.")
    entry = REGISTRY[quantity][method]
    c.unused(method, **{k: val for k, val in options.items() if k not in entry.options})
    return entry, {k: options.get(k) for k in entry.options}


def to_units(nats, base):
    """An estimate in nats as a float in units of ``base`` (checked by the caller)."""
    return float(nats_to(nats, base))


def estimate(quantity, samples, *, method, base, **options):
    """Validate, prepare, evaluate and convert: the body of every public estimator."""
    base = v.check_base(base)
    entry, used = lookup(quantity, method, options)
    return to_units(entry.evaluate(entry.prepare(*samples, **used)), base)
