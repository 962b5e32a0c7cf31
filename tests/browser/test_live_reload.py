"""make dev in Chromium (tools/dev.py): a save reloads the open page, a broken file shows an overlay naming it,
the fix takes the overlay away; all under the Content-Security-Policy the deployed site sends."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, expect

from functions.services import build_services
from functions.settings import Settings
from tests.conftest import FIXTURE_CONTENT, ROOT, TEMPLATES
from tools.dev import DevServer, SitePaths
from tools.dev_reload import App

GUIDE = "/alpha/guide/210300-XK-0001-01/"
SEARCH = "/alpha/search/"
ITEM = Path("regions/alpha/items/pet-licence/item.yaml")
SUBITEM = Path("regions/alpha/items/pet-licence/first.md")
RELOAD_TIMEOUT = 20_000  # ms: watchfiles' debounce, a rebuild and a page load on a busy machine
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""


def _deployed_csp() -> str:
    """The policy CloudFront sends (serverless.yml), with the account's names filled in."""
    resources = yaml.safe_load((ROOT / "serverless.yml").read_text(encoding="utf-8"))["resources"]["Resources"]
    config = resources["SecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    return re.sub(r"\$\{[^}]+\}", "example", config["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"])


class _UnderCsp:
    """Adds the deployed policy to every answer, as CloudFront does in front of the site."""

    def __init__(self, app: App, policy: str) -> None:
        self.app = app
        self.policy = policy.encode()

    async def __call__(self, scope, receive, send) -> None:
        async def send_with_policy(message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [*message.get("headers", []), (b"content-security-policy", self.policy)],
                }
            await send(message)

        await self.app(scope, receive, send_with_policy)


@pytest.fixture
def dev(tmp_path: Path) -> Iterator[DevServer]:
    """tools/dev.py's server on a free port, over private copies of the fixture content and the templates."""
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    paths = SitePaths(tmp_path / "content", tmp_path / "templates", tmp_path / "site", tmp_path / "cache")
    settings = Settings(backend="local", data_dir=tmp_path / "data", catalog_path=paths.out / "catalog.json")
    server = DevServer(paths, port=0, services=build_services(settings))
    server.prepare()
    server.app = _UnderCsp(server.app, _deployed_csp())
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while server.server is None or not server.server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the dev server did not start")
        time.sleep(0.05)
    yield server
    server.shutdown()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the dev server did not stop"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    yield context
    context.close()


def _open(context: BrowserContext, url: str, errors: list[str]) -> Page:
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    _wait_until_listening(page)
    return page


def _wait_until_listening(page: Page) -> None:
    """Edits made before the page's event stream is open would not reach it."""
    expect(page.locator("html")).to_have_attribute("data-dev-build", re.compile(r".+"), timeout=RELOAD_TIMEOUT)


def _edit(path: Path, *replacements: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def _no_csp_violations(page: Page) -> None:
    assert page.evaluate("window.__cspViolations") == []


def test_saves_reload_the_page_and_a_broken_file_shows_over_it(
    dev: DevServer, context: BrowserContext, tmp_path: Path
) -> None:
    errors: list[str] = []
    page = _open(context, dev.url + GUIDE, errors)
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("养犬首次登记")
    expect(main).to_contain_text("办理前请先为犬只接种疫苗。")

    # A save of the guide's Markdown body: the page reloads by itself.
    page.evaluate("window.__beforeSave = true")
    _edit(dev.paths.content / SUBITEM, ("办理前请先为犬只**接种疫苗**。", "办理前请带好犬只的**免疫证明**。"))
    expect(main).to_contain_text("办理前请带好犬只的免疫证明。", timeout=RELOAD_TIMEOUT)
    assert page.evaluate("window.__beforeSave") is None, "the text changed without a reload"
    _wait_until_listening(page)

    # A bad value in the item's YAML: the page stays, the overlay names the file and the field.
    _edit(dev.paths.content / ITEM, ("handling_type: 承诺件", "handling_type: 限时件"))
    overlay = page.get_by_role("alert")
    expect(overlay).to_contain_text("内容有错误，页面未更新：", timeout=RELOAD_TIMEOUT)
    expect(overlay).to_contain_text(f"content/{ITEM.as_posix()}")
    expect(overlay).to_contain_text("guide_defaults.handling_type")
    expect(overlay).to_contain_text("'限时件' 不是允许的取值")
    [problem] = dev.hub.problems()
    if problem["line_number"]:  # once the build reports lines
        expect(overlay).to_contain_text(f"第 {problem['line_number']} 行")
    expect(main).to_contain_text("办理前请带好犬只的免疫证明。")
    page.screenshot(path=str(tmp_path / "overlay.png"))

    # A page opened during the error shows it at once; the first one's reader closes it.
    second = _open(context, dev.url + GUIDE, errors)
    expect(second.get_by_role("alert")).to_contain_text("guide_defaults.handling_type")
    page.get_by_role("button", name="关闭错误提示").click()
    expect(overlay).to_have_count(0)

    # The fix: both pages reload, without the overlay, showing the new text.
    _edit(
        dev.paths.content / ITEM,
        ("handling_type: 限时件", "handling_type: 承诺件"),
        ("location: 甲市政务服务中心", "location: 甲市政务服务中心东厅"),
    )
    for shown in (second, page):
        expect(shown.locator("main")).to_contain_text("甲市政务服务中心东厅", timeout=RELOAD_TIMEOUT)
        expect(shown.get_by_role("alert")).to_have_count(0)
        _no_csp_violations(shown)
    assert errors == []


def test_a_search_page_says_when_its_index_is_behind(dev: DevServer, context: BrowserContext, tmp_path: Path) -> None:
    errors: list[str] = []
    page = _open(context, dev.url + SEARCH + "?q=养犬", errors)
    notice = page.get_by_role("status").filter(has_text="搜索索引")
    expect(notice).to_have_count(0)

    dev.hub.search_index("updating")  # what every save does until the background index is in
    expect(notice).to_have_text("搜索索引正在更新，结果可能不是最新的")
    page.screenshot(path=str(tmp_path / "search-notice.png"))
    dev.hub.search_index("fresh")
    expect(notice).to_have_count(0)
    expect(page).to_have_url(re.compile(r"\?q="))  # reloaded with the query kept
    _wait_until_listening(page)
    _no_csp_violations(page)
    assert errors == []
