"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays


@st.composite
def distributions(draw, n=None, min_n=1, max_n=12, zeros=True, subnormal=False):
    """A probability vector, possibly with exact zeros (0·log 0 must behave).

    ``subnormal=True`` may put subnormal probabilities (below 2.2e-308) in the
    vector, where x/y and x·log(x/y) lose accuracy (scipy gh-20710).
    """
    n = n or draw(st.integers(min_n, max_n))
    weights = draw(
        arrays(np.float64, n, elements=st.floats(0, 1e3, allow_subnormal=False))
    )
    if not zeros:
        weights = weights + 1e-3
    if weights.sum() == 0:
        weights[draw(st.integers(0, n - 1))] = 1.0
    p = weights / weights.sum()
    if subnormal and n > 1:
        tiny = draw(st.lists(st.floats(5e-324, 2e-308, allow_subnormal=True),
                             max_size=n - 1))
        top = int(np.argmax(p))
        for i, t in enumerate(tiny):
            if i != top:  # the mass taken off entry i goes to the largest entry
                p[top] += p[i] - t
                p[i] = t
    return p


@st.composite
def distribution_pairs(draw, min_n=1, max_n=12, zeros_in_q=True, subnormal=True):
    """Two probability vectors of the same length (so every KL/CE case counts).

    ``q`` may have exact zeros (``inf`` divergences) and both may carry
    subnormal weights.
    """
    n = draw(st.integers(min_n, max_n))
    p = draw(distributions(n=n, subnormal=subnormal))
    q = draw(distributions(n=n, zeros=zeros_in_q, subnormal=subnormal))
    return p, q


@st.composite
def sequence_models(draw, max_n=60, max_k=20):
    """A message and a step-by-step model for it: ``(symbols, probs)``.

    ``probs`` has one distribution per position (zeros allowed, so some symbols
    are impossible at some steps) and every symbol is drawn from its row's support.
    """
    k = draw(st.integers(1, max_k))
    n = draw(st.integers(1, max_n))
    probs = np.stack([draw(distributions(n=k)) for _ in range(n)])
    symbols = [
        draw(st.sampled_from(np.flatnonzero(row > 0).tolist())) for row in probs
    ]
    return np.array(symbols, dtype=np.int64), probs
