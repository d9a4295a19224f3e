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


# --------------------------------------------------------------------------- lossless rewrites
def _offline_site():
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "_ext" / "offline_site.py"
    spec = importlib.util.spec_from_file_location("offline_site", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def test_figures_show_the_notebooks_pixels(html_dir):
    """A figure recompressed by the build (see _ext/offline_site.py) keeps its pixels."""
    import base64
    import hashlib
    import io
    import json

    import numpy as np
    from PIL import Image

    root = Path(__file__).resolve().parents[2]
    originals = {}
    for notebook in (root / "book").glob("*.ipynb"):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                data = output.get("data", {}).get("image/png")
                if data:
                    raw = base64.b64decode("".join(data) if isinstance(data, list) else data)
                    originals[hashlib.sha256(raw).hexdigest()] = raw
    for png in sorted((html_dir / "_images").glob("*.png")):
        with Image.open(png) as image:
            pixels = np.asarray(image.convert("RGBA"))
        original = originals.get(png.stem)
        if original is not None and original != png.read_bytes():
            with Image.open(io.BytesIO(original)) as image:
                assert np.array_equal(pixels, np.asarray(image.convert("RGBA"))), png.name


def test_png_recompression_is_lossless_and_removes_the_pattern(monkeypatch):
    import io
    import zlib

    import numpy as np
    from PIL import Image

    site = _offline_site()
    rng = np.random.default_rng(0)
    pixels = (rng.random((40, 60, 3)) < 0.5).astype(np.uint8) * 255
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", compress_level=9)
    data = buffer.getvalue()
    # a 4-byte run of the compressed data that another zlib level does not produce
    start = data.index(b"IDAT") + 4
    raw = zlib.decompress(data[start:start + int.from_bytes(data[start - 8:start - 4], "big")])
    other = zlib.compress(raw, 1)
    word = next(data[i:i + 4] for i in range(start, start + 200) if data[i:i + 4] not in other)
    monkeypatch.setattr(site, "CDN_WORDS", re.compile(re.escape(word.decode("latin-1"))))
    new = site._recompress_png(data)
    assert new is not None and word not in new
    with Image.open(io.BytesIO(new)) as image:
        assert np.array_equal(np.asarray(image.convert("RGB")), pixels)


def test_json_escape_keeps_the_parsed_value():
    import json

    from hypothesis import given, strategies as st

    site = _offline_site()
    words = st.sampled_from(["cdn", "unpkg", "jsdelivr", "googleapis", "cdnjs", "x", "\\", '"', "é"])

    @given(st.lists(st.one_of(words, st.text(max_size=5)), max_size=12))
    def check(parts):
        text = json.dumps({"source": "".join(parts), "list": parts})
        escaped = site._escape_json(text)
        assert json.loads(escaped) == json.loads(text)
        assert not CDN.search(escaped.encode("utf-8"))

    check()
