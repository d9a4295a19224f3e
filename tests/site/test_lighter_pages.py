"""The build steps that lighten a page without changing what it shows
(_ext/offline_site.py, item 6): plain code tokens lose their ``<span>``, and
figures become palette PNGs. Each is checked on a small case with a known
answer and on the built site."""

from __future__ import annotations

import html
import importlib.util
import io
import re
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("offline_site", ROOT / "_ext" / "offline_site.py")
offline_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(offline_site)

CSS = """
html[data-theme="light"] .highlight { background: #fefefe; color: #080808 }
html[data-theme="dark"] .highlight { background: #2b2b2b; color: #F8F8F2 }
html[data-theme="light"] .highlight .n { color: #080808 }
html[data-theme="dark"] .highlight .n { color: #F8F8F2 }
html[data-theme="light"] .highlight .o { color: #00622F }
html[data-theme="dark"] .highlight .o { color: #F8F8F2 }
html[data-theme="light"] .highlight .k { color: #080808; font-weight: bold }
html[data-theme="light"] .highlight .p { color: #080808 }
"""


def test_plain_token_classes_are_those_in_the_block_colour_in_every_mode():
    # .o differs in light mode, .k is bold; .p is styled in light mode only, plainly
    assert offline_site.plain_token_classes(CSS) == {"n", "p"}


def test_plain_token_classes_without_theme_prefix():
    css = ".highlight { color: #333 }\n.highlight .n { color: #333 }\n.highlight .s { color: #a00 }"
    assert offline_site.plain_token_classes(css) == {"n"}


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_unwrapping_keeps_the_text_and_the_styled_spans(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "pygments.css").write_text(CSS)
    block = ('<div class="highlight"><pre><span></span><span class="n">x</span> '
             '<span class="o">=</span> <span class="n">f</span><span class="p">(</span>'
             '<span class="k">if</span><span class="p">)</span>\n</pre></div>')
    outside = '<p><span class="n">not code</span></p>'
    page = tmp_path / "page.html"
    page.write_text(outside + block)
    saved = offline_site.unwrap_plain_tokens(tmp_path)
    new = page.read_text()
    assert saved == len(outside + block) - len(new) > 0
    assert _text(new) == _text(outside + block)
    assert new.startswith(outside), "a span outside a code block was changed"
    assert '<span class="o">=</span>' in new and '<span class="k">if</span>' in new
    assert '<span class="n">' not in new[len(outside):] and '<span class="p">' not in new
    assert offline_site.unwrap_plain_tokens(tmp_path) == 0, "not idempotent"


def test_built_code_blocks_keep_no_plain_token_span(html_dir):
    plain = offline_site.plain_token_classes((html_dir / "_static" / "pygments.css").read_text())
    assert {"n", "p"} <= plain, f"the theme's code colours changed: plain tokens {plain}"
    pattern = re.compile(r'<span class="(?:%s)">' % "|".join(sorted(plain)))
    page = (html_dir / "book" / "03_cross_entropy_kl.html").read_text()
    blocks = re.findall(r'<div class="highlight"><pre>(.*?)</pre>', page, re.S)
    assert len(blocks) > 10
    assert not [b for b in blocks if pattern.search(b)]
    # no other stylesheet paints these tokens, so unwrapping them changes nothing
    for css in (html_dir / "_static").rglob("*.css"):
        if css.name != "pygments.css" and "mathjax" not in css.parts:
            text = css.read_text(errors="replace")
            hits = re.findall(r"\.highlight\s+\.(%s)\b" % "|".join(sorted(plain)), text)
            assert not hits, f"{css.name} styles plain token classes {hits}"


def _png(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, "PNG")
    return buf.getvalue()


def test_quantizing_a_few_colour_figure_is_lossless(tmp_path):
    rng = np.random.default_rng(0)
    colours = rng.integers(0, 256, size=(7, 4), dtype=np.uint8)
    pixels = colours[rng.integers(0, 7, size=(120, 160))]
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "a.png").write_bytes(_png(pixels))
    before, after = offline_site.quantize_images(tmp_path)
    assert after <= before
    with Image.open(tmp_path / "_images" / "a.png") as im:
        assert im.mode == "P"
        np.testing.assert_array_equal(np.asarray(im.convert("RGBA")), pixels)


def test_quantizing_a_smooth_figure_stays_close(tmp_path):
    y, x = np.mgrid[0:200, 0:300]
    rgb = np.stack([x * 255 // 299, y * 255 // 199, (x + y) * 255 // 498], axis=-1).astype(np.uint8)
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "b.png").write_bytes(_png(rgb))
    offline_site.quantize_images(tmp_path)
    with Image.open(tmp_path / "_images" / "b.png") as im:
        assert im.size == (300, 200)
        got = np.asarray(im.convert("RGB")).astype(float)
    # dithered: a 9x9 box blur (what the eye averages) is within 4 of 255 levels
    kernel = np.ones(9) / 9

    def blur(a):
        a = np.apply_along_axis(lambda r: np.convolve(r, kernel, "valid"), 0, a)
        return np.apply_along_axis(lambda r: np.convolve(r, kernel, "valid"), 1, a)

    assert np.abs(blur(got) - blur(rgb.astype(float))).max() < 4


def test_built_figures_are_palette_pngs(html_dir):
    pngs = sorted((html_dir / "_images").glob("*.png"))
    assert len(pngs) >= 20
    not_palette = []
    for p in pngs:
        with Image.open(p) as im:
            if im.mode != "P":
                not_palette.append(p.name)
    assert not not_palette, f"figures not stored as palette PNGs: {not_palette}"
