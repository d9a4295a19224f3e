"""Check that the book is ready to publish: ``make publish-check``.

Usage::

    .venv/bin/python tools/publish_check.py [--config _config.yml]

Fails (exit 1, saying why) while

* ``repository.url`` in ``_config.yml`` is still the placeholder, or not a
  GitHub repository (the Colab and Binder buttons need one), or the branch
  is not a branch name;
* a chapter's Colab install cell was written for another repository (run
  ``tools/colab_cell.py``, then re-execute the changed chapters).

book/publishing.md describes the steps.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import colab_cell  # noqa: E402
from repository import CONFIG, ROOT, Repository  # noqa: E402


def problems(config=CONFIG, root=ROOT) -> list[str]:
    repo = Repository.from_config(config)
    found = [f"{Path(config).name}: {p}" for p in repo.problems()]
    for path in colab_cell.chapters(root):
        why = colab_cell.problem(nbformat.read(path, as_version=4), repo)
        if why:
            found.append(f"{path.relative_to(root)}: {why} (run tools/colab_cell.py, "
                         f"then tools/execute.py on the changed notebooks)")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=CONFIG)
    args = parser.parse_args(argv)
    found = problems(args.config)
    if found:
        print("Not ready to publish (see book/publishing.md):", file=sys.stderr)
        print("\n".join(f"  - {p}" for p in found), file=sys.stderr)
        return 1
    repo = Repository.from_config(args.config)
    print(f"Ready to publish from {repo.url} (branch {repo.branch}).")
    print(f"Students install with: {repo.install_command()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
