"""A visitor browses the portal in Chromium as the user guide describes, on desktop and phone."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def test_visitor_reaches_a_guide_and_sees_apply(page: Page, site_url: str, tmp_path) -> None:
    page.goto(site_url + "/")
    expect(page).to_have_url(re.compile(r"/anshan/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("鞍山政务服务网")
    expect(page.locator("#account-box").get_by_role("link", name="登录")).to_be_visible()
    expect(page.locator("#account-box").get_by_role("link", name="注册")).to_be_visible()

    # 站点切换: another region's site, and back.
    switcher = page.locator("details.site-switch")
    switcher.get_by_text("站点切换").click()
    switcher.get_by_role("link", name="沈阳市").click()
    expect(page).to_have_url(re.compile(r"/shenyang/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("沈阳政务服务网")
    switcher.get_by_text("站点切换").click()
    switcher.get_by_role("link", name="鞍山市").click()
    expect(page).to_have_url(re.compile(r"/anshan/$"))

    # 法人办事 → 市行政审批局社会事务科 → 查看子事项 → 服务指南.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="法人办事").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("法人办事")
    page.get_by_role("heading", name="鞍山市行政审批局社会事务科").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("鞍山市行政审批局社会事务科")
    subitem = page.get_by_role("link", name="社会团体成立登记")
    expect(subitem).to_be_hidden()
    page.get_by_text("查看子事项").first.click()
    expect(subitem).to_be_visible()
    subitem.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("社会团体成立登记")
    apply = page.locator("#apply-top")
    expect(apply).to_have_text("申报")
    expect(apply).to_be_visible()
    expect(apply).to_have_attribute("href", "/anshan/apply/?region=210300&item=210300-XK-0101-01")
    page.screenshot(path=str(tmp_path / "guide.png"), full_page=True)


def test_elder_mode_enlarges_text_and_is_remembered(page: Page, site_url: str, tmp_path) -> None:
    page.goto(site_url + "/anshan/")
    body_size = lambda: page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")  # noqa: E731
    normal = body_size()
    toggle = page.get_by_role("button", name="长辈版")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert body_size() >= normal * 1.2

    page.goto(site_url + "/anshan/legal/")  # another page: the choice is remembered
    assert body_size() >= normal * 1.2
    expect(page.get_by_role("button", name="长辈版")).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=str(tmp_path / "elder.png"), full_page=True)
    page.get_by_role("button", name="长辈版").click()
    assert body_size() == normal


def test_chinese_search_finds_guides(page: Page, site_url: str) -> None:
    page.goto(site_url + "/anshan/")
    box = page.get_by_role("search").first.get_by_role("searchbox")
    box.fill("社会团体")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/anshan/search/\?q="))
    results = page.locator(".search-result")
    expect(results.first).to_be_visible(timeout=15_000)
    expect(page.locator("#search-results")).to_contain_text("社会团体成立登记")


def test_skip_link_is_the_first_stop_for_keyboard_users(page: Page, site_url: str) -> None:
    page.goto(site_url + "/anshan/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到主要内容"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_phone_layout_has_no_horizontal_scroll(browser, site_url: str, tmp_path) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    try:
        for path in ["/anshan/", "/anshan/legal/", "/anshan/guide/210300-XK-0101-01/", "/anshan/contact/"]:
            page.goto(site_url + path)
            # Against the phone's width, not innerWidth: a mobile viewport widens itself to a too-wide page.
            overflow = page.evaluate("document.documentElement.scrollWidth") - 375
            assert overflow <= 0, (path, overflow)
        page.screenshot(path=str(tmp_path / "phone-guide.png"), full_page=True)
    finally:
        context.close()


def test_a_visitor_page_load_has_no_failed_request(page: Page, portal_url: str) -> None:
    """The header asks /api/me who is signed in: a visitor is an answer (200), not a 401 in the console."""
    failed: list[str] = []
    page.on(
        "response",
        lambda response: failed.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    with page.expect_response(re.compile(r"/api/me$")) as me:
        page.goto(portal_url + "/anshan/")
    assert me.value.status == 200 and me.value.json() == {"signed_in": False}
    expect(page.locator("#account-box").get_by_role("link", name="登录")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert failed == []


BOTH_AUDIENCES = "公共场所卫生许可（新办）"  # 服务对象: 法人 and 自然人, listed under both columns


def _open_guide_from(page: Page, site_url: str, column: str) -> None:
    """Through the column's department page, as a visitor clicks: the guide learns the column from the referrer."""
    page.goto(f"{site_url}/anshan/{column}/xzspj-shsw/")
    page.locator("#item-210300-XK-0106").get_by_text("查看子事项").click()
    page.get_by_role("link", name=BOTH_AUDIENCES).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BOTH_AUDIENCES)


def test_a_guide_in_both_columns_follows_the_column_it_was_reached_from(page: Page, site_url: str) -> None:
    """Issue 14: such a guide always said 法人办事 in its breadcrumb and navigation, even reached from 个人办事."""
    crumbs = page.get_by_role("navigation", name="当前位置")
    nav = page.get_by_role("navigation", name="主导航")
    for column, name, other in (("personal", "个人办事", "法人办事"), ("legal", "法人办事", "个人办事")):
        _open_guide_from(page, site_url, column)
        expect(crumbs.get_by_role("link", name=name)).to_have_attribute("href", f"/anshan/{column}/")
        expect(crumbs.get_by_role("link", name=other)).to_have_count(0)
        expect(crumbs).not_to_contain_text("/")
        department = crumbs.get_by_role("link", name="鞍山市行政审批局社会事务科")
        expect(department).to_have_attribute("href", f"/anshan/{column}/xzspj-shsw/")
        expect(nav.get_by_role("link", name=name)).to_have_attribute("aria-current", "true")
        expect(nav.get_by_role("link", name=other)).not_to_have_attribute("aria-current", "true")
        page.reload()  # the referrer stays: still the same column
        expect(nav.get_by_role("link", name=name)).to_have_attribute("aria-current", "true")
    page.goto(site_url + "/anshan/guide/210300-XK-0106-01/")  # no referrer (back by a link from 申报): this tab's
    expect(crumbs.get_by_role("link", name="法人办事")).to_have_attribute("href", "/anshan/legal/")
    expect(crumbs).not_to_contain_text("个人办事")


def test_a_guide_in_both_columns_reached_otherwise_names_both(page: Page, site_url: str) -> None:
    """Typed in, or from the home page or search: neither column is claimed; the breadcrumb offers both."""
    page.goto(site_url + "/anshan/guide/210300-XK-0106-01/")
    crumbs = page.get_by_role("navigation", name="当前位置")
    expect(crumbs).to_contain_text("个人办事 / 法人办事")
    expect(crumbs.get_by_role("link", name="个人办事")).to_have_attribute("href", "/anshan/personal/")
    expect(crumbs.get_by_role("link", name="法人办事")).to_have_attribute("href", "/anshan/legal/")
    nav = page.get_by_role("navigation", name="主导航")
    for name in ("个人办事", "法人办事"):
        expect(nav.get_by_role("link", name=name)).not_to_have_attribute("aria-current", "true")


def test_a_guide_in_both_columns_without_script_names_both(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        _open_guide_from(page, site_url, "personal")
        expect(page.get_by_role("navigation", name="当前位置")).to_contain_text("个人办事 / 法人办事")
    finally:
        context.close()
