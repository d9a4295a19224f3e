"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays


@st.composite
def distributions(draw, n=None, min_n=1, max_n=12, zeros=True):
    """A probability vector, possibly with exact zeros (0·log 0 must behave)."""
    n = n or draw(st.integers(min_n, max_n))
    weights = draw(
        arrays(np.float64, n, elements=st.floats(0, 1e3, allow_subnormal=False))
    )
    if not zeros:
        weights = weights + 1e-3
    if weights.sum() == 0:
        weights[draw(st.integers(0, n - 1))] = 1.0
    return weights / weights.sum()


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
