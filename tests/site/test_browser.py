"""End-to-end checks of the built book in a real headless Chromium.

Every page is loaded once (a session-wide cache of what each load saw), then
checked: HTTP 200, no console error, no failed request, no request to another
host, math typeset, every image loaded. Then the interactive parts: hidden
solutions, search, the dark-mode toggle, and screenshots for a human to look
at in ``_build/screenshots/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HTML = Path(__file__).resolve().parents[2] / "_build" / "html"
#: Every HTML page of the built site, relative to its root.
PAGES = sorted(
    p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
    if "_static" not in p.parts and "_sources" not in p.parts
) if HTML.is_dir() else []

#: Text of the page body outside code (code may show a literal "$$").
_PROSE_TEXT = """() => {
  const root = document.querySelector('article') || document.body;
  const clone = root.cloneNode(true);
  clone.querySelectorAll('pre, code, .highlight, mjx-container, script, style')
       .forEach(e => e.remove());
  return clone.innerText;
}"""

_MATH_REPORT = """() => {
  const nodes = Array.from(document.querySelectorAll('.math'));
  return {
    math: nodes.length,
    untypeset: nodes.filter(n => !n.querySelector('mjx-container')).map(n => n.textContent.trim().slice(0, 80)),
    containers: document.querySelectorAll('mjx-container').length,
    errors: Array.from(document.querySelectorAll('mjx-merror')).map(e => e.textContent.slice(0, 80)),
  };
}"""

_IMAGES = """() => Array.from(document.images).map(
    i => ({src: i.currentSrc || i.src, width: i.naturalWidth}))"""


#: The report of a page that only redirects (nothing of its own to check).
_NOTHING = {"math": {"math": 0, "untypeset": [], "containers": 0, "errors": []}, "prose": "",
            "images": [], "console_errors": [], "failed_requests": [], "external_requests": []}


@pytest.fixture(scope="session")
def reports(new_visit):
    """Load every page once; keep what happened."""
    out = {}
    visit = new_visit()
    for path in PAGES:
        visit.reset()
        status = visit.goto(path)
        visit.settle()
        if visit.page.url != visit.base_url + path:  # a redirect: test_index_redirects_to_the_intro
            out[path] = dict(_NOTHING, status=status)
            continue
        out[path] = {
            "status": status,
            "math": visit.page.evaluate(_MATH_REPORT),
            "prose": visit.page.evaluate(_PROSE_TEXT),
            "images": visit.page.evaluate(_IMAGES),
            "console_errors": list(visit.console_errors),
            "failed_requests": list(visit.failed_requests),
            "external_requests": list(visit.external_requests),
        }
    visit.close()
    return out


def test_the_site_has_pages(html_dir):
    assert len(PAGES) >= 3, f"only {PAGES} in {html_dir}"


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly(reports, path):
    r = reports[path]
    assert r["status"] == 200, f"{path}: HTTP {r['status']}"
    assert not r["console_errors"], f"{path}: console errors {r['console_errors']}"
    assert not r["failed_requests"], f"{path}: failed requests {r['failed_requests']}"
    assert not r["external_requests"], (
        f"{path}: requests to other hosts (the site must work offline): {r['external_requests']}"
    )


@pytest.mark.parametrize("path", PAGES)
def test_math_is_typeset(reports, path):
    m = reports[path]["math"]
    assert not m["untypeset"], f"{path}: math left as TeX source: {m['untypeset'][:3]}"
    assert not m["errors"], f"{path}: MathJax could not typeset: {m['errors'][:3]}"
    if m["math"]:
        assert m["containers"] >= m["math"], f"{path}: {m}"
    prose = reports[path]["prose"]
    raw = [s for s in ("$$", "\\(", "\\[") if s in prose]
    assert not raw, f"{path}: raw math delimiters {raw} left in the text"


def test_index_redirects_to_the_intro(new_visit):
    visit = new_visit()
    visit.goto("index.html")
    visit.page.wait_for_url("**/book/intro.html")
    visit.settle()
    assert visit.page.locator("h1").first.inner_text().strip()
    assert not visit.console_errors and not visit.failed_requests, (
        visit.console_errors, visit.failed_requests)


def test_a_left_redirect_is_not_blamed_on_the_next_page(new_visit):
    # Leaving index.html while its redirect was in flight once failed CI: the
    # aborted request was reported late, as an error of py-modindex. goto now
    # waits for a redirect's target, which settle() then lets finish loading.
    visit = new_visit()
    for _ in range(5):
        visit.reset()
        visit.goto("index.html")
        assert visit.page.url == visit.base_url + "book/intro.html", (
            "goto returned with the redirect still in flight")
        visit.settle()
        visit.reset()
        visit.goto("py-modindex.html")
        visit.settle()
        assert not visit.failed_requests and not visit.console_errors, (
            visit.failed_requests, visit.console_errors)
    visit.close()


def test_some_pages_have_math(reports):
    with_math = [p for p, r in reports.items() if r["math"]["containers"]]
    assert any(p.startswith("book/0") for p in with_math), f"math typeset only on {with_math}"


@pytest.mark.parametrize("path", PAGES)
def test_images_load(reports, path):
    broken = [i["src"] for i in reports[path]["images"] if i["width"] <= 0]
    assert not broken, f"{path}: images that did not load: {broken}"


# --------------------------------------------------------------------------- interaction
def _page_with_dropdown_solution():
    for path in PAGES:
        text = (HTML / path).read_text(encoding="utf-8")
        if re.search(r'class="solution dropdown[^"]*admonition', text):
            return path
    return None


def test_solutions_hidden_until_clicked(new_visit):
    path = _page_with_dropdown_solution()
    assert path, "no page has a sphinx-exercise solution with :class: dropdown"
    visit = new_visit()
    visit.goto(path)
    solutions = visit.page.locator(".solution.dropdown")
    count = solutions.count()
    assert count >= 1
    for i in range(count):
        solution = solutions.nth(i)
        body = solution.locator(":scope > :not(.admonition-title)").first
        assert solution.is_visible()
        assert body.is_hidden(), f"{path}: solution {i} is visible before a click"
    first = solutions.first
    first.locator(".admonition-title").click()
    first.locator(":scope > :not(.admonition-title)").first.wait_for(state="visible")
    assert solutions.nth(1).locator(":scope > :not(.admonition-title)").first.is_hidden() \
        if count > 1 else True, "clicking one solution opened another"
    assert not visit.console_errors, visit.console_errors


@pytest.mark.parametrize("query", ["entropy", "KL divergence", "mutual information"])
def test_search_finds(new_visit, query):
    visit = new_visit()
    visit.goto(f"search.html?q={query.replace(' ', '+')}")
    results = visit.page.locator("#search-results ul.search li")
    results.first.wait_for(state="attached", timeout=15_000)
    titles = [t.strip() for t in results.locator("a").first.all_inner_texts()]
    assert results.count() >= 1, f"search for {query!r} found nothing"
    assert titles and titles[0], f"search for {query!r}: a result without a title"
    assert not visit.console_errors, visit.console_errors


def test_dark_mode_toggle(new_visit):
    visit = new_visit()
    visit.goto("book/intro.html")
    html = visit.page.locator("html")
    before = html.get_attribute("data-theme")
    assert before == "light", f"a light-scheme browser starts in {before!r} mode"
    button = visit.page.locator(".theme-switch-button").first
    seen = []
    for _ in range(3):  # the button cycles through light, dark and system settings
        button.click()
        seen.append(html.get_attribute("data-theme"))
        if seen[-1] == "dark":
            break
    assert "dark" in seen, f"the colour-mode button never switched to dark: {seen}"
    background = visit.page.evaluate("getComputedStyle(document.body).backgroundColor")
    rgb = [int(c) for c in re.findall(r"\d+", background)[:3]]
    assert sum(rgb) < 3 * 100, f"dark mode but the page background is {background}"


# --------------------------------------------------------------------------- screenshots
def _a_chapter():
    chapters = [p for p in PAGES if re.match(r"book/0\d_", p)]
    assert chapters, "no chapter page (book/0N_*.html) was built"
    return chapters[0]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(new_visit, screenshot_dir, scheme):
    visit = new_visit(color_scheme=scheme)
    for name, path in [("intro", "book/intro.html"), ("chapter", _a_chapter())]:
        visit.goto(path)
        visit.settle()
        assert visit.page.locator("html").get_attribute("data-theme") == scheme
        target = screenshot_dir / f"{name}-{scheme}.png"
        visit.page.screenshot(path=str(target))
        assert target.stat().st_size > 10_000, f"{target} looks empty"
