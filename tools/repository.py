"""The course's public repository: one URL in ``_config.yml``, everything else built from it.

``_config.yml`` holds the repository (``repository.url`` and
``repository.branch``). From it come

* the launch, download and repository buttons of the book (the theme reads the
  same setting);
* the install commands in the book's pages (``_ext/repository_links.py``
  turns them into MyST substitutions at build time);
* the Colab install cell at the top of every chapter (``tools/colab_cell.py``);
* ``make publish-check`` (``tools/publish_check.py``), which fails while the
  URL is still :data:`PLACEHOLDER_URL`.

Nothing else in the repository spells the URL out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "_config.yml"

#: The package's name on ``pip`` (``pyproject.toml``).
PACKAGE = "infocourse"

#: The extra with everything a chapter or a released assignment imports.
NOTEBOOKS_EXTRA = "notebooks"

#: What ``_config.yml`` ships with: a repository that does not exist. Publishing
#: needs the real one (book/publishing.md); ``make publish-check`` refuses this.
PLACEHOLDER_URL = "https://github.com/infocourse/information-theory-for-deep-learning"

#: From a local copy of the repository (no URL involved).
LOCAL_INSTALL_COMMAND = f'pip install ".[{NOTEBOOKS_EXTRA}]"'


@dataclass(frozen=True)
class Repository:
    """A public GitHub repository of the course and the branch the book is built from."""

    url: str
    branch: str = "main"

    @classmethod
    def from_config(cls, path=CONFIG) -> "Repository":
        """The repository that ``_config.yml`` (or the file ``path``) names."""
        config = yaml.safe_load(Path(path).read_text()) or {}
        repo = config.get("repository") or {}
        url = str(repo.get("url") or "").strip()
        if not url:
            raise ValueError(f"{path}: repository.url is missing; set it to the public repository.")
        return cls(url=url.removesuffix("/").removesuffix(".git"),
                   branch=str(repo.get("branch") or "main"))

    @property
    def is_placeholder(self) -> bool:
        return self.url == PLACEHOLDER_URL

    def github_owner_name(self) -> tuple[str, str]:
        """``(owner, name)`` of a ``https://github.com/OWNER/REPO`` URL; ValueError otherwise.

        >>> Repository("https://github.com/o/r").github_owner_name()
        ('o', 'r')
        """
        parts = urlsplit(self.url)
        path = [p for p in parts.path.split("/") if p]
        if parts.scheme != "https" or parts.netloc != "github.com" or len(path) != 2:
            raise ValueError(
                f"repository.url {self.url!r} is not https://github.com/OWNER/REPO "
                f"(the Colab and Binder buttons need a GitHub repository)"
            )
        return path[0], path[1]

    def problems(self) -> list[str]:
        """Why this repository cannot be published to (empty when it can)."""
        found = []
        if self.is_placeholder:
            found.append(f"repository.url is still the placeholder {PLACEHOLDER_URL}")
        try:
            self.github_owner_name()
        except ValueError as exc:
            found.append(str(exc))
        if not self.branch or any(c.isspace() for c in self.branch):
            found.append(f"repository.branch {self.branch!r} is not a branch name")
        return found

    def requirement(self, extras=(NOTEBOOKS_EXTRA,)) -> str:
        """The pip requirement of the package from this repository (PEP 508 direct URL).

        >>> Repository("https://github.com/o/r", "main").requirement()
        'infocourse[notebooks] @ git+https://github.com/o/r@main'
        >>> Repository("https://github.com/o/r", "v1").requirement(extras=())
        'infocourse @ git+https://github.com/o/r@v1'
        """
        name = f"{PACKAGE}[{','.join(extras)}]" if extras else PACKAGE
        return f"{name} @ git+{self.url}@{self.branch}"

    def install_command(self, extras=(NOTEBOOKS_EXTRA,)) -> str:
        """The one command a student runs: ``pip install "<requirement>"``."""
        return f'pip install "{self.requirement(extras)}"'


def student_install_command(path=CONFIG) -> str:
    """The install command shown in the book and in every released assignment."""
    return Repository.from_config(path).install_command()
