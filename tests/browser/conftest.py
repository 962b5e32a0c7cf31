"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against the built site on loopback."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.live_server import serve_in_thread

PHONE_VIEWPORT = {"width": 390, "height": 844}
CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps calling out of this closed network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests, but {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed; browser tests skipped on this machine")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    """Serve the built sample site on a free loopback port for the session."""
    _, site = built_site
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@dataclass(frozen=True)
class Portal:
    url: str
    services: object
    """The running API's functions.services.Services: for what only an operator does (portal-admin create-staff)."""


@pytest.fixture(scope="session")
def portal(built_site, tmp_path_factory):
    """The API (test mode, fresh local data) with the built site mounted at /, on a free loopback port.

    Test mode: every captcha answer is 0000; SMS texts land in GET /api/dev/outbox. Site and API share one
    origin, as `make dev` serves them.
    """
    from functions.dev_server import create_dev_app
    from functions.services import build_services
    from functions.settings import Settings

    _, site = built_site
    settings = Settings(
        backend="local",
        test_mode=True,
        data_dir=tmp_path_factory.mktemp("portal-data"),
        catalog_path=site / "catalog.json",
    )
    app = create_dev_app(site, build_services(settings))  # the very app `make dev` serves
    with serve_in_thread(app) as url:
        yield Portal(url=url, services=app.state.services)


@pytest.fixture(scope="session")
def portal_url(portal) -> str:
    return portal.url
