"""Put the Colab install cell at the top of every chapter notebook (idempotent).

Usage::

    .venv/bin/python tools/colab_cell.py            # insert or update the cell
    .venv/bin/python tools/colab_cell.py --check    # exit 1 if a chapter lacks it
    .venv/bin/python tools/execute.py book/0*.ipynb # then refresh the outputs

The Colab button opens one chapter alone, so its first code cell installs the
course's package from the repository in ``_config.yml``, when (and only when)
it runs on Colab; everywhere else it does nothing and prints nothing. Colab
already has torch, matplotlib, scikit-learn and tqdm, so the cell installs
the package without extras (the ``nn`` extra's exact torch pin would replace
Colab's torch with a download of several GB).

The cell is identified by its id, ``colab-install``. It is tagged
``remove-cell`` (not in the HTML book: the page "Running the notebooks" says
how to install) and ``nbval-skip`` (nbval does not compare it), and it is
stored without outputs. Running the tool again rewrites the cell only when
``_config.yml`` changed and moves it back before the first code cell when
something was inserted above it; a changed notebook must be re-executed with
``tools/execute.py`` (the execution counts start at the new cell).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from repository import CONFIG, PACKAGE, ROOT, Repository  # noqa: E402

CELL_ID = "colab-install"
TAGS = ["remove-cell", "nbval-skip"]


def chapters(root=ROOT) -> list[Path]:
    """The chapter notebooks: ``book/NN_*.ipynb``."""
    return sorted((Path(root) / "book").glob("[0-9][0-9]_*.ipynb"))


def cell_source(repo: Repository) -> str:
    """The source of the install cell for ``repo`` (a GitHub repository).

    The owner and the name are apart so that every line fits the book's 88
    columns; ``%pip`` fills them in (IPython expands ``{name}`` in a magic).
    """
    owner, name = repo.github_owner_name()
    return (
        "# Runs only on Google Colab, where it installs the course's package (Colab has\n"
        "# torch, matplotlib, scikit-learn and tqdm already). Elsewhere it does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    owner, name = "{owner}", "{name}"\n'
        f'    %pip install --quiet "{PACKAGE} @ git+https://github.com/{{owner}}/{{name}}'
        f'@{repo.branch}"'
    )


def install_cell(repo: Repository):
    """The cell as it is stored: not executed, no outputs."""
    cell = nbformat.v4.new_code_cell(cell_source(repo), metadata={"tags": list(TAGS)})
    cell.id = CELL_ID
    return cell


def _first_code_index(cells) -> int:
    return next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))


def matches(cell, repo: Repository) -> bool:
    """True when ``cell`` is the install cell for ``repo`` with no stored output."""
    return (
        cell.cell_type == "code"
        and cell.get("id") == CELL_ID
        and cell.source == cell_source(repo)
        and sorted(cell.metadata.get("tags", [])) == sorted(TAGS)
        and not cell.get("outputs")
    )


def problem(nb, repo: Repository) -> str | None:
    """Why ``nb`` does not begin with the right install cell (None when it does)."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code:
        return "it has no code cell"
    if code[0].get("id") != CELL_ID:
        return f"its first code cell is not the Colab install cell (id {CELL_ID!r})"
    if not matches(code[0], repo):
        return "its Colab install cell differs from what tools/colab_cell.py writes"
    return None


def apply(nb, repo: Repository) -> bool:
    """Insert or update the install cell in ``nb`` (in place); True if ``nb`` changed."""
    if problem(nb, repo) is None and sum(c.get("id") == CELL_ID for c in nb.cells) == 1:
        return False
    old = [c for c in nb.cells if c.get("id") == CELL_ID]
    nb.cells = [c for c in nb.cells if c.get("id") != CELL_ID]
    cell = install_cell(repo)
    if old and matches(old[0], repo):
        cell = old[0]  # only its position was wrong: keep it as it was
    nb.cells.insert(_first_code_index(nb.cells), cell)
    return True


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it."""
    path = Path(path).resolve()
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="default: every chapter, book/NN_*.ipynb")
    parser.add_argument("--config", type=Path, default=CONFIG, help="default: _config.yml")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a notebook lacks the cell")
    args = parser.parse_args(argv)
    repo = Repository.from_config(args.config)
    paths = args.notebooks or chapters()
    changed, failed = [], []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if args.check:
            why = problem(nb, repo)
            if why:
                failed.append(f"{_shown(path)}: {why}")
        elif apply(nb, repo):
            nbformat.write(nb, path)
            changed.append(path)
    if args.check:
        print("\n".join(failed) or f"{len(paths)} notebooks begin with the Colab install cell")
        return 1 if failed else 0
    shown = [_shown(p) for p in changed]
    for path in shown:
        print(f"{path}: Colab install cell written")
    if changed:
        print("Re-execute them: .venv/bin/python tools/execute.py " + " ".join(shown))
    else:
        print(f"{len(paths)} notebooks already begin with the Colab install cell")
    return 0


if __name__ == "__main__":
    sys.exit(main())
