"""Side-by-side timing: medians of interleaved repeats."""

from __future__ import annotations

import gc
import statistics
import time


def interleaved(fns, *, repeats, warmup=1):
    """Time each callable of ``fns`` (a dict name -> f) ``repeats`` times, interleaved.

    Every repeat calls all functions once, alternating the order from one
    repeat to the next, so that slow drifts of the machine (other processes,
    clock changes) hit all of them alike. As in :mod:`timeit`, the garbage
    collector is off while the repeats run (one collection before them), so
    that no call pays for another's garbage; collecting before every call
    would instead evict the caches before each one. Returns
    {name: [seconds, ...]}.
    """
    names = list(fns)
    for _ in range(warmup):
        for name in names:
            fns[name]()
    times = {name: [] for name in names}
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for r in range(repeats):
            for name in names if r % 2 == 0 else names[::-1]:
                start = time.perf_counter()
                fns[name]()
                times[name].append(time.perf_counter() - start)
    finally:
        if enabled:
            gc.enable()
    return times


def median_ms(seconds):
    return 1e3 * statistics.median(seconds)
