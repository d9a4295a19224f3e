"""Fixtures for checks of the built HTML book in _build/html (run after the build).

Static checks read the files; browser checks serve the site on 127.0.0.1 from
a thread of the test process and drive a real headless Chromium through
Playwright, with pytest-playwright's ``browser`` fixture (one browser for the
whole session). Chromium is Debian's ``/usr/bin/chromium`` (set ``CHROMIUM``
to use another binary); Playwright's own browser download is never used.
Accessibility is checked with axe-core, vendored for the tests in
``tests/site/vendor`` (never part of the site). Without Chromium the browser checks are
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


def is_redirect(path: str) -> bool:
    """Whether the built page ``path`` (a query string allowed) only sends the
    reader elsewhere (a meta refresh)."""
    page = HTML / path.split("?", 1)[0]
    return page.is_file() and 'http-equiv="refresh"' in page.read_text(encoding="utf-8")[:2000].lower()


# --------------------------------------------------------------------------- the browser
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium (or skips, outside CI, without it)."""
    reason = browser_missing_reason()
    if reason and os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    if reason:
        print(f"\nbrowser tests skipped: {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": CHROMIUM_ARGS, "headless": True}


AXE = Path(__file__).with_name("vendor") / "axe.min.js"
#: Impacts that fail the tests (axe's scale: minor, moderate, serious, critical).
AXE_FAILING = ("serious", "critical")


@pytest.fixture(scope="session")
def axe_violations():
    """The function that runs axe-core on a page (see :func:`run_axe`)."""
    return run_axe


def run_axe(page) -> list[str]:
    """Run axe-core on the page as it is; its serious and critical violations."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE))  # injected, not requested from the site
    found = page.evaluate("""async (failing) => {
      const r = await axe.run(document, {resultTypes: ['violations']});
      return r.violations.filter(v => failing.includes(v.impact)).map(v =>
        `${v.id} (${v.impact}): ${v.nodes.length}x, e.g. ${v.nodes[0].target.join(' ')}`);
    }""", list(AXE_FAILING))
    return found


class Visit:
    """A page in its own browser context, recording everything that goes wrong.

    Recording pauses in :meth:`reset` and stops at :meth:`close`. Let a page
    :meth:`settle` before leaving it: the browser may report the requests a
    page abandons (a redirect or an image still loading) after the reset, and
    they would be blamed on the next page.
    """

    def __init__(self, context, base_url: str):
        self.context = context
        self.page = context.new_page()
        self.base_url = base_url
        self.recording = True
        self.console_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.external_requests: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda e: self._note(self.console_errors, f"uncaught: {e}"))
        self.page.on("requestfailed", lambda r: self._note(
            self.failed_requests, f"{r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self._note(
            self.failed_requests, f"{r.url} (HTTP {r.status})"))
        context.route("**/*", self._route)

    def _note(self, where: list, what: str) -> None:
        if self.recording:
            where.append(what)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self._note(self.console_errors, message.text)

    def _route(self, route) -> None:
        if route.request.url.startswith(self.base_url):
            route.continue_()
        else:  # the site must not need anything from another host
            self._note(self.external_requests, route.request.url)
            route.abort()

    def goto(self, path: str):
        """Load ``path``; if it is a redirect page, also wait until its target has loaded.

        Leaving a redirect while it is in flight aborts it, and the browser may
        report that abort late enough to be blamed on the next page.
        """
        url = self.base_url + path
        response = self.page.goto(url, wait_until="load")
        if is_redirect(path):
            self.page.wait_for_url(lambda now: now != url, wait_until="load")
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
        """Leave the page for about:blank and forget what was recorded, so the
        next page starts clean (a page's abandoned requests are not recorded)."""
        self.recording = False
        self.page.goto("about:blank")
        for record in (self.console_errors, self.failed_requests, self.external_requests):
            record.clear()
        self.recording = True

    def close(self) -> None:
        self.recording = False
        self.context.close()


@pytest.fixture(scope="session")
def new_visit(browser, site_url):
    """Factory: a fresh page in its own context that records errors and blocks other hosts."""
    visits = []

    def make(color_scheme: str = "light", viewport=(1280, 800), **options) -> Visit:
        context = browser.new_context(
            color_scheme=color_scheme,
            viewport={"width": viewport[0], "height": viewport[1]},
            service_workers="block",
            **options,  # e.g. has_touch=True, is_mobile=True for a phone
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
