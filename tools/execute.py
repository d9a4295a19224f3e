"""Execute notebooks in place so their stored outputs are current.

Usage::

    .venv/bin/python tools/execute.py book/01_entropy.ipynb [more.ipynb ...]

This is the one way the book's notebooks get their outputs: top to bottom in
a fresh kernel of the current environment (the same one nbval uses), with the
working directory set to the notebook's folder. Prints each notebook's
execution time; ``--times FILE`` also records them as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path, timeout: int) -> float:
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    elapsed = time.perf_counter() - start
    nbformat.write(nb, path)
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument("--times", type=Path, help="merge execution times into this JSON file")
    args = parser.parse_args(argv)
    times = {}
    for path in args.notebooks:
        seconds = execute(path, args.timeout)
        times[path.as_posix()] = round(seconds, 1)
        print(f"{path}: executed in {seconds:.1f} s", flush=True)
    if args.times:
        old = json.loads(args.times.read_text()) if args.times.exists() else {}
        args.times.write_text(json.dumps({**old, **times}, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
