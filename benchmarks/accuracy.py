"""Accuracy: bias and RMSE of the MI estimators against the Gaussian truth.

X, Y standard bivariate Gaussian with correlation rho = 0.7, so
I(X; Y) = -1/2 log2(1 - rho^2) bits. For every sample size n and every seed
0..seeds-1 one data set is drawn with ``gaussian.sample_correlated(rho, n,
seed=seed)`` and given to every estimator; bias is the mean error, RMSE the
root mean squared error over the seeds.

The issue asks for at least 200 seeds; the default is 1000 because the bias
goal for KSG (0.01 bits) is finer than what 200 seeds can resolve: the
standard error of a mean over 200 seeds is RMSE / sqrt(200), about 0.0035
bits at n = 1000. Each estimator's ``se_bias`` is recorded with its bias.
"""

from __future__ import annotations

import time

import numpy as np

RHO = 0.7
NS = (100, 1000, 10000)
# Goals of issue 7 for KSG (k = 3).
KSG_MAX_ABS_BIAS = 0.01
KSG_MAX_RMSE = {100: 0.15, 1000: 0.055, 10000: 0.018}


def _binned(x, bins):
    """Equal-width bin indices 0..bins-1 over the data range (as np.histogram bins)."""
    edges = np.histogram_bin_edges(x, bins=bins)
    return np.digitize(x, edges[1:-1])


def estimators():
    """(id, label, function of (x, y) giving bits)."""
    from infocourse import estimate, gaussian

    mi = estimate.mutual_information
    return [
        ("histogram_10", "histogram, 10 x 10 bins",
         lambda x, y: mi(x, y, method="histogram", bins=10)),
        ("histogram_30", "histogram, 30 x 30 bins",
         lambda x, y: mi(x, y, method="histogram", bins=30)),
        ("miller_madow_10", "Miller-Madow, 10 x 10 bins",
         lambda x, y: mi(_binned(x, 10), _binned(y, 10), method="miller-madow")),
        ("ksg_3", "KSG, k = 3",
         lambda x, y: mi(x, y, method="ksg", k=3)),
        ("gaussian", "Gaussian (parametric, from the sample correlation)",
         lambda x, y: gaussian.mutual_information_from_correlation(np.corrcoef(x, y)[0, 1])),
    ]


def run(*, seeds=1000, ns=NS):
    from infocourse import gaussian

    truth = float(gaussian.mutual_information_from_correlation(RHO))
    ests = estimators()
    errors = {eid: np.empty((len(ns), seeds)) for eid, _, _ in ests}
    seconds = {eid: 0.0 for eid, _, _ in ests}
    for i, n in enumerate(ns):
        for s in range(seeds):
            x, y = gaussian.sample_correlated(RHO, n, seed=s)
            for eid, _, f in ests:
                start = time.perf_counter()
                errors[eid][i, s] = float(f(x, y)) - truth
                seconds[eid] += time.perf_counter() - start
    rows = []
    for eid, label, _ in ests:
        err = errors[eid]
        row = dict(
            id=eid,
            label=label,
            bias=err.mean(axis=1).tolist(),
            rmse=np.sqrt((err**2).mean(axis=1)).tolist(),
            sd=err.std(axis=1, ddof=1).tolist(),
            se_bias=(err.std(axis=1, ddof=1) / np.sqrt(seeds)).tolist(),
            seconds=seconds[eid],
        )
        if eid == "ksg_3":
            row["goal_max_abs_bias"] = KSG_MAX_ABS_BIAS
            row["goal_max_rmse"] = [KSG_MAX_RMSE[n] for n in ns]
            row["met"] = bool(
                all(abs(b) <= KSG_MAX_ABS_BIAS for b in row["bias"])
                and all(r <= KSG_MAX_RMSE[n] for r, n in zip(row["rmse"], ns))
            )
        rows.append(row)
    return dict(rho=RHO, truth_bits=truth, seeds=seeds, ns=list(ns), estimators=rows)
