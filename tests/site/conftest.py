"""Fixtures for checks of the built HTML book in _build/html (run after the build).

Static checks read the files; browser checks serve the site on 127.0.0.1 from
a thread of the test process and drive a real headless Chromium through
Playwright (one browser for the whole session). Chromium is Debian's
``/usr/bin/chromium`` (set ``CHROMIUM`` to use another binary); Playwright's
own browser download is never used. Without Chromium the browser checks are
skipped with a visible message saying how to install it; under CI (``CI`` set)
they fail instead, so CI never skips them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = (
    "no Chromium at {path}. Install it with "
    "`sudo apt-get update && sudo apt-get install -y chromium chromium-driver` "
    "(Debian/Ubuntu; or set CHROMIUM=/path/to/chromium) and `make install` "
    "for Playwright, then run `make site`. CI (.ci/run) installs it itself."
)


def browser_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return INSTALL_HINT.format(path=CHROMIUM)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return ("the Python package playwright is missing; "
                "run `make install` (it is pinned in requirements.txt).")
    return None


def pytest_report_header(config):
    reason = browser_missing_reason()
    if reason:
        return f"BROWSER TESTS WILL BE SKIPPED: {reason}"
    return f"browser tests: Chromium at {CHROMIUM}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reason = browser_missing_reason()
    if reason:
        what = "failed (CI must run them)" if os.environ.get("CI") else "were skipped"
        terminalreporter.write_sep("!", f"browser tests {what}", red=True, bold=True)
        terminalreporter.write_line(reason, red=True, bold=True)


# --------------------------------------------------------------------------- the site
@pytest.fixture(scope="session")
def html_dir():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html/index.html is missing: build the book first (make build)")
    return HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@pytest.fixture(scope="session")
def site_url(html_dir):
    """Serve _build/html on 127.0.0.1 (a free port) for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# --------------------------------------------------------------------------- the browser
@pytest.fixture(scope="session")
def browser():
    reason = browser_missing_reason()
    if reason and os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    if reason:
        print(f"\nbrowser tests skipped: {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class Visit:
    """A page in its own browser context, recording everything that goes wrong.

    Each :meth:`reset` closes the tab and opens a new one; what an abandoned tab
    still reports afterwards (e.g. a redirect it had in flight) is ignored, so
    it is never blamed on the next page. Recording stops at :meth:`close`.
    """

    def __init__(self, context, base_url: str):
        self.context = context
        self.base_url = base_url
        self.recording = True
        self.console_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.external_requests: list[str] = []
        context.route("**/*", self._route)
        self.page = self._open_page()

    def _open_page(self):
        page = self.context.new_page()
        # Each handler checks that its tab is still the current one: events are
        # delivered asynchronously and may arrive after the tab was replaced.
        page.on("console", lambda m: m.type == "error" and self._note(page, self.console_errors, m.text))
        page.on("pageerror", lambda e: self._note(page, self.console_errors, f"uncaught: {e}"))
        page.on("requestfailed", lambda r: self._note(
            page, self.failed_requests, f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self._note(
            page, self.failed_requests, f"{r.url} (HTTP {r.status})"))
        return page

    def _note(self, page, where: list, what: str) -> None:
        if self.recording and page is self.page:
            where.append(what)

    def _route(self, route) -> None:
        if route.request.url.startswith(self.base_url):
            route.continue_()
        else:  # the site must not need anything from another host
            self._note(self._page_of(route.request), self.external_requests, route.request.url)
            route.abort()

    def _page_of(self, request):
        try:
            return request.frame.page
        except Exception:  # a worker's request has no frame: count it against this tab
            return self.page

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path, wait_until="load")
        return response.status if response is not None else None

    def wait_for_math(self) -> None:
        """Wait until MathJax has typeset the page (if the page loads it)."""
        self.page.wait_for_function(
            "() => !document.querySelector('script[src*=\"mathjax\"]') || "
            "(window.MathJax && MathJax.startup && MathJax.startup.promise)"
        )
        self.page.evaluate(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
            " ? MathJax.startup.promise.then(() => true) : true"
        )

    def settle(self) -> None:
        """Wait for typesetting, images and fonts (MathJax's included)."""
        self.wait_for_math()
        self.page.evaluate("""async () => {
          const images = Array.from(document.images);
          images.forEach(i => { i.loading = 'eager'; });
          await Promise.all(images.map(i => i.complete ? null : new Promise(ok => {
            i.addEventListener('load', ok); i.addEventListener('error', ok); })));
          await document.fonts.ready;
        }""")

    def reset(self) -> None:
        """Replace the tab by a fresh one and forget what was recorded, so the
        next page starts clean (a left page's abandoned requests are not recorded)."""
        old = self.page
        # Stop whatever the old tab is doing first: closing a tab with a
        # navigation in flight can hang Playwright.
        old.goto("about:blank")
        self.page = self._open_page()
        old.close()
        for record in (self.console_errors, self.failed_requests, self.external_requests):
            record.clear()

    def close(self) -> None:
        self.recording = False
        self.context.close()


@pytest.fixture(scope="session")
def new_visit(browser, site_url):
    """Factory: a fresh page in its own context that records errors and blocks other hosts."""
    visits = []

    def make(color_scheme: str = "light", viewport=(1280, 800)) -> Visit:
        context = browser.new_context(
            color_scheme=color_scheme,
            viewport={"width": viewport[0], "height": viewport[1]},
            service_workers="block",
        )
        visit = Visit(context, site_url)
        visits.append(visit)
        return visit

    yield make
    for visit in visits:
        if visit.recording:
            visit.close()


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
