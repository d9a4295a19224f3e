"""Speed: infocourse against what a student would otherwise reach for.

Each case times ``ours`` and ``theirs`` side by side on the same input
(medians of interleaved repeats) and compares their values. The goals are
those of issue 7: the ratio of the medians, ours / theirs, must not exceed
``goal``; where a value tolerance is given, the two values must also agree.
"""

from __future__ import annotations

import math

import numpy as np

from timing import interleaved, median_ms

LN2 = math.log(2)


def _entropy_vector():
    from scipy import stats

    import infocourse as ic

    p = np.random.default_rng(0).random(10**7)
    p /= p.sum()
    return dict(
        id="entropy_vector",
        work="entropy of a float64 probability vector, n = 10^7",
        ours="infocourse.entropy(p)",
        theirs="scipy.stats.entropy(p, base=2)",
        goal=0.6,
        repeats=15,
        fns={"ours": lambda: ic.entropy(p), "theirs": lambda: stats.entropy(p, base=2)},
        value_tol=1e-9,
    )


def _entropy_batch():
    from scipy import stats

    import infocourse as ic

    P = np.random.default_rng(1).random((4096, 1000)).astype(np.float32)
    P /= P.sum(axis=-1, keepdims=True)
    return dict(
        id="entropy_batch",
        work="entropy(P, axis=-1) of a float32 batch, shape (4096, 1000)",
        ours="infocourse.entropy(P, axis=-1)",
        theirs="scipy.stats.entropy(P, base=2, axis=-1)",
        goal=0.4,
        repeats=21,
        fns={
            "ours": lambda: ic.entropy(P, axis=-1),
            "theirs": lambda: stats.entropy(P, base=2, axis=-1),
        },
        value_tol=1e-4,  # float32: max |difference| over the 4096 rows, in bits
    )


