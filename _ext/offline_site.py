"""Sphinx extension: a built book that reads offline and loads only what a page needs.

The requirement is that a page makes no request to another host; ``tests/site``
checks it where it matters, on the requests themselves (a real browser that
blocks and records every request to another host, and a parser of the URLs
that pages and stylesheets load).

1. **MathJax 3 is self-hosted.** The MathJax 3 ``es5`` build shipped by the
   PyPI package ``django-static-mathjax`` (pinned in ``requirements.txt``; it
   is MathJax 3.2.2 and nothing else, Django is not needed) is copied into the
   built site at ``_static/mathjax/`` when the HTML build finishes, and
   ``mathjax_path`` points there. The files never sit in a *source*
   ``_static/`` folder, so Jupyter Book adds no ``<script>`` tag per file: a
   page loads ``tex-chtml.js``, which loads its fonts and TeX extensions from
   beside itself on demand.
2. **MathJax only where there is math.** myst-nb asks Sphinx to put every
   asset on every page; MathJax (about 1 MB with its fonts) is removed again
   from the pages that hold no equation.
3. **Dormant CDN loaders are removed.** ``sphinx-thebe`` (always loaded by
   Jupyter Book) writes the loader of thebe into every page even with
   ``launch_buttons.thebe: false``; the book does not use thebe, so its
   scripts are dropped from the pages. myst-nb's ipywidgets loader (requirejs
   and the widget manager from other hosts) is switched off with
   ``nb_ipywidgets_js = {}``: the book has no widgets.
4. **The bibliography is a list of list items** for screen readers (see
   :func:`label_citation_lists`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Where MathJax ends up, relative to the site's ``_static`` folder.
MATHJAX_DIR = "mathjax"
#: The combined component the pages load (TeX input, CommonHTML output, menu).
MATHJAX_ENTRY = "tex-chtml.js"
#: What a page can ask MathJax for: TeX extensions (autoload), the CommonHTML
#: fonts, the menu and the accessibility components with the speech-rule
#: engine's maps (loaded only when a reader turns speech on in the menu).
MATHJAX_PARTS = (MATHJAX_ENTRY, "input/tex", "output/chtml", "ui", "a11y", "sre")


# --------------------------------------------------------------------------- MathJax
def mathjax_source() -> Path:
    """The ``es5`` folder of the installed MathJax 3 distribution."""
    try:
        import mathjax  # the module of the django-static-mathjax distribution
    except ImportError as exc:  # pragma: no cover - only without the pinned requirements
        raise RuntimeError(
            "MathJax 3 is not installed: run `make install` "
            "(requirements.txt pins django-static-mathjax, which ships MathJax 3)."
        ) from exc
    es5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (es5 / MATHJAX_ENTRY).is_file():  # pragma: no cover
        raise RuntimeError(f"{es5 / MATHJAX_ENTRY} is missing: reinstall django-static-mathjax.")
    return es5


def copy_mathjax(outdir: Path) -> Path:
    """Copy the needed MathJax files into ``<outdir>/_static/mathjax``."""
    src = mathjax_source()
    out = outdir / "_static" / MATHJAX_DIR
    shutil.rmtree(out, ignore_errors=True)
    for part in MATHJAX_PARTS:
        path = src / part
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            dst = out / f.relative_to(src)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dst)
    shutil.copyfile(src.parent / "LICENSE", out / "LICENSE")  # Apache-2.0 asks for it
    return out


# --------------------------------------------------------------------------- Sphinx hooks
def _is_thebe(asset) -> bool:
    filename = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "sphinx-thebe" in filename or "THEBE_JS_URL" in body


def drop_thebe_assets(app, pagename, templatename, context, doctree) -> None:
    """Remove sphinx-thebe's dormant loader (a CDN URL) and its CSS from a page."""
    for key in ("script_files", "css_files"):
        if context.get(key):
            context[key] = [a for a in context[key] if not _is_thebe(a)]


def _is_mathjax(asset, mathjax_path: str) -> bool:
    filename = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return filename == mathjax_path or "MathJax" in body


def drop_mathjax_without_math(app, pagename, templatename, context, doctree) -> None:
    """Remove MathJax (and its configuration) from a page that has no equation."""
    # The page's own equations: MathDomain.has_equations() also counts the
    # pages in its toctree (for single-page builds).
    if app.env.get_domain("math").data["has_equations"].get(pagename, False):
        return
    if context.get("script_files"):
        context["script_files"] = [
            a for a in context["script_files"] if not _is_mathjax(a, app.config.mathjax_path)
        ]


def label_citation_lists(app, pagename, templatename, context, doctree) -> None:
    """Make a bibliography an accessible list: docutils writes
    ``<div role="list">`` around entries with role ``doc-biblioentry``, which
    ARIA 1.2 dropped, so screen readers see a list without items (axe:
    aria-required-children). The entries become list items."""
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def set_config(app, config) -> None:
    config.mathjax_path = f"{MATHJAX_DIR}/{MATHJAX_ENTRY}"
    config.nb_ipywidgets_js = {}


def finish_site(app, exception) -> None:
    """After a successful HTML build: copy MathJax in."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    copy_mathjax(outdir)
    logger.info("offline_site: MathJax 3 copied into _static/%s", MATHJAX_DIR)


def setup(app):
    app.connect("config-inited", set_config, priority=900)
    app.connect("html-page-context", drop_thebe_assets)
    # after sphinx.ext.mathjax (priority 500) has added its scripts
    app.connect("html-page-context", drop_mathjax_without_math, priority=600)
    app.connect("html-page-context", label_citation_lists)
    app.connect("build-finished", finish_site)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
