"""Static checks that the built site works offline: no CDN, MathJax served locally.

The browser tests (test_browser.py) prove at run time that pages request
nothing from another host; these read the files, so they also cover pages and
code paths a page load does not reach, and they run without a browser.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

#: The acceptance check: `grep -rE "cdn|googleapis|jsdelivr|unpkg|cdnjs" _build/html`.
CDN = re.compile(rb"cdn|googleapis|jsdelivr|unpkg|cdnjs")

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


def test_no_cdn_host_anywhere_in_the_site(html_dir):
    hits = []
    for path in sorted(html_dir.rglob("*")):
        if path.is_file():
            m = CDN.search(path.read_bytes())
            if m:
                data = path.read_bytes()
                context = data[max(0, m.start() - 60):m.end() + 60].decode("latin-1")
                hits.append(f"{path.relative_to(html_dir)}: ...{context!r}...")
    assert not hits, "CDN host names in the built site:\n" + "\n".join(hits[:20])


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
    assert (mathjax / "tex-chtml.js").is_file(), "MathJax was not copied into _static/mathjax"
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
            assert (page.parent / urlsplit(src).path).resolve() == (mathjax / "tex-chtml.js").resolve()
    assert pages_with_math >= 2, "hardly any page has math: is dollarmath still enabled?"


def test_no_mathjax_js_in_a_source_static_folder():
    """Jupyter Book adds a <script> tag for every .js file under a source _static/."""
    root = Path(__file__).resolve().parents[2]
    stray = [p for p in root.glob("**/_static/**/*.js")
             if "_build" not in p.parts and ".venv" not in p.parts]
    assert not stray, f".js files in a source _static folder (each becomes a script tag): {stray}"


@pytest.mark.parametrize("asset", ["sphinx-thebe.js", "THEBE_JS_URL", "require.min.js", "embed-amd.js"])
def test_no_dormant_cdn_loader_on_any_page(html_dir, asset):
    pages = [p.relative_to(html_dir) for p in _pages(html_dir)
             if asset in p.read_text(encoding="utf-8")]
    assert not pages, f"{asset} is still on {pages[:5]}"
