"""Fixtures for checks of the built HTML book in _build/html (run after the build)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def html_dir():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html/index.html is missing: build the book first (make build)")
    return HTML
