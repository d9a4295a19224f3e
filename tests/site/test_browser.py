"""End-to-end checks of the built book in a real headless Chromium.

Every page is loaded twice (session-wide caches of what each load saw): on a
light desktop (1280 px) and on a dark phone (390 px). Each page is checked:
HTTP 200, no console error, no failed request, no request to another host,
math typeset, every image loaded with alt text that is not a file name, no
sideways scrolling on the phone, and no serious or critical axe-core
violation in either load. A few pages are also checked with axe in all four
combinations of light/dark and desktop/phone. Then the interactive parts:
the phone's navigation buttons, every solution of every chapter (from its
title and from its chevron, typeset), search, the dark-mode toggle, and
screenshots for a human to look at in ``_build/screenshots/``.
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
    i => ({src: i.currentSrc || i.src, width: i.naturalWidth,
           alt: i.getAttribute('alt'),
           article: !!i.closest('article') && !i.classList.contains('toggler')}))"""

PHONE = (390, 844)
_SIDEWAYS = """() => ({width: document.documentElement.scrollWidth,
                    viewport: document.documentElement.clientWidth})"""


#: The report of a page that only redirects (nothing of its own to check).
_NOTHING = {"math": {"math": 0, "untypeset": [], "containers": 0, "errors": []}, "prose": "",
            "images": [], "console_errors": [], "failed_requests": [], "external_requests": []}


@pytest.fixture(scope="session")
def reports(new_visit, axe_violations):
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
            "axe": axe_violations(visit.page),
        }
    visit.close()
    return out


@pytest.fixture(scope="session")
def phone_reports(new_visit, axe_violations):
    """Load every page once more, dark, at a phone's width."""
    out = {}
    visit = new_visit(color_scheme="dark", viewport=PHONE)
    for path in PAGES:
        visit.reset()
        visit.goto(path)
        visit.settle()
        if visit.page.url != visit.base_url + path:
            out[path] = {"sideways": {"width": 0, "viewport": 0}, "axe": []}
            continue
        out[path] = {"sideways": visit.page.evaluate(_SIDEWAYS),
                     "axe": axe_violations(visit.page)}
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


_FILE_NAME = re.compile(r"\.(png|jpe?g|svg|gif|webp)$|^[0-9a-f]{16,}$|^[\w.-]+$", re.I)


@pytest.mark.parametrize("path", PAGES)
def test_article_images_have_alt_text(reports, path):
    bad = [f"{i['src'].rsplit('/', 1)[-1]}: alt={i['alt']!r}" for i in reports[path]["images"]
           if i["article"] and (not (i["alt"] or "").strip() or _FILE_NAME.search(i["alt"].strip()))]
    assert not bad, f"{path}: images whose alt text does not say what they show: {bad}"


@pytest.mark.parametrize("path", PAGES)
def test_no_sideways_scrolling_on_a_phone(phone_reports, path):
    s = phone_reports[path]["sideways"]
    assert s["width"] <= s["viewport"], (
        f"{path} is {s['width']} px wide in a {s['viewport']} px phone screen")


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(reports, phone_reports, path):
    found = {"light desktop": reports[path].get("axe", []),
             "dark phone": phone_reports[path]["axe"]}
    assert not any(found.values()), f"{path}: axe-core found {found}"


def _sample_pages():
    chapters = [p for p in PAGES if re.match(r"book/0\d_", p)]
    wanted = ["book/intro.html", *chapters[:1], "book/api/nn.html", "book/references.html"]
    return [p for p in wanted if p in PAGES]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [(1366, 900), PHONE], ids=["desktop", "phone"])
def test_accessibility_in_every_mode(new_visit, axe_violations, scheme, viewport):
    visit = new_visit(color_scheme=scheme, viewport=viewport)
    found = {}
    for path in _sample_pages():
        visit.reset()
        visit.goto(path)
        visit.settle()
        if violations := axe_violations(visit.page):
            found[path] = violations
    visit.close()
    assert not found, f"axe-core ({scheme}, {viewport[0]} px): {found}"


