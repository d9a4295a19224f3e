"""Sphinx extension: a built book that reads offline and loads only what a page needs.

The requirement is that a page makes no request to another host; ``tests/site``
checks it where it matters, on the requests themselves (a real browser that
blocks and records every request to another host, and a parser of the URLs
that pages and stylesheets load).

1. **MathJax 3 is self-hosted.** The MathJax 3 ``es5`` build shipped by the
   PyPI package ``django-static-mathjax`` (pinned in ``requirements.txt``; it
   is MathJax 3.2.2 and nothing else, Django is not needed) is copied into the
   built site at ``_static/mathjax/``, and ``mathjax_path`` points there. The
   files never sit in a *source* ``_static/`` folder, so Jupyter Book adds no
   ``<script>`` tag per file. A page loads MathJax's small loader
   (``startup.js``), which loads TeX input, CommonHTML output and the hidden
   MathML for screen readers (:data:`MATHJAX_LOAD`) from beside itself, and
   they load the fonts and TeX extensions a page uses on demand. The context
   menu and the speech engine (0.8 MB) are not shipped.
2. **MathJax only where there is math.** myst-nb asks Sphinx to put every
   asset on every page; MathJax is removed again from the pages that hold no
   equation.
3. **Dormant CDN loaders are removed.** ``sphinx-thebe`` (always loaded by
   Jupyter Book) writes the loader of thebe into every page even with
   ``launch_buttons.thebe: false``; the book does not use thebe, so its
   scripts are dropped from the pages. myst-nb's ipywidgets loader (requirejs
   and the widget manager from other hosts) is switched off with
   ``nb_ipywidgets_js = {}``: the book has no widgets.
4. **Font Awesome is subset** to the icons the site shows
   (:func:`subset_fontawesome`).
5. **The bibliography is a list of list items** for screen readers (see
   :func:`label_citation_lists`).
6. **Lighter pages, same rendering.** Highlighted code drops the ``<span>``
   wrappers of tokens that Pygments' stylesheet paints in the code block's own
   colour in every colour mode (names, punctuation, whitespace:
   :func:`unwrap_plain_tokens`), and the figures are stored as 256-colour
   palette PNGs with dithering, as pngquant does (:func:`quantize_images`).
   sphinx-design's tab script is left out of pages without tabs. Together
   they take 7-18 % off a chapter page (issue 15: at most 1.5 MB).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Where MathJax ends up, relative to the site's ``_static`` folder.
MATHJAX_DIR = "mathjax"
#: The small loader the pages load (MathJax's loader and startup, 30 kB); it
#: loads the components below from beside itself. The combined
#: ``tex-chtml.js`` (1.16 MB) also bundles the context menu (0.43 MB with its
#: dependencies), which the book does not need.
MATHJAX_ENTRY = "startup.js"
#: The components a page loads: TeX input, CommonHTML output and the hidden
#: MathML copy that screen readers read (6 kB). CommonHTML loads only the
#: fonts a page uses, and TeX input its rarer extensions on demand (autoload).
MATHJAX_LOAD = ["input/tex", "output/chtml", "a11y/assistive-mml"]
#: The files copied: the loader, the core and the components with the
#: folders they load from on demand (TeX extensions, CommonHTML fonts).
MATHJAX_PARTS = (
    MATHJAX_ENTRY, "core.js", "input/tex.js", "input/tex", "output/chtml.js",
    "output/chtml", "a11y/assistive-mml.js",
)


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


# --------------------------------------------------------------------------- Font Awesome
#: The theme's Font Awesome, relative to the site's ``_static`` folder.
FONTAWESOME = "vendor/fontawesome/6.5.2"
#: The web fonts subset (the v4-compatibility font is left as it is: it loads
#: only for the old icon names, which no page uses).
FONTAWESOME_FONTS = ("fa-solid-900", "fa-regular-400", "fa-brands-400")
_ICON_NAME = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)")
_CSS_ESCAPE = re.compile(r'"\\(f[0-9a-f]{3}|e[0-9a-f]{3})"', re.I)
#: Icons written as the characters themselves (pydata-sphinx-theme's CSS
#: variables): Font Awesome's code points are in the private use area.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"\\([0-9a-f]+)"\}')


def icon_codepoints(outdir: Path) -> set[int]:
    """Every Font Awesome code point the built site can show: the icons named
    in its pages and scripts (``fa-github``; the colour-mode button sets its
    icons from JavaScript) and the characters the theme's stylesheets put in
    pseudo-elements (admonition icons, external-link arrows, ...)."""
    static = outdir / "_static"
    fa_css = (static / FONTAWESOME / "css" / "all.min.css").read_text(encoding="utf-8")
    by_name = {}
    for selectors, code in _ICON_RULE.findall(fa_css):
        for name in re.findall(r"\.fa-([a-z0-9-]+):before", selectors):
            by_name[name] = int(code, 16)
    codes: set[int] = set()
    vendor = static / "vendor"
    for path in outdir.rglob("*"):
        if path.suffix not in (".html", ".js", ".css") or vendor in path.parents:
            continue
        if path.name.startswith("searchindex"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        codes.update(by_name[n] for n in _ICON_NAME.findall(text) if n in by_name)
        if path.suffix == ".css":
            codes.update(int(c, 16) for c in _CSS_ESCAPE.findall(text))
            codes.update(ord(c) for c in _PRIVATE_USE.findall(text))
    return codes


def subset_fontawesome(outdir: Path) -> dict[str, int]:
    """Subset the theme's Font Awesome fonts to the icons the site shows.

    The full fonts are 0.27 MB of WOFF2 for about 25 icons. fontTools (a
    matplotlib dependency) writes each subset as WOFF (zlib; WOFF2 would need
    brotli, which is not installed) and the site's copy of ``all.min.css``
    loads the subsets instead of the full fonts. Returns the glyph count per font.
    """
    from fontTools import subset

    fa = outdir / "_static" / FONTAWESOME
    codes = icon_codepoints(outdir)
    css_path = fa / "css" / "all.min.css"
    css = css_path.read_text(encoding="utf-8")
    counts = {}
    for name in FONTAWESOME_FONTS:
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = []
        font = subset.load_font(str(fa / "webfonts" / f"{name}.ttf"), options)
        keep = codes & set(font.getBestCmap())
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(keep))
        subsetter.subset(font)
        subset.save_font(font, str(fa / "webfonts" / f"{name}.subset.woff"), options)
        counts[name] = len(keep)
        full = (f'url(../webfonts/{name}.woff2) format("woff2"),'
                f'url(../webfonts/{name}.ttf) format("truetype")')
        subset_url = f'url(../webfonts/{name}.subset.woff) format("woff")'
        if full not in css and subset_url not in css:  # pragma: no cover - another release
            raise RuntimeError(f"{css_path} does not load {name} as expected")
        # (an incremental build may keep the stylesheet already rewritten)
        css = css.replace(full, subset_url)
    css_path.write_text(css, encoding="utf-8")
    return counts


# --------------------------------------------------------------------------- unused CSS
#: The theme's and extensions' stylesheets, relative to ``_static``, whose
#: rules for classes no page uses are dropped (0.3 MB of 0.55 MB).
PURGED_CSS = (
    "styles/bootstrap.css", "styles/pydata-sphinx-theme.css", "sphinx-design.min.css",
    f"{FONTAWESOME}/css/all.min.css", "mystnb.*.css",
)
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
#: Pseudo-classes whose arguments may name classes a page lacks while the
#: selector still matches (``a:not(.btn)``): their classes are not required.
_FUNCTIONAL = re.compile(r":(?:not|is|where|has|-webkit-any|-moz-any)\([^()]*(?:\([^()]*\)[^()]*)*\)")


def used_classes(outdir: Path) -> set[str]:
    """Class names the site can use: every ``class`` attribute of its pages,
    and, because scripts add classes (``show``, ``collapsing``, the colour
    mode), every word in its scripts."""
    words: set[str] = set()
    for path in outdir.rglob("*"):
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8", errors="replace")
            for attr in re.findall(r'class="([^"]*)"', text):
                words.update(attr.split())
        elif path.suffix == ".js" and "mathjax" not in path.parts:
            words.update(_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def _selector_used(selector: str, used: set[str]) -> bool:
    return all(c in used for c in _CLASS.findall(_FUNCTIONAL.sub("", selector)))


def _purge_rules(rules, used: set[str]):
    import tinycss2

    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
            kept = [s for s in selectors if _selector_used(s, used)]
            if not kept:
                continue
            out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "layer") \
                and rule.content is not None:
            inner = _purge_rules(tinycss2.parse_rule_list(rule.content, skip_whitespace=True,
                                                          skip_comments=True), used)
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
        elif rule.type in ("at-rule",):
            out.append(tinycss2.serialize([rule]))
    return out


def purge_css(outdir: Path) -> dict[str, tuple[int, int]]:
    """Drop the rules of the theme's stylesheets that select a class no page
    or script uses (what PurgeCSS does, with tinycss2's parser). A selector
    list keeps the selectors that can match; at-rules are kept, ``@media``
    and ``@supports`` purged inside. Returns (bytes before, after) per file."""
    import tinycss2

    static = outdir / "_static"
    used = used_classes(outdir)
    sizes = {}
    for pattern in PURGED_CSS:
        for path in static.glob(pattern):
            text = path.read_text(encoding="utf-8")
            rules = tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True)
            if any(r.type == "error" for r in rules):  # pragma: no cover
                raise RuntimeError(f"{path}: cannot parse it, so nothing is purged")
            purged = "".join(_purge_rules(rules, used))
            path.write_text(purged, encoding="utf-8")
            sizes[path.relative_to(static).as_posix()] = (len(text.encode()), len(purged.encode()))
    return sizes


# --------------------------------------------------------------------------- code and figures
def plain_token_classes(pygments_css: str) -> set[str]:
    """Pygments token classes whose only style is the colour of the code
    block itself, in every colour mode that styles them: unwrapping their
    ``<span>`` changes nothing on screen."""
    import tinycss2

    base: dict[str, str] = {}  # colour mode -> .highlight colour
    styles: dict[str, dict[str, str]] = {}  # class -> {mode: declarations}
    for rule in tinycss2.parse_stylesheet(pygments_css, skip_whitespace=True, skip_comments=True):
        if rule.type != "qualified-rule":
            continue
        decls = "".join(tinycss2.serialize(rule.content).split()).rstrip(";").lower()
        for selector in tinycss2.serialize(rule.prelude).split(","):
            m = re.fullmatch(r'\s*(?:html\[data-theme="(\w+)"\]\s+)?\.highlight(?:\s+\.([\w-]+))?\s*',
                             selector)
            if not m:
                continue
            mode, cls = m.group(1) or "", m.group(2)
            if cls is None:
                colour = re.search(r"(?:^|;)color:([^;]+)", decls)
                if colour:
                    base[mode] = colour.group(1)
            else:
                styles.setdefault(cls, {})[mode] = decls
    return {cls for cls, by_mode in styles.items()
            if all(mode in base and decls == f"color:{base[mode]}" for mode, decls in by_mode.items())}


def unwrap_plain_tokens(outdir: Path) -> int:
    """Remove the ``<span>`` of plain tokens (:func:`plain_token_classes`) and
    Pygments' empty leading ``<span></span>`` from every highlighted block.
    Returns the bytes saved."""
    css = outdir / "_static" / "pygments.css"
    if not css.is_file():  # pragma: no cover
        return 0
    plain = plain_token_classes(css.read_text(encoding="utf-8"))
    if not plain:  # pragma: no cover
        return 0
    token = re.compile(r'<span class="(?:%s)">([^<]*)</span>' % "|".join(map(re.escape, sorted(plain))))
    block = re.compile(r'(<div class="highlight"><pre>)(.*?)(</pre>)', re.S)

    def unwrap(m):
        body = m.group(2)
        if body.startswith("<span></span>"):
            body = body[len("<span></span>"):]
        return m.group(1) + token.sub(r"\1", body) + m.group(3)

    saved = 0
    for path in outdir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        new = block.sub(unwrap, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            saved += len(text.encode()) - len(new.encode())
    return saved


def quantize_images(outdir: Path) -> tuple[int, int]:
    """Store every figure in ``_images`` as a palette PNG of at most 256
    colours (Floyd-Steinberg dithering) when that is smaller; an image with
    at most 256 colours is converted without loss. Returns (bytes before,
    after)."""
    import io

    from PIL import Image

    before = after = 0
    for path in sorted((outdir / "_images").glob("*.png")):
        data = path.read_bytes()
        before += len(data)
        with Image.open(io.BytesIO(data)) as im:
            if im.mode == "P":
                after += len(data)
                continue
            rgba = im.convert("RGBA")
        few = rgba.getcolors(maxcolors=256) is not None  # then the palette is exact
        palette = rgba.quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                dither=Image.Dither.NONE if few else Image.Dither.FLOYDSTEINBERG)
        buf = io.BytesIO()
        palette.save(buf, "PNG", optimize=True)
        if len(buf.getvalue()) < len(data):
            path.write_bytes(buf.getvalue())
            after += len(buf.getvalue())
        else:
            after += len(data)
    return before, after


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


def drop_tab_script_without_tabs(app, pagename, templatename, context, doctree) -> None:
    """Remove sphinx-design's tab script from a page that has no tab set."""
    if "sd-tab-set" in context.get("body", "") or not context.get("script_files"):
        return
    context["script_files"] = [
        a for a in context["script_files"]
        if not str(getattr(a, "filename", a) or "").endswith("design-tabs.js")]


def _is_mathjax(asset, mathjax_path: str) -> bool:
    filename = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    # Sphinx may list the script under the static folder: _static/<mathjax_path>.
    return filename in (mathjax_path, f"_static/{mathjax_path}") or "MathJax" in body


def drop_mathjax_without_math(app, pagename, templatename, context, doctree) -> None:
    """Remove MathJax (and its configuration) from a page that has no equation."""
    # The page's own rendered body decides: the math domain's record
    # (has_equations) also marks a page whose toctree holds equations, such
    # as the root page. Sphinx and myst-nb write every equation (and every
    # LaTeX output) with the class "math".
    if 'class="math' in context.get("body", ""):
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
    mathjax3 = dict(config.mathjax3_config or {})
    mathjax3["loader"] = {**mathjax3.get("loader", {}), "load": MATHJAX_LOAD}
    config.mathjax3_config = mathjax3
    config.nb_ipywidgets_js = {}


def finish_site(app, exception) -> None:
    """After a successful HTML build: copy MathJax in, subset the icons, purge
    the CSS, lighten the code blocks and the figures."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    copy_mathjax(outdir)
    logger.info("offline_site: MathJax 3 copied into _static/%s", MATHJAX_DIR)
    counts = subset_fontawesome(outdir)
    logger.info("offline_site: Font Awesome subset to %s icons", counts)
    sizes = purge_css(outdir)
    logger.info("offline_site: unused CSS rules dropped: %s", sizes)
    saved = unwrap_plain_tokens(outdir)
    logger.info("offline_site: %d bytes of plain-token <span>s removed from code", saved)
    before, after = quantize_images(outdir)
    logger.info("offline_site: figures %d -> %d bytes as palette PNGs", before, after)


def setup(app):
    app.connect("config-inited", set_config, priority=900)
    app.connect("html-page-context", drop_thebe_assets)
    app.connect("html-page-context", drop_tab_script_without_tabs, priority=600)
    # after sphinx.ext.mathjax (priority 500) has added its scripts
    app.connect("html-page-context", drop_mathjax_without_math, priority=600)
    app.connect("html-page-context", label_citation_lists)
    # after pydata-sphinx-theme rewrites pygments.css with its light and dark
    # styles (build-finished, default priority), which unwrap_plain_tokens reads
    app.connect("build-finished", finish_site, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
