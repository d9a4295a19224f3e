"""Sphinx extension: the book's install commands and repository links, from ``_config.yml``.

Jupyter Book passes ``repository.url`` and ``repository.branch`` of
``_config.yml`` to the theme (``html_theme_options``), which builds the
repository, Colab and Binder buttons from them. This extension reads the same
two settings when the configuration is loaded and offers them to the pages as
MyST substitutions, so no page spells out the URL:

``{{ repository_url }}``
    The URL, as a link when written inline.
``{{ install_command }}`` / ``{{ install_block }}``
    ``pip install "infocourse[notebooks] @ git+URL@BRANCH"``: inline as
    code, or (on a line of its own) as a ``bash`` code block.
``{{ local_install_block }}``
    ``pip install ".[notebooks]"`` in a code block, for a local copy.
``{{ clone_block }}``
    ``git clone URL`` and ``cd`` into it, in a code block.

The strings themselves come from ``tools/repository.py``, which the Colab cell
(``tools/colab_cell.py``) and ``make publish-check`` use too.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from repository import LOCAL_INSTALL_COMMAND, Repository  # noqa: E402


def substitutions(repo: Repository) -> dict[str, str]:
    """The MyST substitutions (Markdown strings) for ``repo``."""
    folder = repo.url.rsplit("/", 1)[-1]
    install = repo.install_command()
    return {
        "repository_url": f"<{repo.url}>",
        "install_command": f"`{install}`",
        "install_block": f"```bash\n{install}\n```",
        "local_install_block": f"```bash\n{LOCAL_INSTALL_COMMAND}\n```",
        "clone_block": f"```bash\ngit clone {repo.url}\ncd {folder}\n```",
    }


def add_substitutions(app, config):
    """``config-inited``: merge the substitutions into ``myst_substitutions``."""
    options = config.html_theme_options or {}
    url = options.get("repository_url")
    if not url:
        raise ValueError("_config.yml: repository.url is missing (the book's install "
                         "commands and launch buttons are built from it)")
    repo = Repository(url=url.removesuffix("/").removesuffix(".git"),
                      branch=options.get("repository_branch") or "main")
    config.myst_substitutions = {**substitutions(repo), **(config.myst_substitutions or {})}


def setup(app):
    app.connect("config-inited", add_substitutions)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
