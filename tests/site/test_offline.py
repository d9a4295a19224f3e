"""Static checks that the built site works offline: pages and stylesheets load
nothing from another host, and MathJax is served by the site.

The browser tests (test_browser.py) prove at run time that pages request
nothing from another host; these parse what pages and stylesheets load, so
they also cover code paths a page load does not reach, and they run without a
browser.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

#: Elements and attributes through which a page loads something.
LOADING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "embed": ("src",),
    "object": ("data",),
    "track": ("src",),
}
LOADING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut icon",
                     "apple-touch-icon", "manifest", "prefetch", "preconnect", "dns-prefetch"}


class _Loads(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        names = LOADING.get(tag, ())
        if tag == "link" and (attrs.get("rel") or "").lower() in LOADING_LINK_RELS:
            names = ("href",)
        for name in names:
            value = attrs.get(name) or ""
            for part in value.split(","):
                url = part.strip().split(" ")[0]
                if url:
                    self.urls.append(url)


def _pages(html_dir: Path):
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.parts)


def _is_remote(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in ("", "data")


def test_pages_load_nothing_from_another_host(html_dir):
    remote = []
    for page in _pages(html_dir):
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        remote += [f"{page.relative_to(html_dir)}: {u}" for u in parser.urls if _is_remote(u)]
    assert not remote, "pages load from other hosts:\n" + "\n".join(remote[:20])


def test_stylesheets_load_nothing_from_another_host(html_dir):
    remote = []
    for css in sorted(html_dir.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(
                r"@import\s+['\"]([^'\"]+)", text):
            if _is_remote(url):
                remote.append(f"{css.relative_to(html_dir)}: {url}")
    assert not remote, "stylesheets load from other hosts:\n" + "\n".join(remote[:20])


def test_every_local_asset_a_page_loads_exists(html_dir):
    missing = set()
    for page in _pages(html_dir):
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            if _is_remote(url) or url.startswith("data:"):
                continue
            target = (page.parent / urlsplit(url).path).resolve()
            if not target.is_file():
                missing.add(f"{page.relative_to(html_dir)}: {url}")
    assert not missing, "pages load files that are not in the site:\n" + "\n".join(sorted(missing)[:20])


def test_mathjax_is_served_by_the_site(html_dir):
    mathjax = html_dir / "_static" / "mathjax"
    for part in ("startup.js", "core.js", "input/tex.js", "output/chtml.js", "a11y/assistive-mml.js"):
        assert (mathjax / part).is_file(), f"MathJax {part} was not copied into _static/mathjax"
    assert not (mathjax / "tex-chtml.js").exists(), "the combined tex-chtml.js (with the menu) is shipped"
    assert (mathjax / "LICENSE").is_file()
    fonts = list((mathjax / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    assert len(fonts) >= 20, f"only {len(fonts)} MathJax fonts in the site"
    pages_with_math = 0
    for page in _pages(html_dir):
        text = page.read_text(encoding="utf-8")
        if 'class="math' not in text:
            continue
        pages_with_math += 1
        srcs = re.findall(r'<script[^>]+src="([^"]*mathjax[^"]*)"', text, flags=re.I)
        assert srcs, f"{page.relative_to(html_dir)} has math but loads no MathJax"
        for src in srcs:
            assert not _is_remote(src), f"{page.relative_to(html_dir)} loads MathJax from {src}"
            assert (page.parent / urlsplit(src).path).resolve() == (mathjax / "startup.js").resolve()
    assert pages_with_math >= 2, "hardly any page has math: is dollarmath still enabled?"


def test_no_mathjax_js_in_a_source_static_folder():
    """Jupyter Book adds a <script> tag for every .js file under a source _static/:
    MathJax must stay in the built site only, loaded on demand."""
    root = Path(__file__).resolve().parents[2]
    stray = [p for p in root.glob("**/_static/**/*.js")
             if "_build" not in p.parts and ".venv" not in p.parts
             and "mathjax" in p.as_posix().lower()]
    assert not stray, f"MathJax files in a source _static folder (each becomes a script tag): {stray}"


def test_mathjax_only_on_pages_with_math(html_dir):
    without = []
    for page in _pages(html_dir):
        text = page.read_text(encoding="utf-8")
        if 'class="math' not in text and 'http-equiv="refresh"' not in text:
            if re.search(r'<script[^>]+src="[^"]*mathjax', text):
                without.append(str(page.relative_to(html_dir)))
    assert not without, f"pages without math load MathJax: {without[:10]}"


def test_icons_without_font_awesome_javascript(html_dir):
    """The theme's icons come from Font Awesome's CSS and fonts; its 1.5 MB
    script (the same icons as SVG) is left out (_templates/layout.html)."""
    loaded = [str(p.relative_to(html_dir)) for p in _pages(html_dir)
              if re.search(r'<script[^>]+fontawesome', p.read_text(encoding="utf-8"))]
    assert not loaded, f"pages load Font Awesome's JavaScript: {loaded[:5]}"
    styled = (html_dir / "book" / "intro.html").read_text(encoding="utf-8")
    assert re.search(r'<link[^>]+fontawesome[^>]+all\.min\.css', styled)


def test_search_index_only_on_the_search_page(html_dir):
    loaded = [str(p.relative_to(html_dir)) for p in _pages(html_dir)
              if 'searchindex.js' in p.read_text(encoding="utf-8")]
    assert loaded == ["search.html"], loaded


@pytest.mark.parametrize("asset", ["sphinx-thebe.js", "THEBE_JS_URL", "require.min.js", "embed-amd.js"])
def test_no_dormant_cdn_loader_on_any_page(html_dir, asset):
    pages = [p.relative_to(html_dir) for p in _pages(html_dir)
             if asset in p.read_text(encoding="utf-8")]
    assert not pages, f"{asset} is still on {pages[:5]}"


# --------------------------------------------------------------------------- downloads
def test_downloadable_notebooks_are_the_committed_ones(html_dir):
    """The .ipynb behind each download button parses to exactly the source notebook."""
    import json

    root = Path(__file__).resolve().parents[2]
    sources = sorted((html_dir / "_sources").rglob("*.ipynb"))
    assert sources, "no notebook in _build/html/_sources"
    for built in sources:
        original = root / built.relative_to(html_dir / "_sources")
        assert json.loads(built.read_text(encoding="utf-8")) == json.loads(
            original.read_text(encoding="utf-8")), f"{built} differs from {original}"


def test_font_awesome_loads_only_its_subset_fonts(html_dir):
    """_ext/offline_site.py subsets Font Awesome's fonts to the icons the
    site shows (test_weight.py checks in the browser that each shown icon
    is in them); the site's stylesheet loads the subsets only."""
    fa = html_dir / "_static" / "vendor" / "fontawesome" / "6.5.2"
    css = (fa / "css" / "all.min.css").read_text(encoding="utf-8")
    loaded = set(re.findall(r"url\(\.\./webfonts/([^)]+)\)", css))
    full = {f for f in loaded if not f.endswith(".subset.woff") and "v4compatibility" not in f}
    assert not full, f"the full Font Awesome fonts are still loaded: {full}"
    for name in ("fa-solid-900", "fa-regular-400", "fa-brands-400"):
        path = fa / "webfonts" / f"{name}.subset.woff"
        assert path.is_file() and 1_000 < path.stat().st_size < 30_000, path
