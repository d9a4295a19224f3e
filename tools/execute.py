"""Execute notebooks in place so their stored outputs are current.

Usage::

    .venv/bin/python tools/execute.py book/01_entropy.ipynb [more.ipynb ...]

This is the one way the book's notebooks get their outputs: top to bottom in
a fresh kernel of the current environment (the same one nbval uses), with the
working directory set to the notebook's folder, on the CPU (any GPU is
hidden: the stored outputs are CPU results, which ``make notebooks``
compares on the CPU too). Prints each notebook's execution time
(``tools/notebook_times.py`` records them for the README).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path, timeout: int, *, write: bool = True) -> float:
    """Run ``path`` top to bottom in a fresh kernel; store the outputs unless ``write=False``.

    Returns the wall time in seconds (kernel start included).
    """
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    os.environ["CUDA_VISIBLE_DEVICES"] = ""  # inherited by the kernel
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    elapsed = time.perf_counter() - start
    if write:
        nbformat.write(nb, path)
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        seconds = execute(path, args.timeout)
        print(f"{path}: executed in {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