# --------------------------------------------------------------------------- interaction
def test_phone_navigation_buttons_open_the_sidebars(new_visit):
    """At 390 px the menu button opens the book's navigation, and the contents
    button the page's table of contents."""
    visit = new_visit(viewport=PHONE, has_touch=True, is_mobile=True)
    visit.goto(_a_chapter())
    visit.settle()
    page = visit.page
    primary, secondary = page.locator(".bd-sidebar-primary"), page.locator(".bd-sidebar-secondary")
    assert not primary.is_visible() or not _in_view(primary), "navigation open before a tap"
    page.locator(".primary-toggle:visible").first.tap()
    page.wait_for_function("e => e.getBoundingClientRect().left >= 0 && "
                           "getComputedStyle(e).visibility === 'visible'",
                           arg=primary.element_handle(), timeout=5_000)
    assert primary.locator("a[href$='02_joint_conditional_entropy.html']").first.is_visible(), (
        "the navigation did not open")
    page.keyboard.press("Escape")
    page.goto(page.url)  # a fresh page: one sidebar at a time
    page.locator(".secondary-toggle:visible").first.tap()
    page.wait_for_function("e => e.getBoundingClientRect().right <= window.innerWidth + 1 && "
                           "getComputedStyle(e).visibility === 'visible'",
                           arg=secondary.element_handle(), timeout=5_000)
    assert secondary.locator("nav a").first.is_visible(), "the page TOC did not open"
    assert not visit.console_errors, visit.console_errors


def _in_view(locator) -> bool:
    box = locator.bounding_box()
    return bool(box) and box["x"] >= 0 and box["x"] + box["width"] > 0


_UNTYPESET = r"""(el) => {
  const clone = el.cloneNode(true);
  clone.querySelectorAll('mjx-container, pre, code, script, style, .toggle-button')
       .forEach(e => e.remove());
  const text = clone.innerText;
  const raw = text.match(/\$|\\\(|\\\[|\\[a-zA-Z]{2,}|[_^]\{/g) || [];
  return {raw: raw.slice(0, 5), text: text.slice(0, 120),
          untypeset: Array.from(el.querySelectorAll('.math')).filter(
              m => !m.querySelector('mjx-container')).length};
}"""


def _pages_with_solutions():
    return [p for p in PAGES if "solution dropdown" in (HTML / p).read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", _pages_with_solutions())
def test_every_solution_opens_from_its_title_and_chevron(new_visit, path):
    visit = new_visit()
    visit.goto(path)
    visit.settle()
    solutions = visit.page.locator(".solution.dropdown")
    problems = []
    for i in range(solutions.count()):
        solution = solutions.nth(i)
        body = solution.locator(":scope > :not(.admonition-title)").first
        title = solution.locator(":scope > .admonition-title")
        name = title.inner_text().strip()[:50]
        # the title's text (a link to the exercise on the left of the bar)
        title.locator(":scope > *").first.click()
        if not body.is_visible():
            problems.append(f"{name}: did not open from its title")
        title.locator(".toggle-button").click()
        body.wait_for(state="hidden")
        title.locator(".toggle-button").click()
        body.wait_for(state="visible")
        visit.wait_for_math()
        tex = solution.evaluate(_UNTYPESET)
        if tex["raw"] or tex["untypeset"]:
            problems.append(f"{name}: untypeset TeX {tex}")
    assert solutions.count() >= 1
    assert not problems, f"{path}: " + "; ".join(problems)
    assert not visit.console_errors, f"{path}: {visit.console_errors}"

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
@pytest.mark.parametrize("viewport", [(1280, 800), PHONE], ids=["desktop", "phone"])
def test_screenshots(new_visit, screenshot_dir, scheme, viewport):
    visit = new_visit(color_scheme=scheme, viewport=viewport)
    suffix = "-phone" if viewport == PHONE else ""
    for name, path in [("intro", "book/intro.html"), ("chapter", _a_chapter())]:
        visit.goto(path)
        visit.settle()
        assert visit.page.locator("html").get_attribute("data-theme") == scheme
        target = screenshot_dir / f"{name}-{scheme}{suffix}.png"
        visit.page.screenshot(path=str(target))
        assert target.stat().st_size > 10_000, f"{target} looks empty"