def _labels(n, seed):
    """Two dependent label vectors in 0..99 (y copies x 30 % of the time)."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 100, n)
    y = np.where(rng.random(n) < 0.3, x, rng.integers(0, 100, n))
    return x, y


def _mi_plugin_int():
    from sklearn.metrics import mutual_info_score

    from infocourse import estimate

    x, y = _labels(10**6, 2)
    return dict(
        id="mi_plugin_int",
        work="plug-in MI of 10^6 integer labels in 0..99",
        ours='infocourse.estimate.mutual_information(x, y, method="plugin")',
        theirs="sklearn.metrics.mutual_info_score(x, y) / ln 2",
        goal=1 / 30,
        repeats=15,
        fns={
            "ours": lambda: estimate.mutual_information(x, y, method="plugin"),
            "theirs": lambda: mutual_info_score(x, y) / LN2,
        },
        value_tol=1e-12,
    )


def _mi_plugin_str():
    from sklearn.metrics import mutual_info_score

    from infocourse import estimate

    xi, yi = _labels(2 * 10**5, 3)
    names = np.array([f"class_{i:02d}" for i in range(100)])
    x, y = names[xi], names[yi]  # numpy unicode arrays, '<U8'
    return dict(
        id="mi_plugin_str",
        work="plug-in MI of 2*10^5 string labels (100 classes)",
        ours='infocourse.estimate.mutual_information(x, y, method="plugin")',
        theirs="sklearn.metrics.mutual_info_score(x, y) / ln 2",
        goal=0.5,
        repeats=15,
        fns={
            "ours": lambda: estimate.mutual_information(x, y, method="plugin"),
            "theirs": lambda: mutual_info_score(x, y) / LN2,
        },
        value_tol=1e-12,
    )


def _mi_ksg():
    from sklearn.feature_selection import mutual_info_regression

    from infocourse import estimate, gaussian

    x, y = gaussian.sample_correlated(0.7, 10**5, seed=4)
    return dict(
        id="mi_ksg",
        work="KSG MI (k = 3) of 1-D x and y, n = 10^5 (Gaussian, rho = 0.7)",
        ours='infocourse.estimate.mutual_information(x, y, method="ksg", k=3)',
        theirs="sklearn.feature_selection.mutual_info_regression(x[:, None], y, "
               "n_neighbors=3)[0] / ln 2",
        goal=0.4,
        repeats=7,
        fns={
            "ours": lambda: estimate.mutual_information(x, y, method="ksg", k=3),
            "theirs": lambda: mutual_info_regression(
                x[:, None], y, n_neighbors=3, random_state=0)[0] / LN2,
        },
        value_tol=2e-3,
    )


CASES = [_entropy_vector, _entropy_batch, _mi_plugin_int, _mi_plugin_str, _mi_ksg]


def _value(v):
    return np.asarray(v, dtype=np.float64)


def run_case(make, *, quick=False):
    """Build one case, time it, and return its JSON record."""
    try:
        case = make()
    except ImportError as exc:  # e.g. infocourse.estimate not there yet
        return dict(id=make.__name__.lstrip("_"), error=f"not available: {exc}", met=False)
    fns = case.pop("fns")
    repeats = 3 if quick else case["repeats"]
    case["repeats"] = repeats
    try:
        values = {name: _value(f()) for name, f in fns.items()}
    except Exception as exc:  # noqa: BLE001  (recorded as a missed goal, not a crash)
        return dict(id=case["id"], error=f"failed: {type(exc).__name__}: {exc}", met=False)
    diff = float(np.max(np.abs(values["ours"] - values["theirs"])))
    times = interleaved(fns, repeats=repeats)
    ours_ms, theirs_ms = median_ms(times["ours"]), median_ms(times["theirs"])
    ratio = ours_ms / theirs_ms
    case.update(
        ours_ms=ours_ms,
        theirs_ms=theirs_ms,
        ours_ms_all=[round(1e3 * t, 3) for t in times["ours"]],
        theirs_ms_all=[round(1e3 * t, 3) for t in times["theirs"]],
        ratio=ratio,
        speedup=1 / ratio,
        value_ours=float(values["ours"].ravel()[0]),
        value_theirs=float(values["theirs"].ravel()[0]),
        value_max_abs_diff=diff,
        ratio_met=ratio <= case["goal"],
        values_met=diff <= case["value_tol"],
    )
    case["met"] = case["ratio_met"] and case["values_met"]
    return case


def gpu_entropy(quick=False):
    """Batched entropy on a CUDA device, next to the CPU figures; skipped without one."""
    import torch

    if not torch.cuda.is_available():
        return dict(skipped=True, reason="no CUDA device: torch.cuda.is_available() is False")
    import infocourse as ic

    P = np.random.default_rng(1).random((4096, 1000)).astype(np.float32)
    P /= P.sum(axis=-1, keepdims=True)
    Pg = torch.from_numpy(P).to("cuda")

    def ours():
        ic.entropy(Pg, axis=-1)
        torch.cuda.synchronize()

    times = interleaved({"ours": ours}, repeats=5 if quick else 51, warmup=3)
    return dict(
        skipped=False,
        device=torch.cuda.get_device_name(0),
        work="entropy(P, axis=-1) of a float32 batch (4096, 1000), torch tensor on the GPU",
        ours="infocourse.entropy(P_cuda, axis=-1) + torch.cuda.synchronize()",
        ours_ms=median_ms(times["ours"]),
    )


_COLD = r"""
import sys, time, json
t0 = time.perf_counter()
import numpy as np
import infocourse as ic
t1 = time.perf_counter()
p = np.full(65536, 1 / 65536)
t2 = time.perf_counter()
ic.entropy(p)
t3 = time.perf_counter()
print(json.dumps(dict(import_s=t1 - t0, first_call_ms=1e3 * (t3 - t2),
                      torch_imported="torch" in sys.modules)))
"""

#: Goals of issue 16 for a fresh interpreter.
COLD_GOALS = dict(import_s=0.3, first_call_ms=50.0)


def cold_start(runs=5):
    """``import infocourse`` and the first ``entropy`` of 65,536 numpy floats, cold.

    Each run is a fresh interpreter (``import numpy`` included in the import
    time); the medians are compared with :data:`COLD_GOALS`, and torch must
    never have been imported.
    """
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    rows = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _COLD], capture_output=True, text=True,
                             check=True, env=env, cwd=root)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    med = {k: float(np.median([r[k] for r in rows])) for k in COLD_GOALS}
    torch_imported = any(r["torch_imported"] for r in rows)
    met = all(med[k] <= g for k, g in COLD_GOALS.items()) and not torch_imported
    return dict(id="cold_start", runs=runs, **med, goals=COLD_GOALS,
                torch_imported=torch_imported, met=met)
