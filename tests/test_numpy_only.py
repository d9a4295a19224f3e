"""numpy input never imports torch (issue 16): every public numpy-capable function.

Each check runs in a fresh interpreter, since the test session itself has
torch loaded.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

CALLS = textwrap.dedent(
    """
    import math, sys
    import numpy as np
    import infocourse as ic
    from infocourse import estimate, gaussian, markov, mixtures, coding

    p = np.array([0.25, 0.25, 0.5])
    q = np.array([0.5, 0.25, 0.25])
    j = np.array([[0.25, 0.25], [0.125, 0.375]])
    j3 = np.full((2, 2, 2), 0.125)
    big = np.full(1 << 17, 2.0 ** -17)          # takes the chunked path of _fast
    batch = np.full((300, 400), 1 / 400)
    ic.self_information(p); ic.entropy(p); ic.entropy(big); ic.entropy(batch)
    ic.entropy(big.astype(np.float32)); ic.binary_entropy(p)
    ic.joint_entropy(j); ic.conditional_entropy(j, given=1)
    ic.cross_entropy(p, q); ic.kl_divergence(p, q); ic.js_divergence(p, q)
    ic.total_variation(p, q); ic.mutual_information(j)
    ic.pointwise_mutual_information(j); ic.normalize([1, 2, 3]); ic.marginals(j)
    ic.fano_bound(0.1, 4); ic.fano_error_lower_bound(1.0, 4)
    ic.conditional_mutual_information(j3, given=2)
    gaussian.entropy(2.0); gaussian.entropy(np.eye(2))
    gaussian.kl_divergence(0.0, 1.0, 1.0, 2.0)
    gaussian.mutual_information_from_correlation(0.5)
    gaussian.mutual_information_from_covariance([[1.0, 0.5], [0.5, 1.0]], 1)
    x, y = gaussian.sample_correlated(0.6, 500, seed=0)
    w = markov.binary_symmetric_channel(0.1)
    markov.symmetric_channel(3, 0.1); markov.random_channel(2, 3, seed=0)
    markov.output_distribution([0.5, 0.5], w); markov.joint_from_channel([0.5, 0.5], w)
    markov.compose_channels(w, w); pj = markov.markov_chain_joint([0.5, 0.5], w, w)
    markov.pair_table(pj, 0, 2)
    mixtures.mixture_moments([0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])
    mixtures.mixture_pdf(np.linspace(-1, 1, 5), [0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])
    lengths = coding.huffman_code_lengths(p); coding.shannon_code_lengths(q)
    coding.expected_code_length(p, lengths); coding.kraft_sum(lengths)
    code = coding.huffman_code(p, symbols="abc"); coding.encode("abca", code)
    coding.empirical_distribution("abca")
    rng = np.random.default_rng(0)
    labels_x = rng.integers(0, 4, 2000); labels_y = (labels_x + rng.integers(0, 2, 2000)) % 4
    for method in estimate.MI_METHODS:
        try:
            estimate.mutual_information(x, y, method=method)
        except (TypeError, ValueError):
            estimate.mutual_information(labels_x, labels_y, method=method)
    for method in estimate.ENTROPY_METHODS:
        try:
            estimate.entropy(x, method=method)
        except (TypeError, ValueError):
            estimate.entropy(labels_x, method=method)
    estimate.kl_divergence(x, y + 0.5)
    estimate.permutation_test(x, y, method="ksg", n_permutations=20, seed=0)
    estimate.discretize(x, bins=8)
    z = rng.standard_normal(500)
    for method in estimate.CMI_METHODS:
        estimate.conditional_mutual_information(x, y, z, method=method)
    print("torch" in sys.modules)
    """
)


def _run(code):
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_import_alone_does_not_import_torch():
    assert _run("import sys, infocourse; print('torch' in sys.modules)") == "False"


def test_numpy_calls_never_import_torch():
    assert _run(CALLS) == "False"
