"""Page weight and cold load time of the built book (issue 15).

Goal, for every chapter page: at most 1.5 MB of resources (uncompressed, as
the local server sends them: the page, its CSS, scripts, fonts, images and
MathJax) and a cold load (empty cache, a fresh browser context) of at most
1 s from a server on 127.0.0.1, measured to the ``load`` event after MathJax
has typeset the page.

Usage, after ``make build`` (headless Chromium, Debian's ``/usr/bin/chromium``)::

    .venv/bin/python benchmarks/site_weight.py            # writes benchmarks/results/site.{json,md}
    .venv/bin/python benchmarks/site_weight.py --out /tmp/site.json

Each page is loaded ``--repeat`` times (default 3), each time cold; the
median time is reported. Exits with status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
RESULTS = ROOT / "benchmarks" / "results"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
GOAL_BYTES = 1.5e6
GOAL_SECONDS = 1.0


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def _serve():
    handler = functools.partial(_Quiet, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def measure(browser, url: str) -> dict:
    """One cold load: bytes and requests by kind, seconds to load + typeset."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sizes: dict[str, int] = {}
    count = 0
    external = []

    def on_response(response):
        nonlocal count
        if not response.url.startswith(url.split("/book/")[0]):
            external.append(response.url)
            return
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            return
        kind = response.request.resource_type
        sizes[kind] = sizes.get(kind, 0) + len(body)
        count += 1

    page.on("response", on_response)
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise"
                  " ? MathJax.startup.promise.then(() => true) : true")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    seconds = time.perf_counter() - start
    page.wait_for_timeout(200)  # late font and image responses
    context.close()
    return {"bytes": sum(sizes.values()), "by_kind": sizes, "requests": count,
            "seconds": seconds, "external": external}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS / "site.json")
    args = parser.parse_args(argv)
    if not (HTML / "index.html").is_file():
        sys.exit("no built book in _build/html: run `make build` first")
    from playwright.sync_api import sync_playwright

    # every chapter (book/NN_*.ipynb) that was built
    pages = sorted(f"book/{p.stem}.html" for p in (ROOT / "book").glob("[0-9][0-9]_*.ipynb")
                   if (HTML / "book" / f"{p.stem}.html").is_file())
    server, base = _serve()
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for path in pages:
            runs = [measure(browser, base + path) for _ in range(args.repeat)]
            first = runs[0]
            rows.append({"page": path, "bytes": first["bytes"], "requests": first["requests"],
                         "by_kind": first["by_kind"], "external": first["external"],
                         "seconds": statistics.median(r["seconds"] for r in runs)})
        browser.close()
    server.shutdown()

    ok = all(r["bytes"] <= GOAL_BYTES and r["seconds"] <= GOAL_SECONDS and not r["external"]
             for r in rows)
    lines = ["| page | requests | MB (uncompressed) | cold load (s, median) |",
             "| --- | ---: | ---: | ---: |"]
    lines += [f"| {r['page']} | {r['requests']} | {r['bytes'] / 1e6:.2f} | {r['seconds']:.2f} |"
              for r in rows]
    lines.append(f"\nGoal: <= {GOAL_BYTES / 1e6:.1f} MB and <= {GOAL_SECONDS:.0f} s per chapter "
                 f"page: {'met' if ok else 'MISSED'}.")
    table = "\n".join(lines)
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"goal_bytes": GOAL_BYTES, "goal_seconds": GOAL_SECONDS,
                                    "pages": rows, "met": ok}, indent=1) + "\n")
    args.out.with_suffix(".md").write_text(table + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
