"""The site works under the Content-Security-Policy CloudFront will send: pages, pagefind's search (WebAssembly,
a worker, its own styles) and the captcha's data: image, in real Chromium, with no CSP violation.

The CSP is taken from the generated template, so what is tested is what deploys.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.conftest import REGION, Package

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A 1x1 PNG, as the captcha route returns its image: a data: URL.
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAA"
    "AABJRU5ErkJggg=="
)
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""


def _csp(package: Package) -> str:
    headers = package.resources["SecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    template = headers["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    return (
        template.replace("${AWS::AccountId}", "123456789012")
        .replace("${AWS::Region}", REGION)
        .replace("${AWS::URLSuffix}", "amazonaws.com")
    )


class _SiteUnderCsp(SimpleHTTPRequestHandler):
    """site/ as CloudFront serves it: every response carries the policy; /api/ answers as the API would."""

    csp = ""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.csp)
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.path.startswith("/api/"):
            status, body = (
                (200, {"captcha_id": "c1", "image": PIXEL})
                if self.path == "/api/captcha"
                else (401, {"error": {"code": "unauthorized", "message": "请先登录"}})
            )
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def site_url(package: Package):
    handler = type("Handler", (_SiteUnderCsp,), {"csp": _csp(package)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(package.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def in_browser():
    """Runs a function with Chromium in a thread of its own: Playwright's sync API refuses a thread with a
    running event loop, and the browser tests keep one running in the main thread for the whole session."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the CSP check, but {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed; CSP check skipped on this machine")
    from playwright.sync_api import sync_playwright

    with ThreadPoolExecutor(max_workers=1) as thread:

        def start():
            playwright = sync_playwright().start()
            return playwright, playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)

        playwright, chromium = thread.submit(start).result()
        yield lambda function: thread.submit(function, chromium).result()
        thread.submit(lambda: (chromium.close(), playwright.stop())).result()


def _visit(chromium, url: str, steps: Callable[[Any], Any]) -> tuple[Any, list[str]]:
    """Opens url, runs steps(page); returns what steps returned and every CSP violation on the way."""
    context = chromium.new_context(locale="zh-CN")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    try:
        page.goto(url)
        result = steps(page)
        violations = page.evaluate("window.__cspViolations")
    finally:
        context.close()
    return result, violations + [text for text in console if "Content Security Policy" in text]


def test_home_page_is_styled(in_browser, site_url: str) -> None:
    def steps(page):
        page.wait_for_load_state("networkidle")
        # portal.css applied: the body is not at the browser's default margin
        return page.evaluate("getComputedStyle(document.body).margin")

    margin, violations = in_browser(lambda chromium: _visit(chromium, site_url + "/anshan/", steps))
    assert not violations
    assert margin != "8px"


def test_search_runs_pagefind(in_browser, site_url: str) -> None:
    def steps(page):
        page.locator(".search-result-title a").first.wait_for(state="visible", timeout=15_000)
        return page.locator("#search-results").inner_text()

    results, violations = in_browser(lambda chromium: _visit(chromium, site_url + "/anshan/search/?q=社会团体", steps))
    assert not violations
    assert "社会团体" in results


def test_captcha_image_is_a_data_url(in_browser, site_url: str) -> None:
    def steps(page):
        image = page.locator("img.captcha-image").first
        image.wait_for(state="visible", timeout=10_000)
        return image.get_attribute("src"), page.evaluate(
            "(image) => image.complete && image.naturalWidth > 0", image.element_handle()
        )

    (source, loaded), violations = in_browser(lambda chromium: _visit(chromium, site_url + "/login/", steps))
    assert not violations
    assert source.startswith("data:image/png") and loaded
