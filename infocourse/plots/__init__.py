"""Plotting helpers for the book's figures (matplotlib, PNG output).

Submodules by topic; each chapter's figures call these rather than repeating
styling code in notebooks.

Needs matplotlib, which ``pip install "infocourse[plots]"`` installs (the
``notebooks`` extra includes it); without it, importing this subpackage raises
an ImportError that says so.
"""

try:
    import matplotlib  # noqa: F401
except ModuleNotFoundError as exc:  # tested in a venv without it: tests/install
    if exc.name != "matplotlib":
        raise
    raise ImportError(
        "infocourse.plots needs matplotlib, which is not installed. Install the "
        'plotting extra: pip install "infocourse[plots]" (or "infocourse[notebooks]" '
        "for everything the book's notebooks use)."
    ) from exc
